//! Unit tests of `controller.rs`.

use super::*;

fn ctl(h: u32) -> (Controller, Instant) {
    (Controller::new(h, Tuning::default()), Instant::now())
}

const MS: fn(u64) -> Duration = Duration::from_millis;

#[test]
fn capacity_error_halves_the_target_and_caps_it_at_what_we_hold() {
    let (mut c, t0) = ctl(8);
    assert_eq!(c.on_capacity(t0, 8), 4);
    // A second refusal in the same burst does not halve again...
    assert_eq!(c.on_capacity(t0 + MS(10), 4), 4);
    // ...but the server saying "you hold 1 and that is all" is believed at once.
    assert_eq!(c.on_capacity(t0 + MS(20), 1), 1);
    assert_eq!(c.target(), 1);
}

#[test]
fn target_never_drops_below_one() {
    let (mut c, t0) = ctl(2);
    assert_eq!(c.on_capacity(t0, 0), 1);
    assert_eq!(c.on_capacity(t0 + Duration::from_secs(5), 0), 1);
}

#[test]
fn target_grows_back_additively_only_while_requests_wait() {
    let (mut c, t0) = ctl(4);
    c.on_capacity(t0, 1);
    assert_eq!(c.target(), 1);
    // Held after a decrease.
    assert_eq!(c.on_waiting(t0 + MS(100)), None);
    let t1 = t0 + Duration::from_secs(3);
    assert_eq!(c.on_waiting(t1), Some(2));
    // One step per increase interval.
    assert_eq!(c.on_waiting(t1 + MS(10)), None);
    assert_eq!(c.on_waiting(t1 + MS(600)), Some(3));
    assert_eq!(c.on_waiting(t1 + MS(1200)), Some(4));
    // Never above H.
    assert_eq!(c.on_waiting(t1 + MS(5000)), None);
    assert_eq!(c.target(), 4);
}

#[test]
fn lowering_the_hard_cap_pulls_the_target_down_but_raising_it_does_not_push_it_up() {
    let (mut c, t0) = ctl(4);
    assert_eq!(c.set_hard_cap(2), 2);
    assert_eq!(c.set_hard_cap(0), 1);
    assert_eq!(c.set_hard_cap(3), 1);
    assert_eq!(c.on_waiting(t0), Some(2));
}

#[test]
fn breaker_opens_after_consecutive_failures_and_rejects_with_retry_after() {
    let (mut c, t0) = ctl(2);
    c.on_failure(t0);
    c.on_failure(t0);
    assert_eq!(c.verdict(t0), Verdict::Admit);
    c.on_failure(t0);
    assert_eq!(c.breaker_state(t0), BreakerState::Open);
    assert_eq!(
        c.verdict(t0 + MS(400)),
        Verdict::Reject {
            retry_after: MS(600)
        }
    );
    // No growth while the breaker is not closed.
    assert_eq!(c.on_waiting(t0 + Duration::from_secs(9)), None);
}

#[test]
fn a_success_resets_the_failure_count() {
    let (mut c, t0) = ctl(2);
    c.on_failure(t0);
    c.on_failure(t0);
    c.on_success(t0);
    c.on_failure(t0);
    c.on_failure(t0);
    assert_eq!(c.breaker_state(t0), BreakerState::Closed);
}

#[test]
fn half_open_lets_one_probe_through_and_its_success_closes_the_breaker() {
    let (mut c, t0) = ctl(2);
    for _ in 0..3 {
        c.on_failure(t0);
    }
    let t1 = t0 + Duration::from_secs(1);
    assert_eq!(c.breaker_state(t1), BreakerState::HalfOpen);
    assert_eq!(c.verdict(t1), Verdict::Probe);
    assert!(matches!(c.verdict(t1 + MS(1)), Verdict::Reject { .. }));
    c.on_success(t1 + MS(5));
    assert_eq!(c.breaker_state(t1 + MS(5)), BreakerState::Closed);
    assert_eq!(c.verdict(t1 + MS(6)), Verdict::Admit);
}

#[test]
fn a_failed_probe_reopens_with_a_doubled_capped_cooldown() {
    let (mut c, t0) = ctl(2);
    for _ in 0..3 {
        c.on_failure(t0);
    }
    let mut now = t0 + Duration::from_secs(1);
    let mut expected = Duration::from_secs(2);
    for _ in 0..8 {
        assert_eq!(c.verdict(now), Verdict::Probe);
        c.on_failure(now);
        assert_eq!(
            c.verdict(now),
            Verdict::Reject {
                retry_after: expected
            }
        );
        now += expected;
        expected = (expected * 2).min(Duration::from_secs(30));
    }
}

#[test]
fn a_probe_that_never_reports_does_not_wedge_the_breaker() {
    let (mut c, t0) = ctl(2);
    for _ in 0..3 {
        c.on_failure(t0);
    }
    let t1 = t0 + Duration::from_secs(1);
    assert_eq!(c.verdict(t1), Verdict::Probe);
    assert_eq!(c.verdict(t1 + Duration::from_secs(1)), Verdict::Probe);
}

#[test]
fn quota_opens_the_breaker_at_once_for_the_longest_cooldown() {
    let (mut c, t0) = ctl(2);
    c.on_quota(t0);
    assert_eq!(
        c.verdict(t0),
        Verdict::Reject {
            retry_after: Duration::from_secs(30)
        }
    );
}

#[test]
fn no_slot_even_at_one_connection_counts_towards_the_breaker() {
    let (mut c, t0) = ctl(1);
    let mut now = t0;
    for _ in 0..3 {
        c.on_capacity(now, 0);
        now += Duration::from_secs(3);
    }
    assert_eq!(
        c.breaker_state(t0 + Duration::from_secs(6)),
        BreakerState::Open
    );
}

#[test]
fn degraded_start_runs_on_one_connection_with_the_breaker_probing() {
    let (mut c, t0) = ctl(4);
    assert_eq!(c.start_degraded(t0), 1);
    assert!(matches!(c.verdict(t0), Verdict::Reject { .. }));
    assert_eq!(c.verdict(t0 + Duration::from_secs(1)), Verdict::Probe);
}
