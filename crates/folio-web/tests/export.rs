//! The web downloads on SQLite, MariaDB and PostgreSQL: the Folio JSON reads back into
//! the same activities (and into another user, losslessly), the activities CSV has the
//! header and neutralises formula cells, a price history downloads per asset, privacy
//! mode masks none of it, another user's asset is 404 and signed-out users go to login.

#![allow(clippy::unwrap_used)] // tests: a failed step should panic with its error

mod support;

use folio_core::import::{
    DocumentActivity, FOLIO_CSV_HEADER, Format, ImportRow, ParseOptions, parse, parse_document,
};
use folio_db::Backend;
use reqwest::header::HeaderMap;
use support::{Browser, TestApp, csrf_of, id_after, spawn_app};

const PW: &str = "correct horse battery";

/// Ann's file: a deposit, a buy and a sell whose note is a formula payload.
fn source() -> String {
    format!(
        "{}\n{}\n{}\n{}\n",
        FOLIO_CSV_HEADER.join(","),
        "2024-01-02,Broker,DEPOSIT,,,,,,,,5000,0,0,EUR,,1,",
        "2024-01-03,Broker,BUY,ACME,Acme Corp,EUR,EQUITY,MANUAL,10,100.25,,1.5,0,EUR,first lot,2,",
        "2024-02-01,Broker,SELL,ACME,Acme Corp,EUR,EQUITY,MANUAL,4,120,,1,0,EUR,=1+1,3,",
    )
}

/// A response with its headers.
struct Download {
    status: u16,
    headers: HeaderMap,
    body: String,
}

impl Download {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

async fn download(app: &TestApp, b: &Browser, path: &str) -> Download {
    let r = b.http.get(app.url(path)).send().await.unwrap();
    Download {
        status: r.status().as_u16(),
        headers: r.headers().clone(),
        body: r.text().await.unwrap(),
    }
}

/// Imports `content` through the web flow (preview, then confirm).
async fn import(b: &Browser, content: &str) {
    let fields = [("format", "auto"), ("content", content)];
    let p = b.submit("/import", "/import", &fields).await;
    assert_eq!(p.status, 200, "{}", p.body);
    let marker = "name=\"expected\" value=\"";
    let expected: String = p
        .body
        .split_once(marker)
        .map(|(_, rest)| rest.chars().take_while(|c| *c != '"').collect())
        .unwrap();
    let confirm = [
        ("format", "auto"),
        ("content", content),
        ("expected", expected.as_str()),
        ("csrf", &csrf_of(&p.body)),
    ];
    let done = b.post("/import/confirm", &confirm).await;
    assert!(done.body.contains("Saved 3 activities"), "{}", done.body);
}

/// Ann with the source imported, two prices for ACME and privacy mode on; returns her
/// browser and ACME's id.
async fn ann(app: &TestApp) -> (Browser, String) {
    let b = app.client();
    b.register("ann@example.com", PW).await;
    import(&b, &source()).await;
    let acme = id_after(&b.get("/prices").await.body, "/prices/").unwrap();
    for (date, close) in [("2024-02-01", "120"), ("2024-01-03", "100.25")] {
        let path = format!("/prices/{acme}");
        let r = b
            .submit(&path, &path, &[("date", date), ("close", close)])
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let hide = [("hide", "on"), ("back", "/dashboard")];
    let r = b.submit("/dashboard", "/settings/privacy", &hide).await;
    assert_eq!(r.status, 303);
    let history = b.get(&format!("/prices/{acme}")).await.body;
    assert!(history.contains("•••"), "privacy mode is on: {history}");
    (b, acme)
}

/// The fields an activity is made of, without the file's line and ids.
fn essence(rows: &[ImportRow]) -> Vec<String> {
    rows.iter()
        .map(|r| {
            format!(
                "{:?}|{:?}|{}|{}|{:?}|{:?}|{:?}|{}|{}|{}|{}",
                r.account.as_ref().map(ToString::to_string),
                r.asset.as_ref().map(|a| a.symbol.to_string()),
                r.kind.as_str(),
                r.date,
                r.quantity,
                r.unit_price,
                r.amount,
                r.fee,
                r.tax,
                r.currency,
                r.comment,
            )
        })
        .collect()
}

fn without_ids(mut activities: Vec<DocumentActivity>) -> Vec<DocumentActivity> {
    for a in &mut activities {
        a.id = 0;
        a.transfer_of = None;
    }
    activities
}

async fn the_json_download_reads_back_into_the_same_activities(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (b, _) = ann(&app).await;
    let d = download(&app, &b, "/export/folio.json").await;
    assert_eq!(d.status, 200, "{}", d.body);
    assert_eq!(d.header("content-type"), "application/json");
    assert_eq!(d.header("cache-control"), "no-store");
    let today = time::OffsetDateTime::now_utc().date();
    assert_eq!(
        d.header("content-disposition"),
        format!("attachment; filename=\"folio-{today}.json\"")
    );
    let opts = ParseOptions::default();
    let back = parse(d.body.as_bytes(), &Format::FolioJson, &opts);
    assert!(back.errors.is_empty(), "{:?}", back.errors);
    let original = parse(source().as_bytes(), &Format::FolioCsv, &opts);
    assert_eq!(essence(&back.rows), essence(&original.rows));
    assert!(
        essence(&back.rows)[1].contains("Some(100.25)"),
        "not masked"
    );
    assert_eq!(back.prices.len(), 2, "prices travel too");
    // Into an empty user: the same activities come out again.
    let bob = app.client();
    bob.register("bob@example.com", PW).await;
    import(&bob, &d.body).await;
    let again = download(&app, &bob, "/export/folio.json").await;
    let (a, z) = (
        parse_document(&d.body).unwrap(),
        parse_document(&again.body).unwrap(),
    );
    assert_eq!(without_ids(a.activities), without_ids(z.activities));
    assert_eq!((a.assets, a.prices), (z.assets, z.prices));
    app.stop().await;
}

async fn the_csv_download_has_the_header_and_neutralises_formulas(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (b, _) = ann(&app).await;
    let d = download(&app, &b, "/export/activities.csv").await;
    assert_eq!(d.status, 200, "{}", d.body);
    assert_eq!(d.header("content-type"), "text/csv; charset=utf-8");
    assert_eq!(d.header("cache-control"), "no-store");
    let today = time::OffsetDateTime::now_utc().date();
    assert_eq!(
        d.header("content-disposition"),
        format!("attachment; filename=\"folio-activities-{today}.csv\"")
    );
    let lines: Vec<&str> = d.body.lines().collect();
    assert_eq!(
        lines.first().copied(),
        Some(FOLIO_CSV_HEADER.join(",").as_str())
    );
    assert_eq!(lines.len(), 4, "{}", d.body);
    let sell = lines.iter().find(|l| l.contains(",SELL,")).unwrap();
    assert!(sell.contains(",'=1+1,"), "{sell}");
    assert!(!d.body.contains(",=1+1"), "no cell starts with =");
    let buy = lines.iter().find(|l| l.contains(",BUY,")).unwrap();
    assert!(buy.contains(",10,100.25,,1.5,0,EUR,first lot,"), "{buy}");
    app.stop().await;
}

async fn a_price_history_downloads_for_its_owner_only(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (b, acme) = ann(&app).await;
    let history = b.get(&format!("/prices/{acme}")).await.body;
    assert!(history.contains(&format!("href=\"/prices/{acme}/prices.csv\"")));
    let path = format!("/prices/{acme}/prices.csv");
    let d = download(&app, &b, &path).await;
    assert_eq!(d.status, 200, "{}", d.body);
    assert_eq!(
        d.body,
        "date,symbol,close\n2024-01-03,ACME,100.25\n2024-02-01,ACME,120\n"
    );
    assert_eq!(d.header("content-type"), "text/csv; charset=utf-8");
    assert_eq!(d.header("cache-control"), "no-store");
    let today = time::OffsetDateTime::now_utc().date();
    assert_eq!(
        d.header("content-disposition"),
        format!("attachment; filename=\"ACME-prices-{today}.csv\"")
    );
    let bob = app.client();
    bob.register("bob@example.com", PW).await;
    let other = download(&app, &bob, &path).await;
    assert_eq!(other.status, 404);
    assert!(!other.body.contains("100.25"), "{}", other.body);
    assert!(other.header("content-type").starts_with("text/html"));
    assert_eq!(download(&app, &b, "/prices/x/prices.csv").await.status, 404);
    app.stop().await;
}

async fn downloads_are_linked_and_need_a_signed_in_user(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (b, acme) = ann(&app).await;
    for page in ["/import", "/settings"] {
        let body = b.get(page).await.body;
        assert!(body.contains("href=\"/export/folio.json\""), "{page}");
        assert!(body.contains("href=\"/export/activities.csv\""), "{page}");
    }
    let stranger = app.client();
    let price = format!("/prices/{acme}/prices.csv");
    for path in ["/export/folio.json", "/export/activities.csv", &price] {
        let r = stranger.get(path).await;
        assert_eq!(r.status, 303, "{path}");
        assert!(
            r.location.as_deref().unwrap_or("").starts_with("/login"),
            "{path}: {:?}",
            r.location
        );
        assert!(!r.body.contains("ACME"), "{path}");
    }
    app.stop().await;
}

on_every_backend!(
    the_json_download_reads_back_into_the_same_activities,
    the_csv_download_has_the_header_and_neutralises_formulas,
    a_price_history_downloads_for_its_owner_only,
    downloads_are_linked_and_need_a_signed_in_user,
);
