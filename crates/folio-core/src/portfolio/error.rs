//! Engine errors: each message is written for the person who owns the portfolio.

use rust_decimal::Decimal;
use time::Date;

use super::input::EngineActivity;
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
    /// A figure left the range exact decimals can hold (about 7.9 × 10^28), or would
    /// divide by zero (an exchange rate of 0). Inputs are at most 10^18, but a product
    /// (10^17 units × a price of 10^17) or a sum over many activities can exceed it. The
    /// web layer shows it as a field error on the activity form, and as a 409 problem
    /// ("cannot value portfolio") elsewhere; it is never a panic.
    #[error("{}", overflow_message(*.activity, *.date))]
    Overflow {
        /// The activity being applied when it happened, if any.
        activity: Option<ActivityId>,
        /// The day being valued (or the activity's date), if known.
        date: Option<Date>,
    },
    /// A date range that ends before it starts or lies outside the portfolio's history.
    #[error("the range {start} to {end} is empty or outside the portfolio's history")]
    EmptyRange {
        /// Requested start.
        start: Date,
        /// Requested end.
        end: Date,
    },
}

impl EngineError {
    /// Names `a` (and its date) in an [`EngineError::Overflow`] that has no activity yet.
    pub(crate) fn in_activity(self, a: &EngineActivity) -> Self {
        match self {
            Self::Overflow { activity: None, .. } => Self::Overflow {
                activity: Some(a.id),
                date: Some(a.date),
            },
            other => other,
        }
    }

    /// Names the day in an [`EngineError::Overflow`] that has no date yet.
    pub(crate) fn on_date(self, day: Date) -> Self {
        match self {
            Self::Overflow {
                activity,
                date: None,
            } => Self::Overflow {
                activity,
                date: Some(day),
            },
            other => other,
        }
    }
}

/// The user-facing text of [`EngineError::Overflow`].
fn overflow_message(activity: Option<ActivityId>, date: Option<Date>) -> String {
    const HINT: &str = "check quantities, prices and amounts for extra digits";
    match (activity, date) {
        (Some(id), _) => format!("amounts in activity {id} are too large to compute; {HINT}"),
        (None, Some(d)) => format!("amounts on {d} are too large to compute; {HINT}"),
        (None, None) => format!("amounts in this portfolio are too large to compute; {HINT}"),
    }
}
