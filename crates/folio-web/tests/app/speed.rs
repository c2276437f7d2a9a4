//! Speed features seen from outside: the cached portfolio follows every kind of write
//! (pages and API), responses are gzipped when asked, static assets have hashed names.

use folio_db::Backend;
use serde_json::{Value, json};

use super::support::Browser;
use super::{PW, app, buy, kpi, seeded};

/// The dashboard's figures that the steps below check.
struct Figures {
    value: String,
    cost: String,
    unrealized: String,
    realized: String,
    cash: String,
    market_value: String,
}

async fn figures(b: &Browser) -> Figures {
    let dash = b.get("/dashboard").await.body;
    Figures {
        value: kpi(&dash, "kpi-value"),
        cost: kpi(&dash, "kpi-cost"),
        unrealized: kpi(&dash, "kpi-unrealized"),
        realized: kpi(&dash, "kpi-realized"),
        cash: kpi(&dash, "kpi-cash"),
        market_value: kpi(&dash, "total-value"),
    }
}

/// An API client with a token made on the settings page.
async fn api(b: &Browser) -> (reqwest::Client, String) {
    let r = b
        .submit("/settings", "/settings/tokens", &[("name", "t")])
        .await;
    let token = r.body.split("id=\"new-token\">").nth(1).unwrap();
    (
        reqwest::Client::new(),
        token.split('<').next().unwrap().to_owned(),
    )
}

async fn send(req: reqwest::RequestBuilder, token: &str, expect: u16) -> Value {
    let resp = req.bearer_auth(token).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), expect);
    resp.json().await.unwrap_or(Value::Null)
}

async fn price(b: &Browser, asset: &str, date: &str, close: &str) {
    let page = format!("/assets/{asset}");
    let r = b
        .submit(
            &page,
            &format!("{page}/prices"),
            &[("date", date), ("close", close)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
}

async fn every_kind_of_write_shows_on_the_next_dashboard(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let (b, account, asset) = seeded(&app, "ann@example.com").await;
    let (http, token) = api(&b).await;
    let deposit = [
        ("type", "DEPOSIT"),
        ("date", "2024-01-02"),
        ("account", &account),
        ("amount", "5000"),
    ];
    assert_eq!(
        b.submit("/activities/new", "/activities", &deposit)
            .await
            .status,
        303
    );
    assert_eq!(
        buy(&b, &account, &asset, "2024-01-10", "10", "100")
            .await
            .status,
        303
    );
    let f = figures(&b).await;
    assert_eq!((f.cost.as_str(), f.cash.as_str()), ("1,001.00", "3,999.00"));

    price(&b, &asset, "2024-02-01", "120.5").await; // page: add a price
    let f = figures(&b).await;
    assert_eq!(
        (f.market_value.as_str(), f.unrealized.as_str()),
        ("1,205.00", "+204.00")
    );
    assert_eq!(f.value, "5,204.00");

    let list = send(
        http.get(app.url("/api/v1/activities?type=BUY")),
        &token,
        200,
    )
    .await;
    let buy_id = list["items"][0]["id"].as_i64().unwrap().to_string();
    let edit = [
        ("type", "BUY"),
        ("date", "2024-01-10"),
        ("account", &account),
        ("asset", &asset),
        ("quantity", "20"),
        ("unit_price", "100"),
        ("fee", "1"),
    ];
    let r = b
        .submit(
            &format!("/activities/{buy_id}/edit"),
            &format!("/activities/{buy_id}"),
            &edit,
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body); // page: edit an activity
    let f = figures(&b).await;
    assert_eq!(
        (f.cost.as_str(), f.market_value.as_str()),
        ("2,001.00", "2,410.00")
    );
    assert_eq!(
        (f.unrealized.as_str(), f.cash.as_str()),
        ("+409.00", "2,999.00")
    );

    price(&b, &asset, "2024-03-01", "130").await;
    assert_eq!(figures(&b).await.market_value, "2,600.00");
    let r = b
        .submit(
            &format!("/assets/{asset}"),
            &format!("/assets/{asset}/prices/2024-03-01/delete"),
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body); // page: delete a price
    assert_eq!(figures(&b).await.market_value, "2,410.00");

    let sell = json!({"type": "SELL", "date": "2024-04-01", "account": account, "asset": asset, "quantity": "5", "unit_price": "150"});
    let sold = send(
        http.post(app.url("/api/v1/activities")).json(&sell),
        &token,
        201,
    )
    .await;
    let f = figures(&b).await; // API: add; FIFO 5 × (150 − 2,001 / 20) = 249.75
    assert_eq!(
        (f.realized.as_str(), f.market_value.as_str()),
        ("+249.75", "1,807.50")
    );
    assert_eq!(f.cash, "3,749.00");
    let sell_url = app.url(&format!("/api/v1/activities/{}", sold["id"]));
    let more = json!({"type": "SELL", "date": "2024-04-01", "account": account, "asset": asset, "quantity": "10", "unit_price": "150"});
    send(http.put(&sell_url).json(&more), &token, 200).await;
    let f = figures(&b).await; // API: edit
    assert_eq!(
        (f.realized.as_str(), f.market_value.as_str()),
        ("+499.50", "1,205.00")
    );
    let close = json!({"date": "2024-05-01", "close": "140"});
    send(
        http.post(app.url(&format!("/api/v1/assets/{asset}/prices")))
            .json(&close),
        &token,
        201,
    )
    .await;
    assert_eq!(figures(&b).await.market_value, "1,400.00"); // API: add a price
    send(http.delete(&sell_url), &token, 204).await;
    let f = figures(&b).await; // API: delete
    assert_eq!(
        (f.realized.as_str(), f.market_value.as_str()),
        ("0.00", "2,800.00")
    );

    let settings = [("currency", "EUR"), ("lot_method", "FIFO")]; // fees apart from cost
    assert_eq!(
        b.submit("/settings", "/settings", &settings).await.status,
        200
    );
    assert_eq!(figures(&b).await.cost, "2,000.00");
    let list = send(
        http.get(app.url("/api/v1/activities?type=DEPOSIT")),
        &token,
        200,
    )
    .await;
    let deposit_id = list["items"][0]["id"].as_i64().unwrap();
    let r = b
        .submit(
            "/activities",
            &format!("/activities/{deposit_id}/delete"),
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body); // page: delete an activity
    assert_eq!(figures(&b).await.cash, "-2,001.00");
    let holdings_only = [("name", "Broker"), ("currency", "EUR")];
    let r = b
        .submit(
            &format!("/accounts/{account}/edit"),
            &format!("/accounts/{account}"),
            &holdings_only,
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body); // account edit: cash no longer tracked
    let f = figures(&b).await;
    assert_eq!((f.cash.as_str(), f.value.as_str()), ("0.00", "2,800.00"));

    fx_writes_show_on_the_next_dashboard(&b, &account).await;
    let metrics = b.get("/metrics").await.body;
    let incremental = metric(&metrics, "folio_portfolio_cache_incremental_updates_total");
    assert!(
        incremental >= 9,
        "known writes were applied incrementally: {metrics}"
    );
    app.stop().await;
}

/// A USD holding valued through rates added and deleted on the FX page.
async fn fx_writes_show_on_the_next_dashboard(b: &Browser, account: &str) {
    let usd = [
        ("symbol", "AAPL"),
        ("name", "Apple"),
        ("currency", "USD"),
        ("class", "EQUITY"),
        ("pricing", "MARKET"),
    ];
    let r = b.submit("/assets/new", "/assets", &usd).await;
    let aapl = r
        .location
        .unwrap()
        .trim_start_matches("/assets/")
        .to_owned();
    let buy = [
        ("type", "BUY"),
        ("date", "2024-01-10"),
        ("account", account),
        ("asset", &aapl),
        ("quantity", "10"),
        ("unit_price", "100"),
    ];
    assert_eq!(
        b.submit("/activities/new", "/activities", &buy)
            .await
            .status,
        303
    );
    for (date, rate) in [("2024-01-01", "0.9"), ("2024-06-03", "0.8")] {
        let form = [
            ("base", "USD"),
            ("quote", "EUR"),
            ("date", date),
            ("rate", rate),
        ];
        assert_eq!(b.submit("/fx", "/fx", &form).await.status, 303);
        if date == "2024-01-01" {
            price(b, &aapl, "2024-02-01", "110").await;
            // 2,800 + 10 × 110 USD × 0.9
            assert_eq!(figures(b).await.market_value, "3,790.00");
        }
    }
    assert_eq!(figures(b).await.market_value, "3,680.00"); // at 0.8 now
    let r = b.submit("/fx", "/fx/USD/EUR/2024-06-03/delete", &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(figures(b).await.market_value, "3,790.00");
}

fn metric(text: &str, name: &str) -> u64 {
    let line = text.lines().find(|l| l.starts_with(&format!("{name} ")));
    line.and_then(|l| l.split(' ').nth(1)?.parse().ok())
        .unwrap_or(0)
}

async fn concurrent_cold_views_of_one_user_compute_once(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let (b, account, asset) = seeded(&app, "ann@example.com").await;
    assert_eq!(
        buy(&b, &account, &asset, "2024-01-10", "10", "100")
            .await
            .status,
        303
    );
    let before = metric(
        &b.get("/metrics").await.body,
        "folio_portfolio_cache_full_computations_total",
    );
    let views = (0..8).map(|_| {
        let b = b.clone();
        tokio::spawn(async move { b.get("/dashboard").await.status })
    });
    for v in views.collect::<Vec<_>>() {
        assert_eq!(v.await.unwrap(), 200);
    }
    let after = metric(
        &b.get("/metrics").await.body,
        "folio_portfolio_cache_full_computations_total",
    );
    assert_eq!(
        after - before,
        1,
        "eight simultaneous first views, one computation"
    );
    app.stop().await;
}

/// The accounts list reads the cached portfolio: an account created after a view (on
/// the page or over the API) must be on the next view.
async fn accounts_created_after_a_view_are_listed_at_once(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let (b, _account, _asset) = seeded(&app, "ann@example.com").await;
    assert!(b.get("/accounts").await.body.contains("Broker"));
    let r = b
        .submit(
            "/accounts/new",
            "/accounts",
            &[
                ("name", "Savings"),
                ("currency", "EUR"),
                ("tracks_cash", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(b.get("/accounts").await.body.contains("Savings"));
    let (http, token) = api(&b).await;
    let body = json!({"name": "Wallet", "currency": "USD", "tracks_cash": true});
    send(
        http.post(app.url("/api/v1/accounts")).json(&body),
        &token,
        201,
    )
    .await;
    assert!(b.get("/accounts").await.body.contains("Wallet"));
    app.stop().await;
}

crate::on_every_backend!(
    every_kind_of_write_shows_on_the_next_dashboard,
    accounts_created_after_a_view_are_listed_at_once,
    concurrent_cold_views_of_one_user_compute_once,
);

#[tokio::test]
async fn pages_are_gzipped_when_asked_and_small_answers_are_not() {
    let Some(app) = app(Backend::Sqlite).await else {
        return;
    };
    let b = app.client();
    assert_eq!(b.register("ann@example.com", PW).await.status, 303);
    // reqwest is built without gzip support: the header is set by hand and the raw
    // bytes checked for the gzip magic number.
    let get = |path: &str, gzip: bool| {
        let mut req = b.http.get(app.url(path));
        if gzip {
            req = req.header("accept-encoding", "gzip");
        }
        req.send()
    };
    for path in ["/dashboard", "/static/folio.css", "/metrics"] {
        let resp = get(path, true).await.unwrap();
        assert_eq!(resp.status(), 200, "{path}");
        assert_eq!(resp.headers()["content-encoding"], "gzip", "{path}");
        let bytes = resp.bytes().await.unwrap();
        assert_eq!(bytes[..2], [0x1f, 0x8b], "{path}");
        let plain = get(path, false).await.unwrap();
        assert!(plain.headers().get("content-encoding").is_none(), "{path}");
        assert!(
            plain.text().await.unwrap().len() > bytes.len(),
            "{path} shrank"
        );
    }
    let live = get("/livez", true).await.unwrap();
    assert!(
        live.headers().get("content-encoding").is_none(),
        "3 bytes stay as they are"
    );
    assert_eq!(live.text().await.unwrap(), "ok\n");
    app.stop().await;
}

#[tokio::test]
async fn static_assets_have_hashed_immutable_names_and_the_plain_ones_still_work() {
    let Some(app) = app(Backend::Sqlite).await else {
        return;
    };
    let b = app.client();
    let landing = b.get("/").await.body;
    let href = landing
        .split("href=\"/static/folio.")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let hashed = format!("/static/folio.{href}");
    assert!(
        hashed.ends_with(".css") && hashed.len() == "/static/folio.12345678.css".len(),
        "{hashed}"
    );
    let resp = b.http.get(app.url(&hashed)).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(resp.headers()["content-type"], "text/css; charset=utf-8");
    let css = resp.text().await.unwrap();
    let plain = b
        .http
        .get(app.url("/static/folio.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(plain.headers()["cache-control"], "public, max-age=3600");
    assert_eq!(plain.text().await.unwrap(), css);
    let js = landing.contains("src=\"/static/folio.") && landing.contains(".js\" defer");
    assert!(js, "the script is linked by its hashed name too");
    let stale = b
        .http
        .get(app.url("/static/folio.00000000.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 404);
    app.stop().await;
}
