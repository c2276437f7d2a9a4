//! Prices, FX rates and display settings (theme, privacy mode) over real HTTP, every
//! test on SQLite, MariaDB and PostgreSQL.

#![allow(clippy::unwrap_used)] // tests: a failed step should panic with its error

mod support;

use folio_db::Backend;
use support::{Browser, TestApp, spawn_app};

const PW: &str = "correct horse battery";

/// A day `days` before today, as the forms take it.
fn days_ago(days: i64) -> String {
    (time::OffsetDateTime::now_utc().date() - time::Duration::days(days)).to_string()
}

/// Registers a user with a EUR account; returns the browser and the account id.
async fn user_with_account(app: &TestApp, email: &str) -> (Browser, String) {
    let b = app.client();
    assert_eq!(b.register(email, PW).await.status, 303);
    let r = b
        .submit(
            "/accounts/new",
            "/accounts",
            &[
                ("name", "Broker"),
                ("currency", "EUR"),
                ("tracks_cash", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let account = support::id_after(&b.get("/accounts").await.body, "/accounts/").unwrap();
    (b, account)
}

/// Creates an asset and returns its id.
async fn asset(b: &Browser, symbol: &str, currency: &str, pricing: &str) -> String {
    let r = b
        .submit(
            "/assets/new",
            "/assets",
            &[
                ("symbol", symbol),
                ("name", symbol),
                ("currency", currency),
                ("class", "FUND"),
                ("pricing", pricing),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    r.location
        .unwrap()
        .trim_start_matches("/assets/")
        .to_owned()
}

async fn buy(b: &Browser, account: &str, asset: &str, date: &str, qty: &str, price: &str) {
    let r = b
        .submit(
            "/activities/new",
            "/activities",
            &[
                ("type", "BUY"),
                ("date", date),
                ("account", account),
                ("asset", asset),
                ("quantity", qty),
                ("unit_price", price),
                ("fee", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
}

async fn add_price(b: &Browser, asset: &str, date: &str, close: &str) -> support::Page {
    let page = format!("/prices/{asset}");
    b.submit(&page, &page, &[("date", date), ("close", close)])
        .await
}

/// Ann holds 10 VWRL bought at 100 (+1 fee), priced 120.5: value 1,205.00, cost
/// 1,001.00, gain +204.00 (+20.38%); a USD/EUR rate of 0.9 exists.
async fn fixture(app: &TestApp) -> (Browser, String) {
    let (b, account) = user_with_account(app, "ann@example.com").await;
    let vwrl = asset(&b, "VWRL", "EUR", "MANUAL").await;
    buy(&b, &account, &vwrl, "2024-01-10", "10", "100").await;
    assert_eq!(add_price(&b, &vwrl, "2024-01-31", "110").await.status, 303);
    assert_eq!(
        add_price(&b, &vwrl, "2024-02-01", "120.5").await.status,
        303
    );
    let rate = [("date", "2024-01-01"), ("rate", "0.9")];
    assert_eq!(b.submit("/fx", "/fx/USD/EUR", &rate).await.status, 303);
    (b, vwrl)
}

/// The page without SVG geometry (path data and coordinates are pixels, not amounts;
/// chart labels and tooltips stay and are checked).
fn without_geometry(html: &str) -> String {
    const GEOMETRY: [&str; 12] = [
        "d", "x", "y", "x1", "x2", "y1", "y2", "width", "height", "viewBox", "cx", "cy",
    ];
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    'scan: while let Some(i) = rest.find("=\"") {
        let name_start = rest[..i].rfind(' ').map_or(0, |s| s + 1);
        if GEOMETRY.contains(&&rest[name_start..i])
            && let Some(end) = rest[i + 2..].find('"')
        {
            out.push_str(&rest[..name_start]);
            rest = &rest[i + 2 + end + 1..];
            continue 'scan;
        }
        out.push_str(&rest[..i + 2]);
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    out
}

const AMOUNTS: [&str; 5] = ["1,205.00", "1,001.00", "+204.00", "120.5", "10 ×"];

async fn privacy_mode_hides_every_amount_and_keeps_percentages(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (b, vwrl) = fixture(&app).await;
    let pages = [
        "/dashboard".to_owned(),
        "/activities".into(),
        "/accounts".into(),
        "/holdings".into(),
        format!("/holdings/{vwrl}"),
        "/performance".into(),
        "/income".into(),
        "/assets".into(),
        format!("/assets/{vwrl}"),
        "/prices".into(),
        format!("/prices/{vwrl}"),
        "/prices/missing".into(),
        "/fx".into(),
        "/fx/USD/EUR".into(),
    ];
    let dash = b.get("/dashboard").await.body;
    assert!(
        dash.contains("1,205.00") && dash.contains("+20.38%"),
        "{dash}"
    );
    assert!(
        b.get(&format!("/prices/{vwrl}"))
            .await
            .body
            .contains("120.5")
    );
    // Pages that remember their figures must not serve the unmasked ones afterwards.
    for path in ["/performance", "/holdings", "/accounts"] {
        let body = b.get(path).await.body;
        assert!(AMOUNTS[..3].iter().any(|a| body.contains(a)), "{path}");
    }
    // The toggle in the navigation returns to the page it was used on.
    let r = b
        .submit(
            "/activities",
            "/settings/privacy",
            &[("hide", "on"), ("back", "/activities?page=1")],
        )
        .await;
    assert_eq!(
        (r.status, r.location.as_deref()),
        (303, Some("/activities?page=1"))
    );
    for path in &pages {
        let page = b.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        let text = without_geometry(&page.body);
        for amount in AMOUNTS {
            if let Some(i) = text.find(amount) {
                let from = text.floor_char_boundary(i.saturating_sub(200));
                panic!("{path} shows {amount}: …{}", &text[from..i + 20]);
            }
        }
        assert!(
            page.body.contains("Show amounts"),
            "{path}: the toggle is on every page"
        );
    }
    let dash = b.get("/dashboard").await.body;
    assert!(
        dash.contains("+20.38%") && dash.contains("•••"),
        "percentages stay"
    );
    assert!(
        b.get(&format!("/prices/{vwrl}"))
            .await
            .body
            .contains("+9.55%"),
        "the change from 110 to 120.5 stays"
    );
    assert!(
        b.get("/fx").await.body.contains("0.9"),
        "rates are not amounts"
    );
    // The JSON API keeps returning real amounts.
    let api: serde_json::Value = b
        .http
        .get(app.url("/api/v1/holdings"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(api.to_string().contains("1205"), "{api}");
    // The choice survives logging out and in, and only Ann has it.
    assert_eq!(b.submit("/dashboard", "/logout", &[]).await.status, 303);
    assert_eq!(b.login("ann@example.com", PW).await.status, 303);
    assert!(!b.get("/dashboard").await.body.contains("1,205.00"));
    let bob = app.client();
    bob.register("bob@example.com", PW).await;
    assert!(bob.get("/dashboard").await.body.contains("Hide amounts"));
    let r = b
        .submit(
            "/dashboard",
            "/settings/privacy",
            &[("hide", "off"), ("back", "/dashboard")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(b.get("/dashboard").await.body.contains("1,205.00"));
    app.stop().await;
}

async fn the_privacy_toggle_only_returns_to_local_paths(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (b, _) = user_with_account(&app, "ann@example.com").await;
    for back in [
        "//evil.example/x",
        "https://evil.example/",
        "/\\evil.example",
        "",
        "/a b",
    ] {
        let r = b
            .submit(
                "/dashboard",
                "/settings/privacy",
                &[("hide", "on"), ("back", back)],
            )
            .await;
        assert_eq!(
            (r.status, r.location.as_deref()),
            (303, Some("/dashboard")),
            "{back:?}"
        );
    }
    let r = b
        .submit(
            "/dashboard",
            "/settings/privacy",
            &[("hide", "maybe"), ("back", "/")],
        )
        .await;
    assert_eq!(r.status, 400);
    let r = b
        .post("/settings/privacy", &[("hide", "off"), ("csrf", "forged")])
        .await;
    assert_eq!(r.status, 403);
    assert!(
        b.get("/dashboard").await.body.contains("Show amounts"),
        "still on"
    );
    app.stop().await;
}

async fn the_theme_is_stored_per_user_and_drawn_on_every_page(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (b, _) = user_with_account(&app, "ann@example.com").await;
    assert!(
        b.get("/dashboard")
            .await
            .body
            .contains("data-theme=\"system\"")
    );
    let r = b
        .submit("/settings", "/settings/display", &[("theme", "DARK")])
        .await;
    assert_eq!(
        (r.status, r.location.as_deref()),
        (303, Some("/settings#appearance"))
    );
    for path in ["/dashboard", "/prices", "/fx", "/settings", "/no/such/page"] {
        let body = b.get(path).await.body;
        assert!(body.contains("data-theme=\"dark\""), "{path}");
    }
    let r = b
        .submit(
            "/settings",
            "/settings/display",
            &[("theme", "PURPLE"), ("privacy_mode", "on")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("data-field=\"theme\""), "{}", r.body);
    assert_eq!(b.submit("/dashboard", "/logout", &[]).await.status, 303);
    assert!(
        b.get("/login").await.body.contains("data-theme=\"system\""),
        "signed out"
    );
    assert_eq!(b.login("ann@example.com", PW).await.status, 303);
    let dash = b.get("/dashboard").await.body;
    assert!(dash.contains("data-theme=\"dark\""), "kept across login");
    assert!(
        dash.contains("Hide amounts"),
        "the refused form changed nothing"
    );
    let r = b
        .submit(
            "/settings",
            "/settings/display",
            &[("theme", "LIGHT"), ("privacy_mode", "on")],
        )
        .await;
    assert_eq!(r.status, 303);
    let settings = b.get("/settings").await.body;
    assert!(settings.contains("data-theme=\"light\"") && settings.contains("Show amounts"));
    let bob = app.client();
    bob.register("bob@example.com", PW).await;
    assert!(
        bob.get("/dashboard")
            .await
            .body
            .contains("data-theme=\"system\"")
    );
    app.stop().await;
}

on_every_backend!(
    privacy_mode_hides_every_amount_and_keeps_percentages,
    the_privacy_toggle_only_returns_to_local_paths,
    the_theme_is_stored_per_user_and_drawn_on_every_page,
    pasted_prices_are_saved_all_or_nothing,
    a_two_thousand_line_paste_fits_in_one_request,
    price_forms_refuse_bad_input_keep_it_and_write_nothing,
    another_users_or_an_unknown_asset_is_404,
    fx_pairs_take_single_rates_and_pastes,
    the_missing_page_lists_what_keeps_the_portfolio_from_being_valued,
    a_repeated_query_key_opens_the_history_pages_as_usual,
    privacy_mode_keeps_prices_and_quantities_out_of_forms_and_messages,
);

// Price and rate entry (forms, paste box, missing page) live in their own file.
#[path = "market/entry.rs"]
mod entry;
use entry::*;
#[path = "market/view.rs"]
mod view;
use view::*;
