//! Folio JSON: the versioned document of everything one user owns ([`FolioDocument`]).
//! Activities go through the same rules as Folio CSV; references between the document's
//! parts (account names, asset symbols, transfer links) are checked too.

use std::collections::{HashMap, HashSet};

use super::collect::Collector;
use super::folio_csv::{ALIASES, HEADER};
use super::options::DateFormat;
use super::row::Rules;
use super::synthetic::Synthetic;
use super::values::check_scale;
use super::{
    AccountRef, AssetRef, DOCUMENT_FORMAT, DOCUMENT_VERSION, DocumentActivity, FolioDocument,
    FxRow, ParseOptions, PriceRow, RowError,
};
use crate::domain::ActivityType;

/// Reads a Folio JSON document, refusing other JSON and newer versions.
pub fn parse_document(text: &str) -> Result<FolioDocument, RowError> {
    let doc: FolioDocument = serde_json::from_str(text).map_err(|e| {
        let hint = if e.to_string().contains("expected a Decimal") {
            " (Folio JSON writes decimals as strings, e.g. \"12.50\")"
        } else {
            ""
        };
        RowError::at(
            u64::try_from(e.line()).unwrap_or(0),
            Some(&format!("character {}", e.column())),
            format!("not a valid Folio JSON document: {e}{hint}"),
        )
    })?;
    if doc.format != DOCUMENT_FORMAT {
        return Err(RowError::file(format!(
            "\"format\" is {:?}, expected \"folio\"",
            doc.format
        )));
    }
    if doc.version == 0 || doc.version > DOCUMENT_VERSION {
        return Err(RowError::file(format!(
            "document version {} is not supported by this Folio (it reads versions 1 to {DOCUMENT_VERSION}); upgrade Folio",
            doc.version
        )));
    }
    Ok(doc)
}

/// Reads a Folio JSON document into a [`super::ParsedFile`].
pub(crate) fn parse(
    text: &str,
    opts: &ParseOptions,
    c: &mut Collector,
    progress: &mut dyn FnMut(u64),
) {
    let doc = match parse_document(text) {
        Ok(d) => d,
        Err(e) => return c.out.errors.push(e),
    };
    c.out.settings = Some(doc.settings.clone());
    let (accounts, assets) = register(&doc, c);
    let rules = Rules {
        strict_signs: true,
        keep_cash_assets: true,
        unescape_text: false,
    };
    let syn = Synthetic::new(&HEADER, ALIASES, rules, DateFormat::Iso);
    let outs: HashSet<i64> = doc
        .activities
        .iter()
        .filter(|a| a.kind == ActivityType::TransferOut)
        .map(|a| a.id)
        .collect();
    let mut ids = HashSet::new();
    let full_assets: HashMap<String, AssetRef> = c
        .out
        .assets
        .iter()
        .map(|a| (a.symbol.as_str().to_owned(), a.clone()))
        .collect();
    for (i, a) in doc.activities.iter().enumerate() {
        if c.out.rows_seen >= opts.max_rows {
            c.out.truncated = true;
            c.out.errors.push(RowError::file(format!(
                "more than {} activities; raise the limit",
                opts.max_rows
            )));
            break;
        }
        c.out.rows_seen += 1;
        let path = format!("activities[{i}]");
        let refs = references(a, &path, &accounts, &assets, &outs, &mut ids);
        let (row, errors) = syn.run(&path, &cells(a), opts, &mut |rr| {
            let mut d = rr.common();
            d.kind = Some(a.kind);
            d.symbol = a.asset.clone();
            d
        });
        c.errors(refs);
        c.errors(errors);
        if let Some(mut row) = row {
            // The document describes each asset once; every row carries that description.
            row.asset = row
                .asset
                .map(|r| full_assets.get(r.symbol.as_str()).cloned().unwrap_or(r));
            c.row(row);
        }
        if c.out.rows_seen.is_multiple_of(1000) {
            progress(c.out.rows_seen);
        }
    }
    prices_and_rates(&doc, &assets, c);
    progress(c.out.rows_seen);
}

/// Accounts and assets with everything the document says about them.
fn register(doc: &FolioDocument, c: &mut Collector) -> (HashSet<String>, HashSet<String>) {
    let mut accounts = HashSet::new();
    for (i, a) in doc.accounts.iter().enumerate() {
        if !accounts.insert(a.name.as_str().to_owned()) {
            c.out.errors.push(RowError::at(
                0,
                Some(&format!("accounts[{i}].name")),
                "duplicate account name",
            ));
        }
        c.account(AccountRef {
            name: a.name.clone(),
            currency: Some(a.currency.clone()),
            tracks_cash: Some(a.tracks_cash),
        });
    }
    let mut assets = HashSet::new();
    for (i, a) in doc.assets.iter().enumerate() {
        if !assets.insert(a.symbol.as_str().to_owned()) {
            c.out.errors.push(RowError::at(
                0,
                Some(&format!("assets[{i}].symbol")),
                "duplicate asset symbol",
            ));
        }
        c.asset(AssetRef {
            symbol: a.symbol.clone(),
            name: Some(a.name.clone()),
            currency: Some(a.currency.clone()),
            class: Some(a.class),
            pricing: Some(a.pricing),
        });
    }
    (accounts, assets)
}

/// The activity's cells in [`HEADER`] order.
fn cells(a: &DocumentActivity) -> Vec<String> {
    let d = |v: Option<rust_decimal::Decimal>| v.map(|v| v.to_string()).unwrap_or_default();
    vec![
        a.date.to_string(),
        a.account.to_string(),
        a.kind.as_str().to_owned(),
        a.asset
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        d(a.quantity),
        d(a.unit_price),
        d(a.amount),
        a.fee.to_string(),
        a.tax.to_string(),
        a.currency.to_string(),
        a.note.to_string(),
        a.id.to_string(),
        a.transfer_of.map(|t| t.to_string()).unwrap_or_default(),
    ]
}

/// Checks the activity's references to the rest of the document.
fn references(
    a: &DocumentActivity,
    path: &str,
    accounts: &HashSet<String>,
    assets: &HashSet<String>,
    outs: &HashSet<i64>,
    ids: &mut HashSet<i64>,
) -> Vec<RowError> {
    let mut e = Vec::new();
    let mut fail =
        |field: &str, msg: String| e.push(RowError::at(0, Some(&format!("{path}.{field}")), msg));
    if !ids.insert(a.id) {
        fail("id", format!("id {} is used by another activity", a.id));
    }
    if !accounts.contains(a.account.as_str()) {
        fail(
            "account",
            format!(
                "account {:?} is not in the document's accounts",
                a.account.as_str()
            ),
        );
    }
    if let Some(s) = a.asset.as_ref().filter(|s| !assets.contains(s.as_str())) {
        fail(
            "asset",
            format!("asset {:?} is not in the document's assets", s.as_str()),
        );
    }
    match a.transfer_of {
        Some(_) if a.kind != ActivityType::TransferIn => {
            fail(
                "transfer_of",
                "only a TRANSFER_IN can receive a transfer".into(),
            );
        }
        Some(t) if !outs.contains(&t) => fail(
            "transfer_of",
            format!("no TRANSFER_OUT with id {t} in the document"),
        ),
        _ => {}
    }
    e
}

fn prices_and_rates(doc: &FolioDocument, assets: &HashSet<String>, c: &mut Collector) {
    let mut seen = HashMap::new();
    for (i, p) in doc.prices.iter().enumerate() {
        let col = format!("prices[{i}]");
        if !assets.contains(p.symbol.as_str()) {
            c.out.errors.push(RowError::at(
                0,
                Some(&col),
                format!(
                    "asset {:?} is not in the document's assets",
                    p.symbol.as_str()
                ),
            ));
        } else if p.close.is_sign_negative() && !p.close.is_zero() {
            c.out.errors.push(RowError::at(
                0,
                Some(&format!("{col}.close")),
                "must not be negative",
            ));
        } else if let Err(e) = check_scale(p.close, 10, "a price") {
            c.out
                .errors
                .push(RowError::at(0, Some(&format!("{col}.close")), e));
        } else if seen.insert((p.symbol.as_str(), p.date), i).is_none() {
            c.out.prices.push(PriceRow {
                line: 0,
                symbol: p.symbol.clone(),
                date: p.date,
                close: p.close,
            });
        }
    }
    for (i, r) in doc.fx_rates.iter().enumerate() {
        let col = format!("fx_rates[{i}].rate");
        if r.rate <= rust_decimal::Decimal::ZERO {
            c.out
                .errors
                .push(RowError::at(0, Some(&col), "must be greater than zero"));
            continue;
        }
        if let Err(e) = check_scale(r.rate, 10, "an FX rate") {
            c.out.errors.push(RowError::at(0, Some(&col), e));
            continue;
        }
        c.out.fx_rates.push(FxRow {
            line: 0,
            base: r.base.clone(),
            quote: r.quote.clone(),
            date: r.date,
            rate: r.rate,
        });
    }
}
