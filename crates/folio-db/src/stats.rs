//! A point-in-time view of the connection budget, for `/metrics` and `/readyz`.

use crate::controller::BreakerState;

/// Counts describing the connection stores and the gate right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DbStats {
    /// Open connections across the process's stores.
    pub size: u32,
    /// Open connections not lent out.
    pub idle: u32,
    /// Gate slots currently held by operations.
    pub in_use: u32,
    /// Operations queued at the gate (both lanes).
    pub waiters: u32,
    /// The hard cap H on connections.
    pub hard_cap: u32,
    /// The target T ≤ H the gate enforces now.
    pub target: u32,
    /// The circuit breaker's state.
    pub breaker: BreakerState,
}
