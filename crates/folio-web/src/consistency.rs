//! Checks a change against the whole portfolio before it is saved, so nothing stored
//! can sell more than is held, break a transfer link or overflow the engine.
//!
//! Exchange rates do not change quantities or lots, so the check fills every missing
//! rate with 1: a missing rate is reported on the dashboard but never hides a problem
//! here. If the stored data is already inconsistent (older data), a change is allowed
//! as long as it does not make things worse, so the user can repair it.

use folio_core::portfolio::{EngineError, Portfolio};
use folio_core::{AccountId, ActivityId, CurrencyCode};
use folio_db::models::{NewAccount, NewActivity, UserSettings};
use time::Date;

use crate::format::exact;
use crate::portfolio::{UserData, today};

/// A change about to be saved.
pub(crate) enum Change<'a> {
    /// Add (`None`) or replace an activity.
    Upsert(Option<ActivityId>, &'a NewActivity),
    /// Delete one activity.
    DeleteActivity(ActivityId),
    /// Delete an account with all its activities.
    DeleteAccount(AccountId),
    /// Change an account's currency or cash tracking.
    UpdateAccount(AccountId, &'a NewAccount),
}

/// Why a change was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    /// The form field to attach the message to, when the changed activity is at fault.
    pub field: &'static str,
    /// The message for the user.
    pub message: String,
}

/// Which activity an engine error is about, if any.
fn culprit(e: &EngineError) -> Option<ActivityId> {
    match e {
        EngineError::InsufficientQuantity { activity, .. }
        | EngineError::UnknownReference { activity, .. }
        | EngineError::InvalidActivity { activity, .. } => Some(*activity),
        EngineError::Overflow { activity, .. } => *activity,
        EngineError::MissingFxRate { .. }
        | EngineError::UnknownScope { .. }
        | EngineError::NoIrr(_)
        | EngineError::EmptyRange { .. } => None,
    }
}

/// Whether an error means the data is wrong (rather than incomplete, like a missing
/// price or rate, which the dashboard reports).
fn is_inconsistency(e: &EngineError) -> bool {
    match e {
        EngineError::InsufficientQuantity { .. }
        | EngineError::UnknownReference { .. }
        | EngineError::InvalidActivity { .. }
        | EngineError::Overflow { .. } => true,
        EngineError::MissingFxRate { .. }
        | EngineError::UnknownScope { .. }
        | EngineError::NoIrr(_)
        | EngineError::EmptyRange { .. } => false,
    }
}

fn build(
    data: &UserData,
    base: &CurrencyCode,
    prefs: &UserSettings,
    end: Date,
) -> Result<(), EngineError> {
    let mut input = data.engine_input(base, prefs, end, None);
    let epoch = Date::MIN.max(time::macros::date!(1900 - 01 - 01));
    let mut codes: Vec<CurrencyCode> = data.accounts.iter().map(|a| a.currency.clone()).collect();
    codes.extend(data.assets.iter().map(|a| a.currency.clone()));
    codes.extend(data.activities.iter().map(|a| a.data.currency.clone()));
    for code in codes {
        let (major, _) = code.major();
        if major != *base && input.fx.rate(&major, base, epoch).is_none() {
            input
                .fx
                .insert(&major, base, epoch, rust_decimal::Decimal::ONE);
        }
    }
    match Portfolio::check(input) {
        Err(e) if is_inconsistency(&e) => Err(e),
        _ => Ok(()),
    }
}

/// Applies the change to a copy of the data; returns it and the id the changed
/// activity has in it (a new one gets the next id, as the database will give it).
fn apply(data: &UserData, change: &Change<'_>) -> (UserData, Option<ActivityId>) {
    let mut next = data.clone();
    match change {
        Change::Upsert(id, new) => {
            let id = id.unwrap_or_else(|| {
                ActivityId::new(
                    data.activities
                        .iter()
                        .map(|a| a.id.get())
                        .max()
                        .unwrap_or(0)
                        .saturating_add(1),
                )
            });
            next.activities.retain(|a| a.id != id);
            next.activities.push(folio_db::models::Activity {
                id,
                data: (*new).clone(),
            });
            (next, Some(id))
        }
        Change::DeleteActivity(id) => {
            next.activities.retain(|a| a.id != *id);
            for a in &mut next.activities {
                if a.data.transfer_of == Some(*id) {
                    a.data.transfer_of = None;
                }
            }
            (next, None)
        }
        Change::DeleteAccount(account) => {
            let gone: Vec<ActivityId> = next
                .activities
                .iter()
                .filter(|a| a.data.account_id == *account)
                .map(|a| a.id)
                .collect();
            next.activities.retain(|a| a.data.account_id != *account);
            for a in &mut next.activities {
                if a.data.transfer_of.is_some_and(|t| gone.contains(&t)) {
                    a.data.transfer_of = None;
                }
            }
            next.accounts.retain(|a| a.id != *account);
            (next, None)
        }
        Change::UpdateAccount(account, upd) => {
            for a in next.accounts.iter_mut().filter(|a| a.id == *account) {
                a.currency = upd.currency.clone();
                a.tracks_cash = upd.tracks_cash;
            }
            (next, None)
        }
    }
}

fn describe(data: &UserData, e: &EngineError) -> String {
    let Some(id) = culprit(e) else {
        return e.to_string();
    };
    match data.activities.iter().find(|a| a.id == id) {
        Some(a) => {
            let asset = a
                .data
                .asset_id
                .and_then(|x| data.asset(x))
                .map_or_else(String::new, |x| format!(" of {}", x.symbol));
            let why = match e {
                // Privacy mode (pages only; the API never runs with it) hides units.
                EngineError::InsufficientQuantity { .. } if crate::display::privacy_on() => {
                    "it would sell or move more than is held (switch privacy mode off to see the quantity held)".into()
                }
                EngineError::InsufficientQuantity { held, .. } => format!(
                    "it would sell or move more than is held (the account holds {})",
                    exact(*held)
                ),
                other => other.to_string(),
            };
            format!(
                "the {} on {}{asset} would become invalid: {why}",
                a.data.kind.label().to_lowercase(),
                a.data.date
            )
        }
        None => e.to_string(),
    }
}

/// Checks a change; `Err` says why it must not be saved.
pub(crate) fn check(
    data: &UserData,
    base: &CurrencyCode,
    prefs: &UserSettings,
    change: &Change<'_>,
) -> Result<(), Refusal> {
    let (changed, candidate) = apply(data, change);
    let end = changed
        .activities
        .iter()
        .map(|a| a.data.date)
        .max()
        .map_or(today(), |d| d.max(today()));
    let Err(err) = build(&changed, base, prefs, end) else {
        return Ok(());
    };
    // Already broken before this change, in the same way: let the user work on it.
    if let Err(before) = build(data, base, prefs, end)
        && culprit(&before) == culprit(&err)
        && std::mem::discriminant(&before) == std::mem::discriminant(&err)
        && culprit(&err) != candidate
    {
        return Ok(());
    }
    if candidate.is_some() && culprit(&err) == candidate {
        return Err(match err {
            EngineError::InsufficientQuantity { held, date, .. } => Refusal {
                field: "quantity",
                message: match crate::display::privacy_on() {
                    true => format!("this would sell or move more than is held on {date} (switch privacy mode off to see the quantity held)"),
                    false => format!("this would sell or move more than is held (on {date} the account holds {})", exact(held)),
                },
            },
            EngineError::Overflow { .. } => Refusal {
                field: "quantity",
                message: "these amounts are too large to compute (quantity × price or the portfolio's totals would exceed what Folio can hold exactly); check for extra digits".into(),
            },
            EngineError::UnknownReference { .. } => Refusal { field: "transfer_of", message: err.to_string() },
            other => Refusal { field: "kind", message: other.to_string() },
        });
    }
    Err(Refusal {
        field: "kind",
        message: format!("This change cannot be saved: {}.", describe(&changed, &err)),
    })
}

/// Checks a whole import: `changed` is `data` plus the imported accounts, assets,
/// activities, prices and rates. `Err` carries the activity at fault (if one is) and
/// the message; problems the stored data already had, in the same place, are allowed.
pub(crate) fn check_import(
    data: &UserData,
    changed: &UserData,
    base: &CurrencyCode,
    prefs: &UserSettings,
) -> Result<(), (Option<ActivityId>, String)> {
    let end = changed
        .activities
        .iter()
        .map(|a| a.data.date)
        .max()
        .map_or(today(), |d| d.max(today()));
    let Err(err) = build(changed, base, prefs, end) else {
        return Ok(());
    };
    if let Err(before) = build(data, base, prefs, end)
        && culprit(&before) == culprit(&err)
        && std::mem::discriminant(&before) == std::mem::discriminant(&err)
    {
        return Ok(());
    }
    Err((culprit(&err), describe(changed, &err)))
}
