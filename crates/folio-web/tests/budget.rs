//! The connection budget through real HTTP: 200 concurrent requests on accounts
//! limited to two connections, another client taking a slot, and MariaDB stopped and
//! restarted under load (`/livez`, `/readyz`, 503s, acknowledged writes).
//!
//! Every test here takes the exclusive server lock (one of them stops MariaDB), so the
//! tests serialise among themselves and with every other test using the servers. Run
//! this binary on its own: `cargo test -p folio-web --test budget -- --test-threads=1`.

#![allow(clippy::unwrap_used)] // tests: a failed step should panic with its error

mod support;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use folio_core::Email;
use folio_db::repo::{activities, users};
use folio_db::testing::{
    ConnectionSampler, LimitedAccount, TestDatabase, exclusive_server_lock, start_mariadb,
    stop_mariadb,
};
use folio_db::{Backend, DbConfig};
use folio_web::WebConfig;
use support::{Browser, TestApp, csrf_of, spawn_on};

/// A signed-in browser with an account to record activities in.
#[derive(Clone)]
struct User {
    browser: Browser,
    base: String,
    email: String,
    account: String,
}

struct Limited {
    app: TestApp,
    account: LimitedAccount,
    users: Vec<User>,
}

async fn limited_app(
    backend: Backend,
    limit: u32,
    users: usize,
    tune: fn(&mut DbConfig),
) -> Option<Limited> {
    let database = TestDatabase::create(backend).await?;
    let account = LimitedAccount::create(&database, limit).await;
    let url = account.url.clone();
    let app = spawn_on(database, WebConfig::default(), move |mut cfg| {
        cfg.url = url.into();
        tune(&mut cfg);
        cfg
    })
    .await;
    let mut signed_in = Vec::new();
    for i in 0..users {
        let browser = app.client();
        let email = format!("budget{i}@example.com");
        browser.register(&email, "correct horse battery").await;
        let created = browser
            .submit(
                "/accounts/new",
                "/accounts",
                &[
                    ("name", "Broker"),
                    ("currency", "EUR"),
                    ("tracks_cash", "on"),
                ],
            )
            .await;
        assert_eq!(created.status, 303, "account created: {created:?}");
        let form = browser.get("/activities/new").await.body;
        let account = first_option(&form, "account").expect("the new account is offered");
        signed_in.push(User {
            browser,
            base: app.url(""),
            email,
            account,
        });
    }
    Some(Limited {
        app,
        account,
        users: signed_in,
    })
}

fn first_option(html: &str, name: &str) -> Option<String> {
    let rest = &html[html.find(&format!("<select name=\"{name}\""))?..];
    rest[..rest.find("</select>")?]
        .split("<option value=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .find(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Responses by status, and notes of activities whose creation was acknowledged.
#[derive(Default, Debug)]
struct Tally {
    statuses: BTreeMap<u16, u32>,
    acknowledged: Vec<(String, String)>,
    missing_retry_after: u32,
}

impl Tally {
    fn merge(&mut self, o: Tally) {
        for (k, v) in o.statuses {
            *self.statuses.entry(k).or_default() += v;
        }
        self.acknowledged.extend(o.acknowledged);
        self.missing_retry_after += o.missing_retry_after;
    }

    fn count(&self, pred: impl Fn(u16) -> bool) -> u32 {
        self.statuses
            .iter()
            .filter(|(s, _)| pred(**s))
            .map(|(_, n)| n)
            .sum()
    }

    fn assert_no_500(&self) {
        assert_eq!(self.count(|s| s >= 500 && s != 503), 0, "{self:?}");
        assert_eq!(self.missing_retry_after, 0, "every 503 carries Retry-After");
    }
}

/// One request of the mix: dashboard, activity list, or a new activity (a write).
async fn request(u: User, i: usize, tag: &str) -> Tally {
    let mut t = Tally::default();
    let base = u.browser.http.clone();
    let url = |p: &str| format!("{}{p}", u.base);
    let resp = match i % 3 {
        0 => base.get(url("/dashboard")).send().await,
        1 => base.get(url("/activities")).send().await,
        _ => {
            let token = csrf_of(&u.browser.get("/dashboard").await.body);
            let note = format!("{tag}-{i}");
            let form = [
                ("csrf", token.as_str()),
                ("type", "DEPOSIT"),
                ("date", "2024-01-02"),
                ("account", u.account.as_str()),
                ("asset", ""),
                ("quantity", ""),
                ("unit_price", ""),
                ("amount", "100"),
                ("fee", "0"),
                ("tax", "0"),
                ("currency", ""),
                ("note", note.as_str()),
            ];
            let r = base.post(url("/activities")).form(&form).send().await;
            if let Ok(resp) = &r
                && resp.status().as_u16() == 303
            {
                t.acknowledged.push((u.email.clone(), note));
            }
            r
        }
    };
    let status = resp.map_or(599, |r| {
        if r.status().as_u16() == 503 && r.headers().get("retry-after").is_none() {
            t.missing_retry_after += 1;
        }
        r.status().as_u16()
    });
    *t.statuses.entry(status).or_default() += 1;
    t
}

async fn concurrent(users: &[User], n: usize, tag: &str) -> Tally {
    let mut set = tokio::task::JoinSet::new();
    for i in 0..n {
        let (u, tag) = (users[i % users.len()].clone(), tag.to_owned());
        set.spawn(async move { request(u, i, &tag).await });
    }
    let mut all = Tally::default();
    while let Some(t) = set.join_next().await {
        all.merge(t.unwrap());
    }
    all
}

async fn metric(app: &TestApp, name: &str) -> Option<u64> {
    let text = reqwest::get(app.url("/metrics"))
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    text.lines()
        .find(|l| l.starts_with(name) && l[name.len()..].starts_with(' '))
        .and_then(|l| l.rsplit(' ').next()?.parse().ok())
}

fn patient(cfg: &mut DbConfig) {
    cfg.acquire_timeout = Duration::from_secs(30);
}

async fn two_hundred_requests_within_a_limit_of_two(backend: Backend) {
    let _lock = exclusive_server_lock();
    let Some(t) = limited_app(backend, 2, 10, patient).await else {
        return;
    };
    let sampler = ConnectionSampler::start(backend, &t.account.user, Duration::from_millis(10));
    let tally = concurrent(&t.users, 200, "burst").await;
    let (peak, samples) = sampler.finish().await;
    tally.assert_no_500();
    assert_eq!(
        tally.count(|s| s < 400),
        200,
        "every request succeeds: {tally:?}"
    );
    assert!(
        samples > 0 && peak <= 2,
        "the account held {peak} connections"
    );
    assert_eq!(metric(&t.app, "folio_db_hard_cap").await, Some(2));
    t.app.stop().await;
}

#[tokio::test]
async fn mariadb_two_connection_account_serves_200_concurrent_http_requests() {
    two_hundred_requests_within_a_limit_of_two(Backend::MySql).await;
}

#[tokio::test]
async fn postgres_two_connection_role_serves_200_concurrent_http_requests() {
    two_hundred_requests_within_a_limit_of_two(Backend::Postgres).await;
}

#[tokio::test]
async fn a_client_taking_a_slot_mid_run_costs_503s_at_worst_and_t_grows_back() {
    let _lock = exclusive_server_lock();
    let Some(t) = limited_app(Backend::MySql, 2, 10, |c| {
        c.acquire_timeout = Duration::from_secs(2);
        c.idle_timeout = Duration::from_secs(1);
    })
    .await
    else {
        return;
    };
    let mut all = concurrent(&t.users, 200, "before").await;
    let other = take_a_slot(&t.account.url).await;
    all.merge(concurrent(&t.users, 200, "during").await);
    assert_eq!(
        metric(&t.app, "folio_db_target").await,
        Some(1),
        "adapted to one slot"
    );
    // Close explicitly so the server frees the slot now, not when a socket drop is noticed.
    other.close().await;
    // Load until T has grown back; bounded in rounds and in time (T grows one step per
    // increase interval, only after the hold that followed the decrease, and a busy
    // machine stretches the rounds).
    let until = std::time::Instant::now() + Duration::from_secs(30);
    for round in 0..400 {
        all.merge(concurrent(&t.users, 100, &format!("after{round}")).await);
        if metric(&t.app, "folio_db_target").await == Some(2) || std::time::Instant::now() >= until
        {
            break;
        }
    }
    all.assert_no_500();
    assert_eq!(
        metric(&t.app, "folio_db_target").await,
        Some(2),
        "T grew back: {all:?}"
    );
    t.app.stop().await;
}

/// Another client of the account: a `Db` of its own holding one idle connection
/// (retrying until a slot is free) until dropped.
async fn take_a_slot(url: &str) -> folio_db::Db {
    let mut cfg = DbConfig::new(url.to_owned().into());
    cfg.max_connections = 1;
    cfg.idle_timeout = Duration::from_secs(3600);
    cfg.acquire_timeout = Duration::from_secs(1);
    let db = folio_db::Db::connect_lazy(&cfg).unwrap();
    for _ in 0..100 {
        if users::count_users(&db).await.is_ok() {
            return db;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no slot ever became free for the other client");
}

#[tokio::test]
async fn mariadb_outage_under_load_gives_503s_readyz_flips_and_acknowledged_writes_persist() {
    let _lock = exclusive_server_lock();
    let Some(t) = limited_app(Backend::MySql, 2, 10, |c| {
        c.acquire_timeout = Duration::from_secs(2)
    })
    .await
    else {
        return;
    };
    let probe = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let status = |path: &'static str| {
        let (probe, url) = (probe.clone(), t.app.url(path));
        async move {
            probe
                .get(url)
                .send()
                .await
                .map_or(599, |r| r.status().as_u16())
        }
    };
    assert_eq!(status("/readyz").await, 200);

    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let load = {
        let (users, stop) = (t.users.clone(), stop.clone());
        tokio::spawn(async move {
            let mut all = Tally::default();
            for round in 0..2_000 {
                if stop.load(std::sync::atomic::Ordering::SeqCst) {
                    break;
                }
                // Bounded per request: nothing may hang past the deadline by much.
                let tag = format!("r{round}");
                let burst =
                    tokio::time::timeout(Duration::from_secs(15), concurrent(&users, 20, &tag));
                all.merge(
                    burst
                        .await
                        .expect("requests answered within their deadline"),
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            all
        })
    };
    tokio::time::sleep(Duration::from_secs(1)).await;
    stop_mariadb().await;
    let (mut livez_ok, mut readyz_503) = (true, false);
    let outage_end = Instant::now() + Duration::from_secs(4);
    while Instant::now() < outage_end {
        livez_ok &= status("/livez").await == 200;
        readyz_503 |= status("/readyz").await == 503;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    start_mariadb().await;
    let mut ready_again = false;
    for _ in 0..300 {
        livez_ok &= status("/livez").await == 200;
        if status("/readyz").await == 200 {
            ready_again = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let all = load.await.unwrap();

    all.assert_no_500();
    assert!(livez_ok, "/livez stayed 200");
    assert!(readyz_503, "/readyz reported the outage");
    assert!(ready_again, "/readyz recovered without a restart");
    assert!(
        all.count(|s| s == 503) > 0,
        "requests in the outage got 503: {:?}",
        all.statuses
    );
    let after = concurrent(&t.users, 30, "after").await;
    assert_eq!(
        after.count(|s| s < 400),
        30,
        "served normally again: {after:?}"
    );
    for (email, note) in &all.acknowledged {
        let user = users::find_user_by_email(&t.app.db, &Email::parse(email).unwrap())
            .await
            .unwrap()
            .unwrap();
        let stored = activities::all_activities(&t.app.db, user.id)
            .await
            .unwrap();
        assert!(
            stored.iter().any(|a| a.data.note.as_str() == note),
            "acknowledged write {note} is missing"
        );
    }
    t.app.stop().await;
}
