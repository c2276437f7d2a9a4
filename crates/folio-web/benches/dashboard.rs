//! Page-speed benchmark (not a test): a 10,000-activity, 50-holding, 10-year portfolio on
//! SQLite and on MariaDB, served over real HTTP on 127.0.0.1. For `/dashboard` (and
//! `/holdings` when the app has it) it times the first view after a write ("cold": the
//! cached portfolio is brought up to date incrementally, or recomputed after a write the
//! cache cannot apply) and repeated views ("warm"); then 100 concurrent sessions of the
//! user load the dashboard; then 100 distinct users (the main one and 99 with 1,000
//! activities each) open and browse their own dashboards at once. `GET /livez` is timed in the same run as the baseline, and
//! every line carries the load average: the machine is shared and noisy.
//!
//! Run: `cargo bench -p folio-web --bench dashboard` (optimised build). Bounded: fixed
//! request counts; the concurrent phase also stops after 20 s. MariaDB comes from
//! `FOLIO_TEST_MYSQL_URL` (default `mysql://root@127.0.0.1:3306`) and is skipped when
//! unreachable.

#![allow(
    clippy::unwrap_used,
    clippy::disallowed_types,
    clippy::float_arithmetic,
    clippy::cast_precision_loss,
    missing_docs
)]
// A bench harness: failed set-up should panic, and timings are reported as f64
// milliseconds (never money).

#[path = "dashboard/measure.rs"]
mod measure;
#[path = "dashboard/seed.rs"]
mod seed;

use std::time::{Duration, Instant};

use folio_db::testing::TestDatabase;
use folio_db::{Backend, Db};
use measure::{get, load, repeat, summary, throughput};
use seed::{ACTIVITIES, ASSETS, EMAIL, PASSWORD, Seeded, TOKEN, YEARS};
use serde_json::json;

/// Sequential samples per warm measurement and per kind of cold view.
const WARM: usize = 100;
const COLD: usize = 15;
/// Concurrent sessions in the throughput phase, and its bounds.
const SESSIONS: usize = 100;
const PER_SESSION: usize = 30;
const PHASE_LIMIT: Duration = Duration::from_secs(20);

/// Serves Folio on 127.0.0.1:0 and returns its base URL.
async fn serve(db: Db) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = folio_web::AppState::new(db, folio_web::WebConfig::default());
    tokio::spawn(async move {
        folio_web::serve(listener, state, std::future::pending())
            .await
            .unwrap()
    });
    format!("http://{addr}")
}

/// A browser-like client logged in as the bench user (its own session).
async fn login(base: &str) -> reqwest::Client {
    login_as(base, EMAIL).await
}

/// A browser-like client logged in as `email` (password [`PASSWORD`]).
async fn login_as(base: &str, email: &str) -> reqwest::Client {
    // Not following the redirect to /dashboard: the first view is timed on its own.
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = client.get(format!("{base}/login")).send().await.unwrap();
    let page = page.text().await.unwrap();
    let csrf = page.split("name=\"csrf\" value=\"").nth(1).unwrap();
    let csrf = csrf.split('"').next().unwrap();
    let form = [("email", email), ("password", PASSWORD), ("csrf", csrf)];
    let r = client
        .post(format!("{base}/login"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303, "login failed");
    client
}

/// An API write with the bench token; the status must be `expect`.
async fn write(req: reqwest::RequestBuilder, body: serde_json::Value, expect: u16) {
    let resp = req.bearer_auth(TOKEN).json(&body).send().await.unwrap();
    assert_eq!(
        resp.status().as_u16(),
        expect,
        "{}",
        resp.text().await.unwrap()
    );
}

/// `COLD` rounds of: `make(round)` write, then one timed view of `url`.
async fn cold<F>(client: &reqwest::Client, url: &str, label: &str, make: F)
where
    F: Fn(usize) -> (reqwest::RequestBuilder, serde_json::Value, u16),
{
    let mut samples = Vec::new();
    for round in 0..COLD {
        let (req, body, expect) = make(round);
        write(req, body, expect).await;
        samples.push(get(client, url, "id=\"holdings\"").await);
    }
    summary(label, samples);
}

/// The cold and warm measurements of one page.
async fn page_speed(client: &reqwest::Client, base: &str, path: &str, s: &Seeded) {
    let url = format!("{base}{path}");
    let api = reqwest::Client::new();
    let first = get(client, &url, "id=\"holdings\"").await;
    summary(
        &format!("GET {path} first view (load + build)"),
        vec![first],
    );
    summary(
        &format!("GET {path} warm"),
        repeat(client, &url, "id=\"holdings\"", WARM).await,
    );
    let today = time::OffsetDateTime::now_utc().date();
    cold(client, &url, &format!("GET {path} cold: new activity today (incr.)"), |r| {
        let body = json!({"type": "BUY", "date": today.to_string(), "account": s.accounts[r % 3],
            "asset": s.assets[r % 3], "quantity": "1", "unit_price": "130", "fee": "1"});
        (api.post(format!("{base}/api/v1/activities")), body, 201)
    })
    .await;
    cold(
        client,
        &url,
        &format!("GET {path} cold: activity 5 years back (incr.)"),
        |r| {
            let date = seed::start() + time::Duration::days(1826 + i64::try_from(r).unwrap());
            let body = json!({"type": "BUY", "date": date.to_string(), "account": s.accounts[r % 3],
            "asset": s.assets[r % 3], "quantity": "1", "unit_price": "110", "fee": "1"});
            (api.post(format!("{base}/api/v1/activities")), body, 201)
        },
    )
    .await;
    cold(
        client,
        &url,
        &format!("GET {path} cold: price 5 years back (incr.)"),
        |r| {
            let date = seed::start() + time::Duration::days(1830 + i64::try_from(r).unwrap());
            let body = json!({"date": date.to_string(), "close": format!("1{r:02}.5")});
            (
                api.post(format!("{base}/api/v1/assets/{}/prices", s.assets[r])),
                body,
                201,
            )
        },
    )
    .await;
    cold(
        client,
        &url,
        &format!("GET {path} cold: account renamed (full)"),
        |r| {
            let body =
                json!({"name": format!("Renamed {r}"), "currency": "EUR", "tracks_cash": false});
            (
                api.put(format!("{base}/api/v1/accounts/{}", s.accounts[0])),
                body,
                200,
            )
        },
    )
    .await;
}

async fn run(backend: Backend, label: &str) {
    let Some(database) = TestDatabase::create(backend).await else {
        println!("== {label}: server unreachable, skipped");
        return;
    };
    let db = Db::connect_lazy(&database.config()).unwrap();
    db.migrate().await.unwrap();
    let t = Instant::now();
    let seeded = seed::seed(&db).await;
    println!(
        "== {label}: {ACTIVITIES} activities, {ASSETS} holdings, {} weekly prices over {YEARS} years, seeded in {:.1} s (load {})",
        seeded.prices,
        t.elapsed().as_secs_f64(),
        load()
    );
    let db_for_users = db.clone();
    let base = serve(db).await;
    let client = login(&base).await;
    let livez = format!("{base}/livez");
    summary(
        "GET /livez (baseline)",
        repeat(&client, &livez, "ok", WARM).await,
    );
    page_speed(&client, &base, "/dashboard", &seeded).await;
    let holdings = client.get(format!("{base}/holdings")).send().await.unwrap();
    if holdings.status().is_success() {
        page_speed(&client, &base, "/holdings", &seeded).await;
    } else {
        println!("GET /holdings: not in this build ({})", holdings.status());
    }
    let mut sessions = Vec::new();
    for _ in 0..SESSIONS {
        sessions.push(login(&base).await);
    }
    println!(
        "{SESSIONS} sessions of the user, each up to {PER_SESSION} sequential GET /dashboard:"
    );
    let url = format!("{base}/dashboard");
    throughput(sessions, &url, PER_SESSION, PHASE_LIMIT).await;
    many_users(&db_for_users, &base).await;
    summary(
        "GET /livez (baseline, after)",
        repeat(&client, &livez, "ok", WARM).await,
    );
}

/// Distinct users in the many-users phase (the main user plus the others), and the
/// size of each other user's portfolio.
const USERS: usize = 100;
const USER_ACTIVITIES: usize = 1_000;
const USER_HOLDINGS: usize = 10;

/// 100 distinct users open their dashboards at once: every first view is a cold
/// computation of that user's own portfolio (the cache holds each afterwards), then
/// each keeps browsing. Also reports the process's resident memory with them cached.
async fn many_users(db: &Db, base: &str) {
    let t = Instant::now();
    let mut emails = vec![EMAIL.to_owned()];
    for i in 1..USERS {
        let email = format!("user{i}@example.com");
        seed::seed_user(db, &email, USER_ACTIVITIES, USER_HOLDINGS).await;
        emails.push(email);
    }
    println!(
        "{} more users of {USER_ACTIVITIES} activities / {USER_HOLDINGS} holdings seeded in {:.1} s (load {})",
        USERS - 1,
        t.elapsed().as_secs_f64(),
        load()
    );
    let mut clients = Vec::new();
    for e in &emails {
        clients.push(login_as(base, e).await);
    }
    let url = format!("{base}/dashboard");
    println!(
        "{USERS} distinct users, first view each, all at once (cold: one computation per user):"
    );
    throughput(clients.clone(), &url, 1, PHASE_LIMIT).await;
    println!("{USERS} distinct users, then up to {PER_SESSION} sequential GET /dashboard each:");
    throughput(clients, &url, PER_SESSION, PHASE_LIMIT).await;
    let rss = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS"))
                .map(str::to_owned)
        })
        .unwrap_or_default();
    println!("process with {USERS} users cached: {rss} (load {})", load());
}

#[tokio::main]
async fn main() {
    run(Backend::Sqlite, "SQLite").await;
    run(Backend::MySql, "MariaDB").await;
}
