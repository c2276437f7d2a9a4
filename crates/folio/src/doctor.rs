//! `folio doctor`: connects with the configured URL and reports what Folio would work
//! within — server, every detected limit, who else holds connections, the budget Folio
//! would choose — with plain-language warnings. It changes nothing (no migrations).
//! Exit status is non-zero when Folio could not run at all.

use std::process::ExitCode;

use folio_db::{Budget, Db, DbConfig, DbError, Limits, UnavailableReason};

use crate::cli::CliError;

/// Runs the check and prints the report.
pub async fn run(cfg: &DbConfig) -> Result<ExitCode, CliError> {
    println!("database:            {}", cfg.redacted_url());
    let db = Db::connect_lazy(cfg)?;
    let inspected = db.inspect().await;
    let code = match inspected {
        Ok(inspection) => {
            println!("backend:             {}", db.backend().name());
            if let Some(limits) = &inspection.limits {
                print_limits(limits);
            } else {
                println!(
                    "server limits:       none (embedded SQLite: one writer, readers share the budget)"
                );
            }
            print_budget(cfg, &inspection.budget);
            println!();
            println!(
                "verdict: OK — Folio can run with at most {} connection(s).",
                inspection.budget.hard_cap
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            print_failure(&db, &e);
            ExitCode::FAILURE
        }
    };
    db.close().await;
    Ok(code)
}

fn print_limits(l: &Limits) {
    let opt = |v: Option<u32>| v.map_or_else(|| "none".to_owned(), |n| n.to_string());
    println!("server:              {}", l.server);
    println!("account:             {}", l.account);
    println!("limits (in use now, including this check):");
    let account_name = if l.server.starts_with("PostgreSQL") {
        "role CONNECTION LIMIT (rolconnlimit)"
    } else {
        "account max_user_connections"
    };
    println!(
        "  {account_name:<40} {:>6}   in use: {}",
        opt(l.account_limit),
        opt(l.account_in_use)
    );
    if l.server.starts_with("PostgreSQL") {
        println!(
            "  {:<40} {:>6}   in use: {}",
            "database CONNECTION LIMIT (datconnlimit)",
            opt(l.database_limit),
            opt(l.database_in_use)
        );
    }
    println!(
        "  {:<40} {:>6}   in use: {}",
        "server max_connections (non-reserved)",
        opt(l.server_limit),
        opt(l.server_in_use)
    );
    let idle = l
        .idle_limit
        .map_or_else(|| "none".to_owned(), |d| format!("{}s", d.as_secs()));
    let idle_name = if l.server.starts_with("PostgreSQL") {
        "idle_session_timeout"
    } else {
        "wait_timeout"
    };
    println!("  {idle_name:<40} {idle:>6}");
    if l.hourly_quotas.is_empty() {
        println!("  {:<40} {:>6}", "hourly quotas", "none");
    }
    for (name, n) in &l.hourly_quotas {
        println!("  {:<40} {:>6}", name.to_ascii_lowercase(), n);
    }
    if l.superuser {
        println!("  (superuser role: its connection limit is not enforced)");
    }
}

fn print_budget(cfg: &DbConfig, b: &Budget) {
    println!(
        "held by others:      {} connection(s) on the binding limit",
        b.held_by_others
    );
    println!("Folio's budget:");
    println!(
        "  configured maximum (--db-max-connections)  {}",
        b.configured_max
    );
    println!("  reserve for other clients (--db-reserve)   {}", b.reserve);
    println!(
        "  hard cap H                                 {} (set by the {} limit)",
        b.hard_cap, b.limited_by
    );
    println!(
        "  idle timeout                               {}s (an idle Folio holds 0 connections)",
        b.idle_timeout.as_secs()
    );
    println!(
        "  max lifetime                               {}s, minus up to 10% jitter",
        b.max_lifetime.as_secs()
    );
    println!(
        "  acquire deadline / queue bound             {}s / {} requests, then 503 + Retry-After",
        cfg.acquire_timeout.as_secs(),
        cfg.max_waiters
    );
    println!(
        "  background share                           {}% of H (at least 1)",
        cfg.background_share_percent
    );
    if b.warnings.is_empty() {
        println!("warnings:            none");
    } else {
        println!("warnings:");
        for w in &b.warnings {
            println!("  - {w}");
        }
    }
}

fn print_failure(db: &Db, e: &DbError) {
    let detail = db.last_connect_error().unwrap_or_else(|| e.to_string());
    println!("connection:          FAILED ({detail})");
    let advice = match e {
        DbError::Unavailable {
            reason: UnavailableReason::Capacity | UnavailableReason::BreakerOpen,
            ..
        } if detail.starts_with("1226")
            || detail.starts_with("1203")
            || detail.starts_with("1040")
            || detail.starts_with("53300") =>
        {
            "the server has no free connection slot for this account right now. Folio would \
             start degraded (one connection, answering 503 until a slot frees up). Close other \
             clients of this account or raise its limit."
        }
        DbError::Unavailable {
            reason: UnavailableReason::Quota,
            ..
        } => {
            "an hourly quota of this account is exhausted; Folio answers 503 until the hour is over."
        }
        DbError::Unavailable { .. } => {
            "the server could not be reached (down, starting, or wrong host/port)."
        }
        _ => "the server refused the connection (check the user, password and database name).",
    };
    println!("verdict: Folio cannot run now — {advice}");
}
