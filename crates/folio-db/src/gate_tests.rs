//! Unit tests of `gate.rs`.

use super::*;

fn gate(h: u32) -> Arc<Gate> {
    let settings = GateSettings {
        max_waiters: 2,
        background_cap: 1,
        background_share_percent: 25,
    };
    Gate::new(h, settings, Tuning::default())
}

fn soon() -> Instant {
    Instant::now() + Duration::from_millis(200)
}

#[test]
fn the_background_share_follows_the_hard_cap_down_and_back_up() {
    let settings = GateSettings {
        max_waiters: 2,
        background_cap: 4,
        background_share_percent: 25,
    };
    let g = Gate::new(16, settings, Tuning::default());
    assert_eq!(g.snapshot().background_cap, 4);
    g.set_hard_cap(4);
    assert_eq!(g.snapshot().background_cap, 1, "25% of 4");
    g.set_hard_cap(16);
    assert_eq!(
        g.snapshot().background_cap,
        4,
        "grows back, never above the configured share"
    );
    assert_eq!(g.background.available_permits(), 4);
}

#[tokio::test]
async fn shrinking_while_slots_are_held_records_debt_paid_by_returned_slots() {
    let g = gate(4);
    let a = g.admit(Lane::Interactive, soon()).await.unwrap();
    let b = g.admit(Lane::Interactive, soon()).await.unwrap();
    let c = g.admit(Lane::Interactive, soon()).await.unwrap();
    // Three held, one free; T 4 -> 1 takes the free one and owes two.
    assert_eq!(g.on_capacity(1), 1);
    assert_eq!(g.snapshot().debt, 2);
    drop(a);
    drop(b);
    assert_eq!(g.snapshot().debt, 0);
    assert_eq!(g.permits.available_permits(), 0);
    drop(c);
    assert_eq!(g.permits.available_permits(), 1);
}

#[tokio::test]
async fn growing_pays_debt_before_adding_permits() {
    let g = gate(4);
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(g.admit(Lane::Interactive, soon()).await.unwrap());
    }
    g.on_capacity(4);
    g.on_capacity(1);
    assert_eq!(g.snapshot().target, 1);
    assert_eq!(g.snapshot().debt, 3);
    {
        let mut s = g.lock();
        g.apply(&mut s, 3);
        assert_eq!((s.debt, s.applied), (1, 3));
    }
    drop(held);
    // One of the four returned slots paid the remaining debt.
    assert_eq!(g.permits.available_permits(), 3);
}

#[tokio::test]
async fn a_full_queue_is_refused_at_once_and_a_deadline_times_out() {
    let g = gate(1);
    let _held = g.admit(Lane::Interactive, soon()).await.unwrap();
    let (g1, g2) = (Arc::clone(&g), Arc::clone(&g));
    let w1 = tokio::spawn(async move { g1.admit(Lane::Interactive, soon()).await.map(drop) });
    let w2 = tokio::spawn(async move { g2.admit(Lane::Interactive, soon()).await.map(drop) });
    tokio::time::sleep(Duration::from_millis(50)).await;
    let third = g.admit(Lane::Interactive, soon()).await;
    assert!(matches!(
        third,
        Err(DbError::Unavailable {
            reason: UnavailableReason::QueueFull,
            ..
        })
    ));
    for w in [w1, w2] {
        assert!(matches!(
            w.await.unwrap(),
            Err(DbError::Unavailable {
                reason: UnavailableReason::Timeout,
                ..
            })
        ));
    }
}

#[tokio::test]
async fn waiters_are_served_in_arrival_order() {
    let g = gate(1);
    let held = g.admit(Lane::Interactive, soon()).await.unwrap();
    let order = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for i in 0..2 {
        let (g, order) = (Arc::clone(&g), Arc::clone(&order));
        tasks.push(tokio::spawn(async move {
            let a = g
                .admit(Lane::Interactive, Instant::now() + Duration::from_secs(5))
                .await;
            order.lock().unwrap().push(i);
            drop(a);
        }));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    drop(held);
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(*order.lock().unwrap(), vec![0, 1]);
}

#[tokio::test]
async fn background_work_never_holds_more_than_its_share() {
    let g = gate(4);
    let _bg = g.admit(Lane::Background, soon()).await.unwrap();
    let second = g
        .admit(Lane::Background, Instant::now() + Duration::from_millis(30))
        .await;
    assert!(matches!(
        second,
        Err(DbError::Unavailable {
            reason: UnavailableReason::Timeout,
            ..
        })
    ));
    // Interactive requests still get the rest of the budget.
    let _a = g.admit(Lane::Interactive, soon()).await.unwrap();
    let _b = g.admit(Lane::Interactive, soon()).await.unwrap();
    let _c = g.admit(Lane::Interactive, soon()).await.unwrap();
}

#[tokio::test]
async fn an_open_breaker_refuses_at_once_with_retry_after() {
    let g = gate(2);
    for _ in 0..3 {
        g.on_failure();
    }
    match g.admit(Lane::Interactive, soon()).await {
        Err(DbError::Unavailable {
            reason: UnavailableReason::BreakerOpen,
            retry_after,
        }) => assert!(retry_after >= Duration::from_secs(1)),
        _ => panic!("expected breaker_open"),
    }
}
