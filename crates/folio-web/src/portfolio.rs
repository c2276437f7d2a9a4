//! Bridges stored records and the portfolio engine: loads a user's data (one short query
//! per table, no connection held in between) and builds the engine's input.

use folio_core::portfolio::{
    AccountInfo, AssetInfo, EngineActivity, FxTable, PortfolioInput, PriceBasis, PriceBook,
    Settings,
};
use folio_core::{ActivityId, CurrencyCode, UserId};
use folio_db::Db;
use folio_db::models::{Account, Activity, Asset, FxRate, NewActivity, PricePoint, UserSettings};
use folio_db::repo::{accounts, activities, assets, prices};
use rust_decimal::Decimal;
use time::Date;

use crate::error::PageError;

/// Everything of one user the engine needs.
#[derive(Clone, Default)]
pub(crate) struct UserData {
    pub accounts: Vec<Account>,
    pub assets: Vec<Asset>,
    pub activities: Vec<Activity>,
    pub prices: Vec<PricePoint>,
    pub fx: Vec<FxRate>,
}

impl UserData {
    /// Loads it all; each statement takes and returns its own connection.
    pub(crate) async fn load(db: &Db, user: UserId) -> Result<Self, PageError> {
        Ok(Self {
            accounts: accounts::list_accounts(db, user).await?,
            assets: assets::list_assets(db, user).await?,
            activities: activities::all_activities(db, user).await?,
            prices: prices::all_prices(db, user).await?,
            fx: prices::list_fx_rates(db, user).await?,
        })
    }

    pub(crate) fn asset(&self, id: folio_core::AssetId) -> Option<&Asset> {
        self.assets.iter().find(|a| a.id == id)
    }

    pub(crate) fn account(&self, id: folio_core::AccountId) -> Option<&Account> {
        self.accounts.iter().find(|a| a.id == id)
    }

    /// The engine input valued up to `end`, optionally with one activity replaced or
    /// added (to check a form before saving it).
    pub(crate) fn engine_input(
        &self,
        base: &CurrencyCode,
        prefs: &UserSettings,
        end: Date,
        candidate: Option<(Option<ActivityId>, &NewActivity)>,
    ) -> PortfolioInput {
        let mut acts: Vec<EngineActivity> = self
            .activities
            .iter()
            .filter(|a| candidate.is_none_or(|(id, _)| id != Some(a.id)))
            .map(|a| to_engine(a.id, &a.data))
            .collect();
        if let Some((id, new)) = candidate {
            // A new activity gets an id after every stored one, as the database will.
            let next = self
                .activities
                .iter()
                .map(|a| a.id.get())
                .max()
                .unwrap_or(0)
                + 1;
            acts.push(to_engine(id.unwrap_or(ActivityId::new(next)), new));
        }
        let mut book = PriceBook::new();
        for p in &self.prices {
            book.insert(p.asset_id, p.date, p.close);
        }
        let mut fx = FxTable::new();
        for r in &self.fx {
            fx.insert(&r.base, &r.quote, r.date, r.rate);
        }
        PortfolioInput {
            settings: Settings {
                base_currency: base.clone(),
                lot_method: prefs.lot_method,
                fees_in_cost_basis: prefs.fees_in_cost_basis,
            },
            accounts: self
                .accounts
                .iter()
                .map(|a| AccountInfo {
                    id: a.id,
                    currency: a.currency.clone(),
                    tracks_cash: a.tracks_cash,
                })
                .collect(),
            assets: self
                .assets
                .iter()
                .map(|a| AssetInfo {
                    id: a.id,
                    currency: a.currency.clone(),
                    class: a.class,
                    pricing: a.pricing,
                    price_basis: PriceBasis::AsTraded,
                })
                .collect(),
            activities: acts,
            prices: book,
            fx,
            end,
        }
    }
}

/// A stored activity as the engine reads it (absent numbers are zero).
pub(crate) fn to_engine(id: ActivityId, a: &NewActivity) -> EngineActivity {
    let mut e = EngineActivity::new(id.get(), a.account_id, a.kind, a.date, a.currency.clone());
    e.asset = a.asset_id;
    e.quantity = a.quantity.unwrap_or(Decimal::ZERO);
    e.unit_price = a.unit_price.unwrap_or(Decimal::ZERO);
    e.amount = a.amount.unwrap_or(Decimal::ZERO);
    e.fee = a.fee;
    e.tax = a.tax;
    e.transfer_of = a.transfer_of;
    e
}

/// Today in UTC: the valuation date of the dashboard.
pub(crate) fn today() -> Date {
    time::OffsetDateTime::now_utc().date()
}
