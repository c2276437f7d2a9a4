//! What a series or return is computed for: the whole portfolio, one account, one asset
//! across accounts, or one holding (an asset in an account).

use rust_decimal::Decimal;
use serde::Serialize;

use super::context::Context;
use super::error::EngineError;
use super::ledger::Effect;
use crate::domain::{AccountId, AssetId};

/// The subject of a valuation series or return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Scope {
    /// Everything, in base currency; linked transfers are internal.
    Total,
    /// One account: holdings plus cash (if it tracks cash).
    Account(AccountId),
    /// One asset across all accounts: holdings only; buys in, sells and income out.
    Asset(AssetId),
    /// One asset in one account.
    Holding(AccountId, AssetId),
}

/// A scope resolved to indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScopeFilter {
    Total,
    Account(usize),
    Asset(usize),
    Holding(usize, usize),
}

impl ScopeFilter {
    /// Resolves ids; an unknown id is an error naming it.
    pub fn resolve(ctx: &Context, scope: Scope) -> Result<Self, EngineError> {
        let account = |id: AccountId| {
            let found = ctx.account_index.get(&id).copied();
            found.ok_or(EngineError::UnknownScope {
                what: "account",
                id: id.get(),
            })
        };
        let asset = |id: AssetId| {
            let found = ctx.asset_index.get(&id).copied();
            found.ok_or(EngineError::UnknownScope {
                what: "asset",
                id: id.get(),
            })
        };
        Ok(match scope {
            Scope::Total => Self::Total,
            Scope::Account(a) => Self::Account(account(a)?),
            Scope::Asset(x) => Self::Asset(asset(x)?),
            Scope::Holding(a, x) => Self::Holding(account(a)?, asset(x)?),
        })
    }

    /// Whether an effect belongs to the scope.
    pub fn matches(&self, e: &Effect) -> bool {
        match *self {
            Self::Total => true,
            Self::Account(a) => e.account == a,
            Self::Asset(x) => e.asset == Some(x),
            Self::Holding(a, x) => e.account == a && e.asset == Some(x),
        }
    }

    /// The external flow of an effect as seen by the scope.
    pub fn flow(&self, e: &Effect) -> Decimal {
        match *self {
            Self::Total if e.internal => Decimal::ZERO,
            Self::Total | Self::Account(_) => e.flow,
            Self::Asset(_) if e.internal => Decimal::ZERO,
            Self::Asset(_) | Self::Holding(..) => e.holding_flow,
        }
    }

    /// Whether cash balances are part of the scope's value.
    pub fn includes_cash(&self) -> bool {
        matches!(self, Self::Total | Self::Account(_))
    }

    /// Asset indices the scope can hold.
    pub fn assets(&self, ctx: &Context) -> Vec<usize> {
        match *self {
            Self::Asset(x) | Self::Holding(_, x) => vec![x],
            Self::Total | Self::Account(_) => (0..ctx.assets.len()).collect(),
        }
    }
}
