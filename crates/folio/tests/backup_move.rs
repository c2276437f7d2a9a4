//! The documented way to outgrow SQLite, end to end with the `folio` binary: back up a
//! SQLite instance, restore it into MariaDB, back that up, restore into PostgreSQL, back
//! up again and restore into a new SQLite file. Every backup after the first is
//! byte-identical to it, and the computed portfolio (holdings, returns, income) of every
//! user is identical on all four databases.

#![allow(clippy::unwrap_used)] // tests: a failed step should panic with its error

mod seed;

use std::process::{Command, Output};

use folio_core::UserId;
use folio_core::portfolio::{
    AccountInfo, AssetInfo, FxTable, Portfolio, PortfolioInput, PriceBasis, PriceBook, Range,
    Scope, Settings,
};
use folio_db::repo::{accounts, activities, assets, prices, users};
use folio_db::testing::TestDatabase;
use folio_db::{Backend, Db};
use time::macros::date;

/// Runs `folio` against a database URL.
fn folio(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .env("FOLIO_DATABASE_URL", url)
        .env_remove("DATABASE_URL")
        .env("FOLIO_LOG", "warn")
        .output()
        .unwrap()
}

fn ok(o: &Output) -> String {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "folio failed: {text}");
    text
}

/// Every figure the dashboard shows for a user, as JSON text.
async fn figures(db: &Db, user: UserId) -> String {
    let u = users::get_user(db, user).await.unwrap();
    let acts = activities::all_activities(db, user).await.unwrap();
    let mut book = PriceBook::new();
    for p in prices::all_prices(db, user).await.unwrap() {
        book.insert(p.asset_id, p.date, p.close);
    }
    let mut fx = FxTable::new();
    for r in prices::list_fx_rates(db, user).await.unwrap() {
        fx.insert(&r.base, &r.quote, r.date, r.rate);
    }
    let input = PortfolioInput {
        settings: Settings {
            base_currency: u.base_currency.clone(),
            lot_method: u.settings.lot_method,
            fees_in_cost_basis: u.settings.fees_in_cost_basis,
        },
        accounts: accounts::list_accounts(db, user)
            .await
            .unwrap()
            .into_iter()
            .map(|a| AccountInfo {
                id: a.id,
                currency: a.currency,
                tracks_cash: a.tracks_cash,
            })
            .collect(),
        assets: assets::list_assets(db, user)
            .await
            .unwrap()
            .into_iter()
            .map(|a| AssetInfo {
                id: a.id,
                currency: a.currency,
                class: a.class,
                pricing: a.pricing,
                price_basis: PriceBasis::AsTraded,
            })
            .collect(),
        activities: acts.iter().map(seed::to_engine).collect(),
        prices: book,
        fx,
        end: date!(2024 - 06 - 30),
    };
    let p = Portfolio::build(input).unwrap();
    let as_of = date!(2024 - 06 - 30);
    serde_json::json!({
        "user": [u.email.as_str(), u.password_hash, u.base_currency.as_str()],
        "holdings": p.holdings(as_of).unwrap(),
        "returns": p.returns(Scope::Total, Range::Max).unwrap(),
        "income": format!("{:?}", p.income(Scope::Total).unwrap()),
        "days": p.total_series().len(),
    })
    .to_string()
}

async fn target(backend: Backend) -> Option<(TestDatabase, Db)> {
    let tdb = TestDatabase::create(backend).await?;
    let db = Db::connect_lazy(&tdb.config()).unwrap();
    Some((tdb, db))
}

#[tokio::test(flavor = "multi_thread")]
async fn backup_moves_an_instance_sqlite_to_mariadb_to_postgres_to_sqlite_with_identical_figures() {
    let (src, src_db) = target(Backend::Sqlite).await.unwrap();
    src_db.migrate().await.unwrap();
    let (alice, bob) = seed::portfolio(&src_db).await;
    let expected = (figures(&src_db, alice).await, figures(&src_db, bob).await);
    assert!(expected.0.contains("\"quantity\""), "{}", expected.0);
    // A session is not part of a backup.
    seed::session(&src_db, alice).await;

    let dir = std::env::temp_dir().join(format!("folio-move-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = |n: usize| dir.join(format!("backup-{n}.jsonl"));
    ok(&folio(
        &src.url,
        &["backup", "--output", file(0).to_str().unwrap()],
    ));
    let first = std::fs::read(file(0)).unwrap();
    assert!(
        !String::from_utf8_lossy(&first).contains("csrf"),
        "sessions are excluded"
    );

    let mut hops = 0;
    for (n, backend) in [Backend::MySql, Backend::Postgres, Backend::Sqlite]
        .into_iter()
        .enumerate()
    {
        let Some((tdb, db)) = target(backend).await else {
            continue; // server unreachable outside CI: printed by TestDatabase
        };
        let out = ok(&folio(&tdb.url, &["restore", file(n).to_str().unwrap()]));
        assert!(out.contains("in one transaction"), "{out}");
        assert_eq!(
            figures(&db, alice).await,
            expected.0,
            "alice on {backend:?}"
        );
        assert_eq!(figures(&db, bob).await, expected.1, "bob on {backend:?}");
        // New rows get fresh ids after the restored ones (identity sequences moved on).
        seed::one_more_account(&db, bob).await;
        let again = folio(&tdb.url, &["restore", file(n).to_str().unwrap()]);
        assert!(!again.status.success());
        assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));
        // Back up what was restored, without the account added to probe the sequence.
        seed::drop_probe_account(&db, bob).await;
        ok(&folio(
            &tdb.url,
            &["backup", "-o", file(n + 1).to_str().unwrap()],
        ));
        assert!(
            std::fs::read(file(n + 1)).unwrap() == first,
            "backup from {backend:?} differs from the first"
        );
        db.close().await;
        hops += 1;
    }
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!("moved through {hops} of 3 targets");
    assert!(hops == 3 || !folio_db::testing::backends_required());
}
