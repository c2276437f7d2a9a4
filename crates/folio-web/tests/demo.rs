//! The demo portfolio on every backend: seeded once through the repositories, computed
//! by the engine, and shown to its user with the "Demo portfolio" badge.

#![allow(clippy::unwrap_used)] // tests: a failed step should panic with its error

mod support;

use folio_core::demo::{DEMO_EMAIL, DEMO_PASSWORD};
use folio_db::Backend;
use folio_db::models::ActivityFilter;
use folio_db::repo::{activities, users};
use rust_decimal::Decimal;
use support::spawn_app;

async fn the_demo_is_seeded_once_computes_and_is_labelled(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let started = std::time::Instant::now();
    let first = folio_web::demo::seed(&app.db).await.unwrap();
    println!("{} seed: {:?}", backend.name(), started.elapsed());
    let today = time::OffsetDateTime::now_utc().date();
    let expected = folio_core::demo::generate(today);
    assert!(first.created);
    assert_eq!(
        first.activities,
        u64::try_from(expected.activities.len()).unwrap()
    );
    assert_eq!(first.prices, expected.price_count());
    assert_eq!(first.fx_rates, expected.fx_count());
    // The engine valued the stored portfolio (Portfolio::build succeeded on it).
    assert!(first.value > Decimal::from(300_000), "{}", first.value);

    let again = folio_web::demo::seed(&app.db).await.unwrap();
    assert!(!again.created, "a second seed writes nothing");
    assert_eq!(
        (again.activities, again.prices, again.fx_rates, again.value),
        (first.activities, first.prices, first.fx_rates, first.value)
    );
    let demo_users = users::list_users(&app.db).await.unwrap();
    assert_eq!(demo_users.len(), 1);
    let id = demo_users[0].id;
    let all = ActivityFilter::default();
    let stored = activities::list_activities(&app.db, id, &all, 0, 1).await;
    assert_eq!(stored.unwrap().total, first.activities);

    let b = app.client();
    assert_eq!(b.login(DEMO_EMAIL, DEMO_PASSWORD).await.status, 303);
    let page = b.get("/dashboard").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Demo portfolio"), "badge shown");
    assert!(page.body.contains("Apartment, Lisbon") && page.body.contains("Contoso Systems"));
    assert!(!page.body.contains("no price") && !page.body.contains("cannot be computed"));

    let other = app.client();
    assert_eq!(
        other
            .register("ann@example.com", "correct horse battery")
            .await
            .status,
        303
    );
    assert!(
        !other
            .get("/dashboard")
            .await
            .body
            .contains("Demo portfolio")
    );
    app.stop().await;
}

on_every_backend!(the_demo_is_seeded_once_computes_and_is_labelled);
