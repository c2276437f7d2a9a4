//! `folio-load`: starts N virtual users against a running Folio. Each registers (or,
//! when the email exists, logs in), creates an account, then — for a bounded time —
//! loops over the dashboard, the activity list and, now and then, a new activity, with
//! a think time between requests. Meanwhile it samples the database account's
//! server-side connection count. It prints requests, responses by status, latency
//! percentiles and throughput of the browsing phase (sign-up is reported apart: it is
//! dominated by Argon2 hashing, not by the database), the peak server-side connections,
//! and the count after idling.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Parser;
use sqlx::{ConnectOptions, Connection};

#[derive(Debug, Parser)]
#[command(about = "Load generator for Folio (bounded in users and time)")]
struct Args {
    /// Folio's base URL.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// Virtual users.
    #[arg(long, default_value_t = 1000)]
    users: usize,
    /// Seconds of browsing after sign-up (the whole run is bounded by this plus sign-up).
    #[arg(long, default_value_t = 60)]
    duration: u64,
    /// Seconds over which users start (spreads the sign-up burst).
    #[arg(long, default_value_t = 20)]
    ramp: u64,
    /// Mean think time between a user's requests, in milliseconds (±50% jitter).
    #[arg(long, default_value_t = 2000)]
    think_ms: u64,
    /// Every Nth loop iteration records a new activity.
    #[arg(long, default_value_t = 5)]
    write_every: u64,
    /// Email prefix, so runs can reuse (log in) or separate users.
    #[arg(long, default_value = "vu")]
    prefix: String,
    /// Admin URL used to sample the account's connections (mysql://root@127.0.0.1 or
    /// postgres://postgres@127.0.0.1/postgres).
    #[arg(long)]
    sample_url: Option<String>,
    /// The database user whose connections are counted.
    #[arg(long)]
    sample_user: Option<String>,
    /// After the run, wait this many seconds and report the connections left.
    #[arg(long, default_value_t = 0)]
    idle_check: u64,
}

/// Latencies and statuses of one phase.
#[derive(Default)]
struct Stats {
    latencies_us: Vec<u64>,
    statuses: BTreeMap<String, u64>,
}

impl Stats {
    fn record(&mut self, status: String, took: Duration) {
        self.latencies_us
            .push(u64::try_from(took.as_micros()).unwrap_or(u64::MAX));
        *self.statuses.entry(status).or_default() += 1;
    }

    fn print(&mut self, name: &str, wall: Duration) {
        self.latencies_us.sort_unstable();
        let n = self.latencies_us.len();
        let pct = |p: usize| -> String {
            if n == 0 {
                return "-".into();
            }
            let i = ((n * p).div_ceil(100)).clamp(1, n) - 1;
            format!("{:.1} ms", self.latencies_us[i] as f64 / 1000.0)
        };
        println!("{name}:");
        println!("  requests      {n}");
        println!("  by status     {:?}", self.statuses);
        println!(
            "  latency       p50 {}  p95 {}  p99 {}  max {}",
            pct(50),
            pct(95),
            pct(99),
            pct(100)
        );
        println!(
            "  throughput    {:.1} req/s over {:.1} s",
            n as f64 / wall.as_secs_f64().max(0.001),
            wall.as_secs_f64()
        );
    }
}

type Shared = Arc<Mutex<(Stats, Stats)>>;

fn record(shared: &Shared, setup: bool, status: String, took: Duration) {
    let mut g = shared
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if setup {
        g.0.record(status, took)
    } else {
        g.1.record(status, took)
    }
}

struct Vu {
    http: reqwest::Client,
    base: String,
    stats: Shared,
}

impl Vu {
    async fn get(&self, path: &str, setup: bool) -> Option<String> {
        let t = Instant::now();
        let r = self.http.get(format!("{}{path}", self.base)).send().await;
        self.finish(r, t, setup).await
    }

    async fn post(&self, path: &str, form: &[(&str, &str)], setup: bool) -> Option<String> {
        let t = Instant::now();
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .form(form)
            .send()
            .await;
        self.finish(r, t, setup).await
    }

    async fn finish(
        &self,
        r: reqwest::Result<reqwest::Response>,
        t: Instant,
        setup: bool,
    ) -> Option<String> {
        match r {
            Ok(resp) => {
                let status = resp.status().as_u16();
                let body = resp.text().await.unwrap_or_default();
                record(&self.stats, setup, status.to_string(), t.elapsed());
                (status < 400).then_some(body)
            }
            Err(e) => {
                let kind = if e.is_timeout() {
                    "timeout"
                } else {
                    "transport-error"
                };
                record(&self.stats, setup, kind.into(), t.elapsed());
                None
            }
        }
    }
}

/// The value of the first `<input name="csrf" value="...">`.
fn csrf(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    Some(html[at..].split('"').next()?.to_owned())
}

/// The first non-empty `<option value>` of `<select name="{name}">`.
fn first_option(html: &str, name: &str) -> Option<String> {
    let select = html.find(&format!("<select name=\"{name}\""))?;
    let rest = &html[select..];
    let end = rest.find("</select>")?;
    rest[..end]
        .split("<option value=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .find(|v| !v.is_empty())
        .map(str::to_owned)
}

fn jitter(mean_ms: u64, seed: &mut u64) -> Duration {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    let half = mean_ms / 2;
    Duration::from_millis(
        half + if mean_ms == 0 {
            0
        } else {
            *seed % mean_ms.max(1)
        },
    )
}

async fn sign_up(vu: &Vu, email: &str) -> Option<()> {
    let password = "load-test-password-1";
    let page = vu.get("/register", true).await?;
    let token = csrf(&page)?;
    let form = [
        ("csrf", token.as_str()),
        ("email", email),
        ("password", password),
        ("confirm", password),
        ("currency", "EUR"),
    ];
    vu.post("/register", &form, true).await?;
    // Registered users are signed in; otherwise (existing email) log in.
    let dash = vu.get("/dashboard", true).await;
    if dash.as_deref().is_none_or(|d| !d.contains("/logout")) {
        let page = vu.get("/login", true).await?;
        let token = csrf(&page)?;
        vu.post(
            "/login",
            &[
                ("csrf", token.as_str()),
                ("email", email),
                ("password", password),
                ("next", "/dashboard"),
            ],
            true,
        )
        .await?;
    }
    let new_account = vu.get("/accounts/new", true).await?;
    let token = csrf(&new_account)?;
    vu.post(
        "/accounts",
        &[
            ("csrf", token.as_str()),
            ("name", "Broker"),
            ("currency", "EUR"),
            ("tracks_cash", "on"),
        ],
        true,
    )
    .await?;
    Some(())
}

async fn browse(vu: &Vu, until: Instant, args: &Args, mut seed: u64) {
    let form_page = vu.get("/activities/new", false).await;
    let account = form_page
        .as_deref()
        .and_then(|p| first_option(p, "account"));
    let mut token = form_page.as_deref().and_then(csrf);
    let mut i: u64 = 0;
    while Instant::now() < until {
        tokio::time::sleep(jitter(args.think_ms, &mut seed)).await;
        let page = match i % 2 {
            0 => vu.get("/dashboard", false).await,
            _ => vu.get("/activities", false).await,
        };
        if let Some(t) = page.as_deref().and_then(csrf) {
            token = Some(t);
        }
        i += 1;
        if args.write_every > 0 && i % args.write_every == 0 && Instant::now() < until {
            if let (Some(acc), Some(tok)) = (&account, &token) {
                tokio::time::sleep(jitter(args.think_ms, &mut seed)).await;
                let form = [
                    ("csrf", tok.as_str()),
                    ("type", "DEPOSIT"),
                    ("date", "2024-01-02"),
                    ("account", acc.as_str()),
                    ("asset", ""),
                    ("quantity", ""),
                    ("unit_price", ""),
                    ("amount", "100"),
                    ("fee", "0"),
                    ("tax", "0"),
                    ("currency", ""),
                    ("note", "load"),
                ];
                vu.post("/activities", &form, false).await;
            }
        }
    }
}

async fn count_connections(url: &str, user: &str) -> Option<i64> {
    if url.starts_with("postgres") {
        let mut c = url
            .parse::<sqlx::postgres::PgConnectOptions>()
            .ok()?
            .connect()
            .await
            .ok()?;
        let n = sqlx::query_scalar("SELECT count(*) FROM pg_stat_activity WHERE usename = $1")
            .bind(user)
            .fetch_one(&mut c)
            .await
            .ok();
        let _ = c.close().await;
        n
    } else {
        let mut c = url
            .parse::<sqlx::mysql::MySqlConnectOptions>()
            .ok()?
            .connect()
            .await
            .ok()?;
        let n = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS SIGNED) FROM information_schema.PROCESSLIST WHERE USER = ?",
        )
        .bind(user)
        .fetch_one(&mut c)
        .await
        .ok();
        let _ = c.close().await;
        n
    }
}

#[tokio::main]
async fn main() {
    let args = Arc::new(Args::parse());
    let stats: Shared = Arc::new(Mutex::new((Stats::default(), Stats::default())));
    let started = Instant::now();
    let browse_until = started + Duration::from_secs(args.ramp + args.duration);

    let sampling = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let sampler = match (&args.sample_url, &args.sample_user) {
        (Some(url), Some(user)) => {
            let (url, user, on) = (url.clone(), user.clone(), sampling.clone());
            Some(tokio::spawn(async move {
                let (mut peak, mut samples) = (0_i64, 0_u64);
                while on.load(std::sync::atomic::Ordering::SeqCst) && samples < 1_000_000 {
                    if let Some(n) = count_connections(&url, &user).await {
                        peak = peak.max(n);
                        samples += 1;
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                (peak, samples)
            }))
        }
        _ => None,
    };

    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..args.users {
        let (args, stats) = (args.clone(), stats.clone());
        let delay = Duration::from_millis(args.ramp * 1000 * n as u64 / args.users.max(1) as u64);
        tasks.spawn(async move {
            tokio::time::sleep(delay).await;
            let http = reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::limited(5))
                .timeout(Duration::from_secs(30))
                .build()
                .expect("http client");
            let vu = Vu {
                http,
                base: args.url.trim_end_matches('/').to_owned(),
                stats,
            };
            let email = format!("{}{n}@load.example", args.prefix);
            if sign_up(&vu, &email).await.is_some() {
                browse(
                    &vu,
                    browse_until,
                    &args,
                    0x9E37_79B9_7F4A_7C15 ^ (n as u64 + 1),
                )
                .await;
                true
            } else {
                false
            }
        });
    }
    let mut signed_up = 0;
    while let Some(r) = tasks.join_next().await {
        signed_up += usize::from(r.unwrap_or(false));
    }
    let wall = started.elapsed();
    sampling.store(false, std::sync::atomic::Ordering::SeqCst);
    let peak = match sampler {
        Some(s) => s.await.ok(),
        None => None,
    };

    println!(
        "folio-load: {} users ({} signed up or logged in), ramp {} s, browse {} s, think {} ms",
        args.users, signed_up, args.ramp, args.duration, args.think_ms
    );
    let mut g = stats
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    g.0.print("sign-up / log-in / first account (Argon2-bound)", wall);
    g.1.print(
        "browsing (dashboard, activity list, new activity)",
        Duration::from_secs(args.duration + args.ramp),
    );
    if let Some((peak, samples)) = peak {
        println!(
            "server-side connections of {}: peak {peak} over {samples} samples",
            args.sample_user.as_deref().unwrap_or("?")
        );
    }
    if args.idle_check > 0 {
        if let (Some(url), Some(user)) = (&args.sample_url, &args.sample_user) {
            tokio::time::sleep(Duration::from_secs(args.idle_check)).await;
            let n = count_connections(url, user).await;
            println!(
                "after idling {} s: {} connection(s)",
                args.idle_check,
                n.map_or("?".into(), |n| n.to_string())
            );
        }
    }
}
