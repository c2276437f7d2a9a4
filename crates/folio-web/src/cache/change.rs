//! Writes described precisely enough to bring a cached portfolio up to date with the
//! engine's incremental API instead of recomputing the user's whole history.

use folio_core::portfolio::{EngineError, Portfolio};
use folio_core::{ActivityId, AssetId, CurrencyCode};
use folio_db::models::{Activity, FxRate, NewActivity, PricePoint};
use rust_decimal::Decimal;
use time::Date;

use super::Computed;
use crate::portfolio::{UserData, to_engine};

/// One committed write of a user's data that the cache can apply incrementally.
///
/// Handlers report it with [`crate::state::WriteGuard::applied`] once the write has
/// committed; a write guard dropped without any reported change invalidates the user's
/// portfolio instead (accounts, assets, settings, imports, failed writes).
#[derive(Debug, Clone)]
pub(crate) enum Change {
    /// An activity was added or edited: the stored record, with its id.
    Activity(Activity),
    /// An activity was deleted.
    ActivityDeleted(ActivityId),
    /// Prices were added or corrected.
    Prices(Vec<PricePoint>),
    /// The price of an asset on a date was deleted.
    PriceDeleted(AssetId, Date),
    /// Exchange rates were added or corrected.
    FxRates(Vec<FxRate>),
    /// The rate of a currency pair (as stored) on a date was deleted.
    FxRateDeleted(CurrencyCode, CurrencyCode, Date),
}

impl Change {
    /// An activity added or edited, as just saved.
    pub(crate) fn activity(id: ActivityId, data: &NewActivity) -> Self {
        let data = data.clone();
        Self::Activity(Activity { id, data })
    }

    /// One price added or corrected.
    pub(crate) fn price(asset_id: AssetId, date: Date, close: Decimal) -> Self {
        Self::Prices(vec![PricePoint {
            asset_id,
            date,
            close,
        }])
    }

    /// One exchange rate added or corrected, as just saved.
    pub(crate) fn fx_rate(rate: &FxRate) -> Self {
        Self::FxRates(vec![rate.clone()])
    }

    /// The change with its numbers as the database returns them (trailing zeros
    /// dropped), so cached records equal reloaded ones.
    pub(crate) fn normalized(mut self) -> Self {
        match &mut self {
            Self::Activity(a) => {
                let x = &mut a.data;
                for v in [&mut x.quantity, &mut x.unit_price, &mut x.amount] {
                    *v = v.map(|d| d.normalize());
                }
                x.fee = x.fee.normalize();
                x.tax = x.tax.normalize();
            }
            Self::Prices(points) => points
                .iter_mut()
                .for_each(|p| p.close = p.close.normalize()),
            Self::FxRates(rates) => rates.iter_mut().for_each(|r| r.rate = r.rate.normalize()),
            Self::ActivityDeleted(_) | Self::PriceDeleted(..) | Self::FxRateDeleted(..) => {}
        }
        self
    }

    /// Applies the change to the stored records, keeping the order the repositories
    /// return them in (activities by date then id, prices by asset then date, rates by
    /// date).
    fn apply_to_data(&self, data: &mut UserData) {
        match self {
            Self::Activity(a) => {
                data.activities.retain(|x| x.id != a.id);
                let key = (a.data.date, a.id);
                let at = data
                    .activities
                    .partition_point(|x| (x.data.date, x.id) < key);
                data.activities.insert(at, a.clone());
            }
            Self::ActivityDeleted(id) => data.activities.retain(|x| x.id != *id),
            Self::Prices(points) => {
                for p in points {
                    let key = (p.asset_id, p.date);
                    match data
                        .prices
                        .binary_search_by_key(&key, |x| (x.asset_id, x.date))
                    {
                        Ok(i) => data.prices[i] = p.clone(),
                        Err(i) => data.prices.insert(i, p.clone()),
                    }
                }
            }
            Self::PriceDeleted(asset, date) => {
                data.prices
                    .retain(|x| (x.asset_id, x.date) != (*asset, *date));
            }
            Self::FxRates(rates) => {
                for r in rates {
                    data.fx.retain(|x| !same_rate(x, &r.base, &r.quote, r.date));
                    let at = data.fx.partition_point(|x| x.date <= r.date);
                    data.fx.insert(at, r.clone());
                }
            }
            Self::FxRateDeleted(base, quote, date) => {
                data.fx.retain(|x| !same_rate(x, base, quote, *date));
            }
        }
    }

    /// Applies the change to the engine's portfolio (already-updated `data` tells
    /// whether a deleted rate leaves another spelling of the same pair behind).
    fn apply_to_portfolio(&self, p: &mut Portfolio, data: &UserData) -> Result<(), Refused> {
        match self {
            Self::Activity(a) => p.upsert(to_engine(a.id, &a.data))?,
            Self::ActivityDeleted(id) => p.remove(*id)?,
            Self::Prices(points) => {
                p.upsert_prices(points.iter().map(|x| (x.asset_id, x.date, x.close)))?;
            }
            Self::PriceDeleted(asset, date) => p.remove_price(*asset, *date)?,
            Self::FxRates(rates) => {
                let rates = rates.iter();
                p.upsert_fx_rates(
                    rates.map(|r| (r.base.clone(), r.quote.clone(), r.date, r.rate)),
                )?;
            }
            Self::FxRateDeleted(base, quote, date) => {
                // "GBp→EUR" and "GBP→EUR" on one day are one engine rate: removing one
                // spelling while the other stays is left to a rebuild.
                let (b, q) = (base.major().0, quote.major().0);
                if data
                    .fx
                    .iter()
                    .any(|x| x.date == *date && x.base.major().0 == b && x.quote.major().0 == q)
                {
                    return Err(Refused);
                }
                p.remove_fx_rate(base, quote, *date)?;
            }
        }
        Ok(())
    }
}

/// The incremental path does not apply; the portfolio is rebuilt from the records.
struct Refused;

impl From<EngineError> for Refused {
    fn from(_: EngineError) -> Self {
        Self
    }
}

fn same_rate(x: &FxRate, base: &CurrencyCode, quote: &CurrencyCode, date: Date) -> bool {
    x.date == date && x.base == *base && x.quote == *quote
}

/// Brings `c` up to date with `changes` and values it up to `today` (a new day is only
/// appended). Returns `true` when that was incremental; `false` when the engine refused
/// an update (or the cached result was an error), in which case the portfolio was
/// rebuilt from the updated records — still without reading the database.
pub(super) fn bring_up_to_date(c: &mut Computed, changes: &[Change], today: Date) -> bool {
    for change in changes {
        change.apply_to_data(&mut c.data);
    }
    let updated = match &mut c.portfolio {
        Ok(p) => changes
            .iter()
            .try_for_each(|ch| ch.apply_to_portfolio(p, &c.data))
            .and_then(|()| Ok(p.extend_to(today)?)),
        Err(_) => Err(Refused),
    };
    c.as_of = today;
    if updated.is_err() {
        let input = c.data.engine_input(&c.base, &c.prefs, today, None);
        c.portfolio = Portfolio::build(input);
    }
    updated.is_ok()
}
