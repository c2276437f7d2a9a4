//! Integration tests of the dashboard and income pages against a small fixture
//! portfolio whose figures are computed by hand; every test on SQLite, MariaDB and
//! PostgreSQL.

#![allow(clippy::unwrap_used)] // tests: a failed step should panic with its error

mod support;

use folio_db::Backend;
use support::{Browser, TestApp, id_after, spawn_app};

const PW: &str = "correct horse battery";

/// Today in UTC, as the server sees it (the dashboard values up to today).
fn today() -> String {
    time::OffsetDateTime::now_utc().date().to_string()
}

async fn activity(b: &Browser, fields: &[(&str, &str)]) {
    let r = b.submit("/activities/new", "/activities", fields).await;
    assert_eq!(r.status, 303, "{fields:?}: {}", r.body);
}

/// The fixture, in EUR with a cash-tracking account:
/// * 2024-01-02 DEPOSIT 10,000; BUY 10 VWRL @ 100, fee 1 (cost 1,001; cash 8,999)
/// * 2024-06-15 DIVIDEND 20, tax 3 withheld (income 20, cost 3, cash 9,016)
/// * 2024-06-28 price 120 (market value 1,200)
/// * today DIVIDEND 30 (cash 9,046)
///
/// Value 10,246; invested 10,000; total gain 246 = unrealized 199 + income 50 − 3.
async fn fixture(app: &TestApp, email: &str) -> Browser {
    let b = app.client();
    assert_eq!(b.register(email, PW).await.status, 303);
    let account_form = [
        ("name", "Broker"),
        ("currency", "EUR"),
        ("tracks_cash", "on"),
    ];
    assert_eq!(
        b.submit("/accounts/new", "/accounts", &account_form)
            .await
            .status,
        303
    );
    let account = id_after(&b.get("/accounts").await.body, "/accounts/").unwrap();
    let asset_form = [
        ("symbol", "VWRL"),
        ("name", "All-World"),
        ("currency", "EUR"),
        ("class", "FUND"),
        ("pricing", "MANUAL"),
    ];
    let r = b.submit("/assets/new", "/assets", &asset_form).await;
    let asset = r
        .location
        .unwrap()
        .trim_start_matches("/assets/")
        .to_owned();
    let (acc, ast, today) = (account.as_str(), asset.as_str(), today());
    let base = [("account", acc), ("asset", ast)];
    let with = |extra: &[(&'static str, &'static str)]| -> Vec<(&str, &str)> {
        base.iter().copied().chain(extra.iter().copied()).collect()
    };
    activity(
        &b,
        &[
            ("type", "DEPOSIT"),
            ("date", "2024-01-02"),
            ("account", acc),
            ("amount", "10000"),
        ],
    )
    .await;
    activity(
        &b,
        &with(&[
            ("type", "BUY"),
            ("date", "2024-01-02"),
            ("quantity", "10"),
            ("unit_price", "100"),
            ("fee", "1"),
        ]),
    )
    .await;
    activity(
        &b,
        &with(&[
            ("type", "DIVIDEND"),
            ("date", "2024-06-15"),
            ("amount", "20"),
            ("tax", "3"),
        ]),
    )
    .await;
    let mut today_dividend = with(&[("type", "DIVIDEND"), ("amount", "30")]);
    today_dividend.push(("date", &today));
    activity(&b, &today_dividend).await;
    let price = [("date", "2024-06-28"), ("close", "120")];
    let r = b
        .submit(
            &format!("/assets/{asset}"),
            &format!("/assets/{asset}/prices"),
            &price,
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    b
}

/// The text of the element with `id` up to its first child tag.
fn by_id(page: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\">");
    page.split(&marker)
        .nth(1)
        .and_then(|r| r.split('<').next())
        .unwrap_or("")
        .to_owned()
}

async fn the_dashboard_shows_the_figures_of_the_engine(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let b = fixture(&app, "ann@example.com").await;
    let dash = b.get("/dashboard").await;
    assert_eq!(dash.status, 200);
    let d = &dash.body;
    assert_eq!(by_id(d, "kpi-value"), "10,246.00");
    assert_eq!(by_id(d, "kpi-invested"), "10,000.00");
    assert_eq!(by_id(d, "kpi-total-gain"), "+246.00");
    assert!(
        d.contains("+2.46% of money put in"),
        "246 ÷ 10,000 deposited"
    );
    assert_eq!(by_id(d, "kpi-income-ytd"), "30.00");
    // Today's dividend is today's whole change: 10,246 / 10,216 − 1 = 0.2937%.
    assert_eq!(by_id(d, "kpi-today"), "+30.00");
    assert!(d.contains("+0.29%"));
    assert_eq!(by_id(d, "kpi-cost"), "1,001.00");
    assert_eq!(by_id(d, "kpi-unrealized"), "+199.00");
    assert_eq!(by_id(d, "kpi-cash"), "9,046.00");
    assert_eq!(by_id(d, "total-value"), "1,200.00");
    // Allocation: 1,200 / 10,246 = 11.71% fund, 9,046 / 10,246 = 88.29% cash.
    assert!(
        d.contains(">11.71%<") && d.contains(">88.29%<"),
        "allocation weights"
    );
    assert!(d.contains("By currency") && d.contains(">EUR<"));
    assert!(
        d.contains("Value over time") && d.contains("<svg"),
        "value chart"
    );
    assert!(d.contains("Net contributions"));
    assert!(!d.contains("id=\"warnings\""), "nothing to fix: {d}");
    app.stop().await;
}

async fn a_custom_range_is_explained_with_its_flows(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let b = fixture(&app, "ann@example.com").await;
    let d = b
        .get("/dashboard?range=custom&start=2024-01-01&end=2024-12-31")
        .await
        .body;
    assert!(
        d.contains("from the close of 2024-01-01 to the close of 2024-12-31 (365 days)"),
        "{d}"
    );
    // Start 0; end 1,200 + 9,016 = 10,216; one inflow of 10,000: gain 216, TWR 2.16%.
    assert_eq!(by_id(&d, "range-gain"), "+216.00");
    assert_eq!(by_id(&d, "range-twr"), "+2.16%");
    // XIRR: 10,000 in after 1 day grows to 10,216 after 365: 1.0216^(365/364) − 1.
    assert_eq!(by_id(&d, "range-xirr"), "+2.17%");
    assert_eq!(by_id(&d, "explain-start"), "0.00");
    assert_eq!(by_id(&d, "explain-end"), "10,216.00");
    assert_eq!(by_id(&d, "explain-net-flows"), "+10,000.00");
    assert!(d.contains("<tr><td>2024-01-02</td><td class=\"num\">10,000.00</td><td class=\"num\">0.00</td></tr>"), "flows table");
    assert!(d.contains("<dd>20.00</dd>"), "income in the range");
    assert!(
        d.contains("<dd>178</dd>"),
        "2024-01-02 … 06-27 valued at cost"
    );
    assert!(
        d.contains("value=\"2024-01-01\""),
        "the form keeps the dates"
    );
    app.stop().await;
}

async fn named_ranges_link_without_script_and_bad_dates_are_explained(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let b = fixture(&app, "ann@example.com").await;
    let d = b.get("/dashboard").await.body;
    for r in ["1D", "1W", "MTD", "YTD", "1Y", "3Y", "5Y", "MAX"] {
        assert!(
            d.contains(&format!("href=\"/dashboard?range={r}\"")),
            "{r} link"
        );
        assert_eq!(
            b.get(&format!("/dashboard?range={r}")).await.status,
            200,
            "{r}"
        );
    }
    let max = b.get("/dashboard?range=MAX").await.body;
    assert_eq!(by_id(&max, "range-gain"), "+246.00");
    assert!(max.contains("MAX: from the close of 2024-01-01"));
    assert!(
        max.contains("name=\"from\" value=\"2024-01-02\"")
            && max.contains(&format!("name=\"to\" value=\"{}\"", today())),
        "the custom form starts from the range shown"
    );
    for (query, message) in [
        (
            "range=custom&start=2024-02-30",
            "Start date: not a valid date",
        ),
        (
            "range=custom&start=2024-01-01&end=nope",
            "End date: not a valid date",
        ),
        (
            "range=custom&start=2024-05-01&end=2024-04-01",
            "is after the end date",
        ),
        ("range=custom&start=2999-01-01", "date must be between"),
        ("range=custom&start=", "Start date: a date is required"),
        ("range=10Y", "Unknown range"),
        ("range=1Y&range=%FF%FE&start=%00", "Unknown range"),
    ] {
        let r = b.get(&format!("/dashboard?{query}")).await;
        assert_eq!(r.status, 200, "{query}");
        assert!(r.body.contains(message), "{query}: {message}");
        assert!(
            r.body.contains("Showing the default range instead"),
            "{query}"
        );
        assert_eq!(
            by_id(&r.body, "kpi-value"),
            "10,246.00",
            "{query}: figures still shown"
        );
    }
    let before = b
        .get("/dashboard?range=custom&start=2020-01-01&end=2020-12-31")
        .await;
    assert_eq!(before.status, 200);
    assert!(
        before.body.contains("id=\"returns-problem\""),
        "a range before the first activity"
    );
    app.stop().await;
}

async fn the_income_page_shows_months_years_holdings_and_yield(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let b = fixture(&app, "ann@example.com").await;
    let r = b.get("/income").await;
    assert_eq!(r.status, 200);
    let p = &r.body;
    assert_eq!(by_id(p, "income-total"), "50.00");
    assert_eq!(by_id(p, "income-this-year"), "30.00");
    assert_eq!(
        by_id(p, "income-trailing"),
        "30.00",
        "the 2024 dividend is older than a year"
    );
    // 30 / 1,001 = 2.997%.
    assert_eq!(by_id(p, "income-yield"), "+3.00%");
    assert!(p.contains("<th scope=\"row\">2024</th><td class=\"num\"></td><td class=\"num\"></td><td class=\"num\"></td><td class=\"num\"></td><td class=\"num\"></td><td class=\"num\">20.00</td>"), "June 2024");
    assert!(
        p.contains("<title>2024-06: 20.00</title>"),
        "monthly bar tooltip"
    );
    assert!(
        p.contains("<td>2024</td><td class=\"num\">20.00</td>"),
        "yearly data table"
    );
    assert!(p.contains("<strong>VWRL</strong><br><span class=\"muted\">Broker</span></td><td class=\"num\">50.00</td><td class=\"num\">30.00</td><td class=\"num\">+3.00%</td>"), "by holding");
    assert!(
        p.contains("href=\"/income\" aria-current=\"page\""),
        "nav link"
    );
    app.stop().await;
}

async fn another_users_figures_never_appear(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let _ann = fixture(&app, "ann@example.com").await;
    let bob = app.client();
    assert_eq!(bob.register("bob@example.com", PW).await.status, 303);
    for path in ["/dashboard", "/dashboard?range=MAX", "/income"] {
        let r = bob.get(path).await;
        assert_eq!(r.status, 200, "{path}");
        for secret in ["VWRL", "10,246.00", "50.00", "1,001.00"] {
            assert!(!r.body.contains(secret), "{path} shows ann's {secret}");
        }
    }
    let income = bob.get("/income").await.body;
    assert_eq!(by_id(&income, "income-total"), "0.00");
    app.stop().await;
}

async fn a_holding_without_a_price_is_a_warning_with_a_link_to_fix_it(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let b = app.client();
    assert_eq!(b.register("ann@example.com", PW).await.status, 303);
    let account_form = [
        ("name", "Broker"),
        ("currency", "EUR"),
        ("tracks_cash", "on"),
    ];
    b.submit("/accounts/new", "/accounts", &account_form).await;
    let account = id_after(&b.get("/accounts").await.body, "/accounts/").unwrap();
    let asset_form = [
        ("symbol", "ABC"),
        ("name", "Abc"),
        ("currency", "EUR"),
        ("class", "EQUITY"),
        ("pricing", "MARKET"),
    ];
    let r = b.submit("/assets/new", "/assets", &asset_form).await;
    let asset = r
        .location
        .unwrap()
        .trim_start_matches("/assets/")
        .to_owned();
    let buy = [
        ("type", "BUY"),
        ("date", "2024-03-01"),
        ("account", &account),
        ("asset", &asset),
        ("quantity", "2"),
        ("unit_price", "50"),
    ];
    activity(&b, &buy).await;
    let d = b.get("/dashboard").await.body;
    assert!(
        d.contains("ABC has no price yet, so it is valued at cost."),
        "{d}"
    );
    assert!(d.contains(&format!("<a href=\"/prices/{asset}\">Enter a price</a>")));
    assert!(
        d.contains("Cash in Broker is negative."),
        "bought without a deposit"
    );
    assert!(d.contains(&format!(
        "<a href=\"/accounts/{account}/edit\">Edit the account</a>"
    )));
    app.stop().await;
}

async fn empty_and_unvaluable_portfolios_get_a_page_not_an_error(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let b = app.client();
    assert_eq!(b.register("ann@example.com", PW).await.status, 303);
    let account_form = [
        ("name", "Broker"),
        ("currency", "EUR"),
        ("tracks_cash", "on"),
    ];
    b.submit("/accounts/new", "/accounts", &account_form).await;
    for path in [
        "/dashboard",
        "/dashboard?range=1D",
        "/dashboard?range=MAX",
        "/income",
    ] {
        let r = b.get(path).await;
        assert_eq!(r.status, 200, "{path}: {}", r.body);
    }
    let d = b.get("/dashboard").await.body;
    assert_eq!(by_id(&d, "kpi-value"), "0.00");
    let income = b.get("/income").await.body;
    assert!(income.contains("No dividends or interest recorded yet."));
    // A USD buy without any USD/EUR rate cannot be valued: say so and where to fix it.
    let account = id_after(&b.get("/accounts").await.body, "/accounts/").unwrap();
    let asset_form = [
        ("symbol", "AAPL"),
        ("name", "Apple"),
        ("currency", "USD"),
        ("class", "EQUITY"),
        ("pricing", "MARKET"),
    ];
    let r = b.submit("/assets/new", "/assets", &asset_form).await;
    let asset = r
        .location
        .unwrap()
        .trim_start_matches("/assets/")
        .to_owned();
    let buy = [
        ("type", "BUY"),
        ("date", "2024-03-01"),
        ("account", &account),
        ("asset", &asset),
        ("quantity", "2"),
        ("unit_price", "50"),
        ("currency", "USD"),
    ];
    let r = b.submit("/activities/new", "/activities", &buy).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let d = b.get("/dashboard").await;
    assert_eq!(d.status, 200);
    assert!(
        d.body.contains("id=\"dashboard-problem\"")
            && d.body
                .contains("<a href=\"/fx/USD/EUR\">Add the exchange rate</a>"),
        "{}",
        d.body
    );
    let i = b.get("/income").await;
    assert_eq!(i.status, 200);
    assert!(i.body.contains("id=\"income-problem\"") && i.body.contains("USD"));
    assert!(
        i.body
            .contains("<a href=\"/fx/USD/EUR\">Add the exchange rate</a>")
    );
    app.stop().await;
}

async fn a_new_account_shows_at_once_on_pages_served_from_the_cache(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let b = fixture(&app, "ann@example.com").await;
    assert!(
        b.get("/accounts").await.body.contains("Broker"),
        "cache filled"
    );
    let wallet = [("name", "Wallet"), ("currency", "EUR")];
    assert_eq!(
        b.submit("/accounts/new", "/accounts", &wallet).await.status,
        303
    );
    assert!(
        b.get("/accounts").await.body.contains("Wallet"),
        "created through the form"
    );
    app.stop().await;
}

on_every_backend!(
    a_new_account_shows_at_once_on_pages_served_from_the_cache,
    empty_and_unvaluable_portfolios_get_a_page_not_an_error,
    the_dashboard_shows_the_figures_of_the_engine,
    a_custom_range_is_explained_with_its_flows,
    named_ranges_link_without_script_and_bad_dates_are_explained,
    the_income_page_shows_months_years_holdings_and_yield,
    another_users_figures_never_appear,
    a_holding_without_a_price_is_a_warning_with_a_link_to_fix_it,
);
