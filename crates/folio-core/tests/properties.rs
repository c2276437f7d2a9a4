//! Property tests of the engine's invariants.

// Helpers outside #[test] fns panic on purpose: a failure there is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use folio_core::portfolio::{EngineActivity, LotMethod, Portfolio, Range, Scope, xirr};
use folio_core::{AccountId, ActivityType};
use proptest::prelude::*;
use rust_decimal::Decimal;
use time::Duration;

/// A decimal with `scale` fraction digits from an integer strategy.
fn dec(units: i64, scale: u32) -> Decimal {
    Decimal::new(units, scale)
}

fn qty() -> impl Strategy<Value = Decimal> {
    (1_i64..100_000).prop_map(|u| dec(u, 3))
}

fn price() -> impl Strategy<Value = Decimal> {
    (1_i64..1_000_000).prop_map(|u| dec(u, 2))
}

fn fee() -> impl Strategy<Value = Decimal> {
    (0_i64..2_000).prop_map(|u| dec(u, 2))
}

fn one_buy_one_sell(
    method: LotMethod,
    q: Decimal,
    sold: Decimal,
    p1: Decimal,
    p2: Decimal,
    f: Decimal,
) -> Portfolio {
    let mut s = Scenario::new("EUR")
        .asset(X, "EUR")
        .deposit("2024-01-02", "100000000")
        .buy(
            "2024-01-02",
            X,
            &q.to_string(),
            &p1.to_string(),
            &f.to_string(),
        )
        .sell(
            "2024-01-03",
            X,
            &sold.to_string(),
            &p2.to_string(),
            &f.to_string(),
        )
        .price(X, "2024-01-03", &p2.to_string());
    s.input.settings.lot_method = method;
    s.build()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn fifo_and_average_cost_agree_when_there_is_one_buy(q in qty(), frac in 1_u32..=100, p1 in price(), p2 in price(), f in fee()) {
        let sold = (q * Decimal::from(frac) / Decimal::from(100)).round_dp(3).max(dec(1, 3));
        let fifo = one_buy_one_sell(LotMethod::Fifo, q, sold, p1, p2, f).holdings(day("2024-01-03")).unwrap();
        let avg = one_buy_one_sell(LotMethod::AverageCost, q, sold, p1, p2, f).holdings(day("2024-01-03")).unwrap();
        prop_assert_eq!(fifo.total, avg.total);
    }

    #[test]
    fn buying_and_selling_everything_at_cost_leaves_gain_equal_to_minus_fees(q in qty(), p in price(), f in fee(), in_cost in any::<bool>()) {
        let mut s = Scenario::new("EUR")
            .asset(X, "EUR")
            .deposit("2024-01-02", "100000000")
            .buy("2024-01-02", X, &q.to_string(), &p.to_string(), &f.to_string())
            .sell("2024-01-05", X, &q.to_string(), &p.to_string(), &f.to_string())
            .price(X, "2024-01-02", &p.to_string());
        s.input.settings.fees_in_cost_basis = in_cost;
        let h = s.build().holdings(day("2024-01-05")).unwrap();
        prop_assert_eq!(h.total.total_gain, -(f + f));
    }

    #[test]
    fn a_split_changes_no_value_and_no_gain(q in qty(), p in price(), ratio_i in 0_usize..6, later in price()) {
        let ratio = [dec(2, 0), dec(4, 0), dec(5, 0), dec(10, 0), dec(5, 1), dec(1, 1)][ratio_i];
        let plain = Scenario::new("EUR")
            .asset(X, "EUR")
            .deposit("2024-01-02", "100000000")
            .buy("2024-01-02", X, &q.to_string(), &p.to_string(), "0")
            .price(X, "2024-01-02", &p.to_string())
            .price(X, "2024-01-04", &later.to_string())
            .end("2024-01-05")
            .build();
        let split = Scenario::new("EUR")
            .asset(X, "EUR")
            .adjusted(X)
            .deposit("2024-01-02", "100000000")
            .buy("2024-01-02", X, &q.to_string(), &p.to_string(), "0")
            .split("2024-01-03", X, &ratio.to_string())
            .price(X, "2024-01-02", &(p / ratio).to_string())
            .price(X, "2024-01-04", &(later / ratio).to_string())
            .end("2024-01-05")
            .build();
        let values = |p: &Portfolio| p.total_series().iter().map(|d| d.value).collect::<Vec<_>>();
        prop_assert_eq!(values(&plain), values(&split));
        let (a, b) = (plain.holdings(day("2024-01-05")).unwrap(), split.holdings(day("2024-01-05")).unwrap());
        prop_assert_eq!(a.total.total_gain, b.total.total_gain);
        prop_assert_eq!(b.holdings[0].quantity, q * ratio);
    }

    #[test]
    fn a_transfer_between_accounts_changes_no_total(q in qty(), part in 1_u32..=100, p in price(), later in price()) {
        let moved = (q * Decimal::from(part) / Decimal::from(100)).round_dp(3).max(dec(1, 3));
        let base = Scenario::new("EUR")
            .account(A2, "EUR", true)
            .asset(X, "EUR")
            .deposit("2024-01-02", "100000000")
            .buy("2024-01-02", X, &q.to_string(), &p.to_string(), "1")
            .price(X, "2024-01-02", &p.to_string())
            .price(X, "2024-01-04", &later.to_string())
            .end("2024-01-05");
        let mut with = base.input.clone();
        let mut out = EngineActivity::new(90, A1, ActivityType::TransferOut, day("2024-01-03"), ccy("EUR"));
        out.asset = Some(X);
        out.quantity = moved;
        let mut inn = EngineActivity::new(91, AccountId::new(2), ActivityType::TransferIn, day("2024-01-03"), ccy("EUR"));
        inn.asset = Some(X);
        inn.quantity = moved;
        inn.transfer_of = Some(out.id);
        with.activities.extend([out, inn]);
        let (a, b) = (base.build(), Portfolio::build(with).unwrap());
        prop_assert_eq!(a.total_series(), b.total_series());
        prop_assert_eq!(a.holdings(day("2024-01-05")).unwrap().total, b.holdings(day("2024-01-05")).unwrap().total);
    }

    #[test]
    fn twr_is_unaffected_by_the_size_of_a_flow_on_a_flat_price_day(q in qty(), extra in qty(), p2 in price(), p4 in price()) {
        let p = Scenario::new("EUR")
            .account(A1, "EUR", false)
            .asset(X, "EUR")
            .buy("2024-01-01", X, &q.to_string(), "100", "0")
            .price(X, "2024-01-01", "100")
            .price(X, "2024-01-02", &p2.to_string())
            .buy("2024-01-03", X, &extra.to_string(), &p2.to_string(), "0")
            .price(X, "2024-01-04", &p4.to_string())
            .end("2024-01-04")
            .build();
        let twr = p.returns(Scope::Total, Range::Max).unwrap().twr;
        let expected = p2 / dec(100, 0) * (p4 / p2) - Decimal::ONE;
        prop_assert!((twr - expected).abs() < dec(1, 20), "{} vs {}", twr, expected);
    }

    #[test]
    fn xirr_of_two_flows_matches_the_closed_form(paid in 1_i64..1_000_000, back in 1_i64..1_000_000, days in 30_i64..4000) {
        // Closed form: r = (back / paid)^(365 / days) − 1. Rates within a hair of −100%
        // are not representable as f64 rates at all, so they are out of scope here.
        #[allow(clippy::disallowed_types, clippy::float_arithmetic, clippy::cast_precision_loss)]
        let expected = (back as f64 / paid as f64).powf(365.0 / days as f64) - 1.0;
        prop_assume!(expected > -0.999 && expected < 1000.0);
        let start = day("2020-01-01");
        let flows = [(start, Decimal::from(-paid)), (start + Duration::days(days), Decimal::from(back))];
        let r = xirr(&flows).unwrap();
        #[allow(clippy::disallowed_types)]
        let got: f64 = r.annual.to_string().parse().unwrap();
        #[allow(clippy::float_arithmetic)]
        let close = (got - expected).abs() <= 1e-8 * expected.abs().max(1.0);
        prop_assert!(close, "{} vs {}", got, expected);
    }

    #[test]
    fn results_do_not_depend_on_the_order_activities_are_given_in(seed in any::<u64>()) {
        let s = Scenario::new("EUR")
            .asset(X, "EUR")
            .deposit("2024-01-02", "100000")
            .buy("2024-01-02", X, "10", "100", "1")
            .buy("2024-01-02", X, "5", "90", "1")
            .sell("2024-01-02", X, "12", "95", "1")
            .dividend("2024-01-02", X, "3", "0")
            .buy("2024-01-03", X, "7", "99", "0")
            .split("2024-01-03", X, "2")
            .sell("2024-01-03", X, "4", "50", "0")
            .price(X, "2024-01-03", "50");
        let reference = Portfolio::build(s.input.clone()).unwrap();
        let mut shuffled = s.input;
        let n = shuffled.activities.len();
        let mut state = seed;
        for i in (1..n).rev() {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let j = usize::try_from(state >> 33).unwrap() % (i + 1);
            shuffled.activities.swap(i, j);
        }
        let other = Portfolio::build(shuffled).unwrap();
        prop_assert_eq!(reference.total_series(), other.total_series());
        prop_assert_eq!(reference.holdings(day("2024-01-03")).unwrap(), other.holdings(day("2024-01-03")).unwrap());
    }

    #[test]
    fn the_check_fails_exactly_when_a_full_build_fails(ops in proptest::collection::vec((0_u8..5, 1_i64..60, 1_i64..500), 1..40)) {
        let mut s = Scenario::new("EUR").asset(X, "EUR").deposit("2019-01-02", "1000");
        for (i, (op, q, p)) in ops.iter().enumerate() {
            // Six activities a year from 2019: yearly checkpoints (build only) are crossed.
            let date = format!("{}-{:02}-{:02}", 2019 + i / 6, 2 + i % 6, 1 + i % 28);
            let (q, p) = (q.to_string(), p.to_string());
            s = match op {
                0 | 1 => s.buy(&date, X, &q, &p, "1"),
                2 | 3 => s.sell(&date, X, &q, &p, "1"),
                _ => s.split(&date, X, "2"),
            };
        }
        let built = Portfolio::build(s.input.clone()).err();
        prop_assert_eq!(built, Portfolio::check(s.input).err());
    }
}
