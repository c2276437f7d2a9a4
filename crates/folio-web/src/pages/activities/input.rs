//! The activity form and its rules per type, shared by pages and the JSON API.

use folio_core::{
    AccountId, ActivityId, ActivityType, AssetId, CurrencyCode, DecimalError, Money, Note, Price,
    Quantity, parse_date,
};
use folio_db::models::NewActivity;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::forms::{FieldErrors, blank_to_none, lenient_text};
use crate::portfolio::UserData;

/// The activity form as submitted: all text, so nothing is lost when it is re-shown.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(crate) struct ActivityInput {
    #[serde(deserialize_with = "lenient_text")]
    pub account: String,
    #[serde(deserialize_with = "lenient_text")]
    pub asset: String,
    #[serde(rename = "type")]
    #[serde(deserialize_with = "lenient_text")]
    pub kind: String,
    #[serde(deserialize_with = "lenient_text")]
    pub date: String,
    #[serde(deserialize_with = "lenient_text")]
    pub quantity: String,
    #[serde(deserialize_with = "lenient_text")]
    pub unit_price: String,
    #[serde(deserialize_with = "lenient_text")]
    pub amount: String,
    #[serde(deserialize_with = "lenient_text")]
    pub fee: String,
    #[serde(deserialize_with = "lenient_text")]
    pub tax: String,
    #[serde(deserialize_with = "lenient_text")]
    pub currency: String,
    #[serde(deserialize_with = "lenient_text")]
    pub note: String,
    /// For TRANSFER_IN: the id of the TRANSFER_OUT it receives (blank: from outside).
    #[serde(deserialize_with = "lenient_text")]
    pub transfer_of: String,
    pub csrf: String,
}

crate::has_csrf!(ActivityInput);

fn text(d: Option<Decimal>) -> String {
    d.map(|v| v.normalize().to_string()).unwrap_or_default()
}

fn non_negative(e: &mut FieldErrors, field: &'static str, s: &str) -> Decimal {
    match blank_to_none(s) {
        None => Decimal::ZERO,
        Some(v) => e
            .check(
                field,
                Money::parse(v).and_then(|m| {
                    if m.get().is_sign_negative() {
                        Err(DecimalError::Negative)
                    } else {
                        Ok(m.get())
                    }
                }),
            )
            .unwrap_or_default(),
    }
}

impl ActivityInput {
    /// The form filled from a stored activity.
    pub(crate) fn from_activity(a: &NewActivity) -> Self {
        Self {
            account: a.account_id.to_string(),
            asset: a.asset_id.map(|x| x.to_string()).unwrap_or_default(),
            kind: a.kind.as_str().into(),
            date: a.date.to_string(),
            quantity: text(a.quantity),
            unit_price: text(a.unit_price),
            amount: text(a.amount),
            fee: text(Some(a.fee).filter(|f| !f.is_zero())),
            tax: text(Some(a.tax).filter(|t| !t.is_zero())),
            currency: a.currency.to_string(),
            note: a.note.to_string(),
            transfer_of: a.transfer_of.map(|x| x.to_string()).unwrap_or_default(),
            csrf: String::new(),
        }
    }

    /// Parses and applies the per-type rules; accounts and assets must be the user's.
    pub(crate) fn parse(&self, data: &UserData) -> Result<NewActivity, FieldErrors> {
        let mut e = FieldErrors::default();
        let account = e.check(
            "account",
            self.account
                .trim()
                .parse::<AccountId>()
                .ok()
                .and_then(|id| data.account(id))
                .ok_or("choose one of your accounts"),
        );
        let asset = match blank_to_none(&self.asset) {
            None => None,
            Some(v) => e.check(
                "asset",
                v.parse::<AssetId>()
                    .ok()
                    .and_then(|id| data.asset(id))
                    .ok_or("choose one of your assets"),
            ),
        };
        let kind = e.check("kind", self.kind.parse::<ActivityType>());
        let date = e.check("date", parse_date(&self.date));
        let fee = non_negative(&mut e, "fee", &self.fee);
        let tax = non_negative(&mut e, "tax", &self.tax);
        let note = e.check("note", Note::parse(&self.note));
        let transfer_of = self.transfer_link(kind, data, &mut e);
        let (quantity, unit_price, amount) = match kind {
            Some(k) => self.numbers(k, asset.is_some(), &mut e),
            None => (None, None, None),
        };
        let currency = match blank_to_none(&self.currency) {
            Some(c) => e.check("currency", CurrencyCode::parse(c)),
            None => asset
                .map(|a| a.currency.clone())
                .or_else(|| account.map(|a| a.currency.clone())),
        };
        let missing_currency = currency.is_none();
        match (account, kind, date, currency, note) {
            (Some(account), Some(kind), Some(date), Some(currency), Some(note)) if e.is_empty() => {
                Ok(NewActivity {
                    account_id: account.id,
                    asset_id: asset.map(|a| a.id),
                    kind,
                    date,
                    quantity,
                    unit_price,
                    amount,
                    fee,
                    tax,
                    currency,
                    note,
                    transfer_of,
                })
            }
            _ => {
                if missing_currency && e.get("currency").is_empty() {
                    e.add("currency", "a currency is required");
                }
                Err(e)
            }
        }
    }

    /// The TRANSFER_OUT a TRANSFER_IN receives: one of the user's own transfers out.
    fn transfer_link(
        &self,
        kind: Option<ActivityType>,
        data: &UserData,
        e: &mut FieldErrors,
    ) -> Option<ActivityId> {
        let link = blank_to_none(&self.transfer_of)?;
        if kind != Some(ActivityType::TransferIn) {
            e.add(
                "transfer_of",
                "only a transfer in can receive a transfer out",
            );
            return None;
        }
        let found = link.parse::<ActivityId>().ok().filter(|id| {
            data.activities
                .iter()
                .any(|a| a.id == *id && a.data.kind == ActivityType::TransferOut)
        });
        e.check(
            "transfer_of",
            found.ok_or("choose one of your transfers out"),
        )
    }

    /// Quantity, unit price and amount as the type requires.
    fn numbers(
        &self,
        kind: ActivityType,
        has_asset: bool,
        e: &mut FieldErrors,
    ) -> (Option<Decimal>, Option<Decimal>, Option<Decimal>) {
        let qty = |e: &mut FieldErrors| {
            e.check("quantity", Quantity::parse(&self.quantity))
                .map(Quantity::get)
        };
        let price = |e: &mut FieldErrors| {
            e.check("unit_price", Price::parse(&self.unit_price))
                .map(Price::get)
        };
        let amount = |e: &mut FieldErrors| {
            e.check(
                "amount",
                Money::parse(&self.amount).and_then(|m| {
                    if m.get() > Decimal::ZERO {
                        Ok(m.get())
                    } else {
                        Err(DecimalError::NotPositive)
                    }
                }),
            )
        };
        let need_asset = |e: &mut FieldErrors| {
            if !has_asset {
                e.add("asset", "choose the asset this activity is about");
            }
        };
        match kind {
            ActivityType::Buy | ActivityType::Sell => {
                need_asset(e);
                (qty(e), price(e), None)
            }
            ActivityType::Split => {
                need_asset(e);
                (qty(e), None, None)
            }
            ActivityType::Dividend => {
                need_asset(e);
                (None, None, amount(e))
            }
            ActivityType::TransferIn | ActivityType::TransferOut if has_asset => {
                let p = blank_to_none(&self.unit_price).and_then(|_| price(e));
                (qty(e), p, None)
            }
            ActivityType::Interest
            | ActivityType::Fee
            | ActivityType::Tax
            | ActivityType::Deposit
            | ActivityType::Withdrawal
            | ActivityType::TransferIn
            | ActivityType::TransferOut => (None, None, amount(e)),
        }
    }
}
