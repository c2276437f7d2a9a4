//! Lots: quantities acquired at one time and cost, and how sells, transfers and splits
//! consume or rescale them.
//!
//! A lot's cost is kept twice: in the asset's (major) currency, and in the base currency
//! at trade-date rates; the difference between the two, at today's rate, is the currency
//! effect. Cost is split proportionally when a lot is partly consumed, and the remainder
//! is computed by subtraction so that the pieces always add up to the original exactly.

use std::collections::VecDeque;

use rust_decimal::Decimal;
use serde::Serialize;
use time::Date;

use super::checked::{Checked, Overflow, share, sum};
use super::input::LotMethod;

/// Decimal places a proportional cost allocation is rounded to. The remainder stays with
/// the lot, so pieces always sum exactly to the original; and keeping allocations at a
/// fixed scale keeps every later sum exact (no 28-digit rounding in the last place).
pub const ALLOCATION_DP: u32 = 10;

/// A quantity acquired at one time and cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lot {
    /// When it was acquired (kept across transfers).
    pub acquired: Date,
    /// Units left in the lot.
    pub quantity: Decimal,
    /// Total cost in base currency at trade-date rates.
    pub cost_base: Decimal,
    /// Total cost in the asset's major currency.
    pub cost_local: Decimal,
}

impl Lot {
    /// Splits off `take` units (0 < take ≤ quantity), returning them with their share of
    /// cost; `self` keeps the rest.
    fn split_off(&mut self, take: Decimal) -> Result<Lot, Overflow> {
        if take >= self.quantity {
            let whole = self.clone();
            self.quantity = Decimal::ZERO;
            self.cost_base = Decimal::ZERO;
            self.cost_local = Decimal::ZERO;
            return Ok(whole);
        }
        let part = Lot {
            acquired: self.acquired,
            quantity: take,
            cost_base: share(self.cost_base, take, self.quantity)?.round_dp(ALLOCATION_DP),
            cost_local: share(self.cost_local, take, self.quantity)?.round_dp(ALLOCATION_DP),
        };
        self.quantity.dec(take)?;
        self.cost_base.dec(part.cost_base)?;
        self.cost_local.dec(part.cost_local)?;
        Ok(part)
    }
}

/// What a sell or transfer took from a holding.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Consumed {
    /// The lot pieces taken, oldest first.
    pub lots: Vec<Lot>,
    /// Sum of their cost in base currency.
    pub cost_base: Decimal,
    /// Sum of their cost in the asset's currency.
    pub cost_local: Decimal,
}

/// Why a [`LotBook::take`] failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TakeError {
    /// Fewer units are held than asked for: the units held.
    Short(Decimal),
    /// A quantity or cost left `Decimal`'s range.
    Overflow,
}

impl From<Overflow> for TakeError {
    fn from(_: Overflow) -> Self {
        Self::Overflow
    }
}

/// The open lots of one asset in one account.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LotBook {
    lots: VecDeque<Lot>,
}

impl LotBook {
    /// Units held.
    pub fn quantity(&self) -> Result<Decimal, Overflow> {
        sum(self.lots.iter().map(|l| l.quantity))
    }

    /// Cost basis in base currency.
    pub fn cost_base(&self) -> Result<Decimal, Overflow> {
        sum(self.lots.iter().map(|l| l.cost_base))
    }

    /// Cost basis in the asset's currency.
    pub fn cost_local(&self) -> Result<Decimal, Overflow> {
        sum(self.lots.iter().map(|l| l.cost_local))
    }

    /// Open lots, oldest first.
    pub fn lots(&self) -> impl Iterator<Item = &Lot> {
        self.lots.iter()
    }

    /// Adds a lot; under average cost it is pooled with the existing one.
    pub fn add(&mut self, lot: Lot, method: LotMethod) -> Result<(), Overflow> {
        match (method, self.lots.front_mut()) {
            (LotMethod::AverageCost, Some(pool)) => {
                pool.acquired = pool.acquired.min(lot.acquired);
                pool.quantity.inc(lot.quantity)?;
                pool.cost_base.inc(lot.cost_base)?;
                pool.cost_local.inc(lot.cost_local)?;
            }
            _ => self.lots.push_back(lot),
        }
        Ok(())
    }

    /// Takes `quantity` units oldest first (the pool under average cost). Returns the
    /// units held instead when there are not enough.
    pub fn take(&mut self, quantity: Decimal) -> Result<Consumed, TakeError> {
        let held = self.quantity()?;
        if quantity > held {
            return Err(TakeError::Short(held));
        }
        let mut out = Consumed::default();
        let mut left = quantity;
        while left > Decimal::ZERO {
            let Some(front) = self.lots.front_mut() else {
                break;
            };
            let piece = front.split_off(left)?;
            left.dec(piece.quantity)?;
            if front.quantity.is_zero() {
                self.lots.pop_front();
            }
            out.cost_base.inc(piece.cost_base)?;
            out.cost_local.inc(piece.cost_local)?;
            out.lots.push(piece);
        }
        Ok(out)
    }

    /// Rescales every lot by a split ratio: quantity × ratio, cost unchanged.
    pub fn split(&mut self, ratio: Decimal) -> Result<(), Overflow> {
        for lot in &mut self.lots {
            lot.quantity = lot.quantity.times(ratio)?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn lot(q: &str, cost: &str) -> Lot {
        let d = time::macros::date!(2024 - 01 - 02);
        let c: Decimal = cost.parse().unwrap();
        Lot {
            acquired: d,
            quantity: q.parse().unwrap(),
            cost_base: c,
            cost_local: c,
        }
    }

    #[test]
    fn fifo_take_across_two_lots_splits_the_second_lot_cost_proportionally() {
        let mut book = LotBook::default();
        book.add(lot("10", "100"), LotMethod::Fifo).unwrap();
        book.add(lot("10", "200"), LotMethod::Fifo).unwrap();
        let taken = book.take(dec("15")).unwrap();
        assert_eq!(taken.cost_base, dec("200"));
        assert_eq!(book.quantity(), Ok(dec("5")));
        assert_eq!(book.cost_base(), Ok(dec("100")));
    }

    #[test]
    fn average_cost_pools_lots_so_a_partial_take_costs_the_average() {
        let mut book = LotBook::default();
        book.add(lot("10", "100"), LotMethod::AverageCost).unwrap();
        book.add(lot("10", "200"), LotMethod::AverageCost).unwrap();
        let taken = book.take(dec("15")).unwrap();
        assert_eq!(taken.cost_base, dec("225"));
        assert_eq!(book.cost_base(), Ok(dec("75")));
    }

    #[test]
    fn taking_more_than_held_reports_the_held_quantity() {
        let mut book = LotBook::default();
        book.add(lot("3", "30"), LotMethod::Fifo).unwrap();
        assert_eq!(book.take(dec("4")), Err(TakeError::Short(dec("3"))));
        assert_eq!(book.quantity(), Ok(dec("3")));
    }

    #[test]
    fn thirds_of_a_lot_net_to_exactly_zero_quantity_and_cost() {
        let mut book = LotBook::default();
        book.add(lot("1", "100"), LotMethod::Fifo).unwrap();
        let mut cost = Decimal::ZERO;
        for q in ["0.3333333333", "0.3333333333", "0.3333333334"] {
            cost += book.take(q.parse().unwrap()).unwrap().cost_base;
        }
        assert_eq!(book.quantity(), Ok(Decimal::ZERO));
        assert_eq!(cost, dec("100"));
    }
}
