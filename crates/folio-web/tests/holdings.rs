//! Holdings, holding drill-down, performance and accounts pages against a small fixture
//! whose figures are worked out by hand below, on SQLite, MariaDB and PostgreSQL.
//!
//! Fixture (all EUR, no fees). Broker tracks cash, Pension holds only:
//! - Broker: deposit 5,000 (2 Jan 2024); buy 10 AAA at 100 (2 Jan) and 10 at 120 (1 Feb);
//!   sell 5 AAA at 130 (1 Mar, FIFO: 500 of cost, +150 realized); AAA dividend 30
//!   (1 Apr); buy 20 BBB at 50 (2 Jan); BBB split 2:1 (1 Jun).
//! - Pension: buy 5 AAA at 100 and 4 CCC at 250 (2 Jan).
//! - Prices: AAA 100 / 120 (1 Feb) / 130 (1 Mar) / 150 (31 Dec); BBB 50 / 26 (1 Jun) /
//!   30 (31 Dec); CCC 250 / 150 (1 Jul) / 200 (31 Dec).
//!
//! Today: AAA 20 units, cost 2,200, value 3,000 (+800, +36.36%); BBB 40, cost 1,000,
//! value 1,200 (+200, +20%); CCC 4, cost 1,000, value 800 (−200, −20%). Market value
//! 5,000: weights 60% / 24% / 16%. Broker cash 2,480.

#![allow(clippy::unwrap_used)] // tests: a failed step should panic with its error

mod support;

use folio_core::{
    AccountId, ActivityType, AssetClass, AssetId, CurrencyCode, Email, Name, Note, PricingMode,
    Symbol,
};
use folio_db::Backend;
use folio_db::models::{NewAccount, NewActivity, NewAsset};
use folio_db::repo::{accounts, activities, assets, prices, users};
use rust_decimal::Decimal;
use support::{Browser, TestApp, spawn_app};

const PW: &str = "correct horse battery";

/// The fixture's ids.
struct Fixture {
    b: Browser,
    broker: AccountId,
    pension: AccountId,
    aaa: AssetId,
    bbb: AssetId,
    ccc: AssetId,
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn eur() -> CurrencyCode {
    CurrencyCode::parse("EUR").unwrap()
}

fn act(account: AccountId, asset: Option<AssetId>, kind: ActivityType, date: &str) -> NewActivity {
    NewActivity {
        account_id: account,
        asset_id: asset,
        kind,
        date: folio_core::parse_date(date).unwrap(),
        quantity: None,
        unit_price: None,
        amount: None,
        fee: Decimal::ZERO,
        tax: Decimal::ZERO,
        currency: eur(),
        note: Note::parse("").unwrap(),
        transfer_of: None,
    }
}

fn trade(
    account: AccountId,
    asset: AssetId,
    kind: ActivityType,
    date: &str,
    q: &str,
    p: &str,
) -> NewActivity {
    NewActivity {
        quantity: Some(d(q)),
        unit_price: Some(d(p)),
        ..act(account, Some(asset), kind, date)
    }
}

/// Registers `email` and records the fixture for them directly in the database.
async fn fixture(app: &TestApp, email: &str) -> Fixture {
    let b = app.client();
    assert_eq!(b.register(email, PW).await.status, 303);
    let db = &app.db;
    let user = users::find_user_by_email(db, &Email::parse(email).unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let account = |name: &str, tracks_cash| NewAccount {
        name: Name::parse(name).unwrap(),
        currency: eur(),
        tracks_cash,
    };
    let broker = accounts::insert_account(db, user, &account("Broker", true))
        .await
        .unwrap();
    let pension = accounts::insert_account(db, user, &account("Pension", false))
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (sym, closes) in [
        (
            "AAA",
            [
                ("2024-01-02", "100"),
                ("2024-02-01", "120"),
                ("2024-03-01", "130"),
                ("2024-12-31", "150"),
            ]
            .as_slice(),
        ),
        (
            "BBB",
            &[
                ("2024-01-02", "50"),
                ("2024-06-01", "26"),
                ("2024-12-31", "30"),
            ],
        ),
        (
            "CCC",
            &[
                ("2024-01-02", "250"),
                ("2024-07-01", "150"),
                ("2024-12-31", "200"),
            ],
        ),
    ] {
        let new = NewAsset {
            symbol: Symbol::parse(sym).unwrap(),
            name: Name::parse(&format!("{sym} plc")).unwrap(),
            currency: eur(),
            class: AssetClass::Equity,
            pricing: PricingMode::Manual,
        };
        let id = assets::insert_asset(db, user, &new).await.unwrap();
        let points: Vec<_> = closes
            .iter()
            .map(|(t, c)| (folio_core::parse_date(t).unwrap(), d(c)))
            .collect();
        prices::upsert_prices(db, user, id, &points).await.unwrap();
        ids.push(id);
    }
    let (aaa, bbb, ccc) = (ids[0], ids[1], ids[2]);
    use ActivityType::{Buy, Dividend, Sell, Split};
    let mut deposit = act(broker, None, ActivityType::Deposit, "2024-01-02");
    deposit.amount = Some(d("5000"));
    let mut dividend = act(broker, Some(aaa), Dividend, "2024-04-01");
    dividend.amount = Some(d("30"));
    let mut split = act(broker, Some(bbb), Split, "2024-06-01");
    split.quantity = Some(d("2"));
    for a in [
        deposit,
        trade(broker, aaa, Buy, "2024-01-02", "10", "100"),
        trade(broker, bbb, Buy, "2024-01-02", "20", "50"),
        trade(pension, aaa, Buy, "2024-01-02", "5", "100"),
        trade(pension, ccc, Buy, "2024-01-02", "4", "250"),
        trade(broker, aaa, Buy, "2024-02-01", "10", "120"),
        trade(broker, aaa, Sell, "2024-03-01", "5", "130"),
        dividend,
        split,
    ] {
        activities::insert_activity(db, user, &a).await.unwrap();
    }
    Fixture {
        b,
        broker,
        pension,
        aaa,
        bbb,
        ccc,
    }
}

/// The table row carrying `marker` (e.g. `data-asset="3"`), up to its `</tr>`.
fn row<'p>(page: &'p str, marker: &str) -> &'p str {
    let start = page
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} in page"));
    let rest = &page[start..];
    &rest[..rest.find("</tr>").unwrap()]
}

/// The text of every `<td>` of a row, tags stripped.
fn cells(row: &str) -> Vec<String> {
    row.split("<td")
        .skip(1)
        .map(|c| {
            let inner = &c[c.find('>').unwrap() + 1..];
            let inner = inner.split("</td>").next().unwrap();
            let mut text = String::new();
            let mut in_tag = false;
            for ch in inner.chars() {
                match ch {
                    '<' => {
                        in_tag = true;
                        text.push(' ');
                    }
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

const YEAR_2024: &str = "range=custom&from=2024-01-01&to=2024-12-31";

async fn holdings_match_hand_computed_figures(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let f = fixture(&app, "ann@example.com").await;
    let page = f.b.get(&format!("/holdings?{YEAR_2024}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    // Asset, quantity and avg cost, value, unrealized and %, realized, income, weight, TWR, XIRR.
    let aaa = cells(row(&page.body, &format!("data-asset=\"{}\"", f.aaa)));
    assert_eq!(
        aaa[1..],
        [
            "20 110.00",
            "3,000.00",
            "+800.00 +36.36%",
            "+150.00",
            "30.00",
            "60.00%",
            // TWR: 10/9 (1 Feb buy counted at the start of the day) × 13/12 (sell) × 263/260
            // (dividend paid out) × 15/13 (31 Dec) − 1. XIRR of −1,500 (2 Jan), −1,200
            // (1 Feb), +650 (1 Mar), +30 (1 Apr), +3,000 (31 Dec), bisected in Python.
            "+40.49%",
            "+48.33%"
        ]
        .map(String::from)
    );
    assert!(aaa[0].contains("2 accounts"), "{aaa:?}");
    let ccc = cells(row(&page.body, &format!("data-asset=\"{}\"", f.ccc)));
    // XIRR: −1,000 on 2 Jan, +800 on 31 Dec: 0.8^(365/364) − 1.
    assert_eq!(
        ccc[1..],
        [
            "4 250.00",
            "800.00",
            "-200.00 -20.00%",
            "0.00",
            "0.00",
            "16.00%",
            "-20.00%",
            "-20.05%"
        ]
        .map(String::from)
    );
    let total = cells(row(&page.body, "id=\"holdings-total\""));
    assert_eq!(
        total[2..7],
        ["5,000.00", "+800.00 +19.05%", "+150.00", "30.00", "100.00%"].map(String::from)
    );
    app.stop().await;
}

/// The asset symbols of the holdings table in page order.
fn order(page: &str) -> Vec<String> {
    page.match_indices("<strong>")
        .map(|(i, _)| page[i + 8..].split('<').next().unwrap().to_owned())
        .collect()
}

async fn holdings_sort_by_any_column_and_survive_bad_queries(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let f = fixture(&app, "ann@example.com").await;
    assert_eq!(
        order(&f.b.get("/holdings").await.body),
        ["AAA", "BBB", "CCC"],
        "value, largest first"
    );
    let by_gain = f.b.get("/holdings?sort=unrealized_pct&dir=asc").await.body;
    assert_eq!(order(&by_gain), ["CCC", "BBB", "AAA"]);
    assert!(by_gain.contains("aria-sort=\"ascending\""));
    let by_name = f.b.get("/holdings?sort=asset&dir=desc").await.body;
    assert_eq!(order(&by_name), ["CCC", "BBB", "AAA"]);
    // Header links keep the range and flip the direction of the current column.
    let custom =
        f.b.get(&format!("/holdings?{YEAR_2024}&sort=twr&dir=desc"))
            .await
            .body;
    assert_eq!(order(&custom), ["AAA", "BBB", "CCC"]);
    assert!(custom.contains("href=\"/holdings?range=custom&#38;from=2024-01-01&#38;to=2024-12-31&#38;sort=twr&#38;dir=asc\""), "{custom}");
    // The chosen range carries over to the other range-aware pages.
    assert!(
        custom.contains("href=\"/performance?range=custom&#38;from=2024-01-01&#38;to=2024-12-31\""),
        "{custom}"
    );
    assert!(
        custom.contains("href=\"/dashboard?range=custom&#38;from=2024-01-01&#38;to=2024-12-31\"")
    );
    let plain = f.b.get("/holdings").await.body;
    assert!(!plain.contains("id=\"range-elsewhere\""), "no range chosen");
    for (query, message) in [
        ("range=5X", "Unknown range"),
        (
            "range=custom&from=2024-13-01&to=2024-12-31",
            "Start date: not a valid date",
        ),
        (
            "range=custom&from=2024-12-31&to=2024-01-01",
            "is after the end date",
        ),
        ("range=custom", "Start date: a date is required"),
        ("range=custom&from=2999-01-01", "date must be between"),
        ("range=custom&from=2100-01-01", "is in the future"),
    ] {
        let p = f.b.get(&format!("/holdings?{query}")).await;
        assert_eq!(p.status, 200, "{query}");
        assert!(p.body.contains(message), "{query}: {}", p.body);
        assert!(
            p.body.contains("Showing the default range instead (YTD)"),
            "{query}"
        );
    }
    for query in [
        "sort=%00&dir=up",
        "range=1Y&range=MAX",
        "sort=value&sort=twr",
        "range=%FF%FE",
        "benchmark=x",
    ] {
        let p = f.b.get(&format!("/holdings?{query}")).await;
        assert_eq!(p.status, 200, "{query}");
        assert_eq!(order(&p.body), ["AAA", "BBB", "CCC"], "{query}");
    }
    for query in [
        "",
        "?range=1D",
        "?range=max",
        "?range=custom&from=1900-01-01&to=9999-12-31",
        "?range=custom&from=2000-01-01&to=2000-12-31",
        "?range=custom&from=2024-05-05&to=2024-05-05",
    ] {
        assert_eq!(
            f.b.get(&format!("/accounts{query}")).await.status,
            200,
            "{query}"
        );
        assert_eq!(
            f.b.get(&format!("/performance{query}")).await.status,
            200,
            "{query}"
        );
        assert_eq!(
            f.b.get(&format!("/holdings/{}{query}", f.aaa)).await.status,
            200,
            "{query}"
        );
        assert_eq!(f.b.get(&format!("/holdings{query}")).await.status, 200);
    }
    app.stop().await;
}

async fn a_holding_shows_its_lots_income_and_activities_and_is_private(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let f = fixture(&app, "ann@example.com").await;
    let page = f.b.get(&format!("/holdings/{}", f.aaa)).await;
    assert_eq!(page.status, 200);
    let body = &page.body;
    let open = &body[body.find("id=\"open-lots\"").unwrap()..];
    let lots: Vec<Vec<String>> = open.split("<tr>").skip(2).take(3).map(cells).collect();
    // Acquired, account, quantity, cost, cost/unit, value (at 150), gain.
    assert_eq!(
        lots[0],
        [
            "2024-01-02",
            "Broker",
            "5",
            "500.00",
            "100.00",
            "750.00",
            "+250.00"
        ]
    );
    assert_eq!(
        lots[1],
        [
            "2024-02-01",
            "Broker",
            "10",
            "1,200.00",
            "120.00",
            "1,500.00",
            "+300.00"
        ]
    );
    assert_eq!(
        lots[2],
        [
            "2024-01-02",
            "Pension",
            "5",
            "500.00",
            "100.00",
            "750.00",
            "+250.00"
        ]
    );
    let closed = &body[body.find("id=\"closed-lots\"").unwrap()..];
    let sold = cells(closed.split("<tr>").nth(2).unwrap());
    assert_eq!(
        sold,
        [
            "2024-03-01",
            "Broker",
            "2024-01-02 (5)",
            "5",
            "500.00",
            "650.00",
            "+150.00"
        ]
    );
    assert!(body.contains("id=\"income-total\">30.00<"));
    let parts = body.split("id=\"holding-accounts\"").nth(1).unwrap();
    let parts = parts.split("</table>").next().unwrap();
    assert_eq!(parts.matches("<tr><td>").count(), 2, "two accounts");
    let acts = body.split("id=\"holding-activities\"").nth(1).unwrap();
    let acts = acts.split("</table>").next().unwrap();
    assert_eq!(
        acts.matches("<tr><td>2024").count(),
        5,
        "three buys, the sell and the dividend"
    );
    let ranged =
        f.b.get(&format!("/holdings/{}?{YEAR_2024}", f.aaa))
            .await
            .body;
    assert!(ranged.contains("id=\"holding-twr\">+40.49%<"), "{ranged}");
    // Another user: every id of Ann's is a 404, as are garbage ids.
    let bob = app.client();
    assert_eq!(bob.register("bob@example.com", PW).await.status, 303);
    for path in [
        format!("/holdings/{}", f.aaa),
        "/holdings/abc".into(),
        "/holdings/-1".into(),
        "/holdings/99999999999999999999".into(),
    ] {
        assert_eq!(bob.get(&path).await.status, 404, "{path}");
    }
    assert!(!bob.get("/holdings").await.body.contains("AAA"));
    assert!(!bob.get("/performance").await.body.contains("AAA"));
    assert!(!bob.get("/accounts").await.body.contains("Broker"));
    app.stop().await;
}

async fn performance_has_the_month_grid_drawdown_and_benchmark(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let f = fixture(&app, "ann@example.com").await;
    let page = f.b.get(&format!("/performance?benchmark={}", f.ccc)).await;
    assert_eq!(page.status, 200);
    let body = &page.body;
    // Total value: 6,500 from 2 Jan (no flows after), 6,800 end Feb, 7,050 end Mar, 7,080
    // Apr (dividend), 7,120 Jun (split day price), 6,720 Jul (CCC at 150), 7,480 Dec.
    let grid = cells(row(body, "data-year=\"2024\""));
    let own: Vec<&str> = grid.iter().map(|c| c.split(' ').next().unwrap()).collect();
    let want = [
        "0.00%", "+4.62%", "+3.68%", "+0.43%", "0.00%", "+0.56%", "-5.62%",
    ];
    assert_eq!(own[..7], want);
    assert_eq!(
        own[7..],
        ["0.00%", "0.00%", "0.00%", "0.00%", "+11.31%", "+15.08%"]
    );
    // CCC's price return: 250 (first price) → 150 in July → 200 in December.
    let bench: Vec<&str> = grid
        .iter()
        .map(|c| c.split(' ').nth(1).unwrap_or(""))
        .collect();
    assert_eq!(
        (bench[0], bench[6], bench[11], bench[12]),
        ("0.00%", "-40.00%", "+33.33%", "-20.00%")
    );
    assert!(
        body.contains("id=\"drawdown-depth\">-5.62%<"),
        "6,720 / 7,120 − 1"
    );
    assert!(body.contains("id=\"drawdown-peak\">2024-06-01<"));
    assert!(body.contains("id=\"drawdown-trough\">2024-07-01<"));
    // MAX starts the day before the first activity: CCC has no price then, so its
    // return is shown from its first price, with that date.
    assert!(row(body, "data-range=\"MAX\"").contains("-20.00% since 2024-01-02"));
    assert!(body.contains("id=\"benchmark-note\""));
    assert!(
        cells(row(body, "data-range=\"1D\""))[5] == "0.00%",
        "flat since 31 Dec 2024"
    );
    // BBB's 2:1 split (as traded 50 → 26 on the split day → 30) is no loss: 50 → 52 → 60.
    let split =
        f.b.get(&format!("/performance?benchmark={}", f.bbb))
            .await
            .body;
    let grid = cells(row(&split, "data-year=\"2024\""));
    let bench: Vec<&str> = grid
        .iter()
        .map(|c| c.split(' ').nth(1).unwrap_or(""))
        .collect();
    assert_eq!(
        (bench[5], bench[11], bench[12]),
        ("+4.00%", "+15.38%", "+20.00%")
    );
    let other = f.b.get("/performance?benchmark=999999").await;
    assert_eq!(other.status, 200);
    assert!(
        other
            .body
            .contains("not one of your assets with a price history")
    );
    app.stop().await;
}

async fn accounts_show_value_cash_gain_and_returns(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let f = fixture(&app, "ann@example.com").await;
    let page = f.b.get(&format!("/accounts?{YEAR_2024}")).await;
    assert_eq!(page.status, 200);
    // Name, currency, cash setting, value, cash, gain, TWR, XIRR.
    let broker = cells(row(&page.body, &format!("data-account=\"{}\"", f.broker)));
    // 2,250 AAA + 1,200 BBB + 2,480 cash; gain 150 + 550 + 200 + 30; 5,930 / 5,000 − 1.
    assert_eq!(
        broker[..8],
        [
            "Broker", "EUR", "tracked", "5,930.00", "2,480.00", "+930.00", "+18.60%", "+18.66%"
        ]
        .map(String::from)
    );
    let pension = cells(row(&page.body, &format!("data-account=\"{}\"", f.pension)));
    assert_eq!(
        pension[..8],
        [
            "Pension",
            "EUR",
            "holdings only",
            "1,550.00",
            "not tracked",
            "+50.00",
            "+3.33%",
            "+3.34%"
        ]
        .map(String::from)
    );
    app.stop().await;
}

async fn empty_portfolios_and_unheld_assets_render_without_figures(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let b = app.client();
    assert_eq!(b.register("new@example.com", PW).await.status, 303);
    for path in [
        "/holdings",
        "/performance",
        "/accounts",
        "/holdings?range=custom",
    ] {
        let p = b.get(path).await;
        assert_eq!(p.status, 200, "{path}: {}", p.body);
    }
    assert!(b.get("/holdings").await.body.contains("Nothing held yet"));
    let r = b
        .submit(
            "/assets/new",
            "/assets",
            &[
                ("symbol", "NEW"),
                ("name", "Never bought"),
                ("currency", "EUR"),
                ("class", "FUND"),
                ("pricing", "MANUAL"),
            ],
        )
        .await;
    let id = r
        .location
        .unwrap()
        .trim_start_matches("/assets/")
        .to_owned();
    let p = b.get(&format!("/holdings/{id}")).await;
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(p.body.contains("Not held in any account"));
    assert!(p.body.contains("No prices yet"));
    app.stop().await;
}

async fn remembered_returns_follow_a_new_price(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let f = fixture(&app, "ann@example.com").await;
    let path = format!("/holdings?{YEAR_2024}");
    let marker = format!("data-asset=\"{}\"", f.aaa);
    let twr = |body: &str| cells(row(body, &marker))[7].clone();
    assert_eq!(twr(&f.b.get(&path).await.body), "+40.49%");
    assert_eq!(twr(&f.b.get(&path).await.body), "+40.49%", "remembered");
    let page = format!("/assets/{}", f.aaa);
    let prices = format!("{page}/prices");
    let r =
        f.b.submit(&page, &prices, &[("date", "2024-12-31"), ("close", "165")])
            .await;
    assert_eq!(r.status, 303, "{}", r.body);
    // The last factor becomes 3,300 / 2,600 instead of 3,000 / 2,600: × 1.1.
    assert_eq!(twr(&f.b.get(&path).await.body), "+54.54%");
    app.stop().await;
}

on_every_backend!(
    remembered_returns_follow_a_new_price,
    empty_portfolios_and_unheld_assets_render_without_figures,
    holdings_match_hand_computed_figures,
    holdings_sort_by_any_column_and_survive_bad_queries,
    a_holding_shows_its_lots_income_and_activities_and_is_private,
    performance_has_the_month_grid_drawdown_and_benchmark,
    accounts_show_value_cash_gain_and_returns,
);

/// Headless Chromium at desktop and phone width on every page of this module: the page
/// never scrolls sideways (wide tables scroll in their own container) and the console
/// stays clean. Screenshots: `target/e2e/holdings-<width>-<page>.png`. SQLite only (the
/// pages are the same on every backend; the figures are checked above on all three).
#[tokio::test]
async fn holdings_pages_fit_a_phone_and_a_desktop_in_chromium() {
    use support::webdriver::{BrowserBinaries, WebDriver};
    let Some(bins) = BrowserBinaries::locate() else {
        return;
    };
    let Some(app) = spawn_app(Backend::Sqlite).await else {
        return;
    };
    let f = fixture(&app, "ann@example.com").await;
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e");
    std::fs::create_dir_all(&dir).unwrap();
    let wd = WebDriver::start(&bins, &dir.join("holdings-chromedriver.log")).await;
    wd.goto(&app.url("/login")).await;
    wd.fill("form[action='/login'] input[name=email]", "ann@example.com")
        .await;
    wd.fill("form[action='/login'] input[name=password]", PW)
        .await;
    wd.click_to_navigate("form[action='/login'] button[type=submit]")
        .await;
    wd.wait_for_path("/dashboard").await;
    let pages = [
        ("holdings", format!("/holdings?{YEAR_2024}")),
        ("holding", format!("/holdings/{}", f.aaa)),
        ("performance", format!("/performance?benchmark={}", f.ccc)),
        ("accounts", "/accounts".into()),
    ];
    for (width, height) in [(1280, 1000), (390, 1600)] {
        wd.set_window_size(width, height).await;
        for (name, path) in &pages {
            wd.goto(&app.url(path)).await;
            wd.find("main h1").await;
            wd.screenshot(&dir.join(format!("holdings-{width}-{name}.png")))
                .await;
            let fits = wd
                .execute(
                    "return document.documentElement.scrollWidth <= window.innerWidth;",
                    vec![],
                )
                .await;
            assert_eq!(
                fits,
                serde_json::json!(true),
                "{name} scrolls sideways at {width}px"
            );
            let chart = "const f = document.querySelector('figure.chart'); \
                         if (f) { f.scrollIntoView(); return true; } return false;";
            if wd.execute(chart, vec![]).await == serde_json::json!(true) {
                let shot = dir.join(format!("holdings-{width}-{name}-chart.png"));
                wd.screenshot(&shot).await;
            }
            let errors = wd.console_errors().await;
            assert!(errors.is_empty(), "console errors on {name}: {errors:#?}");
        }
    }
    drop(wd);
    app.stop().await;
}

/// The same pages on the demo portfolio (six years, several currencies, a transfer, a
/// split): screenshots `target/e2e/holdings-demo-<width>-<page>.png`, no sideways scroll,
/// no console errors, every benchmark choice renders.
#[tokio::test]
async fn holdings_pages_show_the_demo_portfolio_in_chromium() {
    use support::webdriver::{BrowserBinaries, WebDriver};
    let Some(bins) = BrowserBinaries::locate() else {
        return;
    };
    let Some(app) = spawn_app(Backend::Sqlite).await else {
        return;
    };
    let demo = folio_web::demo::seed(&app.db).await.unwrap();
    let b = app.client();
    assert_eq!(b.login(demo.email, demo.password).await.status, 303);
    let holdings = b.get("/holdings?range=MAX").await;
    assert_eq!(holdings.status, 200);
    let first = support::id_after(&holdings.body, "/holdings/").unwrap();
    let perf = b.get("/performance").await.body;
    for id in perf
        .split("<option value=\"")
        .skip(2)
        .filter_map(|s| s.split('"').next())
    {
        let p = b
            .get(&format!("/performance?benchmark={id}&range=1Y"))
            .await;
        assert_eq!(p.status, 200, "benchmark {id}");
    }
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e");
    std::fs::create_dir_all(&dir).unwrap();
    let wd = WebDriver::start(&bins, &dir.join("holdings-demo-chromedriver.log")).await;
    wd.goto(&app.url("/login")).await;
    wd.fill("form[action='/login'] input[name=email]", demo.email)
        .await;
    wd.fill("form[action='/login'] input[name=password]", demo.password)
        .await;
    wd.click_to_navigate("form[action='/login'] button[type=submit]")
        .await;
    wd.wait_for_path("/dashboard").await;
    let bench = perf
        .split("<option value=\"")
        .nth(2)
        .and_then(|s| s.split('"').next());
    let pages = [
        ("holdings", "/holdings?range=1Y".to_owned()),
        ("holding", format!("/holdings/{first}")),
        (
            "performance",
            format!("/performance?benchmark={}", bench.unwrap_or("")),
        ),
        ("accounts", "/accounts".into()),
    ];
    for (width, height) in [(1280, 1000), (390, 1600)] {
        wd.set_window_size(width, height).await;
        for (name, path) in &pages {
            wd.goto(&app.url(path)).await;
            wd.find("main h1").await;
            wd.screenshot(&dir.join(format!("holdings-demo-{width}-{name}.png")))
                .await;
            let fits = wd
                .execute(
                    "return document.documentElement.scrollWidth <= window.innerWidth;",
                    vec![],
                )
                .await;
            assert_eq!(
                fits,
                serde_json::json!(true),
                "{name} scrolls sideways at {width}px"
            );
            let errors = wd.console_errors().await;
            assert!(errors.is_empty(), "console errors on {name}: {errors:#?}");
        }
    }
    drop(wd);
    app.stop().await;
}
