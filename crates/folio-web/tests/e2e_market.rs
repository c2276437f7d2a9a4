//! Prices, FX and display settings in a real Chromium: screenshots of the price list, a
//! price history, the missing page and an FX pair in light and dark theme, at desktop
//! and phone width, a paste with bad lines, and privacy mode switched from the
//! navigation; into `target/e2e/market-<backend>-*.png`. Checks that no page scrolls
//! sideways and the browser console stays free of errors. Skipped without chromium and
//! chromedriver (except under `CI=true`).

#![allow(clippy::unwrap_used)] // tests: a failed step should panic with its error

mod support;

use std::path::PathBuf;

use folio_db::Backend;
use support::webdriver::{BrowserBinaries, WebDriver};
use support::{Browser, id_after};

const EMAIL: &str = "mia@example.com";
const PW: &str = "correct horse battery";

static ONE_BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn ok(b: &Browser, form_page: &str, action: &str, fields: &[(&str, &str)]) -> String {
    let r = b.submit(form_page, action, fields).await;
    assert_eq!(r.status, 303, "{action} {fields:?}: {}", r.body);
    r.location.unwrap_or_default()
}

/// A EUR account holding a fund with two years of monthly prices (pasted), a property
/// valued by hand, and a USD share without any rate; GBP/EUR rates pasted.
async fn seed(b: &Browser) -> String {
    assert_eq!(b.register(EMAIL, PW).await.status, 303);
    let acc = [
        ("name", "Broker"),
        ("currency", "EUR"),
        ("tracks_cash", "on"),
    ];
    ok(b, "/accounts/new", "/accounts", &acc).await;
    let account = id_after(&b.get("/accounts").await.body, "/accounts/").unwrap();
    let mut ids = Vec::new();
    for (symbol, ccy, pricing) in [
        ("VWRL", "EUR", "MARKET"),
        ("FLAT", "EUR", "MANUAL"),
        ("MSFT", "USD", "MARKET"),
    ] {
        let fields = [
            ("symbol", symbol),
            ("name", symbol),
            ("currency", ccy),
            ("class", "FUND"),
            ("pricing", pricing),
        ];
        let loc = ok(b, "/assets/new", "/assets", &fields).await;
        ids.push(loc.trim_start_matches("/assets/").to_owned());
    }
    for (id, qty, price) in [
        (&ids[0], "40", "100"),
        (&ids[1], "1", "250000"),
        (&ids[2], "5", "300"),
    ] {
        let buy = [
            ("type", "BUY"),
            ("date", "2024-01-05"),
            ("account", account.as_str()),
            ("asset", id.as_str()),
            ("quantity", qty),
            ("unit_price", price),
        ];
        ok(b, "/activities/new", "/activities", &buy).await;
    }
    let mut lines = String::from("date,close\n");
    let mut rates = String::new();
    for i in 0..24_i64 {
        let (y, m) = (2024 + i / 12, i % 12 + 1);
        lines.push_str(&format!("{y}-{m:02}-01,{}\n", 100 + i * 2 + (i * 7) % 5));
        rates.push_str(&format!("{y}-{m:02}-01,1.{}\n", 15 + (i * 3) % 6));
    }
    let vwrl = &ids[0];
    ok(
        b,
        &format!("/prices/{vwrl}"),
        &format!("/prices/{vwrl}/paste"),
        &[("lines", &lines)],
    )
    .await;
    ok(b, "/fx/GBP/EUR", "/fx/GBP/EUR/paste", &[("lines", &rates)]).await;
    let flat = format!("/prices/{}", ids[1]);
    ok(
        b,
        &flat,
        &flat,
        &[("date", "2025-06-30"), ("close", "262000")],
    )
    .await;
    vwrl.clone()
}

/// Asserts the page has no sideways scroll and the console has no errors.
async fn fits(wd: &WebDriver, what: &str) {
    let r = wd
        .execute(
            "return document.documentElement.scrollWidth <= window.innerWidth;",
            vec![],
        )
        .await;
    assert_eq!(r, serde_json::json!(true), "{what}: no sideways scroll");
    let errors = wd.console_errors().await;
    assert!(errors.is_empty(), "{what}: console errors {errors:?}");
}

async fn prices_fx_and_themes_in_chromium(backend: Backend) {
    let Some(bins) = BrowserBinaries::locate() else {
        return;
    };
    let _one = ONE_BROWSER.lock().await;
    let Some(app) = support::spawn_app(backend).await else {
        return;
    };
    let vwrl = seed(&app.client()).await;
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e");
    std::fs::create_dir_all(&dir).unwrap();
    let shot = |name: &str| dir.join(format!("market-{}-{name}.png", backend.name()));
    let log = dir.join(format!("market-{}-chromedriver.log", backend.name()));
    let wd = WebDriver::start(&bins, &log).await;
    wd.goto(&app.url("/login")).await;
    wd.fill("form[action='/login'] input[name=email]", EMAIL)
        .await;
    wd.fill("form[action='/login'] input[name=password]", PW)
        .await;
    wd.click_to_navigate("form[action='/login'] button[type=submit]")
        .await;
    wd.wait_for_path("/dashboard").await;
    let history = format!("/prices/{vwrl}");
    let pages = [
        ("prices", "/prices", "#price-list"),
        ("history", history.as_str(), "#prices"),
        ("missing", "/prices/missing", "#missing-rates"),
        ("fx", "/fx", "#fx-pairs"),
        ("fx-pair", "/fx/GBP/EUR", "#fx-rates"),
    ];
    for theme in ["LIGHT", "DARK"] {
        wd.goto(&app.url("/settings")).await;
        wd.select("select[name=theme]", theme).await;
        wd.click_to_navigate("form[action='/settings/display'] button[type=submit]")
            .await;
        wd.wait_for_path("/settings#appearance").await;
        let css = theme.to_ascii_lowercase();
        let html = wd.find("html").await;
        assert_eq!(wd.attribute(&html, "data-theme").await, css);
        for (width, height, size) in [(1280, 1500, "desktop"), (390, 844, "phone")] {
            wd.set_window_size(width, height).await;
            for (name, path, part) in &pages {
                wd.goto(&app.url(path)).await;
                wd.find(part).await;
                fits(&wd, &format!("{name} {css} {size}")).await;
                wd.screenshot(&shot(&format!("{name}-{css}-{size}"))).await;
            }
        }
    }
    // A paste with bad lines: every line reported, the text kept.
    wd.set_window_size(1280, 1500).await;
    wd.goto(&app.url(&history)).await;
    wd.fill(
        "#paste-form textarea",
        "2026-01-01,101\n2026-02-30,1\n2026-03-01,-4",
    )
    .await;
    wd.click_to_navigate("#paste-form button[type=submit]")
        .await;
    wd.wait_for_text("#paste-errors", "Line 2").await;
    wd.wait_for_text("#paste-errors", "Line 3").await;
    let kept = wd
        .execute(
            "return document.querySelector('#paste-form textarea').value;",
            vec![],
        )
        .await;
    assert!(
        kept.as_str().unwrap_or("").contains("2026-02-30,1"),
        "{kept}"
    );
    wd.execute(
        "document.querySelector('#price-paste').scrollIntoView();",
        vec![],
    )
    .await;
    wd.screenshot(&shot("paste-errors")).await;
    // The refused paste answers 422, which Chromium logs; nothing else may be there.
    let errors = wd.console_errors().await;
    assert!(
        errors
            .iter()
            .all(|e| e.contains("/paste") && e.contains("422")),
        "{errors:?}"
    );
    // Privacy mode from the navigation, back on the same page.
    wd.goto(&app.url(&history)).await;
    wd.click_to_navigate("#privacy-toggle button").await;
    wd.wait_for_path(&history).await;
    wd.wait_for_text("#prices", "•••").await;
    wd.wait_for_text("#privacy-toggle", "Show amounts").await;
    fits(&wd, "privacy").await;
    wd.screenshot(&shot("history-privacy")).await;
    wd.goto(&app.url("/activities")).await;
    wd.wait_for_text("#activities", "••• × •••").await;
    wd.screenshot(&shot("activities-privacy")).await;
    drop(wd);
    app.stop().await;
}

on_every_backend!(prices_fx_and_themes_in_chromium);
