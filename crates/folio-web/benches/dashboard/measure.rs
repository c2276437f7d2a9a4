//! Timing helpers: percentiles of request latencies and the load average beside them.

use std::time::{Duration, Instant};

/// The 1-minute load average (the machine is shared: figures are read against it).
pub fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split(' ').next().map(str::to_owned))
        .unwrap_or_else(|| "?".into())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Prints `n, p50, p95, max` of `samples` with the load average.
pub fn summary(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let p = |q: usize| ms(samples[(samples.len() - 1) * q / 100]);
    println!(
        "{label:<48} n={:<4} p50 {:>8.2} ms  p95 {:>8.2} ms  max {:>8.2} ms  load {}",
        samples.len(),
        p(50),
        p(95),
        ms(*samples.last().unwrap()),
        load()
    );
}

/// One GET, checked to have rendered (`expect` in the body), and its latency.
pub async fn get(client: &reqwest::Client, url: &str, expect: &str) -> Duration {
    let t = Instant::now();
    let resp = client.get(url).send().await.unwrap();
    let status = resp.status();
    let body = resp.text().await.unwrap();
    let took = t.elapsed();
    assert!(
        status.is_success() && body.contains(expect),
        "{url}: {status}"
    );
    took
}

/// `rounds` sequential GETs.
pub async fn repeat(
    client: &reqwest::Client,
    url: &str,
    expect: &str,
    rounds: usize,
) -> Vec<Duration> {
    let mut out = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        out.push(get(client, url, expect).await);
    }
    out
}

/// `clients` concurrent loops of GET `url`, each at most `per_client` requests and
/// stopping at `deadline`; prints throughput and latency percentiles.
pub async fn throughput(
    clients: Vec<reqwest::Client>,
    url: &str,
    per_client: usize,
    limit: Duration,
) {
    let started = Instant::now();
    let deadline = started + limit;
    let mut set = tokio::task::JoinSet::new();
    for c in clients {
        let url = url.to_owned();
        set.spawn(async move {
            let mut out = Vec::new();
            while out.len() < per_client && Instant::now() < deadline {
                out.push(get(&c, &url, "id=\"holdings\"").await);
            }
            out
        });
    }
    let mut all = Vec::new();
    while let Some(r) = set.join_next().await {
        all.extend(r.unwrap());
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "throughput: {} requests in {secs:.1} s = {:.0} req/s",
        all.len(),
        all.len() as f64 / secs
    );
    summary("  latency under that load", all);
}
