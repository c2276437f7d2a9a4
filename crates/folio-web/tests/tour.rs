//! The newcomer's tour: the demo portfolio is seeded, and a real headless Chromium
//! walks every page the navigation offers — plus a holding, a price history and an FX
//! pair reached through their links — in light and dark theme and at a phone's width.
//!
//! Each view is photographed whole to `target/e2e/tour-<mode>-<page>.png` and must have an
//! `<h1>`, must not be an error page, must leave the browser console free of errors,
//! and (on the phone) must not scroll sideways as a whole. The pages the issue names
//! must all be in the navigation. Runs on SQLite: the other backends are covered page
//! by page by the integration tests.

#![allow(clippy::unwrap_used)] // tests: a failed step should panic with its error

mod support;

use std::path::PathBuf;
use std::sync::Arc;

use folio_db::Backend;
use serde_json::json;
use support::webdriver::{BrowserBinaries, WebDriver};

/// Pages a user must reach from the navigation on every page.
const REQUIRED: [&str; 9] = [
    "/dashboard",
    "/holdings",
    "/performance",
    "/income",
    "/accounts",
    "/activities",
    "/prices",
    "/fx",
    "/settings",
];

/// The three ways the tour looks at every page.
#[derive(Clone, Copy, Debug)]
enum Mode {
    Light,
    Dark,
    Phone,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Self::Light => "light",
            Self::Dark => "dark",
            Self::Phone => "phone",
        }
    }
}

#[tokio::test]
async fn the_demo_portfolio_fills_every_page_in_light_dark_and_phone_views() {
    let Some(bins) = BrowserBinaries::locate() else {
        return;
    };
    let Some(app) = support::spawn_app(Backend::Sqlite).await else {
        return;
    };
    let seeded = folio_web::demo::seed(&app.db).await.unwrap();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e");
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        if entry.file_name().to_string_lossy().starts_with("tour-") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    let wd = Arc::new(WebDriver::start(&bins, &dir.join("tour-chromedriver.log")).await);
    let tour = tokio::spawn(walk(
        Arc::clone(&wd),
        app.url(""),
        dir.clone(),
        (seeded.email, seeded.password),
    ));
    if let Err(e) = tour.await {
        if let Err(shot) = wd.try_screenshot(&dir.join("tour-failure.png")).await {
            eprintln!("no failure screenshot: {shot}");
        }
        std::panic::resume_unwind(e.into_panic());
    }
    drop(wd);
    app.stop().await;
}

async fn walk(wd: Arc<WebDriver>, base: String, dir: PathBuf, login: (&str, &str)) {
    let url = |path: &str| format!("{base}{path}");
    wd.goto(&url("/login")).await;
    wd.fill("form[action='/login'] input[name=email]", login.0)
        .await;
    wd.fill("form[action='/login'] input[name=password]", login.1)
        .await;
    wd.click_to_navigate("form[action='/login'] button[type=submit]")
        .await;
    wd.wait_for_path("/dashboard").await;

    let mut pages = nav_links(&wd).await;
    for required in REQUIRED {
        assert!(
            pages.iter().any(|p| p == required),
            "{required} is not in the navigation: {pages:?}"
        );
    }
    // One detail page of each kind, reached the way a user would: through a link.
    for (list, prefix) in [
        ("/holdings", "/holdings/"),
        ("/prices", "/prices/"),
        ("/fx", "/fx/"),
        ("/accounts", "/accounts/"),
    ] {
        wd.goto(&url(list)).await;
        if let Some(link) = first_link(&wd, prefix).await {
            pages.push(link);
        }
    }
    // The column-mapping form, the longest form in the app (the demo has no mapping yet).
    pages.push("/import/mappings/new".to_owned());
    for mode in [Mode::Light, Mode::Dark, Mode::Phone] {
        set_mode(&wd, mode).await;
        for page in &pages {
            visit(&wd, &url(page), page, mode, &dir).await;
        }
    }
}

/// Internal links of the navigation, in order, without duplicates.
async fn nav_links(wd: &WebDriver) -> Vec<String> {
    let v = wd
        .execute(
            "return [...document.querySelectorAll('header a[href^=\"/\"]')]\
               .map(a => a.getAttribute('href'));",
            vec![],
        )
        .await;
    let mut out: Vec<String> = Vec::new();
    for href in v.as_array().unwrap() {
        let href = href.as_str().unwrap().to_owned();
        if !out.contains(&href) {
            out.push(href);
        }
    }
    out
}

/// The first link on the page into `prefix…` that is not a form page.
async fn first_link(wd: &WebDriver, prefix: &str) -> Option<String> {
    let v = wd
        .execute(
            "return [...document.querySelectorAll('main a[href]')]\
               .map(a => a.getAttribute('href'))\
               .find(h => h.startsWith(arguments[0]) && !/\\/(new|edit|delete|missing)/.test(h)) || null;",
            vec![json!(prefix)],
        )
        .await;
    v.as_str().map(str::to_owned)
}

/// Window size and colour scheme of a mode. Dark is the system preference (the user's
/// theme setting "follow system" must honour it).
async fn set_mode(wd: &WebDriver, mode: Mode) {
    let (w, h) = match mode {
        Mode::Phone => (390, 844),
        _ => (1280, 900),
    };
    wd.set_window_size(w, h).await;
    let scheme = if matches!(mode, Mode::Dark) {
        "dark"
    } else {
        "light"
    };
    wd.emulate_color_scheme(scheme).await;
}

async fn visit(wd: &WebDriver, url: &str, page: &str, mode: Mode, dir: &std::path::Path) {
    wd.goto(url).await;
    let title = wd.execute("return document.title;", vec![]).await;
    let h1 = wd.find("h1").await;
    assert!(!wd.text(&h1).await.is_empty(), "{page} has a heading");
    assert!(
        wd.try_find("#error-title").await.unwrap().is_none(),
        "{page} ({}) is an error page: {title}",
        mode.name()
    );
    // The page's own background follows the scheme: dark pages are dark.
    let bg = wd
        .execute(
            "const m = getComputedStyle(document.body).backgroundColor.match(/\\d+/g);\
             return m.slice(0, 3).reduce((a, b) => a + Number(b), 0);",
            vec![],
        )
        .await;
    let brightness = bg.as_u64().unwrap();
    if matches!(mode, Mode::Dark) {
        assert!(
            brightness < 3 * 100,
            "{page} is not dark in dark mode ({brightness})"
        );
    } else {
        assert!(
            brightness > 3 * 160,
            "{page} is not light in light mode ({brightness})"
        );
    }
    if matches!(mode, Mode::Phone) {
        let fits = wd
            .execute(
                "return document.documentElement.scrollWidth <= window.innerWidth;",
                vec![],
            )
            .await;
        assert_eq!(fits, json!(true), "{page} scrolls sideways on a phone");
    }
    let slug: String = page
        .trim_matches('/')
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let path = dir.join(format!("tour-{}-{slug}.png", mode.name()));
    wd.full_page_screenshot(&path).await;
    let errors = wd.console_errors().await;
    assert!(
        errors.is_empty(),
        "browser console errors on {page} ({}): {errors:#?}",
        mode.name()
    );
}
