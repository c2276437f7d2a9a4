//! Extreme but valid inputs (|v| < 10^18, at most 10 decimals) must never panic: a
//! figure too large for exact decimals is `EngineError::Overflow`, shown to the user.

// Helpers outside #[test] fns panic on purpose: a failure there is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use folio_core::portfolio::{EngineActivity, EngineError, Portfolio, PortfolioInput, Range, Scope};
use folio_core::{ActivityId, ActivityType, Money, Price, Quantity};
use proptest::prelude::*;
use rust_decimal::Decimal;
use time::Duration;

/// The largest valid input: 10^18 − 1.
const MAX: &str = "999999999999999999";

fn overflow_in(result: Result<Portfolio, EngineError>) -> (Option<ActivityId>, String) {
    match result {
        Err(e @ EngineError::Overflow { activity, .. }) => (activity, e.to_string()),
        other => panic!("expected an overflow, got {other:?}"),
    }
}

#[test]
fn buying_max_units_at_a_max_price_is_an_overflow_naming_the_activity() {
    let s = Scenario::new("EUR")
        .asset(X, "EUR")
        .deposit("2024-01-02", "1000")
        .buy("2024-01-02", X, MAX, MAX, "0");
    let (activity, message) = overflow_in(Portfolio::build(s.input));
    assert_eq!(activity, Some(ActivityId::new(2)));
    assert_eq!(
        message,
        "amounts in activity 2 are too large to compute; check quantities, prices and amounts for extra digits"
    );
}

#[test]
fn cash_spent_by_many_large_buys_overflows_at_the_buy_that_crosses_the_limit() {
    // Each buy costs 10^17 × 10^11 = 10^28; the eighth takes cash below −7.9 × 10^28.
    let mut s = Scenario::new("EUR").asset(X, "EUR");
    for _ in 0..8 {
        s = s.buy("2024-01-02", X, "100000000000000000", "100000000000", "0");
    }
    let (activity, _) = overflow_in(Portfolio::build(s.input));
    assert_eq!(activity, Some(ActivityId::new(8)));
}

#[test]
fn a_split_that_takes_the_quantity_out_of_range_is_an_overflow() {
    let s = Scenario::new("EUR")
        .asset(X, "EUR")
        .buy("2024-01-02", X, MAX, "0.0000000001", "0")
        .split("2024-01-03", X, MAX);
    let (activity, _) = overflow_in(Portfolio::build(s.input));
    assert_eq!(activity, Some(ActivityId::new(2)));
}

#[test]
fn a_price_that_values_a_holding_out_of_range_is_an_overflow_on_that_day() {
    // 10^18 units bought for a total of 10^8; a later price of 10^18 values them at 10^36.
    let s = Scenario::new("EUR")
        .asset(X, "EUR")
        .buy("2024-01-02", X, MAX, "0.0000000001", "0")
        .price(X, "2024-01-05", MAX)
        .end("2024-01-06");
    match Portfolio::build(s.input) {
        Err(
            e @ EngineError::Overflow {
                activity: None,
                date,
            },
        ) => {
            assert_eq!(date, Some(day("2024-01-05")));
            assert!(
                e.to_string()
                    .starts_with("amounts on 2024-01-05 are too large")
            );
        }
        other => panic!("expected an overflow on a day, got {other:?}"),
    }
}

#[test]
fn a_time_weighted_return_out_of_range_is_an_overflow_not_a_panic() {
    // Holdings-only account: twice a unit bought at 10^-10 is worth 10^17 the next day, a
    // factor of 10^27 each time; the chained TWR (10^54) cannot be represented.
    let s = Scenario::new("EUR")
        .account(A1, "EUR", false)
        .asset(X, "EUR")
        .buy("2024-01-02", X, "1", "0.0000000001", "0")
        .price(X, "2024-01-02", "0.0000000001")
        .price(X, "2024-01-03", "100000000000000000")
        .sell("2024-01-04", X, "1", "100000000000000000", "0")
        .buy("2024-01-05", X, "1", "0.0000000001", "0")
        .price(X, "2024-01-05", "0.0000000001")
        .price(X, "2024-01-06", "100000000000000000")
        .end("2024-01-06");
    let p = Portfolio::build(s.input).unwrap();
    assert!(matches!(
        p.returns(Scope::Total, Range::Max),
        Err(EngineError::Overflow { .. })
    ));
    // The holdings themselves are fine.
    assert_eq!(
        p.holdings(p.end()).unwrap().total.value,
        d("100000000000000000")
    );
}

#[test]
fn a_yield_on_a_near_zero_cost_basis_is_an_overflow_not_a_panic() {
    let s = Scenario::new("EUR")
        .asset(X, "EUR")
        .buy("2024-01-02", X, "0.0000000001", "0.0000000001", "0")
        .dividend("2024-01-03", X, MAX, "0");
    let p = Portfolio::build(s.input).unwrap();
    assert!(matches!(
        p.income(Scope::Total),
        Err(EngineError::Overflow { .. })
    ));
}

#[test]
fn a_zero_exchange_rate_is_an_error_not_a_division_by_zero() {
    // The USD account's cash needs EUR → USD = EUR→EUR / USD→EUR = 1 / 0.
    let mut s = Scenario::new("EUR")
        .account(A1, "USD", true)
        .fx("USD", "EUR", "2024-01-01", "0")
        .act(ActivityType::Deposit, "2024-01-02", "EUR", |a| {
            a.amount = d("100")
        });
    s.input.end = day("2024-01-03");
    let (activity, _) = overflow_in(Portfolio::build(s.input));
    assert_eq!(activity, Some(ActivityId::new(1)));
}

#[test]
fn a_zero_rate_stored_for_the_opposite_pair_is_not_inverted() {
    let s = Scenario::new("EUR")
        .account(A1, "USD", true)
        .fx("EUR", "USD", "2024-01-01", "0")
        .deposit("2024-01-02", "100");
    assert!(matches!(
        Portfolio::build(s.input),
        Err(EngineError::MissingFxRate { .. })
    ));
}

// ---- property test: random streams of extreme values ----

/// A valid input magnitude, biased to the extremes: 10^18 − 10^−s, 10^−s, or anything.
fn extreme() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        (0_u32..=10).prop_map(|s| {
            Decimal::from_i128_with_scale(10_i128.pow(18 + s) - 1, s).normalize()
        }),
        (0_u32..=10).prop_map(|s| Decimal::new(1, s)),
        (1_i64..1_000_000_000_000_000_000, 0_u32..=10).prop_map(|(m, s)| Decimal::new(m, s)),
    ]
}

/// Kinds that the stream mixes; transfers are unlinked.
const KINDS: [ActivityType; 10] = [
    ActivityType::Deposit,
    ActivityType::Buy,
    ActivityType::Buy,
    ActivityType::Sell,
    ActivityType::Split,
    ActivityType::Dividend,
    ActivityType::Fee,
    ActivityType::TransferIn,
    ActivityType::TransferOut,
    ActivityType::Withdrawal,
];

#[derive(Debug, Clone)]
struct Step {
    kind: usize,
    day: i64,
    cash_account: bool,
    usd_asset: bool,
    quantity: Decimal,
    price: Decimal,
    amount: Decimal,
    fee: Decimal,
}

fn step() -> impl Strategy<Value = Step> {
    (
        (0..KINDS.len(), 0_i64..40, any::<bool>(), any::<bool>()),
        (
            extreme(),
            extreme(),
            extreme(),
            prop_oneof![Just(Decimal::ZERO), extreme()],
        ),
    )
        .prop_map(
            |((kind, day, cash_account, usd_asset), (quantity, price, amount, fee))| Step {
                kind,
                day,
                cash_account,
                usd_asset,
                quantity,
                price,
                amount,
                fee,
            },
        )
}

/// A valid money amount (8 decimals) from an extreme value.
fn money(v: Decimal) -> Decimal {
    v.round_dp(Money::MAX_SCALE)
        .max(Decimal::new(1, Money::MAX_SCALE))
}

fn scenario(steps: &[Step], prices: &[(i64, Decimal, Decimal)], rate: Decimal) -> PortfolioInput {
    let start = day("2024-01-01");
    let mut s = Scenario::new("EUR")
        .account(A2, "USD", false)
        .asset(X, "EUR")
        .asset(Y, "USD")
        .fx("USD", "EUR", "2024-01-01", &rate.to_string());
    for &(offset, px, py) in prices {
        let date = start + Duration::days(offset);
        s.input.prices.insert(X, date, px);
        s.input.prices.insert(Y, date, py);
    }
    for (i, st) in steps.iter().enumerate() {
        let kind = KINDS[st.kind];
        let cash_kind = matches!(kind, ActivityType::Deposit | ActivityType::Withdrawal);
        let account = if st.cash_account || cash_kind { A1 } else { A2 };
        let asset = if st.usd_asset { Y } else { X };
        let currency = if st.usd_asset { "USD" } else { "EUR" };
        let mut a = EngineActivity::new(
            i64::try_from(i).unwrap() + 1,
            account,
            kind,
            start + Duration::days(st.day),
            ccy(currency),
        );
        if !cash_kind && kind != ActivityType::Fee {
            a.asset = Some(asset);
        }
        a.quantity = st.quantity;
        a.unit_price = st.price;
        a.amount = money(st.amount);
        a.fee = if st.fee.is_zero() {
            st.fee
        } else {
            money(st.fee)
        };
        assert!(Quantity::new(a.quantity).is_ok() && Price::new(a.unit_price).is_ok());
        s.input.activities.push(a);
    }
    s.input.end = start + Duration::days(45);
    s.input
}

/// Errors a random stream may legitimately produce besides overflow.
fn expected(e: &EngineError) -> bool {
    matches!(
        e,
        EngineError::Overflow { .. }
            | EngineError::InsufficientQuantity { .. }
            | EngineError::InvalidActivity { .. }
            | EngineError::EmptyRange { .. }
    )
}

fn check<T: std::fmt::Debug>(what: &str, r: Result<T, EngineError>) -> Result<(), TestCaseError> {
    match r {
        Ok(_) => Ok(()),
        Err(e) => {
            prop_assert!(expected(&e), "{what}: unexpected {e:?}");
            Ok(())
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn extreme_valid_inputs_never_panic_anywhere_in_the_engine(
        steps in prop::collection::vec(step(), 1..12),
        prices in prop::collection::vec((0_i64..45, extreme(), extreme()), 0..4),
        rate in extreme(),
        (new_day, new_price) in (0_i64..45, extreme()),
    ) {
        let input = scenario(&steps, &prices, rate);
        let built = Portfolio::build(input);
        check("build", built.as_ref().map(|_| ()).map_err(Clone::clone))?;
        let Ok(p) = built else { return Ok(()) };
        for as_of in [p.end(), day("2024-01-10")] {
            check("holdings", p.holdings(as_of))?;
            check("allocation", p.allocation(as_of))?;
        }
        let scopes = [Scope::Total, Scope::Account(A1), Scope::Account(A2), Scope::Asset(X), Scope::Holding(A2, Y)];
        for scope in scopes {
            check("income", p.income(scope))?;
            check("series", p.series(scope))?;
            for range in Range::NAMED {
                check("returns", p.returns(scope, range))?;
            }
        }
        let mut repriced = p.clone();
        let date = day("2024-01-01") + Duration::days(new_day);
        check("set_price", repriced.set_price(Y, date, new_price))?;
        check("remove_price", repriced.remove_price(Y, date))?;
    }
}
