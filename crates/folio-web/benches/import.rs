//! Import benchmark (not a test): where the time and the memory of a large import go.
//! A generated Folio CSV (the same shape as `tools/import-bench/bench.sh`: deposits and
//! buys over 3 accounts and 20 assets) goes through the stages the web flow and the CLI
//! run — parse, preview (duplicates, new accounts and assets, the engine's consistency
//! check), write — on SQLite, then the same file is previewed again against the stored
//! rows (a re-import: every row a duplicate).
//!
//! For each stage it prints the time, the process's peak resident memory during the
//! stage (VmHWM, reset before each stage through `/proc/self/clear_refs`) and the resident
//! memory after it. Peak resident memory is what a server pays; it includes what the
//! allocator keeps after freeing.
//!
//! Run: `cargo bench -p folio-web --bench import` (optimised build), optionally with
//! `FOLIO_IMPORT_BENCH_ROWS` (default 100,000). Bounded: one pass per stage.

#![allow(
    clippy::unwrap_used,
    clippy::disallowed_types,
    clippy::float_arithmetic,
    clippy::cast_precision_loss,
    missing_docs
)]
// A bench harness: failed set-up should panic, and memory and times are reported as
// f64 MiB and milliseconds (never money).

use std::fmt::Write as _;
use std::time::Instant;

use folio_core::import::{Format, ParseOptions, parse};
use folio_core::{CurrencyCode, Email};
use folio_db::models::{NewUser, UserSettings};
use folio_db::repo::users;
use folio_db::testing::TestDatabase;
use folio_db::{Backend, Db};
use folio_web::import::{Importer, apply, preview};

/// Deposits and buys, ten rows a day, ending in 2024 (as the shell benchmark writes).
fn csv(rows: usize) -> String {
    let mut out = String::from(
        "date,account,kind,symbol,asset_name,asset_currency,asset_class,pricing,quantity,unit_price,amount,fee,tax,currency,note,id,transfer_of\n",
    );
    let last = time::macros::date!(2024 - 03 - 18);
    let days = i64::try_from(rows / 10).unwrap();
    for i in 1..=rows {
        let day = i64::try_from(i / 10).unwrap();
        let date = last - time::Duration::days(days - day);
        let acc = i % 3;
        if i % 10 == 1 {
            let amount = 1000 + i % 97;
            writeln!(
                out,
                "{date},Account {acc},DEPOSIT,,,,,,,,{amount}.50,0,0,EUR,,{i},"
            )
            .unwrap();
        } else {
            let (sym, qty, whole, cents) = (i % 20, 1 + i % 5, 10 + i % 50, i % 100);
            writeln!(
                out,
                "{date},Account {acc},BUY,SYM{sym:02},Asset {sym:02},EUR,EQUITY,MANUAL,{qty},{whole}.{cents:02},,1,0,EUR,,{i},"
            )
            .unwrap();
        }
    }
    out
}

/// A line of `/proc/self/status` in MiB.
fn status_mib(key: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Resets the peak resident memory to the current one (Linux 4.0+).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Runs one stage and prints its time, peak and resident memory after.
async fn stage<T>(name: &str, f: impl std::future::Future<Output = T>) -> T {
    reset_peak();
    let start = Instant::now();
    let out = f.await;
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    println!(
        "{name:<34} {ms:>9.0} ms   peak {:>7.1} MiB   after {:>7.1} MiB",
        status_mib("VmHWM:"),
        status_mib("VmRSS:")
    );
    out
}

async fn user(db: &Db) -> Importer {
    let eur = CurrencyCode::parse("EUR").unwrap();
    let new = NewUser {
        email: Email::parse("importer@example.com").unwrap(),
        password_hash: "not a login".into(),
        base_currency: eur.clone(),
        role: None,
    };
    let u = users::insert_user(db, &new).await.unwrap();
    Importer {
        user: u.id,
        base_currency: eur,
        settings: UserSettings::default(),
    }
}

#[tokio::main]
async fn main() {
    let rows: usize = std::env::var("FOLIO_IMPORT_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let database = TestDatabase::create(Backend::Sqlite).await.unwrap();
    let db = Db::connect_lazy(&database.config()).unwrap();
    db.migrate().await.unwrap();
    let who = user(&db).await;
    println!(
        "import bench: {rows} rows, SQLite; load average {}",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    println!(
        "{:<34} {:>12}",
        "start",
        format!("{:.1} MiB", status_mib("VmRSS:"))
    );
    let text = stage("generate the file", async { csv(rows) }).await;
    println!("  file: {:.1} MiB", text.len() as f64 / 1024.0 / 1024.0);
    let options = ParseOptions {
        max_rows: u64::try_from(rows).unwrap() + 1,
        ..ParseOptions::default()
    };
    let parsed = stage("parse", async {
        parse(text.as_bytes(), &Format::FolioCsv, &options)
    })
    .await;
    let p = stage("preview (into an empty user)", preview(&db, &who, parsed))
        .await
        .unwrap();
    assert!(p.is_clean(), "{:?}", p.errors.first());
    let out = stage("write", async { apply(&db, &who, &p).await.unwrap() }).await;
    assert_eq!(out.activities, u64::try_from(rows).unwrap());
    drop(p);
    stage("drop the preview", async {}).await;
    let parsed = parse(text.as_bytes(), &Format::FolioCsv, &options);
    let again = stage("preview again (all duplicates)", preview(&db, &who, parsed))
        .await
        .unwrap();
    assert_eq!(again.duplicates, u64::try_from(rows).unwrap());
}
