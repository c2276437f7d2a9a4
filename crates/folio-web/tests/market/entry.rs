//! Price and FX entry: one-price forms, the paste box, isolation, and the missing page.

use folio_db::Backend;

use super::support::{csrf_of, spawn_app};
use super::{PW, add_price, asset, buy, days_ago, user_with_account};

/// The part of a page from the element with this id to the end of its section.
fn section<'a>(body: &'a str, id: &str) -> &'a str {
    let Some(start) = body.find(&format!("id=\"{id}\"")) else {
        return "";
    };
    let rest = &body[start..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

pub(crate) async fn pasted_prices_are_saved_all_or_nothing(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (b, account) = user_with_account(&app, "ann@example.com").await;
    let id = asset(&b, "VWRL", "EUR", "MARKET").await;
    buy(&b, &account, &id, "2024-01-02", "10", "100").await;
    assert!(
        b.get("/dashboard").await.body.contains("no price"),
        "valued at cost"
    );
    let (page, action) = (format!("/prices/{id}"), format!("/prices/{id}/paste"));
    let mixed = "Date,Close\n2024-01-02,100\n\n2024-02-30,1\n2024-01-03,-5\n2024-01-04,0\n\
                 2024-01-05,1,234.50\n2024-01-06,99999999999999999999\n2024-01-02,101";
    let r = b.submit(&page, &action, &[("lines", mixed)]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    for line in 4..=9 {
        assert!(
            r.body.contains(&format!("data-line=\"{line}\"")),
            "line {line}"
        );
    }
    assert!(
        !r.body.contains("data-line=\"2\""),
        "the good line is not blamed"
    );
    assert!(r.body.contains("already on line 2") && r.body.contains("there is no such day"));
    assert!(
        r.body.contains("2024-01-05,1,234.50"),
        "the textarea keeps the input"
    );
    assert!(
        b.get(&page).await.body.contains("No prices yet"),
        "nothing written"
    );
    let good = "date,close\n2024-01-02,100\n2024-01-03,101.25\r\n2024-01-04,102\n";
    let r = b.submit(&page, &action, &[("lines", good)]).await;
    let to = format!("/prices/{id}?saved=3");
    assert_eq!((r.status, r.location.as_deref()), (303, Some(to.as_str())));
    let shown = b.get(&to).await.body;
    assert!(
        shown.contains("Saved 3 prices") && shown.contains("101.25"),
        "{shown}"
    );
    // The cached portfolio took the pasted prices: 10 × 102 (the latest).
    assert!(b.get("/dashboard").await.body.contains("1,020.00"));
    // A date pasted again replaces its price.
    let r = b
        .submit(&page, &action, &[("lines", "2024-01-03,105")])
        .await;
    assert_eq!(r.status, 303);
    let table = b.get(&page).await.body;
    assert!(table.contains(">105<") && !table.contains("101.25"));
    let token = csrf_of(&table);
    let r = b
        .post(
            &format!("/prices/{id}/2024-01-04/delete"),
            &[("csrf", &token)],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(
        b.get("/dashboard").await.body.contains("1,050.00"),
        "now 10 × 105"
    );
    let r = b.submit(&page, &action, &[("lines", " \n")]).await;
    assert!(r.status == 422 && r.body.contains("nothing to save"));
    app.stop().await;
}

pub(crate) async fn price_forms_refuse_bad_input_keep_it_and_write_nothing(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (b, _) = user_with_account(&app, "ann@example.com").await;
    let id = asset(&b, "HOME", "EUR", "MANUAL").await;
    let page = format!("/prices/{id}");
    for (date, close, field) in [
        ("2024-02-30", "1", "date"),
        ("2024-13-01", "1", "date"),
        ("1800-01-01", "1", "date"),
        ("", "1", "date"),
        ("2024-01-01", "-1", "close"),
        ("2024-01-01", "0", "close"),
        ("2024-01-01", "10000000000000000000", "close"),
        ("2024-01-01", "1,5", "close"),
        ("2024-01-01", "1e3", "close"),
        ("2024-01-01", "0.00000000001", "close"),
    ] {
        let r = add_price(&b, &id, date, close).await;
        assert_eq!(r.status, 422, "{date} {close}");
        assert!(
            r.body.contains(&format!("data-field=\"{field}\"")),
            "{date} {close}"
        );
        let kept = format!("value=\"{}\"", if field == "date" { date } else { close });
        assert!(r.body.contains(&kept), "{kept}");
    }
    assert!(
        b.get(&page).await.body.contains("No prices yet"),
        "nothing written"
    );
    assert_eq!(add_price(&b, &id, "2024-01-02", "350000").await.status, 303);
    let edit = b.get(&format!("{page}?date=2024-01-02")).await.body;
    assert!(edit.contains("Correct the price of 2024-01-02") && edit.contains("value=\"350000\""));
    assert_eq!(
        add_price(&b, &id, "2024-01-02", "360000.5").await.status,
        303
    );
    let body = b.get(&page).await.body;
    assert!(
        body.contains("360000.5") && !body.contains(">350000<"),
        "corrected"
    );
    // The asset page links here instead of keeping its own copy of the form.
    let detail = b.get(&format!("/assets/{id}")).await.body;
    assert!(detail.contains(&format!("href=\"/prices/{id}\"")) && detail.contains("360000.5"));
    let token = csrf_of(&body);
    let delete = format!("/prices/{id}/2024-01-02/delete");
    let r = b.post(&delete, &[("csrf", &token)]).await;
    assert_eq!(
        (r.status, r.location.as_deref()),
        (303, Some(page.as_str()))
    );
    assert_eq!(b.post(&delete, &[("csrf", &token)]).await.status, 404);
    let bad_date = format!("/prices/{id}/2024-02-30/delete");
    assert_eq!(b.post(&bad_date, &[("csrf", &token)]).await.status, 404);
    // The former form address still works (same handler).
    let old = format!("/assets/{id}/prices");
    let r = b
        .submit(&page, &old, &[("date", "2024-03-01"), ("close", "1")])
        .await;
    assert_eq!(
        (r.status, r.location.as_deref()),
        (303, Some(page.as_str()))
    );
    app.stop().await;
}

pub(crate) async fn another_users_or_an_unknown_asset_is_404(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (ann, _) = user_with_account(&app, "ann@example.com").await;
    let id = asset(&ann, "VWRL", "EUR", "MARKET").await;
    assert_eq!(add_price(&ann, &id, "2024-01-02", "77.7").await.status, 303);
    let bob = app.client();
    bob.register("bob@example.com", PW).await;
    for path in [
        format!("/prices/{id}"),
        format!("/prices/{id}?date=2024-01-02"),
        "/prices/999999".into(),
        "/prices/abc".into(),
        "/prices/99999999999999999999".into(),
    ] {
        assert_eq!(bob.get(&path).await.status, 404, "{path}");
    }
    let token = csrf_of(&bob.get("/prices").await.body);
    for (path, fields) in [
        (
            format!("/prices/{id}"),
            vec![("date", "2024-01-03"), ("close", "1")],
        ),
        (
            format!("/prices/{id}"),
            vec![("date", "bad"), ("close", "-1")],
        ),
        (
            format!("/prices/{id}/paste"),
            vec![("lines", "2024-01-03,1")],
        ),
        (format!("/prices/{id}/paste"), vec![("lines", "garbage")]),
        (format!("/prices/{id}/2024-01-02/delete"), vec![]),
        (
            "/prices/999999/paste".into(),
            vec![("lines", "2024-01-03,1")],
        ),
    ] {
        let mut all = fields.clone();
        all.push(("csrf", &token));
        assert_eq!(bob.post(&path, &all).await.status, 404, "{path} {fields:?}");
    }
    let mine = ann.get(&format!("/prices/{id}")).await.body;
    assert!(
        mine.contains("77.7") && !mine.contains("2024-01-03"),
        "Ann's prices intact"
    );
    assert!(
        !bob.get("/prices").await.body.contains("VWRL"),
        "the list is per user"
    );
    app.stop().await;
}

pub(crate) async fn fx_pairs_take_single_rates_and_pastes(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (b, _) = user_with_account(&app, "ann@example.com").await;
    let pair = "/fx/USD/EUR";
    assert!(b.get(pair).await.body.contains("No USD/EUR rates yet"));
    for path in ["/fx/USD/USD", "/fx/GBp/EUR", "/fx/XYZ/EUR", "/fx/EURO/USD"] {
        assert_eq!(b.get(path).await.status, 404, "{path}");
    }
    for (date, rate, field) in [
        ("2024-01-01", "0", "rate"),
        ("2024-01-01", "-0.9", "rate"),
        ("2024-01-01", "99999999999999999999", "rate"),
        ("2024-02-30", "0.9", "date"),
    ] {
        let r = b
            .submit(pair, pair, &[("date", date), ("rate", rate)])
            .await;
        assert_eq!(r.status, 422, "{date} {rate}");
        assert!(r.body.contains(&format!("data-field=\"{field}\"")));
        assert!(r.body.contains(&format!("value=\"{rate}\"")), "input kept");
    }
    let paste = format!("{pair}/paste");
    let mixed = "date,rate\n2024-01-02,0.91\n2024-01-03,abc\n2024-01-02,0.92";
    let r = b.submit(pair, &paste, &[("lines", mixed)]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("data-line=\"3\"") && r.body.contains("data-line=\"4\""));
    assert!(r.body.contains("2024-01-03,abc"), "input kept");
    assert!(
        b.get(pair).await.body.contains("No USD/EUR rates yet"),
        "nothing written"
    );
    let r = b
        .submit(
            pair,
            &paste,
            &[("lines", "2024-01-02,0.91\n2024-01-03,0.915")],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/fx/USD/EUR?saved=2"));
    let list = b.get("/fx").await.body;
    assert!(list.contains("USD/EUR") && list.contains("0.915") && list.contains("2024-01-03"));
    assert!(
        b.get("/fx/EUR/USD")
            .await
            .body
            .contains("stored the other way round")
    );
    assert!(
        b.get(&format!("{pair}?date=2024-01-02"))
            .await
            .body
            .contains("value=\"0.91\"")
    );
    let token = csrf_of(&list);
    let r = b
        .post("/fx/USD/EUR/2024-01-02/delete", &[("csrf", &token)])
        .await;
    assert_eq!((r.status, r.location.as_deref()), (303, Some(pair)));
    assert!(!b.get(pair).await.body.contains(">0.91<"));
    let bob = app.client();
    bob.register("bob@example.com", PW).await;
    assert!(
        !bob.get("/fx").await.body.contains("0.915"),
        "rates are private"
    );
    assert!(bob.get(pair).await.body.contains("No USD/EUR rates yet"));
    let theirs = csrf_of(&bob.get("/fx").await.body);
    let r = bob
        .post("/fx/USD/EUR/2024-01-03/delete", &[("csrf", &theirs)])
        .await;
    assert_eq!(r.status, 404);
    let any = [
        ("base", "GBP"),
        ("quote", "EUR"),
        ("date", "2024-01-01"),
        ("rate", "1.17"),
    ];
    let r = b.submit("/fx", "/fx", &any).await;
    assert_eq!(r.location.as_deref(), Some("/fx/GBP/EUR"));
    app.stop().await;
}

pub(crate) async fn the_missing_page_lists_what_keeps_the_portfolio_from_being_valued(
    backend: Backend,
) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (b, account) = user_with_account(&app, "ann@example.com").await;
    let mkt = asset(&b, "MKT", "EUR", "MARKET").await;
    let home = asset(&b, "HOME", "EUR", "MANUAL").await;
    let aapl = asset(&b, "AAPL", "USD", "MARKET").await;
    asset(&b, "IDLE", "EUR", "MARKET").await;
    for id in [&mkt, &home, &aapl] {
        buy(&b, &account, id, &days_ago(30), "2", "50").await;
    }
    let page = b.get("/prices/missing").await.body;
    assert!(
        page.contains("7 days") && page.contains("90 days"),
        "horizons are stated"
    );
    assert!(
        page.contains("id=\"engine-error\""),
        "no USD rate: holdings not computable"
    );
    let rates = section(&page, "missing-rates");
    assert!(
        rates.contains("USD") && rates.contains("href=\"/fx/USD/EUR\""),
        "{rates}"
    );
    assert!(rates.contains(&days_ago(30)), "needed from the first buy");
    let prices = section(&page, "missing-prices");
    for symbol in ["MKT", "HOME", "AAPL"] {
        assert!(prices.contains(symbol), "{symbol}: {prices}");
    }
    assert!(!prices.contains("IDLE"), "not held");
    let lines = format!("{},0.9\n{},0.91", days_ago(40), days_ago(39));
    let r = b
        .submit("/fx/USD/EUR", "/fx/USD/EUR/paste", &[("lines", &lines)])
        .await;
    assert_eq!(r.status, 303);
    for (id, age) in [(&mkt, 10), (&home, 10), (&aapl, 1)] {
        assert_eq!(add_price(&b, id, &days_ago(age), "55").await.status, 303);
    }
    let page = b.get("/prices/missing").await.body;
    assert!(!page.contains("engine-error") && !page.contains("id=\"missing-rates\""));
    assert!(!page.contains("id=\"missing-prices\""));
    let stale = section(&page, "stale-prices");
    assert!(
        stale.contains("MKT") && stale.contains("10 days"),
        "{stale}"
    );
    assert!(
        !stale.contains("HOME"),
        "a manual valuation is recent for 90 days"
    );
    assert!(section(&page, "stale-rates").contains("39 days"));
    let list = b.get("/prices").await.body;
    for (symbol, status) in [("MKT", "stale"), ("HOME", "ok"), ("IDLE", "none")] {
        let row = list
            .split("<tr")
            .find(|r| r.contains(&format!("<strong>{symbol}<")));
        assert!(
            row.unwrap().contains(&format!("price-{status}")),
            "{symbol}"
        );
    }
    assert_eq!(add_price(&b, &mkt, &days_ago(0), "56").await.status, 303);
    let today = [("date", days_ago(0)), ("rate", "0.91".into())];
    let today: Vec<(&str, &str)> = today.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        b.submit("/fx/USD/EUR", "/fx/USD/EUR", &today).await.status,
        303
    );
    assert!(
        b.get("/prices/missing")
            .await
            .body
            .contains("id=\"nothing-missing\"")
    );
    app.stop().await;
}

pub(crate) async fn a_two_thousand_line_paste_fits_in_one_request(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (b, _) = user_with_account(&app, "ann@example.com").await;
    let id = asset(&b, "VWRL", "EUR", "MARKET").await;
    let start = time::macros::date!(2000 - 01 - 01);
    let lines: String = (0..2_000)
        .map(|i| format!("{},1234.5678\r\n", start + time::Duration::days(i)))
        .collect();
    let page = format!("/prices/{id}");
    let r = b
        .submit(&page, &format!("{page}/paste"), &[("lines", &lines)])
        .await;
    let to = format!("{page}?saved=2000");
    assert_eq!((r.status, r.location.as_deref()), (303, Some(to.as_str())));
    assert!(
        b.get("/prices").await.body.contains("2005-06-22"),
        "the latest"
    );
    app.stop().await;
}
