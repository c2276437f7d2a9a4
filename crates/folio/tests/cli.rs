//! The `folio` binary as an operator uses it: migrate, user add/list/passwd, doctor and
//! configuration errors, against a throw-away SQLite database.

#![allow(clippy::unwrap_used)] // tests: a failed step should panic with its error

use std::io::Write;
use std::process::{Command, Output, Stdio};

struct Dir(std::path::PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn temp_dir(name: &str) -> Dir {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let p = std::env::temp_dir().join(format!("folio-cli-{name}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&p).unwrap();
    Dir(p)
}

/// Runs `folio` with the data dir set and `stdin` piped in.
fn folio(dir: &Dir, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .env_remove("FOLIO_DATABASE_URL")
        .env_remove("DATABASE_URL")
        .env("FOLIO_DATA_DIR", &dir.0)
        .env("FOLIO_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn migrate_then_add_list_and_reset_users_from_the_command_line() {
    let dir = temp_dir("users");
    let out = folio(&dir, &["migrate"], "");
    assert!(out.status.success(), "{}", text(&out));
    let applied = text(&out);
    assert!(
        applied.contains("applied ") && !applied.contains("applied 0 "),
        "a fresh database gets every migration: {applied}"
    );
    let again = folio(&dir, &["migrate"], "");
    assert!(
        text(&again).contains("applied 0 migration(s)"),
        "a second run has nothing left to apply: {}",
        text(&again)
    );
    assert!(
        dir.0.join("folio.db").exists(),
        "the default SQLite file lives in the data dir"
    );
    let out = folio(&dir, &["migrate"], "");
    assert!(text(&out).contains("applied 0 migration(s)"), "idempotent");

    let out = folio(
        &dir,
        &[
            "user",
            "add",
            "--email",
            "Admin@Example.com",
            "--admin",
            "--currency",
            "eur",
        ],
        "correct horse battery\n",
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("admin@example.com (Admin)"));
    let out = folio(
        &dir,
        &["user", "add", "--email", "bob@example.com"],
        "short\n",
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("at least 10 characters"));
    let out = folio(
        &dir,
        &["user", "add", "--email", "admin@example.com"],
        "another long password\n",
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("already exists"));
    let out = folio(
        &dir,
        &["user", "add", "--email", "not-an-email"],
        "another long password\n",
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("--email"));

    let out = folio(&dir, &["user", "list"], "");
    let listing = text(&out);
    assert!(
        listing.contains("admin@example.com\tAdmin\tEUR"),
        "{listing}"
    );
    assert!(!listing.contains("bob@example.com"));

    let out = folio(
        &dir,
        &["user", "passwd", "--email", "admin@example.com"],
        "a brand new password\n",
    );
    assert!(out.status.success(), "{}", text(&out));
    let out = folio(
        &dir,
        &["user", "passwd", "--email", "nobody@example.com"],
        "a brand new password\n",
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("no such user"));
}

#[test]
fn invalid_configuration_stops_with_a_clear_message_and_no_secret() {
    let dir = temp_dir("config");
    let out = folio(
        &dir,
        &["--database-url", "redis://user:hunter2@host/0", "migrate"],
        "",
    );
    assert!(!out.status.success());
    let t = text(&out);
    assert!(t.contains("database URL must start with"), "{t}");
    assert!(!t.contains("hunter2"));
    let out = folio(&dir, &["--listen", "not-an-address"], "");
    assert!(!out.status.success());
    assert!(text(&out).contains("--listen"));
    let out = folio(&dir, &["--public-url", "ftp://x"], "");
    assert!(!out.status.success());
    assert!(text(&out).contains("--public-url must start with http"));
    let out = folio(&dir, &["--db-max-connections", "0"], "");
    assert!(!out.status.success());
}

#[test]
fn help_documents_every_option() {
    let dir = temp_dir("help");
    let help = text(&folio(&dir, &["--help"], ""));
    for flag in [
        "--listen",
        "--database-url",
        "--data-dir",
        "--db-max-connections",
        "--db-reserve",
        "--db-idle-timeout",
        "--db-max-lifetime",
        "--db-acquire-timeout",
        "--db-queue-limit",
        "--db-background-share",
        "--registration",
        "--public-url",
        "--trust-proxy",
        "--signup-limit",
        "--session-days",
        "--log",
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
    }
    assert!(help.contains("FOLIO_DATABASE_URL"));
}

#[test]
fn doctor_on_sqlite_reports_the_backend_and_succeeds() {
    let dir = temp_dir("doctor");
    let out = folio(&dir, &["doctor"], "");
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("sqlite"), "{t}");
}

/// The number printed right before `label` in `folio demo`'s summary line.
fn count_before(out: &str, label: &str) -> usize {
    let end = out.find(label).unwrap();
    let start = out[..end].trim_end().rfind([' ', ':']).unwrap() + 1;
    out[start..end].trim().parse().unwrap()
}

#[test]
fn demo_seeds_the_demo_user_once_and_a_second_run_changes_nothing() {
    let dir = temp_dir("demo");
    let started = std::time::Instant::now();
    let out = folio(&dir, &["demo"], "");
    let first = text(&out);
    assert!(out.status.success(), "{first}");
    println!("folio demo on SQLite took {:?}", started.elapsed());
    assert!(first.contains("Demo portfolio created"), "{first}");
    assert!(first.contains("demo@folio.example") && first.contains("folio-demo-portfolio"));
    assert!(
        first.contains("fixed and published"),
        "the output says the password is public"
    );
    let expected = folio_core::demo::generate(time::OffsetDateTime::now_utc().date());
    assert_eq!(
        count_before(&first, " activities"),
        expected.activities.len()
    );
    assert_eq!(count_before(&first, " prices"), expected.price_count());
    assert_eq!(count_before(&first, " FX rates"), expected.fx_count());

    let out = folio(&dir, &["demo"], "");
    let second = text(&out);
    assert!(out.status.success(), "{second}");
    assert!(
        second.contains("already present, left unchanged"),
        "{second}"
    );
    assert!(second.contains("demo@folio.example") && second.contains("folio-demo-portfolio"));
    for label in [" activities", " prices", " FX rates"] {
        assert_eq!(count_before(&first, label), count_before(&second, label));
    }
    let value = |s: &str| {
        s.split("value today ")
            .nth(1)
            .unwrap()
            .split('.')
            .next()
            .unwrap()
            .to_owned()
    };
    assert_eq!(value(&first), value(&second));

    let listing = text(&folio(&dir, &["user", "list"], ""));
    assert_eq!(
        listing.matches("demo@folio.example").count(),
        1,
        "{listing}"
    );
}
