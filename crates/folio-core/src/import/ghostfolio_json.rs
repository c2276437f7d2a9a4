//! Ghostfolio's JSON export (`meta`, `accounts`, `assetProfiles`, `activities`): the
//! activities go through the Ghostfolio CSV rules; user-owned asset profiles bring their
//! name, currency, class and market data (as prices).

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::Number;

use super::collect::Collector;
use super::ghostfolio_csv::{ALIASES, symbol};
use super::options::DateFormat;
use super::row::Rules;
use super::sheet::Field;
use super::synthetic::{Synthetic, cell, relabel};
use super::values::{check_scale, parse_date};
use super::{AssetRef, ParseOptions, PriceRow, RowError};
use crate::domain::{ActivityType, AssetClass, CurrencyCode, Name, PricingMode, Symbol};

#[derive(Deserialize)]
struct Export {
    #[serde(default)]
    accounts: Vec<Account>,
    #[serde(default, rename = "assetProfiles")]
    asset_profiles: Vec<Profile>,
    activities: Vec<Activity>,
}

#[derive(Deserialize)]
struct Account {
    id: String,
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Activity {
    account_id: Option<String>,
    comment: Option<String>,
    currency: Option<String>,
    data_source: Option<String>,
    date: Option<String>,
    fee: Option<Number>,
    quantity: Option<Number>,
    symbol: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    unit_price: Option<Number>,
    id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Profile {
    symbol: String,
    name: Option<String>,
    currency: Option<String>,
    asset_class: Option<String>,
    data_source: Option<String>,
    #[serde(default)]
    market_data: Vec<Point>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Point {
    date: String,
    market_price: Number,
}

const HEADERS: [&str; 10] = [
    "accountId",
    "comment",
    "currency",
    "dataSource",
    "date",
    "fee",
    "quantity",
    "symbol",
    "type",
    "unitPrice",
];

/// Reads a Ghostfolio JSON export.
pub(crate) fn parse(
    text: &str,
    opts: &ParseOptions,
    c: &mut Collector,
    progress: &mut dyn FnMut(u64),
) {
    let export: Export = match serde_json::from_str(text) {
        Ok(e) => e,
        Err(e) => {
            let line = u64::try_from(e.line()).unwrap_or(0);
            return c.out.errors.push(RowError::at(
                line,
                None,
                format!("not a Ghostfolio export: {e}"),
            ));
        }
    };
    let names: HashMap<&str, &str> = export
        .accounts
        .iter()
        .map(|a| (a.id.as_str(), a.name.as_deref().unwrap_or(a.id.as_str())))
        .collect();
    let manual = profiles(&export.asset_profiles, c);
    let rules = Rules {
        strict_signs: false,
        keep_cash_assets: false,
        unescape_text: false,
    };
    let syn = Synthetic::new(
        &HEADERS,
        ALIASES,
        rules,
        opts.date_format.unwrap_or(DateFormat::Auto),
    );
    for (i, a) in export.activities.iter().enumerate() {
        if c.out.rows_seen >= opts.max_rows {
            c.out.truncated = true;
            c.out.errors.push(RowError::file(format!(
                "more than {} activities; raise the limit",
                opts.max_rows
            )));
            break;
        }
        c.out.rows_seen += 1;
        let account = a
            .account_id
            .as_deref()
            .map(|id| names.get(id).copied().unwrap_or(id));
        let cells = vec![
            account.unwrap_or_default().to_owned(),
            a.comment.clone().unwrap_or_default(),
            a.currency.clone().unwrap_or_default(),
            a.data_source.clone().unwrap_or_default(),
            a.date.clone().unwrap_or_default(),
            cell(a.fee.as_ref()),
            cell(a.quantity.as_ref()),
            a.symbol.clone().unwrap_or_default(),
            a.kind.clone().unwrap_or_default(),
            cell(a.unit_price.as_ref()),
        ];
        let path = format!("activities[{i}]");
        let (row, errors) = syn.run(&path, &cells, opts, &mut |rr| read(rr, &manual));
        c.errors(errors);
        if let Some(mut row) = row {
            row.external_id = a.id.clone();
            c.row(row);
        }
        if c.out.rows_seen.is_multiple_of(1000) {
            progress(c.out.rows_seen);
        }
    }
    progress(c.out.rows_seen);
}

fn read(rr: &mut super::row::RowReader<'_>, manual: &HashMap<String, ()>) -> super::row::Draft {
    let cell = rr
        .text(Field::Kind)
        .unwrap_or_default()
        .to_ascii_uppercase();
    let kind = match cell.as_str() {
        "BUY" | "ITEM" => Some(ActivityType::Buy),
        "SELL" => Some(ActivityType::Sell),
        "DIVIDEND" => Some(ActivityType::Dividend),
        "FEE" => Some(ActivityType::Fee),
        "INTEREST" => Some(ActivityType::Interest),
        _ => {
            rr.fail(Field::Kind, format!("unsupported Ghostfolio activity type {cell:?} (LIABILITY has no Folio equivalent)"));
            None
        }
    };
    let mut d = rr.common();
    d.kind = kind;
    let is_manual = rr
        .text(Field::Symbol)
        .is_some_and(|s| manual.contains_key(s))
        || rr
            .text(Field::DataSource)
            .is_some_and(|s| s.eq_ignore_ascii_case("manual"));
    symbol(rr, &mut d, is_manual, cell == "ITEM");
    d
}

/// Registers the user's own asset profiles and their market data; returns the symbols
/// of manually priced ones.
fn profiles(list: &[Profile], c: &mut Collector) -> HashMap<String, ()> {
    let mut manual = HashMap::new();
    for (i, p) in list.iter().enumerate() {
        let path = format!("assetProfiles[{i}]");
        let Ok(symbol) = Symbol::parse(&p.symbol) else {
            c.out.errors.push(RowError::at(
                0,
                Some(&format!("{path}.symbol")),
                format!("{:?} is not a usable symbol", p.symbol),
            ));
            continue;
        };
        let is_manual = p
            .data_source
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("manual"));
        if is_manual {
            manual.insert(symbol.as_str().to_owned(), ());
        }
        c.asset(AssetRef {
            symbol: symbol.clone(),
            name: p.name.as_deref().and_then(|n| Name::parse(n).ok()),
            currency: p
                .currency
                .as_deref()
                .and_then(|n| CurrencyCode::parse(n).ok()),
            class: p.asset_class.as_deref().and_then(class),
            pricing: Some(if is_manual {
                PricingMode::Manual
            } else {
                PricingMode::Market
            }),
        });
        for (j, m) in p.market_data.iter().enumerate() {
            let at = format!("{path}.marketData[{j}]");
            let price = super::values::parse_number(
                &super::synthetic::json_number_text(&m.market_price),
                super::NumberFormat::default(),
            )
            .and_then(|v| check_scale(v, 10, "a price"));
            match (parse_date(&m.date, DateFormat::Auto), price) {
                (Ok(date), Ok(close)) if !close.is_sign_negative() => {
                    c.out.prices.push(PriceRow {
                        line: 0,
                        symbol: symbol.clone(),
                        date,
                        close,
                    });
                }
                (Err(e), _) | (_, Err(e)) => {
                    c.out.errors.push(relabel(&at, RowError::at(0, None, e)))
                }
                _ => c.out.errors.push(relabel(
                    &at,
                    RowError::at(0, None, "a price must not be negative"),
                )),
            }
        }
    }
    manual
}

/// Ghostfolio's asset classes.
fn class(s: &str) -> Option<AssetClass> {
    Some(match s {
        "EQUITY" => AssetClass::Equity,
        "FIXED_INCOME" => AssetClass::Bond,
        "LIQUIDITY" => AssetClass::Cash,
        "COMMODITY" => AssetClass::Commodity,
        "REAL_ESTATE" => AssetClass::RealEstate,
        "ALTERNATIVE_INVESTMENT" => AssetClass::Other,
        _ => return None,
    })
}
