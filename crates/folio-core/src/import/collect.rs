//! Accumulates a [`ParsedFile`], registering each account and asset once.

use std::collections::HashMap;

use super::{AccountRef, AssetRef, ImportRow, ParsedFile, RowError};
use crate::domain::ActivityType;

/// What a link check needs to know about a row, kept even when rows are streamed.
pub(crate) struct LinkInfo {
    pub(crate) line: u64,
    pub(crate) kind: ActivityType,
    pub(crate) id: Option<String>,
    pub(crate) transfer_of: Option<String>,
}

/// A [`ParsedFile`] under construction with lookup indexes for the references; rows go to
/// `out.rows` or, when streaming, to the sink.
#[derive(Default)]
pub(crate) struct Collector<'s> {
    pub(crate) out: ParsedFile,
    accounts: HashMap<String, usize>,
    assets: HashMap<String, usize>,
    pub(crate) sink: Option<&'s mut dyn FnMut(ImportRow)>,
    pub(crate) links: Vec<LinkInfo>,
}

impl Collector<'_> {
    /// Adds a parsed activity and the account and asset it references.
    pub(crate) fn row(&mut self, row: ImportRow) {
        if let Some(name) = &row.account {
            self.account(AccountRef {
                name: name.clone(),
                currency: None,
                tracks_cash: None,
            });
        }
        if let Some(asset) = &row.asset {
            let mut asset = asset.clone();
            if asset.currency.is_none() {
                // The trade's currency is the best guess for a new asset's quote currency.
                asset.currency = Some(row.currency.clone());
            }
            self.asset(asset);
        }
        if row.external_id.is_some() || row.transfer_of.is_some() {
            self.links.push(LinkInfo {
                line: row.line,
                kind: row.kind,
                id: row.external_id.clone(),
                transfer_of: row.transfer_of.clone(),
            });
        }
        match self.sink.as_mut() {
            Some(sink) => sink(row),
            None => self.out.rows.push(row),
        }
    }

    /// Registers an account; later mentions fill in what earlier ones left open.
    pub(crate) fn account(&mut self, a: AccountRef) {
        match self.accounts.get(a.name.as_str()) {
            Some(&i) => {
                let known = &mut self.out.accounts[i];
                known.currency = known.currency.take().or(a.currency);
                known.tracks_cash = known.tracks_cash.or(a.tracks_cash);
            }
            None => {
                self.accounts
                    .insert(a.name.as_str().to_owned(), self.out.accounts.len());
                self.out.accounts.push(a);
            }
        }
    }

    /// Registers an asset; later mentions fill in what earlier ones left open.
    pub(crate) fn asset(&mut self, a: AssetRef) {
        match self.assets.get(a.symbol.as_str()) {
            Some(&i) => {
                let known = &mut self.out.assets[i];
                known.name = known.name.take().or(a.name);
                known.currency = known.currency.take().or(a.currency);
                known.class = known.class.or(a.class);
                known.pricing = known.pricing.or(a.pricing);
            }
            None => {
                self.assets
                    .insert(a.symbol.as_str().to_owned(), self.out.assets.len());
                self.out.assets.push(a);
            }
        }
    }

    /// Adds errors.
    pub(crate) fn errors(&mut self, errors: impl IntoIterator<Item = RowError>) {
        self.out.errors.extend(errors);
    }
}
