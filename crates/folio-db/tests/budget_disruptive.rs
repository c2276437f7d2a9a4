//! Connection-budget tests that disturb MariaDB: they change its globals
//! (`max_user_connections`, `wait_timeout`) or stop and restart it.
//!
//! Each test takes the exclusive server lock (`testing::exclusive_server_lock`), which
//! waits for every other test holding a server database — in this process or any other
//! — and keeps new ones out until it is done; the tests also serialise among
//! themselves. Run them in their own invocation:
//! `cargo test -p folio-db --test budget_disruptive -- --test-threads=1`.
//! The 1203 case needs `.ci/mariadb-setup.sh` to have run (non-zero start-up
//! `max_user_connections`).

#![allow(clippy::unwrap_used)] // tests: a failed step should panic with its error

mod budget_support;

use std::time::{Duration, Instant};

use budget_support::{Outcome, burst, burst_bounded, seed};
use folio_db::repo::activities;
use folio_db::testing::{
    ConnectionSampler, LimitedAccount, TestDatabase, admin_exec, admin_url, backends_required,
    exclusive_server_lock, start_mariadb, stop_mariadb,
};
use folio_db::{Backend, Db};

/// Restores a MariaDB global variable when dropped (also when the test fails).
struct RestoreGlobal {
    name: &'static str,
    value: i64,
}

impl RestoreGlobal {
    async fn set(name: &'static str, value: i64) -> Option<Self> {
        let old = global(name).await;
        let r = admin_exec(
            Backend::MySql,
            &admin_url(Backend::MySql),
            &format!("SET GLOBAL {name} = {value}"),
        )
        .await;
        if let Err(e) = r {
            let msg = format!("cannot SET GLOBAL {name}: {e} (run .ci/mariadb-setup.sh)");
            assert!(!backends_required(), "{msg}");
            eprintln!("SKIPPED: {msg}");
            return None;
        }
        Some(Self { name, value: old })
    }
}

impl Drop for RestoreGlobal {
    fn drop(&mut self) {
        let sql = format!("SET GLOBAL {} = {}", self.name, self.value);
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            if let Ok(rt) = rt
                && let Err(e) =
                    rt.block_on(admin_exec(Backend::MySql, &admin_url(Backend::MySql), &sql))
            {
                eprintln!("could not restore: {sql}: {e}");
            }
        })
        .join();
    }
}

async fn global(name: &str) -> i64 {
    use sqlx::{ConnectOptions, Connection};
    use std::str::FromStr;
    let mut c = sqlx::mysql::MySqlConnectOptions::from_str(&admin_url(Backend::MySql))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let v = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT CAST(@@global.{name} AS SIGNED)"
    )))
    .fetch_one(&mut c)
    .await
    .unwrap();
    c.close().await.unwrap();
    v
}

fn assert_no_500(out: &Outcome) {
    assert!(
        out.other.is_empty(),
        "errors that would be 500s: {:?}",
        out.other
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_wide_max_user_connections_of_two_is_never_exceeded_and_1203_adapts() {
    let _lock = exclusive_server_lock();
    let Some(tdb) = TestDatabase::create(Backend::MySql).await else {
        return;
    };
    // 0: the account has no limit of its own; the server-wide one applies.
    let account = LimitedAccount::create(&tdb, 0).await;
    let Some(_restore) = RestoreGlobal::set("max_user_connections", 2).await else {
        return;
    };
    let mut cfg = account.config();
    cfg.acquire_timeout = Duration::from_secs(30);
    cfg.idle_timeout = Duration::from_secs(1);
    let db = Db::connect_lazy(&cfg).unwrap();
    db.migrate().await.unwrap();
    let owners = seed(&db, 10).await;
    assert_eq!(db.budget().map(|b| b.hard_cap), Some(2));

    let sampler =
        ConnectionSampler::start(Backend::MySql, &account.user, Duration::from_millis(10));
    let mut all = burst(&db, &owners, 200, 0).await;
    assert_eq!(all.ok, 200, "{all:?}");

    // Another client of the account takes a slot: Folio's second connect meets 1203.
    let other = take_a_slot(&account.url).await;
    all.merge(burst(&db, &owners, 200, 1).await);
    drop(other);
    let (peak, _) = sampler.finish().await;
    assert_no_500(&all);
    assert_eq!(all.ok, 400, "every operation succeeds: {all:?}");
    assert!(peak <= 2, "the account held {peak} connections");
    let metrics = db.metrics_text();
    assert!(
        metrics.contains("folio_db_connect_errors_total{code=\"1203\"}"),
        "the refusal was seen and classified: {metrics}"
    );
    db.close().await;
}

async fn take_a_slot(url: &str) -> sqlx::MySqlConnection {
    use sqlx::ConnectOptions;
    use std::str::FromStr;
    let opts = sqlx::mysql::MySqlConnectOptions::from_str(url).unwrap();
    for _ in 0..200 {
        if let Ok(c) = opts.connect().await {
            return c;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no slot ever became free for the other client");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_after_idling_past_a_short_wait_timeout_succeeds() {
    let _lock = exclusive_server_lock();
    let Some(tdb) = TestDatabase::create(Backend::MySql).await else {
        return;
    };
    let account = LimitedAccount::create(&tdb, 2).await;
    let Some(_restore) = RestoreGlobal::set("wait_timeout", 2).await else {
        return;
    };
    // Defaults otherwise: a 60 s idle timeout and 30 s ping-after-idle would both
    // keep the connection; only the per-session wait_timeout Folio read can save it.
    let db = Db::connect_lazy(&account.config()).unwrap();
    db.migrate().await.unwrap();
    let owners = seed(&db, 2).await;
    for round in 0..2 {
        tokio::time::sleep(Duration::from_secs(3)).await;
        let out = burst(&db, &owners, 5, round).await;
        assert_no_500(&out);
        assert_eq!(out.ok, 5, "{out:?}");
    }
    // The connections were retired below wait_timeout (their lifetime is capped at
    // 3/4 of it, and idle ones close there too) rather than found dead.
    let metrics = db.metrics_text();
    let retired = ["lifetime", "server_timeout"]
        .iter()
        .any(|r| !metrics.contains(&format!("folio_db_closes_total{{reason=\"{r}\"}} 0\n")));
    assert!(retired, "{metrics}");
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mariadb_stopped_during_load_gives_503s_then_recovers_and_keeps_acknowledged_writes() {
    let _lock = exclusive_server_lock();
    let Some(tdb) = TestDatabase::create(Backend::MySql).await else {
        return;
    };
    let account = LimitedAccount::create(&tdb, 2).await;
    let mut cfg = account.config();
    cfg.acquire_timeout = Duration::from_secs(2);
    let db = Db::connect_lazy(&cfg).unwrap();
    db.migrate().await.unwrap();
    let owners = seed(&db, 10).await;
    let hung = Duration::from_secs(10);

    // Load in the background: bounded rounds, until told to stop.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let load = {
        let (db, owners, stop) = (db.clone(), owners.clone(), stop.clone());
        tokio::spawn(async move {
            let mut all = Outcome::default();
            for round in 0..2_000 {
                if stop.load(std::sync::atomic::Ordering::SeqCst) {
                    break;
                }
                all.merge(burst_bounded(&db, &owners, 20, round, hung).await);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            all
        })
    };
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(db.readiness().ready);

    stop_mariadb().await;
    let mut saw_not_ready = false;
    let outage_end = Instant::now() + Duration::from_secs(4);
    while Instant::now() < outage_end {
        saw_not_ready |= !db.readiness().ready;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    start_mariadb().await;

    // Recovery without a restart: readiness comes back (bounded wait).
    let mut ready_again = false;
    for _ in 0..300 {
        if db.readiness().ready && db.stats().breaker == folio_db::BreakerState::Closed {
            ready_again = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut all = load.await.unwrap();
    let after = burst(&db, &owners, 50, 7).await;
    assert_eq!(after.ok, 50, "served normally after the restart: {after:?}");
    all.merge(after);

    assert_no_500(&all);
    assert!(saw_not_ready, "readiness reported the outage");
    assert!(ready_again, "readiness recovered");
    assert!(
        all.unavailable_total() > 0,
        "requests in the outage got 503s: {all:?}"
    );
    for (user, id) in &all.written {
        activities::get_activity(&db, *user, *id)
            .await
            .unwrap_or_else(|e| panic!("acknowledged write {id:?} is missing: {e}"));
    }
    eprintln!(
        "outage run: {} ok, 503s {:?}, {} acknowledged writes verified",
        all.ok,
        all.unavailable,
        all.written.len()
    );
    db.close().await;
}
