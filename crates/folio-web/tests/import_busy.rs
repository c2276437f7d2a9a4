//! Imports beyond `--import-concurrency` wait for a place and, after `import_wait`, get
//! the upload page with 503 and Retry-After; a place is taken before the body is read,
//! and a freed place lets the next import through. SQLite: the limit is in the web layer.

#![allow(clippy::unwrap_used)] // tests: a failed step should panic with its error

mod support;

use std::time::Duration;

use folio_db::Backend;
use reqwest::cookie::CookieStore;
use support::{Browser, csrf_of, spawn_app_with};
use tokio::io::AsyncWriteExt;

/// Posts an empty import: 422 ("choose a file") when it gets a place, 503 when busy.
async fn empty_import(b: &Browser, url: &str) -> reqwest::Response {
    let token = csrf_of(&b.get("/import").await.body);
    b.http
        .post(url)
        .form(&[("format", "auto"), ("content", ""), ("csrf", &token)])
        .send()
        .await
        .unwrap()
}

/// Repeats `empty_import` until its status is `want` (bounded: 100 tries, 5 s).
async fn until_status(b: &Browser, url: &str, want: u16) -> reqwest::Response {
    for _ in 0..100 {
        let r = empty_import(b, url).await;
        if r.status().as_u16() == want {
            return r;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("never answered {want}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_import_beyond_the_limit_is_told_the_server_is_busy_and_a_freed_place_is_taken() {
    let web = folio_web::WebConfig {
        import_concurrency: 1,
        import_wait: Duration::from_millis(200),
        ..Default::default()
    };
    let Some(app) = spawn_app_with(Backend::Sqlite, web, |c| c).await else {
        return;
    };
    let (b, jar) = app.client_with_jar();
    b.register("ann@example.com", "correct horse battery").await;
    let url = app.url("/import");
    let cookie = jar.cookies(&url.parse().unwrap()).unwrap();
    // An import whose body never finishes arriving holds the only place.
    let mut slow = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let head = format!(
        "POST /import HTTP/1.1\r\nHost: {}\r\nCookie: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nformat=auto&content=",
        app.addr,
        cookie.to_str().unwrap()
    );
    slow.write_all(head.as_bytes()).await.unwrap();
    slow.flush().await.unwrap();

    let busy = until_status(&b, &url, 503).await;
    let retry = busy.headers().get("retry-after").cloned();
    let body = busy.text().await.unwrap();
    assert!(retry.is_some(), "503 says when to try again");
    assert!(body.contains("busy with other imports"), "{body}");
    assert!(body.contains("nothing was imported"), "{body}");
    assert!(
        body.contains("name=\"content\""),
        "the upload form is there again"
    );

    drop(slow);
    let freed = until_status(&b, &url, 422).await;
    assert!(freed.text().await.unwrap().contains("Choose a file"));
    app.stop().await;
}
