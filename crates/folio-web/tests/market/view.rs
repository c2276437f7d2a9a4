//! Viewing the price and rate histories: odd query strings, privacy mode.

use folio_db::Backend;

use super::fixture;
use super::support::spawn_app;

pub(crate) async fn a_repeated_query_key_opens_the_history_pages_as_usual(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (b, vwrl) = fixture(&app).await;
    for path in [
        format!("/prices/{vwrl}?date=2024-01-31&date=2024-02-01"),
        format!("/prices/{vwrl}?saved=1&saved=2&date=%FF"),
        "/fx/USD/EUR?date=2024-01-01&date=2024-01-02".into(),
        "/fx/USD/EUR?saved=x&saved=y".into(),
    ] {
        let page = b.get(&path).await;
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        assert!(page.body.contains("<html"), "{path}: the project's page");
        assert!(page.body.contains("name=\"date\""), "{path}: with its form");
    }
    app.stop().await;
}
