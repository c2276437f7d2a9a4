//! Viewing the price and rate histories: odd query strings, privacy mode.

use folio_db::Backend;

use super::support::spawn_app;
use super::{add_price, asset, buy, fixture, user_with_account};

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

pub(crate) async fn privacy_mode_keeps_prices_and_quantities_out_of_forms_and_messages(
    backend: Backend,
) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (b, account) = user_with_account(&app, "ann@example.com").await;
    let vwrl = asset(&b, "VWRL", "EUR", "MANUAL").await;
    buy(&b, &account, &vwrl, "2024-01-10", "10", "100").await;
    assert_eq!(
        add_price(&b, &vwrl, "2024-02-01", "120.5").await.status,
        303
    );
    let edit = format!("/prices/{vwrl}?date=2024-02-01");
    assert!(b.get(&edit).await.body.contains("value=\"120.5\""));
    let hide = [("hide", "on"), ("back", "/dashboard")];
    assert_eq!(
        b.submit("/dashboard", "/settings/privacy", &hide)
            .await
            .status,
        303
    );
    let page = b.get(&edit).await.body;
    assert!(!page.contains("120.5"), "{page}");
    assert!(page.contains("name=\"close\" value=\"\""), "{page}");
    assert!(page.contains("id=\"close-hidden\""));
    let sell = [
        ("type", "SELL"),
        ("date", "2024-03-01"),
        ("account", account.as_str()),
        ("asset", vwrl.as_str()),
        ("quantity", "15"),
        ("unit_price", "130"),
    ];
    let refused = b.submit("/activities/new", "/activities", &sell).await;
    assert!(
        refused
            .body
            .contains("more than is held on 2024-03-01 (switch privacy mode off"),
        "{}",
        refused.body
    );
    assert!(
        !refused.body.contains("holds 10"),
        "the units held stay hidden"
    );
    app.stop().await;
}
