//! Browser screenshots of the dashboard and income pages on a multi-year portfolio, at
//! desktop and phone width, into `target/e2e/pages-<backend>-*.png`; checks that the
//! page never scrolls sideways and that every chart drawing shown fits its box.
//! Skipped without chromium and chromedriver (except under `CI=true`).

#![allow(clippy::unwrap_used)] // tests: a failed step should panic with its error

mod support;

use std::path::PathBuf;

use folio_db::Backend;
use support::webdriver::{BrowserBinaries, WebDriver};
use support::{Browser, id_after};

const EMAIL: &str = "dora@example.com";
const PW: &str = "correct horse battery";

fn today() -> String {
    time::OffsetDateTime::now_utc().date().to_string()
}

static ONE_BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn ok(b: &Browser, form_page: &str, action: &str, fields: &[(&str, &str)]) -> Option<String> {
    let r = b.submit(form_page, action, fields).await;
    assert_eq!(r.status, 303, "{action} {fields:?}: {}", r.body);
    r.location
}

async fn asset(b: &Browser, symbol: &str, currency: &str, class: &str) -> String {
    let fields = [
        ("symbol", symbol),
        ("name", symbol),
        ("currency", currency),
        ("class", class),
        ("pricing", "MANUAL"),
    ];
    let loc = ok(b, "/assets/new", "/assets", &fields).await.unwrap();
    loc.trim_start_matches("/assets/").to_owned()
}

/// Month `i` months after January 2023, as the 1st of that month.
fn month(i: i64) -> String {
    format!("{}-{:02}-01", 2023 + i / 12, i % 12 + 1)
}

/// Three years of a two-account, three-asset, two-currency portfolio.
async fn seed(b: &Browser) {
    assert_eq!(b.register(EMAIL, PW).await.status, 303);
    let broker = [
        ("name", "Brokerage"),
        ("currency", "EUR"),
        ("tracks_cash", "on"),
    ];
    ok(b, "/accounts/new", "/accounts", &broker).await;
    let brokerage = id_after(&b.get("/accounts").await.body, "/accounts/").unwrap();
    ok(
        b,
        "/accounts/new",
        "/accounts",
        &[("name", "Wallet"), ("currency", "EUR")],
    )
    .await;
    let page = b.get("/accounts").await.body;
    let wallet = page
        .match_indices("/accounts/")
        .filter_map(|(i, _)| {
            let id: String = page[i + 10..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            (!id.is_empty() && id != brokerage).then_some(id)
        })
        .next()
        .unwrap_or_else(|| panic!("a second account on {page}"));
    let (vwrl, msft, btc) = (
        asset(b, "VWRL", "EUR", "FUND").await,
        asset(b, "MSFT", "USD", "EQUITY").await,
        asset(b, "BTC", "EUR", "CRYPTO").await,
    );
    for i in 0..47 {
        let d = month(i);
        let fx = format!("0.{}", 88 + (i * 5) % 7);
        ok(
            b,
            "/fx",
            "/fx",
            &[
                ("base", "USD"),
                ("quote", "EUR"),
                ("date", &d),
                ("rate", &fx),
            ],
        )
        .await;
        for (id, price) in [
            (&vwrl, 100 + i * 3 / 2 + ((i * 7) % 11 - 5) * 2),
            (&msft, 250 + i * 4 + ((i * 5) % 9 - 4) * 8),
            (&btc, 20_000 + i * 900 + ((i * 3) % 7 - 3) * 3_000),
        ] {
            let close = price.to_string();
            ok(
                b,
                &format!("/assets/{id}"),
                &format!("/assets/{id}/prices"),
                &[("date", &d), ("close", &close)],
            )
            .await;
        }
    }
    let act = |kind: &'static str,
               date: &'static str,
               account: &str,
               asset: &str,
               q: &'static str,
               p: &'static str,
               amount: &'static str| {
        vec![
            ("type", kind),
            ("date", date),
            ("account", account.to_owned().leak()),
            ("asset", asset.to_owned().leak()),
            ("quantity", q),
            ("unit_price", p),
            ("amount", amount),
        ]
    };
    for fields in [
        act("DEPOSIT", "2023-01-03", &brokerage, "", "", "", "20000"),
        act("BUY", "2023-01-05", &brokerage, &vwrl, "80", "100", ""),
        act("BUY", "2023-02-10", &brokerage, &msft, "12", "260", ""),
        act("BUY", "2023-03-01", &wallet, &btc, "0.1", "21000", ""),
        act("DIVIDEND", "2023-06-20", &brokerage, &vwrl, "", "", "48"),
        act("DIVIDEND", "2023-12-20", &brokerage, &vwrl, "", "", "52"),
        act("DEPOSIT", "2024-01-10", &brokerage, "", "", "", "5000"),
        act("BUY", "2024-01-11", &brokerage, &vwrl, "30", "118", ""),
        act("DIVIDEND", "2024-03-14", &brokerage, &msft, "", "", "9"),
        act("DIVIDEND", "2024-06-20", &brokerage, &vwrl, "", "", "70"),
        act("SELL", "2024-09-02", &brokerage, &msft, "4", "400", ""),
        act("DIVIDEND", "2024-12-20", &brokerage, &vwrl, "", "", "75"),
        act("INTEREST", "2025-01-31", &brokerage, "", "", "", "31.5"),
        act("DIVIDEND", "2025-06-20", &brokerage, &vwrl, "", "", "82"),
        act("WITHDRAWAL", "2025-08-01", &brokerage, "", "", "", "3000"),
        act("DIVIDEND", "2025-12-19", &brokerage, &vwrl, "", "", "86"),
        act("DIVIDEND", "2026-06-19", &brokerage, &vwrl, "", "", "91"),
    ] {
        let fields: Vec<(&str, &str)> = fields.into_iter().filter(|f| !f.1.is_empty()).collect();
        ok(b, "/activities/new", "/activities", &fields).await;
    }
}

/// Asserts the page has no sideways scroll and every visible chart drawing fits.
async fn fits(wd: &WebDriver, what: &str) {
    let r = wd
        .execute(
            "const over = [...document.querySelectorAll('svg')].filter(s => s.getBoundingClientRect().width > 0 \
             && s.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length; \
             return [document.documentElement.scrollWidth <= window.innerWidth, over];",
            vec![],
        )
        .await;
    let errors = wd.console_errors().await;
    assert!(
        errors.is_empty(),
        "{what}: browser console errors {errors:#?}"
    );
    assert_eq!(
        r,
        serde_json::json!([true, 0]),
        "{what}: no sideways scroll, charts inside"
    );
}

async fn dashboard_and_income_screenshots_in_chromium(backend: Backend) {
    let Some(bins) = BrowserBinaries::locate() else {
        return;
    };
    let _one = ONE_BROWSER.lock().await;
    let Some(app) = support::spawn_app(backend).await else {
        return;
    };
    seed(&app.client()).await;
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e");
    std::fs::create_dir_all(&dir).unwrap();
    let prefix = format!("pages-{}-", backend.name());
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    let shot = |name: &str| dir.join(format!("pages-{}-{name}.png", backend.name()));
    let wd = WebDriver::start(
        &bins,
        &dir.join(format!("pages-{}-chromedriver.log", backend.name())),
    )
    .await;
    wd.goto(&app.url("/login")).await;
    wd.fill("form[action='/login'] input[name=email]", EMAIL)
        .await;
    wd.fill("form[action='/login'] input[name=password]", PW)
        .await;
    wd.click_to_navigate("form[action='/login'] button[type=submit]")
        .await;
    wd.wait_for_path("/dashboard").await;
    for (width, height, label) in [(1280, 2600, "desktop"), (820, 3000, "tablet")] {
        wd.set_window_size(width, height).await;
        wd.goto(&app.url("/dashboard?range=MAX")).await;
        wd.wait_for_text("#range-label", "MAX").await;
        wd.execute(
            "document.querySelector('#explanation').open = true;",
            vec![],
        )
        .await;
        fits(&wd, label).await;
        // The script's instant tooltip: the last band of the drawing shown holds today.
        let tip = wd
            .execute(
                "const bands = [...document.querySelectorAll('#value-chart svg .band')] \
                 .filter(b => b.getBoundingClientRect().width > 0); \
                 bands[bands.length - 1].dispatchEvent(new MouseEvent('mouseover', {bubbles: true})); \
                 return document.querySelector('#value-chart .chart-tip').textContent;",
                vec![],
            )
            .await;
        let tip = tip.as_str().unwrap_or_default().to_owned();
        // Leaving the band puts its <title> (the accessible text) back; the tip is no
        // live region announcing every mouse move.
        let after = wd
            .execute(
                "const bands = [...document.querySelectorAll('#value-chart svg .band')] \
                 .filter(b => b.getBoundingClientRect().width > 0); \
                 const band = bands[bands.length - 1]; \
                 band.dispatchEvent(new MouseEvent('mouseout', {bubbles: true})); \
                 const t = document.querySelector('#value-chart .chart-tip'); \
                 return [band.querySelector('title')?.textContent ?? '', t.getAttribute('role'), t.hidden];",
                vec![],
            )
            .await;
        assert_eq!(after[0].as_str(), Some(tip.as_str()), "{label}: {after}");
        assert_eq!(
            (&after[1], &after[2]),
            (&serde_json::Value::Null, &serde_json::json!(true))
        );
        let value = wd.text(&wd.find("#kpi-value").await).await;
        assert!(
            tip.starts_with(&today()) && tip.contains(&format!("Value: {value}")),
            "{label}: {tip}"
        );
        wd.screenshot(&shot(&format!("dashboard-{label}"))).await;
        wd.goto(&app.url("/income")).await;
        wd.wait_for_text("h1", "Income").await;
        fits(&wd, label).await;
        wd.screenshot(&shot(&format!("income-{label}"))).await;
    }
    // A phone screen at a time, so the pictures are legible.
    wd.set_window_size(390, 844).await;
    for (path, parts) in [
        (
            "/dashboard?range=MAX",
            &[
                "h1",
                "#performance",
                "#value-chart",
                "#explanation",
                "#allocation",
                "#holdings",
            ][..],
        ),
        (
            "/income",
            &[
                "h1",
                "#income-monthly",
                "#income-months",
                "#income-holdings",
            ][..],
        ),
    ] {
        wd.goto(&app.url(path)).await;
        wd.find(parts[1]).await;
        wd.execute(
            "const e = document.querySelector('#explanation'); if (e) e.open = true;",
            vec![],
        )
        .await;
        fits(&wd, path).await;
        let page = if path.starts_with("/income") {
            "income"
        } else {
            "dashboard"
        };
        for (i, css) in parts.iter().enumerate() {
            let e = wd.find(css).await;
            wd.execute(
                "arguments[0].scrollIntoView({block: 'start'});",
                vec![e.to_json()],
            )
            .await;
            wd.screenshot(&shot(&format!("{page}-phone-{i}"))).await;
        }
    }
    // Chart colours are CSS variables: the theme attribute on <html> switches them.
    wd.goto(&app.url("/dashboard")).await;
    let colours = wd
        .execute(
            "const line = () => getComputedStyle(document.querySelector('#value-chart svg .line')).stroke; \
             const light = line(); document.documentElement.dataset.theme = 'dark'; const dark = line(); \
             document.documentElement.dataset.theme = 'light'; return [light, dark, line()];",
            vec![],
        )
        .await;
    assert_eq!(
        colours,
        serde_json::json!(["rgb(29, 95, 209)", "rgb(110, 162, 255)", "rgb(29, 95, 209)"]),
        "light, dark, light"
    );
    wd.set_window_size(1280, 1400).await;
    wd.goto(&app.url("/dashboard?range=custom&start=2024-13-01"))
        .await;
    wd.wait_for_text("#range-error", "Start date").await;
    wd.screenshot(&shot("dashboard-bad-range")).await;
    wd.goto(&app.url("/dashboard?range=1W")).await;
    wd.screenshot(&shot("dashboard-1w")).await;
    drop(wd);
    app.stop().await;
}

/// The demo portfolio (six years, several currencies, crypto, a property) at desktop
/// and phone width, into `target/e2e/demo-<backend>-*.png`.
async fn the_demo_portfolio_in_chromium(backend: Backend) {
    let Some(bins) = BrowserBinaries::locate() else {
        return;
    };
    let _one = ONE_BROWSER.lock().await;
    let Some(app) = support::spawn_app(backend).await else {
        return;
    };
    let seeded = folio_web::demo::seed(&app.db).await.unwrap();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e");
    std::fs::create_dir_all(&dir).unwrap();
    let shot = |name: &str| dir.join(format!("demo-{}-{name}.png", backend.name()));
    let wd = WebDriver::start(
        &bins,
        &dir.join(format!("demo-{}-chromedriver.log", backend.name())),
    )
    .await;
    wd.goto(&app.url("/login")).await;
    wd.fill("form[action='/login'] input[name=email]", seeded.email)
        .await;
    wd.fill(
        "form[action='/login'] input[name=password]",
        seeded.password,
    )
    .await;
    wd.click_to_navigate("form[action='/login'] button[type=submit]")
        .await;
    wd.wait_for_path("/dashboard").await;
    for (width, height, label) in [(1280, 2800, "desktop"), (390, 844, "phone")] {
        wd.set_window_size(width, height).await;
        for (path, name) in [
            ("/dashboard", "dashboard"),
            ("/dashboard?range=MAX", "dashboard-max"),
            ("/income", "income"),
        ] {
            wd.goto(&app.url(path)).await;
            wd.find("h1").await;
            fits(&wd, &format!("demo {path} {label}")).await;
            wd.screenshot(&shot(&format!("{name}-{label}"))).await;
        }
    }
    // On the phone, the charts one screen at a time.
    wd.goto(&app.url("/dashboard?range=MAX")).await;
    let holdings_fit = wd
        .execute(
            "const t = document.querySelector('#holdings'); \
             return t.scrollWidth <= t.parentElement.clientWidth;",
            vec![],
        )
        .await;
    assert_eq!(
        holdings_fit,
        serde_json::json!(true),
        "top holdings fit a phone"
    );
    for (i, css) in ["#value-chart", "#allocation", "#holdings"]
        .iter()
        .enumerate()
    {
        let e = wd.find(css).await;
        wd.execute(
            "arguments[0].scrollIntoView({block: 'start'});",
            vec![e.to_json()],
        )
        .await;
        wd.screenshot(&shot(&format!("dashboard-phone-{i}"))).await;
    }
    wd.goto(&app.url("/income")).await;
    let e = wd.find("#income-monthly").await;
    wd.execute(
        "arguments[0].scrollIntoView({block: 'start'});",
        vec![e.to_json()],
    )
    .await;
    wd.screenshot(&shot("income-phone-charts")).await;
    drop(wd);
    app.stop().await;
}

on_every_backend!(
    dashboard_and_income_screenshots_in_chromium,
    the_demo_portfolio_in_chromium,
);
