//! Imports through `folio_web::import` (the code the web flow and `folio import` share),
//! on SQLite, MariaDB and PostgreSQL: all rows or none, duplicates skipped on re-import,
//! oversells refused with the line named, forward transfer links, isolation between
//! users and their saved mappings.

#![allow(clippy::unwrap_used)] // tests: a failed step should panic with its error

mod seed;

use folio_core::import::{AccountRef, AssetRef, ImportRow, ParsedFile, RowError};
use folio_core::{ActivityType, Name, Note, Symbol, UserId};
use folio_db::repo::{activities, templates, users};
use folio_db::testing::TestDatabase;
use folio_db::{Backend, Db, DbError};
use folio_web::import::{ImportError, Importer, ROWS_LISTED, apply, preview, render_text};
use seed::{ccy, dec};
use time::macros::date;

const BACKENDS: [Backend; 3] = [Backend::Sqlite, Backend::MySql, Backend::Postgres];

async fn fresh(backend: Backend) -> Option<(TestDatabase, Db)> {
    let tdb = TestDatabase::create(backend).await?;
    let db = Db::connect_lazy(&tdb.config()).unwrap();
    db.migrate().await.unwrap();
    Some((tdb, db))
}

async fn importer(db: &Db, user: UserId) -> Importer {
    let u = users::get_user(db, user).await.unwrap();
    Importer {
        user,
        base_currency: u.base_currency,
        settings: u.settings,
    }
}

fn row(
    line: u64,
    kind: ActivityType,
    symbol: Option<&str>,
    q: &str,
    p: &str,
    amount: &str,
) -> ImportRow {
    let some = |s: &str| (!s.is_empty()).then(|| dec(s));
    ImportRow {
        line,
        account: Some(Name::parse("Imported broker").unwrap()),
        asset: symbol.map(|s| AssetRef {
            symbol: Symbol::parse(s).unwrap(),
            name: None,
            currency: Some(ccy("EUR")),
            class: None,
            pricing: None,
        }),
        kind,
        date: date!(2024 - 02 - 01)
            .saturating_add(time::Duration::days(i64::try_from(line).unwrap())),
        quantity: some(q),
        unit_price: some(p),
        amount: some(amount),
        fee: dec("0"),
        tax: dec("0"),
        currency: ccy("EUR"),
        comment: Note::parse("").unwrap(),
        external_id: Some(format!("ext-{line}")),
        transfer_of: None,
    }
}

fn file(rows: Vec<ImportRow>) -> ParsedFile {
    let mut f = ParsedFile {
        rows_seen: u64::try_from(rows.len()).unwrap(),
        ..ParsedFile::default()
    };
    f.accounts.push(AccountRef {
        name: Name::parse("Imported broker").unwrap(),
        currency: Some(ccy("EUR")),
        tracks_cash: None,
    });
    for r in &rows {
        if let Some(a) = &r.asset
            && !f.assets.contains(a)
        {
            f.assets.push(a.clone());
        }
    }
    f.rows = rows;
    f
}

fn trades() -> Vec<ImportRow> {
    use ActivityType::*;
    vec![
        row(2, Deposit, None, "", "", "5000"),
        row(3, Buy, Some("NEWCO"), "10", "50.5", ""),
        row(4, Buy, Some("NEWCO"), "10", "50.5", ""),
        row(5, Sell, Some("NEWCO"), "4", "61", ""),
    ]
}

async fn count(db: &Db, user: UserId) -> usize {
    activities::all_activities(db, user).await.unwrap().len()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_import_writes_every_row_and_importing_it_again_creates_no_duplicates() {
    for backend in BACKENDS {
        let Some((_tdb, db)) = fresh(backend).await else {
            continue;
        };
        let (alice, _) = seed::portfolio(&db).await;
        let who = importer(&db, alice).await;
        let before = count(&db, alice).await;
        let p = preview(&db, &who, file(trades())).await.unwrap();
        assert!(p.is_clean(), "{:?}", p.errors);
        assert_eq!(
            (
                p.new_rows(),
                p.duplicates,
                p.new_accounts.len(),
                p.new_assets.len()
            ),
            (4, 0, 1, 1)
        );
        let out = apply(&db, &who, &p).await.unwrap();
        assert_eq!(out.activities, 4);
        assert_eq!(count(&db, alice).await, before + 4, "{backend:?}");
        let again = preview(&db, &who, file(trades())).await.unwrap();
        assert_eq!((again.new_rows(), again.duplicates), (0, 4), "{backend:?}");
        assert!(again.new_accounts.is_empty() && again.new_assets.is_empty());
        apply(&db, &who, &again).await.unwrap();
        assert_eq!(
            count(&db, alice).await,
            before + 4,
            "re-import on {backend:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_import_that_would_oversell_or_has_a_bad_row_writes_nothing() {
    for backend in BACKENDS {
        let Some((_tdb, db)) = fresh(backend).await else {
            continue;
        };
        let (alice, bob) = seed::portfolio(&db).await;
        let who = importer(&db, alice).await;
        let (a0, b0) = (count(&db, alice).await, count(&db, bob).await);
        let mut rows = trades();
        rows.push(row(6, ActivityType::Sell, Some("NEWCO"), "100", "61", ""));
        let p = preview(&db, &who, file(rows)).await.unwrap();
        assert_eq!(p.errors.len(), 1, "{:?}", p.errors);
        assert_eq!(
            p.errors[0].line, 6,
            "the oversell is named: {}",
            p.errors[0]
        );
        assert!(
            p.errors[0].message.contains("more than is held"),
            "{}",
            p.errors[0]
        );
        assert!(matches!(
            apply(&db, &who, &p).await,
            Err(ImportError::NotClean(1))
        ));
        let mut bad = file(trades());
        bad.errors
            .push(RowError::at(7, Some("Date"), "not a date: 31/02/2024"));
        let p = preview(&db, &who, bad).await.unwrap();
        assert!(apply(&db, &who, &p).await.is_err());
        assert_eq!(
            (count(&db, alice).await, count(&db, bob).await),
            (a0, b0),
            "{backend:?}"
        );
        let names: Vec<String> = folio_db::repo::accounts::list_accounts(&db, alice)
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.name.to_string())
            .collect();
        assert!(
            !names.contains(&"Imported broker".to_owned()),
            "no account created on {backend:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_import_touches_only_its_user_and_links_a_transfer_listed_before_its_source() {
    for backend in BACKENDS {
        let Some((_tdb, db)) = fresh(backend).await else {
            continue;
        };
        let (alice, bob) = seed::portfolio(&db).await;
        let alice_before = activities::all_activities(&db, alice).await.unwrap();
        let who = importer(&db, bob).await;
        let mut rows = trades();
        let mut tin = row(9, ActivityType::TransferIn, Some("NEWCO"), "2", "", "");
        tin.account = Some(Name::parse("Second").unwrap());
        tin.transfer_of = Some("ext-10".into());
        rows.push(tin);
        rows.push(row(
            10,
            ActivityType::TransferOut,
            Some("NEWCO"),
            "2",
            "",
            "",
        ));
        rows[5].date = rows[4].date;
        let p = preview(&db, &who, file(rows)).await.unwrap();
        assert!(p.is_clean(), "{:?}", p.errors);
        apply(&db, &who, &p).await.unwrap();
        let bob_acts = activities::all_activities(&db, bob).await.unwrap();
        let tin = bob_acts
            .iter()
            .find(|a| {
                a.data.kind == ActivityType::TransferIn
                    && a.data.quantity == Some(dec("2"))
                    && a.data.date == date!(2024 - 02 - 10)
            })
            .unwrap();
        let tout = bob_acts
            .iter()
            .find(|a| Some(a.id) == tin.data.transfer_of)
            .unwrap();
        assert_eq!(tout.data.kind, ActivityType::TransferOut, "{backend:?}");
        assert_eq!(
            activities::all_activities(&db, alice).await.unwrap(),
            alice_before
        );
        // Bob's saved mapping is his: Alice cannot read it.
        assert!(templates::get_template(&db, bob, "My broker").await.is_ok());
        assert!(matches!(
            templates::get_template(&db, alice, "My broker").await,
            Err(DbError::NotFound)
        ));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_file_keeps_only_the_first_rows_for_display_but_checks_and_writes_every_row() {
    let Some((_tdb, db)) = fresh(Backend::Sqlite).await else {
        return;
    };
    let (alice, _) = seed::portfolio(&db).await;
    let who = importer(&db, alice).await;
    let extra = 500;
    let n = u64::try_from(ROWS_LISTED + extra).unwrap();
    let mut rows: Vec<ImportRow> = (2..n + 2)
        .map(|line| row(line, ActivityType::Deposit, None, "", "", "1"))
        .collect();
    // The one error sits past the listed rows: it is still found and named.
    rows.push(row(n + 2, ActivityType::Sell, Some("NEWCO"), "1", "5", ""));
    let p = preview(&db, &who, file(rows.clone())).await.unwrap();
    assert_eq!(p.rows.len(), ROWS_LISTED);
    assert_eq!(p.unlisted, u64::try_from(extra).unwrap() + 1);
    assert_eq!(p.errors.len(), 1, "{:?}", p.errors);
    assert_eq!(p.errors[0].line, n + 2);
    assert!(render_text(&p, true).contains(&format!("…and {} more rows", extra + 1)));
    rows.pop();
    let p = preview(&db, &who, file(rows)).await.unwrap();
    assert!(p.is_clean(), "{:?}", p.errors);
    let before = count(&db, alice).await;
    apply(&db, &who, &p).await.unwrap();
    assert_eq!(count(&db, alice).await, before + ROWS_LISTED + extra);
}
