//! The only code in Folio that talks to a database.
//!
//! One [`Db`] per process owns the connection pools (private to this crate) and the
//! connection gate in front of them. Repositories are written once with sea-query and
//! rendered for SQLite, MySQL/MariaDB or PostgreSQL; every query touching user data is
//! scoped by the owning user's id.

mod acquire;
mod classify;
mod config;
mod controller;
mod db;
mod detect;
mod error;
mod exec;
mod gate;
mod health;
mod maintain;
mod metrics;
mod migrate;
mod pool;
mod row;
mod stats;
#[cfg(feature = "testing")]
pub mod testing;

pub mod models;
pub mod repo;

pub use classify::ErrorClass;
pub use config::{Backend, DbConfig, DbConfigError};
pub use controller::BreakerState;
pub use db::Db;
pub use detect::{Budget, Limits, compute_budget};
pub use error::{DbError, DbResult, UnavailableReason};
pub use health::{Inspection, Readiness};
pub use migrate::schema_version;
pub use stats::DbStats;
