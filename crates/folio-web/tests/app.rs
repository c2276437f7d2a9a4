//! The integration-test binary: Folio served over real HTTP on 127.0.0.1:0, a fresh
//! database per test, every test on SQLite, MariaDB and PostgreSQL.

#![allow(clippy::unwrap_used)] // tests: a failed step should panic with its error

#[path = "app/speed.rs"]
mod speed;
mod support;

use folio_db::Backend;
use support::{Browser, TestApp, csrf_of, id_after, spawn_app};

const PW: &str = "correct horse battery";

async fn app(backend: Backend) -> Option<TestApp> {
    spawn_app(backend).await
}

/// Registers a user, creates an account and an asset; returns (account id, asset id).
async fn seeded(app: &TestApp, email: &str) -> (Browser, String, String) {
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
    let account = id_after(&b.get("/accounts").await.body, "/accounts/").unwrap();
    let r = b
        .submit(
            "/assets/new",
            "/assets",
            &[
                ("symbol", "VWRL"),
                ("name", "All-World"),
                ("currency", "EUR"),
                ("class", "FUND"),
                ("pricing", "MANUAL"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let asset = r
        .location
        .unwrap()
        .trim_start_matches("/assets/")
        .to_owned();
    (b, account, asset)
}

async fn buy(
    b: &Browser,
    account: &str,
    asset: &str,
    date: &str,
    qty: &str,
    price: &str,
) -> support::Page {
    b.submit(
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
    .await
}

async fn health_endpoints_answer_without_login(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let b = app.client();
    assert_eq!(b.get("/livez").await.status, 200);
    let metrics = b.get("/metrics").await;
    assert_eq!(metrics.status, 200);
    assert!(metrics.body.contains("folio_http_responses_total"));
    assert!(b.get("/readyz").await.status == 200 || b.get("/readyz").await.status == 503);
    app.stop().await;
}

async fn first_user_registers_logs_out_and_logs_back_in(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let b = app.client();
    let r = b.register("ann@example.com", PW).await;
    assert_eq!((r.status, r.location.as_deref()), (303, Some("/dashboard")));
    let dash = b.get("/dashboard").await;
    assert_eq!(dash.status, 200);
    assert!(dash.body.contains("ann@example.com"));
    let r = b.submit("/dashboard", "/logout", &[]).await;
    assert_eq!(r.status, 303);
    assert_eq!(
        b.get("/dashboard").await.location.as_deref(),
        Some("/login?next=/dashboard")
    );
    let r = b.login("ann@example.com", PW).await;
    assert_eq!((r.status, r.location.as_deref()), (303, Some("/dashboard")));
    // A crafted `next` never leaves the site (browsers drop the tab: //evil.example).
    for next in [
        "/%09/evil.example",
        "//evil.example",
        "https://evil.example",
        "/%0d%0aX:%20y",
    ] {
        let form = b.get(&format!("/login?next={next}")).await.body;
        let token = csrf_of(&form);
        let hidden = form
            .split("name=\"next\" value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        let r = b
            .post(
                "/login",
                &[
                    ("email", "ann@example.com"),
                    ("password", PW),
                    ("next", &hidden),
                    ("csrf", &token),
                ],
            )
            .await;
        assert_eq!(
            (r.status, r.location.as_deref()),
            (303, Some("/dashboard")),
            "{next}"
        );
        let r = b
            .post(
                "/login",
                &[
                    ("email", "ann@example.com"),
                    ("password", PW),
                    ("next", "/\t/evil.example"),
                    ("csrf", &csrf_of(&b.get("/login").await.body)),
                ],
            )
            .await;
        assert_eq!(r.location.as_deref(), Some("/dashboard"));
    }
    app.stop().await;
}

async fn failed_login_does_not_reveal_whether_the_email_exists(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    app.client().register("ann@example.com", PW).await;
    let b = app.client();
    let wrong_pw = b.login("ann@example.com", "not the password").await;
    let no_user = b.login("nobody@example.com", "not the password").await;
    assert_eq!(wrong_pw.status, 401);
    assert_eq!(no_user.status, 401);
    let msg = |p: &support::Page| {
        p.body
            .split("id=\"login-error\">")
            .nth(1)
            .unwrap_or("")
            .split('<')
            .next()
            .unwrap_or("")
            .to_owned()
    };
    assert_eq!(msg(&wrong_pw), msg(&no_user));
    assert!(!msg(&wrong_pw).is_empty());
    app.stop().await;
}

async fn login_is_throttled_per_account(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    app.client().register("ann@example.com", PW).await;
    let b = app.client();
    for _ in 0..5 {
        assert_eq!(
            b.login("ann@example.com", "wrong password!").await.status,
            401
        );
    }
    let blocked = b.login("ann@example.com", PW).await;
    assert_eq!(
        blocked.status, 429,
        "even the right password waits out the window"
    );
    app.stop().await;
}

/// Logs in with a bare client (no cookie jar), sending `session` if given; returns the
/// new session token from `Set-Cookie`.
async fn raw_login(app: &TestApp, session: Option<&str>) -> String {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let form = http.get(app.url("/login")).send().await.unwrap();
    let csrf_cookie = form.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let token = csrf_of(&form.text().await.unwrap());
    let mut cookie = csrf_cookie;
    if let Some(s) = session {
        cookie.push_str(&format!("; folio_session={s}"));
    }
    let r = http
        .post(app.url("/login"))
        .header("cookie", cookie)
        .form(&[
            ("email", "ann@example.com"),
            ("password", PW),
            ("csrf", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let set = r.headers()["set-cookie"].to_str().unwrap();
    set.trim_start_matches("folio_session=")
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

async fn login_rotates_the_session_id(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    app.client().register("ann@example.com", PW).await;
    let first = raw_login(&app, None).await;
    let second = raw_login(&app, Some(&first)).await;
    assert_ne!(first, second);
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let with = |t: &str| {
        http.get(app.url("/dashboard"))
            .header("cookie", format!("folio_session={t}"))
            .send()
    };
    assert_eq!(
        with(&first).await.unwrap().status(),
        303,
        "the pre-login session ended"
    );
    assert_eq!(with(&second).await.unwrap().status(), 200);
    app.stop().await;
}

async fn registration_can_be_closed_except_for_the_first_user(backend: Backend) {
    let web = folio_web::WebConfig {
        registration_open: false,
        ..Default::default()
    };
    let Some(app) = support::spawn_app_with(backend, web, |c| c).await else {
        return;
    };
    assert_eq!(
        app.client().register("admin@example.com", PW).await.status,
        303
    );
    let other = app.client();
    assert!(
        other
            .get("/register")
            .await
            .body
            .contains("Registration is closed")
    );
    let r = other.register("other@example.com", PW).await;
    assert_eq!(r.status, 403);
    assert_eq!(
        other.login("other@example.com", PW).await.status,
        401,
        "no account was created"
    );
    app.stop().await;
}

async fn posts_without_a_valid_csrf_token_change_nothing(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let (b, _, _) = seeded(&app, "ann@example.com").await;
    let r = b
        .post(
            "/accounts",
            &[("name", "Sneaky"), ("currency", "EUR"), ("csrf", "0000")],
        )
        .await;
    assert_eq!(r.status, 403);
    let r = b
        .post("/accounts", &[("name", "Sneaky"), ("currency", "EUR")])
        .await;
    assert_eq!(r.status, 403);
    let cross = b
        .http
        .post(app.url("/accounts"))
        .header("origin", "http://evil.example")
        .form(&[("name", "X"), ("currency", "EUR")])
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), 403);
    assert!(!b.get("/accounts").await.body.contains("Sneaky"));
    app.stop().await;
}

async fn a_buy_and_a_price_show_the_gain_on_the_dashboard(backend: Backend) {
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
    let dash = b.get("/dashboard").await.body;
    assert!(
        dash.contains("no price"),
        "valued at cost and flagged until a price exists"
    );
    let r = b
        .submit(
            &format!("/assets/{asset}"),
            &format!("/assets/{asset}/prices"),
            &[("date", "2024-02-01"), ("close", "120.5")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let dash = b.get("/dashboard").await.body;
    // 10 × 120.5 = 1,205.00; cost 10 × 100 + 1 fee = 1,001.00; gain +204.00.
    assert!(dash.contains("1,205.00"), "{dash}");
    assert!(dash.contains("1,001.00"));
    assert!(dash.contains("+204.00"));
    app.stop().await;
}

async fn selling_more_than_held_is_refused_with_the_input_kept(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let (b, account, asset) = seeded(&app, "ann@example.com").await;
    buy(&b, &account, &asset, "2024-01-10", "10", "100").await;
    let r = b
        .submit(
            "/activities/new",
            "/activities",
            &[
                ("type", "SELL"),
                ("date", "2024-02-10"),
                ("account", &account),
                ("asset", &asset),
                ("quantity", "12.5"),
                ("unit_price", "110"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("more than is held"));
    assert!(
        r.body.contains("value=\"12.5\""),
        "the user's input is re-shown"
    );
    let list = b.get("/activities").await.body;
    assert!(list.contains("1 activity"));
    app.stop().await;
}

async fn activities_page_filters_and_pages(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let (b, account, asset) = seeded(&app, "ann@example.com").await;
    for day in 1..=3 {
        buy(&b, &account, &asset, &format!("2024-03-0{day}"), "1", "10").await;
    }
    let r = b
        .submit(
            "/activities/new",
            "/activities",
            &[
                ("type", "DEPOSIT"),
                ("date", "2024-01-01"),
                ("account", &account),
                ("amount", "500"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(b.get("/activities").await.body.contains("4 activities"));
    assert!(
        b.get("/activities?type=DEPOSIT")
            .await
            .body
            .contains("1 activity")
    );
    assert!(
        b.get("/activities?from=2024-03-02&to=2024-03-31")
            .await
            .body
            .contains("2 activities")
    );
    let bad = b.get("/activities?from=not-a-date&type=NOPE").await;
    assert_eq!(bad.status, 200);
    assert!(bad.body.contains("Some filters were ignored"));
    app.stop().await;
}

async fn another_users_things_are_404_on_every_page(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let (ann, account, asset) = seeded(&app, "ann@example.com").await;
    buy(&ann, &account, &asset, "2024-01-10", "10", "100").await;
    let activity = id_after(&ann.get("/activities").await.body, "/activities/").unwrap();
    let bob = app.client();
    bob.register("bob@example.com", PW).await;
    for path in [
        format!("/accounts/{account}/edit"),
        format!("/assets/{asset}"),
        format!("/assets/{asset}/edit"),
        format!("/activities/{activity}/edit"),
    ] {
        assert_eq!(bob.get(&path).await.status, 404, "{path}");
    }
    let token = csrf_of(&bob.get("/dashboard").await.body);
    for path in [
        format!("/accounts/{account}"),
        format!("/accounts/{account}/delete"),
        format!("/assets/{asset}/delete"),
        format!("/activities/{activity}/delete"),
        format!("/activities/{activity}"),
    ] {
        let r = bob
            .post(
                &path,
                &[
                    ("csrf", &token),
                    ("name", "Pwned"),
                    ("currency", "EUR"),
                    ("type", "BUY"),
                    ("date", "2024-01-01"),
                    ("account", &account),
                    ("asset", &asset),
                    ("quantity", "1"),
                    ("unit_price", "1"),
                ],
            )
            .await;
        assert!(r.status == 404 || r.status == 422, "{path}: {}", r.status);
    }
    let r = bob
        .post(
            &format!("/assets/{asset}/prices"),
            &[("csrf", &token), ("date", "2024-01-01"), ("close", "1")],
        )
        .await;
    assert_eq!(r.status, 404);
    // Bob's activity form may not reference Ann's account or asset.
    let r = bob
        .submit(
            "/activities/new",
            "/activities",
            &[
                ("type", "BUY"),
                ("date", "2024-01-01"),
                ("account", &account),
                ("asset", &asset),
                ("quantity", "1"),
                ("unit_price", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    // Ann's data is untouched.
    let dash = ann.get("/dashboard").await.body;
    assert!(dash.contains("VWRL"));
    assert!(ann.get("/accounts").await.body.contains("Broker"));
    assert!(!bob.get("/dashboard").await.body.contains("VWRL"));
    app.stop().await;
}

async fn bad_input_never_produces_a_500(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let (b, account, asset) = seeded(&app, "ann@example.com").await;
    let long = "x".repeat(5000);
    let html = "<script>alert(1)</script>";
    let account_cases: Vec<Vec<(&str, &str)>> = vec![
        vec![("name", ""), ("currency", "EUR")],
        vec![("name", &long), ("currency", "EUR")],
        vec![("name", "ok"), ("currency", "XXX1")],
        vec![("name", "ok"), ("currency", "")],
        vec![("name", "a\u{0}b"), ("currency", "EUR")],
    ];
    for case in &account_cases {
        let r = b.submit("/accounts/new", "/accounts", case).await;
        assert_eq!(r.status, 422, "{case:?}");
        assert!(r.body.contains("field-error"), "{case:?}");
    }
    let r = b
        .submit(
            "/accounts/new",
            "/accounts",
            &[("name", html), ("currency", "EUR")],
        )
        .await;
    assert_eq!(r.status, 303);
    let page = b.get("/accounts").await.body;
    assert!(
        page.contains("alert(1)") && !page.contains(html),
        "names are shown escaped"
    );
    let activity_cases: Vec<Vec<(&str, &str)>> = vec![
        vec![
            ("type", "BUY"),
            ("date", "2024-13-01"),
            ("account", &account),
            ("asset", &asset),
            ("quantity", "1"),
            ("unit_price", "1"),
        ],
        vec![
            ("type", "BUY"),
            ("date", "1800-01-01"),
            ("account", &account),
            ("asset", &asset),
            ("quantity", "1"),
            ("unit_price", "1"),
        ],
        vec![
            ("type", "BUY"),
            ("date", "2024-01-01"),
            ("account", &account),
            ("asset", &asset),
            ("quantity", "-1"),
            ("unit_price", "1"),
        ],
        vec![
            ("type", "BUY"),
            ("date", "2024-01-01"),
            ("account", &account),
            ("asset", &asset),
            ("quantity", "0"),
            ("unit_price", "1"),
        ],
        vec![
            ("type", "BUY"),
            ("date", "2024-01-01"),
            ("account", &account),
            ("asset", &asset),
            ("quantity", "abc"),
            ("unit_price", "1"),
        ],
        vec![
            ("type", "BUY"),
            ("date", "2024-01-01"),
            ("account", &account),
            ("asset", &asset),
            ("quantity", "1.12345678901"),
            ("unit_price", "1"),
        ],
        vec![
            ("type", "BUY"),
            ("date", "2024-01-01"),
            ("account", &account),
            ("asset", &asset),
            ("quantity", "1e3"),
            ("unit_price", "1"),
        ],
        vec![
            ("type", "BUY"),
            ("date", "2024-01-01"),
            ("account", &account),
            ("asset", &asset),
            ("quantity", "99999999999999999999999"),
            ("unit_price", "1"),
        ],
        vec![
            ("type", "BUY"),
            ("date", "2024-01-01"),
            ("account", &account),
            ("asset", ""),
            ("quantity", "1"),
            ("unit_price", "1"),
        ],
        vec![
            ("type", "BUY"),
            ("date", "2024-01-01"),
            ("account", "999999"),
            ("asset", &asset),
            ("quantity", "1"),
            ("unit_price", "1"),
        ],
        vec![
            ("type", "BUY"),
            ("date", "2024-01-01"),
            ("account", "abc"),
            ("asset", &asset),
            ("quantity", "1"),
            ("unit_price", "1"),
        ],
        vec![
            ("type", "NOPE"),
            ("date", "2024-01-01"),
            ("account", &account),
        ],
        vec![
            ("type", "DIVIDEND"),
            ("date", "2024-01-01"),
            ("account", &account),
            ("asset", &asset),
            ("amount", "-5"),
        ],
        vec![
            ("type", "DEPOSIT"),
            ("date", "2024-01-01"),
            ("account", &account),
            ("amount", ""),
        ],
        vec![
            ("type", "BUY"),
            ("date", "2024-01-01"),
            ("account", &account),
            ("asset", &asset),
            ("quantity", "1"),
            ("unit_price", "1"),
            ("fee", "-1"),
        ],
        vec![
            ("type", "BUY"),
            ("date", "2024-01-01"),
            ("account", &account),
            ("asset", &asset),
            ("quantity", "1"),
            ("unit_price", "1"),
            ("currency", "ZZZ"),
        ],
        vec![
            ("type", "BUY"),
            ("date", "2024-01-01"),
            ("account", &account),
            ("asset", &asset),
            ("quantity", "1"),
            ("unit_price", "1"),
            ("note", &long),
        ],
    ];
    for case in &activity_cases {
        let r = b.submit("/activities/new", "/activities", case).await;
        assert_eq!(r.status, 422, "{case:?}: {}", r.body.len());
        assert!(r.body.contains("field-error"), "{case:?}");
    }
    let asset_cases: Vec<Vec<(&str, &str)>> = vec![
        vec![
            ("symbol", ""),
            ("name", "x"),
            ("currency", "EUR"),
            ("class", "FUND"),
            ("pricing", "MANUAL"),
        ],
        vec![
            ("symbol", "A B"),
            ("name", "x"),
            ("currency", "EUR"),
            ("class", "FUND"),
            ("pricing", "MANUAL"),
        ],
        vec![
            ("symbol", "OK"),
            ("name", "x"),
            ("currency", "EUR"),
            ("class", "SPACESHIP"),
            ("pricing", "MANUAL"),
        ],
        vec![
            ("symbol", "OK"),
            ("name", "x"),
            ("currency", "EUR"),
            ("class", "FUND"),
            ("pricing", "GUESS"),
        ],
        vec![
            ("symbol", "VWRL"),
            ("name", "dup"),
            ("currency", "EUR"),
            ("class", "FUND"),
            ("pricing", "MANUAL"),
        ],
    ];
    for case in &asset_cases {
        let r = b.submit("/assets/new", "/assets", case).await;
        assert_eq!(r.status, 422, "{case:?}");
    }
    for (date, close) in [
        ("2024-02-30", "1"),
        ("2024-01-01", "-1"),
        ("2024-01-01", "one"),
        ("", ""),
    ] {
        let r = b
            .submit(
                &format!("/assets/{asset}"),
                &format!("/assets/{asset}/prices"),
                &[("date", date), ("close", close)],
            )
            .await;
        assert_eq!(r.status, 422, "{date} {close}");
    }
    for path in [
        "/accounts/abc/edit",
        "/activities/-1/edit",
        "/assets/99999999999999999999",
        "/no/such/page",
    ] {
        assert_eq!(b.get(path).await.status, 404, "{path}");
    }
    let huge = "x".repeat(200 * 1024);
    let r = b.post("/accounts", &[("name", &huge)]).await;
    assert_eq!(r.status, 413);
    let r = b
        .http
        .post(app.url("/accounts"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(vec![0xff_u8, 0xfe, 0x00])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
    let r = b
        .submit(
            "/register",
            "/register",
            &[
                ("email", "bad"),
                ("password", "short"),
                ("confirm", "x"),
                ("currency", "EURO"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("value=\"bad\""));
    app.stop().await;
}

async fn api_uses_tokens_and_answers_problems_as_json(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let (b, account, asset) = seeded(&app, "ann@example.com").await;
    let anon = reqwest::Client::new();
    let r = anon.get(app.url("/api/v1/accounts")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let csrf = csrf_of(&b.get("/dashboard").await.body);
    let r = b
        .http
        .post(app.url("/api/v1/tokens"))
        .json(&serde_json::json!({"name": "script"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "cookie auth needs X-CSRF-Token");
    let r = b
        .http
        .post(app.url("/api/v1/tokens"))
        .header("x-csrf-token", &csrf)
        .json(&serde_json::json!({"name": "script"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let token = r.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let api = |m: reqwest::Method, p: &str| anon.request(m, app.url(p)).bearer_auth(&token);
    let body = serde_json::json!({"type": "BUY", "date": "2024-01-02", "account": account, "asset": asset, "quantity": "2", "unit_price": "50.25"});
    let r = api(reqwest::Method::POST, "/api/v1/activities")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let bad = serde_json::json!({"type": "BUY", "date": "2024-01-02", "account": account, "asset": asset, "quantity": "-2", "unit_price": "x"});
    let r = api(reqwest::Method::POST, "/api/v1/activities")
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let problem: serde_json::Value = r.json().await.unwrap();
    assert!(
        problem["errors"]["quantity"].is_string() && problem["errors"]["unit_price"].is_string()
    );
    let numeric_ids = serde_json::json!({"type": "DEPOSIT", "date": "2024-01-01", "account": account.parse::<i64>().unwrap(), "amount": "10"});
    let r = api(reqwest::Method::POST, "/api/v1/activities")
        .json(&numeric_ids)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "ids may be JSON integers");
    let float = serde_json::json!({"type": "BUY", "date": "2024-01-02", "account": account, "asset": asset, "quantity": "1", "unit_price": 50.25});
    let r = api(reqwest::Method::POST, "/api/v1/activities")
        .json(&float)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        400,
        "fractional JSON numbers are refused, not rounded through f64"
    );
    assert!(r.text().await.unwrap().contains("send decimals as strings"));
    let r = api(reqwest::Method::POST, "/api/v1/accounts")
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let list: serde_json::Value = api(reqwest::Method::GET, "/api/v1/activities")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 2);
    assert_eq!(list["items"][0]["unit_price"], "50.25");
    let h: serde_json::Value = api(reqwest::Method::GET, "/api/v1/holdings")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let cost: rust_decimal::Decimal = h["holdings"]["total"]["cost_basis"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        cost,
        rust_decimal::Decimal::new(1005, 1),
        "2 × 50.25, exact"
    );
    assert_eq!(
        api(reqwest::Method::GET, "/api/v1/accounts/999999")
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        api(reqwest::Method::GET, "/api/v1/nope")
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    app.stop().await;
}

/// The id of an account listed on the accounts page other than `except`.
fn other_account(accounts_page: &str, except: &str) -> String {
    accounts_page
        .match_indices("/accounts/")
        .filter_map(|(i, _)| {
            let id: String = accounts_page[i + 10..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            (!id.is_empty() && id != except).then_some(id)
        })
        .next()
        .unwrap()
}

fn kpi(page: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\">");
    page.split(&marker)
        .nth(1)
        .and_then(|r| r.split('<').next())
        .unwrap_or("")
        .to_owned()
}

async fn settings_switch_the_lot_method_used_by_the_dashboard(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let (b, account, asset) = seeded(&app, "ann@example.com").await;
    buy(&b, &account, &asset, "2024-01-10", "10", "100").await;
    buy(&b, &account, &asset, "2024-02-10", "10", "200").await;
    let sell = [
        ("type", "SELL"),
        ("date", "2024-03-10"),
        ("account", &account),
        ("asset", &asset),
        ("quantity", "10"),
        ("unit_price", "300"),
    ];
    assert_eq!(
        b.submit("/activities/new", "/activities", &sell)
            .await
            .status,
        303
    );
    // FIFO: proceeds 3,000 − first lot (10 × 100 + 1 fee) = 1,999.
    assert_eq!(
        kpi(&b.get("/dashboard").await.body, "kpi-realized"),
        "+1,999.00"
    );
    let r = b
        .submit(
            "/settings",
            "/settings",
            &[
                ("currency", "EUR"),
                ("lot_method", "AVERAGE"),
                ("fees_in_cost_basis", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("settings-saved"));
    // Average cost: (1,001 + 2,001) / 20 × 10 = 1,501 consumed; 3,000 − 1,501 = 1,499.
    assert_eq!(
        kpi(&b.get("/dashboard").await.body, "kpi-realized"),
        "+1,499.00"
    );
    let bad = b
        .submit(
            "/settings",
            "/settings",
            &[("currency", "EURO"), ("lot_method", "LIFO")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("value=\"EURO\""));
    assert_eq!(
        kpi(&b.get("/dashboard").await.body, "kpi-realized"),
        "+1,499.00",
        "a refused form changes nothing"
    );
    app.stop().await;
}

async fn a_linked_transfer_moves_lots_with_their_cost(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let (b, one, asset) = seeded(&app, "ann@example.com").await;
    let r = b
        .submit(
            "/accounts/new",
            "/accounts",
            &[
                ("name", "Second"),
                ("currency", "EUR"),
                ("tracks_cash", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let accounts = b.get("/accounts").await.body;
    let two = other_account(&accounts, &one);
    buy(&b, &one, &asset, "2024-01-10", "10", "100").await;
    let out = [
        ("type", "TRANSFER_OUT"),
        ("date", "2024-02-01"),
        ("account", one.as_str()),
        ("asset", &asset),
        ("quantity", "4"),
    ];
    assert_eq!(
        b.submit("/activities/new", "/activities", &out)
            .await
            .status,
        303
    );
    let list = b.get("/activities?type=TRANSFER_OUT").await.body;
    let out_id = id_after(&list, "/activities/").unwrap();
    let into = [
        ("type", "TRANSFER_IN"),
        ("date", "2024-02-01"),
        ("account", two.as_str()),
        ("asset", &asset),
        ("quantity", "4"),
        ("transfer_of", &out_id),
    ];
    let r = b.submit("/activities/new", "/activities", &into).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let dash = b.get("/dashboard").await.body;
    // 4/10 of the 1,001 cost moves with the units; the rest stays.
    assert!(dash.contains("400.40") && dash.contains("600.60"), "{dash}");
    assert_eq!(
        kpi(&dash, "kpi-cost"),
        "1,001.00",
        "a transfer changes no total"
    );
    let wrong = [
        ("type", "BUY"),
        ("date", "2024-02-01"),
        ("account", two.as_str()),
        ("asset", &asset),
        ("quantity", "1"),
        ("unit_price", "1"),
        ("transfer_of", &out_id),
    ];
    assert_eq!(
        b.submit("/activities/new", "/activities", &wrong)
            .await
            .status,
        422
    );
    app.stop().await;
}

async fn a_usd_holding_is_valued_in_euros_once_a_rate_exists(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let (b, account, _) = seeded(&app, "ann@example.com").await;
    let r = b
        .submit(
            "/assets/new",
            "/assets",
            &[
                ("symbol", "AAPL"),
                ("name", "Apple"),
                ("currency", "USD"),
                ("class", "EQUITY"),
                ("pricing", "MARKET"),
            ],
        )
        .await;
    let aapl = r
        .location
        .unwrap()
        .trim_start_matches("/assets/")
        .to_owned();
    let r = b
        .submit(
            "/activities/new",
            "/activities",
            &[
                ("type", "BUY"),
                ("date", "2024-01-10"),
                ("account", &account),
                ("asset", &aapl),
                ("quantity", "10"),
                ("unit_price", "100"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let dash = b.get("/dashboard").await.body;
    assert!(
        dash.contains("dashboard-problem") && dash.contains("USD"),
        "a missing rate is reported, not guessed"
    );
    for bad in [
        vec![
            ("base", "USD"),
            ("quote", "USD"),
            ("date", "2024-01-01"),
            ("rate", "1"),
        ],
        vec![
            ("base", "GBp"),
            ("quote", "EUR"),
            ("date", "2024-01-01"),
            ("rate", "1"),
        ],
        vec![
            ("base", "USD"),
            ("quote", "EUR"),
            ("date", "2024-01-01"),
            ("rate", "0"),
        ],
        vec![
            ("base", "USD"),
            ("quote", "EUR"),
            ("date", "2024-01-01"),
            ("rate", "-1"),
        ],
        vec![
            ("base", "XYZ"),
            ("quote", "EUR"),
            ("date", "nope"),
            ("rate", "x"),
        ],
    ] {
        let r = b.submit("/fx", "/fx", &bad).await;
        assert_eq!(r.status, 422, "{bad:?}");
    }
    let r = b
        .submit(
            "/fx",
            "/fx",
            &[
                ("base", "USD"),
                ("quote", "EUR"),
                ("date", "2024-01-01"),
                ("rate", "0.9"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let dash = b.get("/dashboard").await.body;
    assert!(!dash.contains("dashboard-problem"), "{dash}");
    // 10 × 100 USD at 0.9 = 900.00 EUR (no price yet: valued at cost).
    assert_eq!(kpi(&dash, "kpi-cost"), "900.00");
    let bob = app.client();
    bob.register("bob@example.com", PW).await;
    assert!(
        !bob.get("/fx").await.body.contains("0.9"),
        "rates are private"
    );
    let token = csrf_of(&bob.get("/fx").await.body);
    assert_eq!(
        bob.post("/fx/USD/EUR/2024-01-01/delete", &[("csrf", &token)])
            .await
            .status,
        404
    );
    app.stop().await;
}

async fn until_migrations_run_pages_and_api_answer_503_and_health_stays_up(backend: Backend) {
    let Some(database) = folio_db::testing::TestDatabase::create(backend).await else {
        return;
    };
    let db = folio_db::Db::connect_lazy(&database.config()).unwrap();
    let state =
        folio_web::AppState::new_pending_schema(db.clone(), folio_web::WebConfig::default());
    let app = support::serve_state(database, db.clone(), state.clone()).await;
    let b = app.client();
    let page = b.get("/register").await;
    assert_eq!(page.status, 503);
    assert!(page.body.contains("retry"), "the page retries by itself");
    let api = reqwest::get(app.url("/api/v1/accounts")).await.unwrap();
    assert_eq!(api.status(), 503);
    assert!(api.headers().contains_key("retry-after"));
    assert_eq!(b.get("/livez").await.status, 200);
    assert_eq!(b.get("/readyz").await.status, 503);
    db.migrate().await.unwrap();
    state.mark_schema_ready();
    assert_eq!(b.get("/register").await.status, 200);
    assert_eq!(b.register("ann@example.com", PW).await.status, 303);
    app.stop().await;
}

async fn a_token_made_on_the_settings_page_works_once_shown_and_can_be_revoked(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let b = app.client();
    b.register("ann@example.com", PW).await;
    let r = b
        .submit("/settings", "/settings/tokens", &[("name", "sync script")])
        .await;
    assert_eq!(r.status, 200);
    let token = r
        .body
        .split("id=\"new-token\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(token.len(), 64);
    let settings = b.get("/settings").await.body;
    assert!(
        settings.contains("sync script") && !settings.contains(&token),
        "shown once only"
    );
    let me = reqwest::Client::new()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    assert_eq!(
        b.submit("/settings", "/settings/tokens", &[("name", "")])
            .await
            .status,
        422
    );
    let id = id_after(&settings, "/settings/tokens/").unwrap();
    let bob = app.client();
    bob.register("bob@example.com", PW).await;
    let bob_csrf = csrf_of(&bob.get("/settings").await.body);
    assert_eq!(
        bob.post(
            &format!("/settings/tokens/{id}/delete"),
            &[("csrf", &bob_csrf)]
        )
        .await
        .status,
        404
    );
    assert_eq!(
        b.submit("/settings", &format!("/settings/tokens/{id}/delete"), &[])
            .await
            .status,
        303
    );
    let me = reqwest::Client::new()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 401);
    app.stop().await;
}

async fn changing_the_password_ends_other_sessions_and_keeps_this_one(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let laptop = app.client();
    laptop.register("ann@example.com", PW).await;
    let phone = app.client();
    assert_eq!(phone.login("ann@example.com", PW).await.status, 303);
    let new_pw = "a much longer new secret";
    for (current, password, confirm) in [
        ("wrong password!", new_pw, new_pw),
        (PW, "short", "short"),
        (PW, new_pw, "different confirmation"),
    ] {
        let r = laptop
            .submit(
                "/settings/password",
                "/settings/password",
                &[
                    ("current", current),
                    ("password", password),
                    ("confirm", confirm),
                ],
            )
            .await;
        assert_eq!(r.status, 422, "{current} {password} {confirm}");
        assert!(r.body.contains("field-error"));
    }
    let r = laptop
        .submit(
            "/settings/password",
            "/settings/password",
            &[("current", PW), ("password", new_pw), ("confirm", new_pw)],
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        laptop.get("/dashboard").await.status,
        200,
        "this session stays"
    );
    assert_eq!(
        phone.get("/dashboard").await.status,
        303,
        "other sessions end"
    );
    assert_eq!(app.client().login("ann@example.com", PW).await.status, 401);
    assert_eq!(
        app.client().login("ann@example.com", new_pw).await.status,
        303
    );
    app.stop().await;
}

async fn no_change_can_leave_the_portfolio_inconsistent(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let (b, eur_acc, asset) = seeded(&app, "ann@example.com").await;
    // A USD account with no USD/EUR rate: the oversell check must still run.
    b.submit(
        "/accounts/new",
        "/accounts",
        &[
            ("name", "US broker"),
            ("currency", "USD"),
            ("tracks_cash", "on"),
        ],
    )
    .await;
    let list = b.get("/accounts").await.body;
    let usd_acc = other_account(&list, &eur_acc);
    let sell = [
        ("type", "SELL"),
        ("date", "2024-02-01"),
        ("account", usd_acc.as_str()),
        ("asset", &asset),
        ("quantity", "1"),
        ("unit_price", "1"),
        ("currency", "USD"),
    ];
    let r = b.submit("/activities/new", "/activities", &sell).await;
    assert_eq!(r.status, 422, "oversell refused even without an FX rate");
    assert!(r.body.contains("more than is held"));
    // A buy, a sell of part of it; deleting the buy would leave the sell oversold.
    assert_eq!(
        buy(&b, &eur_acc, &asset, "2024-01-10", "10", "100")
            .await
            .status,
        303
    );
    let s = [
        ("type", "SELL"),
        ("date", "2024-03-01"),
        ("account", eur_acc.as_str()),
        ("asset", &asset),
        ("quantity", "4"),
        ("unit_price", "120"),
    ];
    assert_eq!(
        b.submit("/activities/new", "/activities", &s).await.status,
        303
    );
    let buys = b.get("/activities?type=BUY").await.body;
    let buy_id = id_after(&buys, "/activities/").unwrap();
    let r = b
        .submit("/activities", &format!("/activities/{buy_id}/delete"), &[])
        .await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("would become invalid"), "{}", r.body);
    assert!(
        b.get("/activities").await.body.contains("2 activities"),
        "nothing deleted"
    );
    // Deleting the account takes its activities along: allowed.
    // Two transfers in may not both receive the same transfer out.
    let out = [
        ("type", "TRANSFER_OUT"),
        ("date", "2024-04-01"),
        ("account", eur_acc.as_str()),
        ("asset", &asset),
        ("quantity", "2"),
    ];
    assert_eq!(
        b.submit("/activities/new", "/activities", &out)
            .await
            .status,
        303
    );
    let out_id = id_after(
        &b.get("/activities?type=TRANSFER_OUT").await.body,
        "/activities/",
    )
    .unwrap();
    let into = [
        ("type", "TRANSFER_IN"),
        ("date", "2024-04-01"),
        ("account", usd_acc.as_str()),
        ("asset", &asset),
        ("quantity", "2"),
        ("currency", "EUR"),
        ("transfer_of", &out_id),
    ];
    assert_eq!(
        b.submit("/activities/new", "/activities", &into)
            .await
            .status,
        303
    );
    let r = b.submit("/activities/new", "/activities", &into).await;
    assert_eq!(
        r.status, 422,
        "a second receiver of the same transfer is refused"
    );
    // Amounts too large to compute are a form error, not a 500.
    let huge = [
        ("type", "BUY"),
        ("date", "2024-05-01"),
        ("account", eur_acc.as_str()),
        ("asset", &asset),
        ("quantity", "999999999999999999"),
        ("unit_price", "999999999999999999"),
    ];
    let r = b.submit("/activities/new", "/activities", &huge).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("too large"));
    // A price large enough to overflow the valuation: the dashboard reports, never 500s.
    let big = [
        ("type", "BUY"),
        ("date", "2024-05-01"),
        ("account", eur_acc.as_str()),
        ("asset", &asset),
        ("quantity", "100000000000000"),
        ("unit_price", "1"),
    ];
    assert_eq!(
        b.submit("/activities/new", "/activities", &big)
            .await
            .status,
        303
    );
    let r = b
        .submit(
            &format!("/assets/{asset}"),
            &format!("/assets/{asset}/prices"),
            &[("date", "2024-06-01"), ("close", "999999999999999999")],
        )
        .await;
    assert!(r.status == 303 || r.status == 422, "{}", r.status);
    let dash = b.get("/dashboard").await;
    assert_eq!(dash.status, 200);
    let api_holdings = b
        .http
        .get(app.url("/api/v1/holdings"))
        .send()
        .await
        .unwrap();
    assert!(
        api_holdings.status() == 200 || api_holdings.status() == 409,
        "{}",
        api_holdings.status()
    );
    app.stop().await;
}

async fn the_json_api_never_shows_or_changes_another_users_data(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let (ann, account, asset) = seeded(&app, "ann@example.com").await;
    buy(&ann, &account, &asset, "2024-01-10", "10", "100").await;
    let activity = id_after(&ann.get("/activities").await.body, "/activities/").unwrap();
    let r = ann
        .submit(
            &format!("/assets/{asset}"),
            &format!("/assets/{asset}/prices"),
            &[("date", "2024-02-01"), ("close", "110")],
        )
        .await;
    assert_eq!(r.status, 303);
    let bob = app.client();
    bob.register("bob@example.com", PW).await;
    let r = bob
        .submit("/settings", "/settings/tokens", &[("name", "bob")])
        .await;
    let token = r
        .body
        .split("id=\"new-token\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    let http = reqwest::Client::new();
    let call = |m: reqwest::Method, p: String| http.request(m, app.url(&p)).bearer_auth(&token);
    use reqwest::Method as M;
    for (m, p) in [
        (M::GET, format!("/api/v1/accounts/{account}")),
        (M::DELETE, format!("/api/v1/accounts/{account}")),
        (M::GET, format!("/api/v1/assets/{asset}")),
        (M::GET, format!("/api/v1/assets/{asset}/prices")),
        (M::DELETE, format!("/api/v1/assets/{asset}")),
        (M::GET, format!("/api/v1/activities/{activity}")),
        (M::DELETE, format!("/api/v1/activities/{activity}")),
    ] {
        assert_eq!(
            call(m.clone(), p.clone()).send().await.unwrap().status(),
            404,
            "{m} {p}"
        );
    }
    let put = serde_json::json!({"name": "Pwned", "currency": "EUR"});
    assert_eq!(
        call(M::PUT, format!("/api/v1/accounts/{account}"))
            .json(&put)
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let price = serde_json::json!({"date": "2024-03-01", "close": "1"});
    assert_eq!(
        call(M::POST, format!("/api/v1/assets/{asset}/prices"))
            .json(&price)
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let list: serde_json::Value = call(M::GET, "/api/v1/activities".into())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 0);
    let bob_csrf = csrf_of(&bob.get("/dashboard").await.body);
    assert_eq!(
        bob.post(
            &format!("/assets/{asset}/prices/2024-02-01/delete"),
            &[("csrf", &bob_csrf)]
        )
        .await
        .status,
        404
    );
    // Ann's data is intact.
    let dash = ann.get("/dashboard").await.body;
    assert!(
        dash.contains("1,100.00"),
        "10 × 110 still valued with Ann's price"
    );
    // Empty or garbage login forms are refused politely.
    for (email, pw) in [("", ""), ("not-an-email", "x"), (&*"a".repeat(300), "y")] {
        let r = app.client().login(email, pw).await;
        assert_eq!(r.status, 401, "{email:?}");
    }
    app.stop().await;
}

async fn sign_ups_from_one_address_are_limited(backend: Backend) {
    let web = folio_web::WebConfig {
        signups_per_address: 2,
        ..Default::default()
    };
    let Some(app) = support::spawn_app_with(backend, web, |c| c).await else {
        return;
    };
    assert_eq!(app.client().register("a@example.com", PW).await.status, 303);
    assert_eq!(app.client().register("b@example.com", PW).await.status, 303);
    let third = app.client().register("c@example.com", PW).await;
    assert_eq!(third.status, 429);
    assert!(third.body.contains("too many sign-ups"));
    assert_eq!(
        app.client().login("c@example.com", PW).await.status,
        401,
        "no account was made"
    );
    app.stop().await;
}

async fn concurrent_sells_can_never_sell_more_than_is_held(backend: Backend) {
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
    let r = b
        .submit("/settings", "/settings/tokens", &[("name", "race")])
        .await;
    let token = r
        .body
        .split("id=\"new-token\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    let http = reqwest::Client::new();
    let sell = serde_json::json!({"type": "SELL", "date": "2024-02-01", "account": account, "asset": asset, "quantity": "1", "unit_price": "110"});
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let req = http
            .post(app.url("/api/v1/activities"))
            .bearer_auth(&token)
            .json(&sell);
        set.spawn(async move { req.send().await.unwrap().status().as_u16() });
    }
    let mut statuses = Vec::new();
    while let Some(s) = set.join_next().await {
        statuses.push(s.unwrap());
    }
    let accepted = statuses.iter().filter(|s| **s == 201).count();
    let refused = statuses.iter().filter(|s| **s == 422).count();
    assert_eq!((accepted, refused), (10, 10), "{statuses:?}");
    let h: serde_json::Value = http
        .get(app.url("/api/v1/holdings"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let held = h["holdings"]["holdings"][0]["quantity"]
        .as_str()
        .unwrap()
        .parse::<rust_decimal::Decimal>()
        .unwrap();
    assert!(
        held.is_zero(),
        "exactly everything was sold, never more: {held}"
    );
    app.stop().await;
}

on_every_backend!(
    concurrent_sells_can_never_sell_more_than_is_held,
    sign_ups_from_one_address_are_limited,
    the_json_api_never_shows_or_changes_another_users_data,
    no_change_can_leave_the_portfolio_inconsistent,
    changing_the_password_ends_other_sessions_and_keeps_this_one,
    a_token_made_on_the_settings_page_works_once_shown_and_can_be_revoked,
    until_migrations_run_pages_and_api_answer_503_and_health_stays_up,
    a_usd_holding_is_valued_in_euros_once_a_rate_exists,
    settings_switch_the_lot_method_used_by_the_dashboard,
    a_linked_transfer_moves_lots_with_their_cost,
    health_endpoints_answer_without_login,
    first_user_registers_logs_out_and_logs_back_in,
    failed_login_does_not_reveal_whether_the_email_exists,
    login_is_throttled_per_account,
    login_rotates_the_session_id,
    registration_can_be_closed_except_for_the_first_user,
    posts_without_a_valid_csrf_token_change_nothing,
    a_buy_and_a_price_show_the_gain_on_the_dashboard,
    selling_more_than_held_is_refused_with_the_input_kept,
    activities_page_filters_and_pages,
    another_users_things_are_404_on_every_page,
    bad_input_never_produces_a_500,
    api_uses_tokens_and_answers_problems_as_json,
);
