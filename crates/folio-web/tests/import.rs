//! The web import flow on SQLite, MariaDB and PostgreSQL: preview writes nothing,
//! confirm writes every row or none, re-import adds nothing, an oversell or a bad row is
//! refused with its line, users and their saved mappings are isolated, limits give 413.

#![allow(clippy::unwrap_used)] // tests: a failed step should panic with its error

mod support;

use folio_db::Backend;
use folio_db::repo::{activities, users};
use support::{Browser, TestApp, csrf_of, spawn_app, spawn_app_with};

const PW: &str = "correct horse battery";
const HEADER: &str = "date,account,kind,symbol,asset_name,asset_currency,asset_class,pricing,quantity,unit_price,amount,fee,tax,currency,note,id,transfer_of";

fn csv(rows: &[&str]) -> String {
    let mut s = format!("{HEADER}\n");
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

fn good() -> String {
    csv(&[
        "2024-01-02,Broker,DEPOSIT,,,,,,,,5000,0,0,EUR,,1,",
        "2024-01-03,Broker,BUY,ACME,Acme Corp,EUR,EQUITY,MANUAL,10,100,,1,0,EUR,,2,",
        "2024-02-01,Broker,SELL,ACME,Acme Corp,EUR,EQUITY,MANUAL,4,120,,1,0,EUR,,3,",
    ])
}

async fn count(app: &TestApp, email: &str) -> usize {
    let email = folio_core::Email::parse(email).unwrap();
    let u = users::find_user_by_email(&app.db, &email)
        .await
        .unwrap()
        .unwrap();
    activities::all_activities(&app.db, u.id)
        .await
        .unwrap()
        .len()
}

/// Uploads `content` and returns the preview page.
async fn upload(b: &Browser, content: &str) -> support::Page {
    b.submit(
        "/import",
        "/import",
        &[("format", "auto"), ("content", content)],
    )
    .await
}

/// Confirms a preview by re-posting what its form holds.
async fn confirm(b: &Browser, preview: &str, content: &str) -> support::Page {
    let marker = "name=\"expected\" value=\"";
    let expected: String = preview
        .split_once(marker)
        .map(|(_, rest)| rest.chars().take_while(|c| *c != '"').collect())
        .unwrap_or_default();
    let fields = [
        ("format", "auto"),
        ("content", content),
        ("expected", expected.as_str()),
        ("csrf", &csrf_of(preview)),
    ];
    b.post("/import/confirm", &fields).await
}

async fn preview_writes_nothing_confirm_writes_all_and_reimport_adds_nothing(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let b = app.client();
    b.register("ann@example.com", PW).await;
    let form = b.get("/import").await;
    assert_eq!(form.status, 200);
    assert!(
        form.body.contains("href=\"/import\" aria-current=\"page\""),
        "nav link"
    );
    let p = upload(&b, &good()).await;
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(
        p.body
            .contains("<strong>3</strong> to import, 0 already stored"),
        "{}",
        p.body
    );
    assert!(p.body.contains("Account <strong>Broker</strong> (EUR)"));
    assert!(p.body.contains("Asset <strong>ACME</strong> Acme Corp"));
    assert_eq!(
        count(&app, "ann@example.com").await,
        0,
        "a preview writes nothing"
    );
    let done = confirm(&b, &p.body, &good()).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(
        done.body
            .contains("Saved 3 activities and 1 new account(s)"),
        "{}",
        done.body
    );
    assert!(
        done.body.contains(">ACME</a>"),
        "links the affected holding"
    );
    assert_eq!(count(&app, "ann@example.com").await, 3);
    let again = upload(&b, &good()).await;
    assert!(
        again
            .body
            .contains("<strong>0</strong> to import, 3 already stored"),
        "{}",
        again.body
    );
    let done = confirm(&b, &again.body, &good()).await;
    assert!(done.body.contains("Saved 0 activities"), "{}", done.body);
    assert_eq!(
        count(&app, "ann@example.com").await,
        3,
        "re-import creates no duplicates"
    );
    app.stop().await;
}

async fn an_oversell_or_a_bad_row_is_named_and_nothing_is_written(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let b = app.client();
    b.register("ann@example.com", PW).await;
    let oversell = csv(&[
        "2024-01-02,Broker,DEPOSIT,,,,,,,,5000,0,0,EUR,,1,",
        "2024-01-03,Broker,BUY,ACME,Acme Corp,EUR,EQUITY,MANUAL,10,100,,1,0,EUR,,2,",
        "2024-02-01,Broker,SELL,ACME,Acme Corp,EUR,EQUITY,MANUAL,40,120,,1,0,EUR,,3,",
    ]);
    let p = upload(&b, &oversell).await;
    assert!(
        p.body.contains("data-line=\"4\""),
        "the sell on line 4 is named: {}",
        p.body
    );
    assert!(p.body.contains("more than is held"), "{}", p.body);
    assert!(
        !p.body.contains("id=\"import-confirm\""),
        "no confirm button"
    );
    let forced = confirm(&b, &p.body, &oversell).await;
    assert_eq!(forced.status, 409);
    let bad = csv(&[
        "2024-01-02,Broker,DEPOSIT,,,,,,,,5000,0,0,EUR,,1,",
        "2024-13-45,Broker,BUY,ACME,Acme Corp,EUR,EQUITY,MANUAL,10,100,,1,0,EUR,,2,",
    ]);
    let p = upload(&b, &bad).await;
    assert!(p.body.contains("line 3, column date"), "{}", p.body);
    assert_eq!(confirm(&b, &p.body, &bad).await.status, 409);
    assert_eq!(
        count(&app, "ann@example.com").await,
        0,
        "nothing half-written"
    );
    app.stop().await;
}

async fn imports_and_saved_mappings_are_private_to_their_user(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (ann, bob) = (app.client(), app.client());
    ann.register("ann@example.com", PW).await;
    bob.register("bob@example.com", PW).await;
    let saved = ann
        .submit(
            "/import",
            "/import/mappings",
            &[
                ("name", "My bank"),
                ("header_row", "1"),
                ("delimiter", "semicolon"),
                ("date_format", "auto"),
                ("decimal", "."),
                ("thousands", ","),
                ("default_kind", "DEPOSIT"),
                ("col_date", "Datum"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let list = ann.get("/import").await.body;
    let id = support::id_after(&list, "href=\"/import/mappings/").unwrap();
    assert!(
        ann.get(&format!("/import/mappings/{id}"))
            .await
            .body
            .contains("Datum")
    );
    assert_eq!(bob.get(&format!("/import/mappings/{id}")).await.status, 404);
    let del = bob
        .submit("/import", &format!("/import/mappings/{id}/delete"), &[])
        .await;
    assert_eq!(del.status, 404);
    assert!(
        ann.get(&format!("/import/mappings/{id}")).await.status == 200,
        "still there"
    );
    let p = upload(&bob, &good()).await;
    confirm(&bob, &p.body, &good()).await;
    assert_eq!(
        (
            count(&app, "bob@example.com").await,
            count(&app, "ann@example.com").await
        ),
        (3, 0)
    );
    app.stop().await;
}

async fn uploads_over_the_size_or_row_limit_are_refused_with_413(backend: Backend) {
    let web = folio_web::WebConfig {
        import_max_bytes: 2_000,
        import_max_rows: 2,
        ..Default::default()
    };
    let Some(app) = spawn_app_with(backend, web, |c| c).await else {
        return;
    };
    let b = app.client();
    b.register("ann@example.com", PW).await;
    let big = format!("{}{}", good(), "#".repeat(3_000));
    let p = upload(&b, &big).await;
    assert_eq!(p.status, 413);
    assert!(p.body.contains("larger than 1.9 KiB"), "{}", p.body);
    let huge = "x".repeat(20_000);
    assert_eq!(
        upload(&b, &huge).await.status,
        413,
        "refused before it is read"
    );
    let p = upload(&b, &good()).await;
    assert_eq!(p.status, 413);
    assert!(p.body.contains("more than 2 rows"), "{}", p.body);
    // The rest of the app keeps its small body limit.
    let other = b
        .submit("/fx", "/fx", &[("base", &"x".repeat(100_000))])
        .await;
    assert_eq!(other.status, 413);
    assert_eq!(count(&app, "ann@example.com").await, 0);
    app.stop().await;
}

/// Settings inside a Folio JSON file are the exporting user's choice: the preview says
/// they are not applied, and the importing user's settings stay.
async fn the_preview_says_a_files_settings_are_not_applied(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let b = app.client();
    assert_eq!(b.register("ann@example.com", PW).await.status, 303);
    let doc = r#"{"format":"folio","version":1,
        "settings":{"base_currency":"USD","lot_method":"AVERAGE","fees_in_cost_basis":false}}"#;
    let preview = upload(&b, doc).await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(
        preview.body.contains("id=\"import-notes\"")
            && preview.body.contains("base currency USD, average cost")
            && preview.body.contains("are not applied"),
        "{}",
        preview.body
    );
    // A CSV carries no settings: no such note.
    let plain = upload(&b, &good()).await;
    assert!(!plain.body.contains("are not applied"));
    app.stop().await;
}

on_every_backend!(
    the_preview_says_a_files_settings_are_not_applied,
    preview_writes_nothing_confirm_writes_all_and_reimport_adds_nothing,
    an_oversell_or_a_bad_row_is_named_and_nothing_is_written,
    imports_and_saved_mappings_are_private_to_their_user,
    uploads_over_the_size_or_row_limit_are_refused_with_413,
);
