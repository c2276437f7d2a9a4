//! The browser test: a real headless Chromium, driven over WebDriver, walks the whole
//! first-use journey — register, log in, create an account, add an asset, record a
//! buy, enter a price — and finds the gain on the dashboard, on every backend.
//!
//! Screenshots land in the workspace's `target/e2e/<backend>-NN-<subject>.png` (also
//! when `CARGO_TARGET_DIR` points elsewhere), with `<backend>-failure.png` when a step
//! fails and the driver's log in `<backend>-chromedriver.log`. Without chromium and
//! chromedriver the test is skipped with a message, except under `CI=true`.

#![allow(clippy::unwrap_used)] // tests: a failed step should panic with its error

mod support;

use std::path::PathBuf;
use std::sync::Arc;

use folio_db::Backend;
use support::webdriver::{BrowserBinaries, WebDriver, decode_base64};

const EMAIL: &str = "ann@example.com";
const PW: &str = "correct horse battery";

/// One browser at a time: three Chromiums at once on a two-core CI machine would only
/// squeeze every bounded wait.
static ONE_BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Where one backend's screenshots go.
#[derive(Clone)]
struct Shots {
    dir: PathBuf,
    backend: &'static str,
}

impl Shots {
    /// The workspace's `target/e2e`, emptied of this backend's previous screenshots so
    /// a stale picture can never pass for a fresh one.
    fn new(backend: Backend) -> Self {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e");
        std::fs::create_dir_all(&dir).unwrap();
        let backend = backend.name();
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with(&format!("{backend}-"))
            {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        Self { dir, backend }
    }

    fn path(&self, subject: &str) -> PathBuf {
        self.dir.join(format!("{}-{subject}.png", self.backend))
    }

    /// Saves the screenshot and checks the console stayed clean up to this step (a
    /// script error or a CSP violation is a failure, not a warning).
    async fn take(&self, wd: &WebDriver, subject: &str) {
        wd.screenshot(&self.path(subject)).await;
        let errors = wd.console_errors().await;
        assert!(
            errors.is_empty(),
            "browser console errors at {subject}: {errors:#?}"
        );
    }
}

async fn a_new_user_sees_the_gain_of_a_priced_buy_on_the_dashboard_in_chromium(backend: Backend) {
    let Some(bins) = BrowserBinaries::locate() else {
        return;
    };
    let _one = ONE_BROWSER.lock().await;
    let Some(app) = support::spawn_app(backend).await else {
        return;
    };
    let shots = Shots::new(backend);
    let log = shots
        .dir
        .join(format!("{}-chromedriver.log", shots.backend));
    let wd = Arc::new(WebDriver::start(&bins, &log).await);
    // The journey runs as its own task so that, when a step panics, the browser is
    // still here to photograph the page it failed on.
    let journey = tokio::spawn(first_use_journey(
        Arc::clone(&wd),
        app.url(""),
        shots.clone(),
    ));
    if let Err(e) = journey.await {
        if let Err(shot) = wd.try_screenshot(&shots.path("failure")).await {
            eprintln!("no failure screenshot: {shot}");
        }
        std::panic::resume_unwind(e.into_panic());
    }
    drop(wd);
    app.stop().await;
}

async fn first_use_journey(wd: Arc<WebDriver>, base: String, shots: Shots) {
    let url = |path: &str| format!("{base}{path}");

    wd.goto(&url("/register")).await;
    let form = "form[action='/register']";
    wd.fill(&format!("{form} input[name=email]"), EMAIL).await;
    wd.fill(&format!("{form} input[name=password]"), PW).await;
    wd.fill(&format!("{form} input[name=confirm]"), PW).await;
    wd.fill(&format!("{form} input[name=currency]"), "EUR")
        .await;
    shots.take(&wd, "01-register").await;
    wd.click_to_navigate(&format!("{form} button[type=submit]"))
        .await;
    wd.wait_for_path("/dashboard").await;
    wd.wait_for_text(".user-menu", EMAIL).await;
    wd.wait_for_text("main", "Welcome to Folio").await;

    wd.click_to_navigate("form[action='/logout'] button").await;
    wd.wait_for_path("/").await;
    wd.click_to_navigate("nav a[href='/login']").await;
    wd.wait_for_path("/login").await;
    let form = "form[action='/login']";
    wd.fill(&format!("{form} input[name=email]"), EMAIL).await;
    wd.fill(&format!("{form} input[name=password]"), PW).await;
    shots.take(&wd, "02-login").await;
    wd.click_to_navigate(&format!("{form} button[type=submit]"))
        .await;
    wd.wait_for_path("/dashboard").await;

    wd.click_to_navigate("main a[href='/accounts/new']").await;
    wd.wait_for_path("/accounts/new").await;
    let form = "form[action='/accounts']";
    wd.fill(&format!("{form} input[name=name]"), "Brokerage")
        .await;
    wd.fill(&format!("{form} input[name=currency]"), "EUR")
        .await;
    wd.set_checked(&format!("{form} input[name=tracks_cash]"), true)
        .await;
    shots.take(&wd, "03-account").await;
    wd.click_to_navigate(&format!("{form} button[type=submit]"))
        .await;
    wd.wait_for_path("/accounts").await;
    wd.wait_for_text("#accounts", "Brokerage").await;

    let asset = add_manually_priced_asset(&wd, &url("/assets/new")).await;

    wd.goto(&url("/activities/new")).await;
    let form = "#activity-form";
    wd.select(&format!("{form} select[name=type]"), "BUY").await;
    wd.set_date(&format!("{form} input[name=date]"), "2024-01-10")
        .await;
    let account = wd.find(&format!("{form} select[name=account]")).await;
    assert!(wd.text(&account).await.contains("Brokerage"));
    wd.select(&format!("{form} select[name=asset]"), &asset)
        .await;
    wd.fill(&format!("{form} input[name=quantity]"), "10").await;
    wd.fill(&format!("{form} input[name=unit_price]"), "100")
        .await;
    wd.fill(&format!("{form} input[name=fee]"), "1").await;
    shots.take(&wd, "04-buy").await;
    wd.click_to_navigate(&format!("{form} button[type=submit]"))
        .await;
    wd.wait_for_path("/activities").await;
    wd.wait_for_text("#activity-count", "1 activity").await;

    wd.click_to_navigate("nav a[href='/dashboard']").await;
    wd.wait_for_path("/dashboard").await;
    wd.wait_for_text("#holdings", "no price").await;

    wd.goto(&url(&format!("/prices/{asset}"))).await;
    let form = format!("form[action='/prices/{asset}']");
    wd.set_date(&format!("{form} input[name=date]"), "2024-02-01")
        .await;
    wd.fill(&format!("{form} input[name=close]"), "120.5").await;
    shots.take(&wd, "05-price").await;
    wd.click_to_navigate(&format!("{form} button[type=submit]"))
        .await;
    wd.wait_for_path(&format!("/prices/{asset}")).await;
    wd.wait_for_text("#prices", "120.5").await;

    wd.click_to_navigate("nav a[href='/dashboard']").await;
    wd.wait_for_path("/dashboard").await;
    // 10 × 120.5 = 1,205.00 against a cost of 10 × 100 + 1 fee = 1,001.00.
    wd.wait_for_text("#total-gain", "+204.00").await;
    wd.wait_for_text("#total-value", "1,205.00").await;
    wd.wait_for_text("#kpi-unrealized", "+204.00").await;
    let gain = wd.find("#total-gain").await;
    assert!(
        wd.attribute(&gain, "class").await.contains("gain"),
        "a gain is shown in the gain colour"
    );
    shots.take(&wd, "06-dashboard-gain").await;

    phone_sized_dashboard(&wd, &url("/dashboard"), &shots).await;
}

/// Creates the asset `VWRL` through its form and returns its id.
async fn add_manually_priced_asset(wd: &WebDriver, new_asset_url: &str) -> String {
    wd.goto(new_asset_url).await;
    let form = "form[action='/assets']";
    wd.fill(&format!("{form} input[name=symbol]"), "VWRL").await;
    wd.fill(
        &format!("{form} input[name=name]"),
        "Vanguard FTSE All-World",
    )
    .await;
    wd.fill(&format!("{form} input[name=currency]"), "EUR")
        .await;
    wd.select(&format!("{form} select[name=class]"), "FUND")
        .await;
    wd.select(&format!("{form} select[name=pricing]"), "MANUAL")
        .await;
    wd.click_to_navigate(&format!("{form} button[type=submit]"))
        .await;
    wd.wait_for_text("h1", "VWRL").await;
    let here = wd.current_url().await;
    let id = here.rsplit('/').next().unwrap_or_default().to_owned();
    assert!(
        !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()),
        "after saving an asset the browser shows it, not {here}"
    );
    id
}

/// The dashboard at a phone's width: the page itself never scrolls sideways, the
/// account column folds away, and the totals are still there.
async fn phone_sized_dashboard(wd: &WebDriver, dashboard: &str, shots: &Shots) {
    wd.set_window_size(390, 844).await;
    wd.goto(dashboard).await;
    wd.find("#holdings").await;
    let width = wd.execute("return window.innerWidth;", vec![]).await;
    assert!(
        width.as_u64().is_some_and(|w| w <= 400),
        "the viewport is phone-sized, not {width}"
    );
    let page_fits = wd
        .execute(
            "return document.documentElement.scrollWidth <= window.innerWidth;",
            vec![],
        )
        .await;
    assert_eq!(
        page_fits,
        serde_json::json!(true),
        "no sideways page scroll"
    );
    let account_column = wd.find("#holdings th.hide-sm").await;
    assert!(!wd.is_displayed(&account_column).await);
    wd.wait_for_text("#total-gain", "+204.00").await;
    shots.take(wd, "07-dashboard-phone").await;
    let holdings = wd.find("#holdings").await;
    wd.execute(
        "arguments[0].scrollIntoView({block: 'start'});",
        vec![holdings.to_json()],
    )
    .await;
    shots.take(wd, "08-dashboard-phone-holdings").await;
}

#[test]
fn screenshots_decode_from_base64() {
    assert_eq!(decode_base64("TWFu"), b"Man");
    assert_eq!(decode_base64("TWE="), b"Ma");
    assert_eq!(decode_base64("TQ=="), b"M");
    assert_eq!(decode_base64("iVBORw0KGgo="), b"\x89PNG\r\n\x1a\n");
}

on_every_backend!(a_new_user_sees_the_gain_of_a_priced_buy_on_the_dashboard_in_chromium);
