//! The connection budget against real servers, through the repositories: accounts
//! limited to two connections, 200 concurrent operations, another client taking a slot,
//! idle connections closing, and connections the server killed being replaced.
//!
//! These tests do not disturb the servers; they run alongside every other test.
//! (`budget_disruptive.rs` holds the ones that stop MariaDB or change its globals.)

#![allow(clippy::unwrap_used)] // tests: a failed step should panic with its error

mod budget_support;

use std::time::{Duration, Instant};

use budget_support::{Outcome, burst, seed};
use folio_db::testing::{ConnectionSampler, LimitedAccount, TestDatabase, admin_exec, admin_url};
use folio_db::{Backend, Db, DbConfig, DbError, UnavailableReason};

/// Generous: these tests assert outcomes, never timings.
const PATIENT: Duration = Duration::from_secs(30);

struct Limited {
    _tdb: TestDatabase,
    account: LimitedAccount,
    db: Db,
}

async fn limited(
    backend: Backend,
    limit: u32,
    tune: impl FnOnce(&mut DbConfig),
) -> Option<Limited> {
    let tdb = TestDatabase::create(backend).await?;
    let account = LimitedAccount::create(&tdb, limit).await;
    let mut cfg = account.config();
    cfg.acquire_timeout = PATIENT;
    tune(&mut cfg);
    let db = Db::connect_lazy(&cfg).unwrap();
    db.migrate().await.unwrap();
    Some(Limited {
        _tdb: tdb,
        account,
        db,
    })
}

fn assert_no_500(out: &Outcome) {
    assert!(
        out.other.is_empty(),
        "errors that would be 500s: {:?}",
        out.other
    );
}

async fn two_hundred_concurrent_operations_stay_within_a_limit_of_two(backend: Backend) {
    let Some(t) = limited(backend, 2, |_| {}).await else {
        return;
    };
    let owners = seed(&t.db, 10).await;
    let budget =
        t.db.budget()
            .expect("limits are detected on the first connection");
    assert_eq!((budget.hard_cap, budget.limited_by), (2, "account"));
    let sampler = ConnectionSampler::start(backend, &t.account.user, Duration::from_millis(10));
    let out = burst(&t.db, &owners, 200, 0).await;
    let (peak, samples) = sampler.finish().await;
    assert_no_500(&out);
    assert_eq!(out.ok, 200, "every operation succeeds: {out:?}");
    assert!(samples > 0);
    assert!(peak <= 2, "the account held {peak} connections");
    assert!(t.db.stats().size <= 2);
    // Nobody waited out the acquire deadline (PostgreSQL: the sqlx 2848 spin is never
    // entered, since connects are never retried inside a pool).
    assert_eq!(t.db.unavailable_count(UnavailableReason::Timeout), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mariadb_account_limited_to_two_serves_200_concurrent_operations_within_it() {
    two_hundred_concurrent_operations_stay_within_a_limit_of_two(Backend::MySql).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_role_limited_to_two_serves_200_concurrent_operations_within_it() {
    two_hundred_concurrent_operations_stay_within_a_limit_of_two(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_taking_one_of_two_slots_lowers_the_target_and_it_grows_back_after() {
    // A short idle timeout lets Folio release its connections between phases, so the
    // other client can take a slot "mid-run".
    let Some(t) = limited(Backend::MySql, 2, |c| {
        c.idle_timeout = Duration::from_secs(1);
        c.acquire_timeout = Duration::from_secs(5);
    })
    .await
    else {
        return;
    };
    let owners = seed(&t.db, 10).await;
    let mut all = burst(&t.db, &owners, 200, 0).await;
    assert_eq!(t.db.stats().target, 2);

    // Wait (bounded) until Folio's idle connections are gone, then take one slot.
    let other = take_a_slot(&t).await;
    let sampler =
        ConnectionSampler::start(Backend::MySql, &t.account.user, Duration::from_millis(10));
    let during = burst(&t.db, &owners, 200, 1).await;
    assert_eq!(t.db.stats().target, 1, "Folio adapted to the one free slot");
    all.merge(during);
    // Close explicitly so the server frees the slot now, not when a socket drop is noticed.
    sqlx::Connection::close(other).await.unwrap();

    // Load again until T has grown back; bounded in rounds and in time (T grows one step
    // per increase interval, only after the hold that followed the decrease, and a busy
    // machine stretches the rounds).
    let until = Instant::now() + Duration::from_secs(30);
    for round in 0..400 {
        all.merge(burst(&t.db, &owners, 100, 2 + round).await);
        if t.db.stats().target == 2 || Instant::now() >= until {
            break;
        }
    }
    let (peak, _) = sampler.finish().await;
    assert_no_500(&all);
    assert!(peak <= 2, "the account held {peak} connections");
    assert_eq!(
        t.db.stats().target,
        2,
        "T grew back once the other client left"
    );
    // Requests either succeeded or, past their deadline, got a 503.
    assert!(
        all.unavailable
            .keys()
            .all(|k| *k == "timeout" || *k == "capacity"),
        "{all:?}"
    );
}

/// Opens a raw connection as the limited account once Folio has released a slot.
async fn take_a_slot(t: &Limited) -> sqlx::MySqlConnection {
    use sqlx::ConnectOptions;
    use std::str::FromStr;
    let opts = sqlx::mysql::MySqlConnectOptions::from_str(&t.account.url).unwrap();
    for _ in 0..200 {
        if let Ok(c) = opts.connect().await {
            return c;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no slot ever became free for the other client");
}

async fn idle_connections_drop_to_zero(backend: Backend) {
    let idle = Duration::from_secs(1);
    let Some(t) = limited(backend, 2, |c| c.idle_timeout = idle).await else {
        return;
    };
    let owners = seed(&t.db, 5).await;
    let out = burst(&t.db, &owners, 100, 0).await;
    assert_no_500(&out);
    assert!(t.account.server_connections().await.unwrap() > 0);
    // Bounded wait; the promise is two idle timeouts, the bound is generous on purpose.
    let until = Instant::now() + idle * 2 + Duration::from_secs(10);
    let mut n = u32::MAX;
    while Instant::now() < until {
        n = t.account.server_connections().await.unwrap();
        if n == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(n, 0, "an idle Folio holds no connections");
    assert_eq!(t.db.stats().size, 0);
    assert!(
        t.db.metrics_text()
            .contains("folio_db_closes_total{reason=\"idle\"}")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mariadb_connections_close_after_the_idle_timeout() {
    idle_connections_drop_to_zero(Backend::MySql).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_connections_close_after_the_idle_timeout() {
    idle_connections_drop_to_zero(Backend::Postgres).await;
}

async fn killed_connections_are_replaced(backend: Backend) {
    let Some(t) = limited(backend, 2, |_| {}).await else {
        return;
    };
    let owners = seed(&t.db, 2).await;
    for round in 0..3 {
        let kill = match backend {
            Backend::MySql => {
                // KILL every thread of the account (ids read as admin).
                let ids = mysql_thread_ids(&t.account.user).await;
                assert!(!ids.is_empty());
                ids.iter()
                    .map(|id| format!("KILL CONNECTION {id}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            }
            _ => format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{}'",
                t.account.user
            ),
        };
        admin_exec(backend, &admin_url(backend), &kill)
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        // A read and a write on the killed connection both succeed, sequentially so each
        // one meets a dead connection first.
        let out = burst(&t.db, &owners, 1, 1 + round).await;
        assert_eq!(out.ok, 1, "read after kill: {out:?}");
        let out = burst(&t.db, &owners, 1, 5 * round).await;
        assert_eq!(out.ok, 1, "write after kill: {out:?}");
    }
    let (_, retries) = t.db.connect_and_retry_counts();
    assert!(retries > 0, "the dead connections were met and retried");
}

async fn mysql_thread_ids(user: &str) -> Vec<i64> {
    use sqlx::{ConnectOptions, Connection};
    use std::str::FromStr;
    let mut c = sqlx::mysql::MySqlConnectOptions::from_str(&admin_url(Backend::MySql))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let ids = sqlx::query_scalar(
        "SELECT CAST(ID AS SIGNED) FROM information_schema.PROCESSLIST WHERE USER = ?",
    )
    .bind(user)
    .fetch_all(&mut c)
    .await
    .unwrap();
    c.close().await.unwrap();
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mariadb_connections_killed_by_the_server_are_replaced_unnoticed() {
    killed_connections_are_replaced(Backend::MySql).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_connections_terminated_by_the_server_are_replaced_unnoticed() {
    killed_connections_are_replaced(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_with_no_free_slot_starts_degraded_and_answers_503_not_500() {
    let Some(tdb) = TestDatabase::create(Backend::MySql).await else {
        return;
    };
    let account = LimitedAccount::create(&tdb, 1).await;
    // Another client holds the only slot before Folio starts.
    let holder = {
        use sqlx::ConnectOptions;
        use std::str::FromStr;
        sqlx::mysql::MySqlConnectOptions::from_str(&account.url)
            .unwrap()
            .connect()
            .await
            .unwrap()
    };
    let mut cfg = account.config();
    cfg.acquire_timeout = Duration::from_secs(2);
    let db = Db::connect_lazy(&cfg).unwrap();
    match db.migrate().await {
        Err(DbError::Unavailable { .. }) => {}
        other => panic!("expected a 503-shaped error, got {other:?}"),
    }
    assert_eq!(db.stats().target, 1);
    assert!(!db.readiness().ready);
    drop(holder);
    // The breaker probes on its own; once the slot is free, work succeeds (bounded).
    let mut migrated = false;
    for _ in 0..60 {
        if db.migrate().await.is_ok() {
            migrated = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(migrated, "Folio recovered without a restart");
    assert!(db.readiness().ready);
}
