//! Engine errors: each message is written for the person who owns the portfolio.

use rust_decimal::Decimal;
use time::Date;

use crate::domain::{AccountId, ActivityId, ActivityType, AssetId, CurrencyCode};

/// Why the engine could not produce a figure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
pub enum EngineError {
    /// A sell or transfer out of more units than the account holds (short positions are
    /// not supported).
    #[error(
        "activity {activity} on {date} sells or moves {wanted} units of asset {asset} but account {account} holds only {held}"
    )]
    InsufficientQuantity {
        /// The offending activity.
        activity: ActivityId,
        /// Its date.
        date: Date,
        /// Its account.
        account: AccountId,
        /// The asset.
        asset: AssetId,
        /// Units requested.
        wanted: Decimal,
        /// Units held at that point.
        held: Decimal,
    },
    /// No exchange rate on or before the date; rates are never guessed.
    #[error("no {from}/{to} exchange rate on or before {date}; add one to value this portfolio")]
    MissingFxRate {
        /// Currency converted from.
        from: CurrencyCode,
        /// Currency converted to.
        to: CurrencyCode,
        /// Date the rate was needed.
        date: Date,
    },
    /// An activity that needs an asset has none, or names an unknown asset or account.
    #[error("activity {activity} ({kind}) refers to a missing or unknown {what}")]
    UnknownReference {
        /// The offending activity.
        activity: ActivityId,
        /// Its type.
        kind: ActivityType,
        /// "asset", "account" or "transfer".
        what: &'static str,
    },
    /// A field has a value that makes no sense for the activity type.
    #[error("activity {activity} ({kind}): {reason}")]
    InvalidActivity {
        /// The offending activity.
        activity: ActivityId,
        /// Its type.
        kind: ActivityType,
        /// What is wrong, for the user.
        reason: &'static str,
    },
    /// A scope names an account or asset the engine was not given.
    #[error("unknown {what} {id}")]
    UnknownScope {
        /// "account" or "asset".
        what: &'static str,
        /// The id asked for.
        id: i64,
    },
    /// The cash flows have no internal rate of return (e.g. all flows have one sign).
    #[error("no money-weighted return exists for these cash flows: {0}")]
    NoIrr(&'static str),
    /// A date range that ends before it starts or lies outside the portfolio's history.
    #[error("the range {start} to {end} is empty or outside the portfolio's history")]
    EmptyRange {
        /// Requested start.
        start: Date,
        /// Requested end.
        end: Date,
    },
}
