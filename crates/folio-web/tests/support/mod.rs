//! Test harness shared by the integration tests: `spawn_app` serves Folio on
//! 127.0.0.1:0 against a fresh database and returns a real HTTP client for it.
#![allow(dead_code, clippy::unwrap_used)] // test harness: a failed set-up step should panic the test

pub mod webdriver;

use std::net::SocketAddr;

use folio_db::testing::TestDatabase;
use folio_db::{Backend, Db, DbConfig};
use folio_web::{AppState, WebConfig};
use reqwest::redirect::Policy;

/// A running app on a fresh database.
pub struct TestApp {
    /// Where it listens.
    pub addr: SocketAddr,
    /// The app's database handle (shared with the server).
    pub db: Db,
    /// Keeps the database alive for the test.
    pub database: TestDatabase,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: tokio::task::JoinHandle<()>,
}

impl TestApp {
    /// Absolute URL of a path.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// A new browser-like client with its own cookie jar that does not follow redirects.
    pub fn client(&self) -> Browser {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .unwrap();
        Browser {
            http,
            base: format!("http://{}", self.addr),
        }
    }

    /// Like [`TestApp::client`], also returning its cookie jar (for a test that must send
    /// the session cookie on a connection of its own).
    pub fn client_with_jar(&self) -> (Browser, std::sync::Arc<reqwest::cookie::Jar>) {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        let http = reqwest::Client::builder()
            .cookie_provider(std::sync::Arc::clone(&jar))
            .redirect(Policy::none())
            .build()
            .unwrap();
        let browser = Browser {
            http,
            base: format!("http://{}", self.addr),
        };
        (browser, jar)
    }

    /// Stops the server and waits for it.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.server).await;
    }
}

/// Starts Folio on a fresh database of `backend` (None when the backend is unreachable
/// outside CI).
pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, WebConfig::default(), |c| c).await
}

/// Like `spawn_app`, with web settings and a hook to adjust the database settings.
pub async fn spawn_app_with(
    backend: Backend,
    web: WebConfig,
    tune: impl FnOnce(DbConfig) -> DbConfig,
) -> Option<TestApp> {
    let database = TestDatabase::create(backend).await?;
    Some(spawn_on(database, web, tune).await)
}

/// Starts Folio on an existing test database (for tests that prepare the server first).
pub async fn spawn_on(
    database: TestDatabase,
    web: WebConfig,
    tune: impl FnOnce(DbConfig) -> DbConfig,
) -> TestApp {
    let db = Db::connect_lazy(&tune(database.config())).unwrap();
    db.migrate().await.unwrap();
    let state = AppState::new(db.clone(), web);
    serve_state(database, db, state).await
}

/// Serves a prepared state (e.g. one whose migrations are still pending).
pub async fn serve_state(database: TestDatabase, db: Db, state: AppState) -> TestApp {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        folio_web::serve(listener, state, async move {
            let _ = rx.await;
        })
        .await
        .unwrap();
    });
    TestApp {
        addr,
        db,
        database,
        shutdown: Some(tx),
        server,
    }
}

/// A cookie-keeping HTTP client that speaks to the app like a browser.
#[derive(Clone)]
pub struct Browser {
    /// The underlying client.
    pub http: reqwest::Client,
    base: String,
}

/// A response reduced to what tests look at.
#[derive(Debug)]
pub struct Page {
    /// HTTP status.
    pub status: u16,
    /// `Location` header, if a redirect.
    pub location: Option<String>,
    /// Body text.
    pub body: String,
}

impl Browser {
    /// GET a path.
    pub async fn get(&self, path: &str) -> Page {
        Self::page(
            self.http
                .get(format!("{}{path}", self.base))
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// POST a url-encoded form.
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        Self::page(
            self.http
                .post(format!("{}{path}", self.base))
                .form(form)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// POST a form with the CSRF token scraped from `form_page` added.
    pub async fn submit(&self, form_page: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let token = csrf_of(&self.get(form_page).await.body);
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf", &token));
        self.post(action, &all).await
    }

    async fn page(resp: reqwest::Response) -> Page {
        let status = resp.status().as_u16();
        let location = resp
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Page {
            status,
            location,
            body: resp.text().await.unwrap(),
        }
    }

    /// Registers and is then logged in.
    pub async fn register(&self, email: &str, password: &str) -> Page {
        self.submit(
            "/register",
            "/register",
            &[
                ("email", email),
                ("password", password),
                ("confirm", password),
                ("currency", "EUR"),
            ],
        )
        .await
    }

    /// Logs in.
    pub async fn login(&self, email: &str, password: &str) -> Page {
        self.submit(
            "/login",
            "/login",
            &[("email", email), ("password", password)],
        )
        .await
    }
}

/// The value of the first `name="csrf"` hidden input on a page.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    html.find(marker)
        .map(|i| {
            html[i + marker.len()..]
                .split('"')
                .next()
                .unwrap_or("")
                .to_owned()
        })
        .unwrap_or_default()
}

/// The first number in `href="/<prefix>/<id>` on a page.
pub fn id_after(html: &str, prefix: &str) -> Option<String> {
    html.match_indices(prefix).find_map(|(i, _)| {
        let id: String = html[i + prefix.len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        (!id.is_empty()).then_some(id)
    })
}

/// Generates one test per backend calling `$body(backend)`.
#[macro_export]
macro_rules! on_every_backend {
    ($($name:ident),+ $(,)?) => {
        mod sqlite { $( #[tokio::test] async fn $name() { super::$name(folio_db::Backend::Sqlite).await } )+ }
        mod mysql { $( #[tokio::test] async fn $name() { super::$name(folio_db::Backend::MySql).await } )+ }
        mod postgres { $( #[tokio::test] async fn $name() { super::$name(folio_db::Backend::Postgres).await } )+ }
    };
}
