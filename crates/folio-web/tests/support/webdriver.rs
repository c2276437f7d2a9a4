//! A small W3C WebDriver client for the browser test: it starts `chromedriver` on a free
//! port, opens one headless Chromium session and speaks JSON over HTTP to it with the
//! `reqwest` client the tests already use. Only the commands the test needs are here.
//!
//! Every wait is explicit and bounded ([`WAIT`]); nothing asserts how long a step took.
//! A step that fails panics with the WebDriver error, which fails the test.

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long a wait polls before it gives up. Generous because CI shares two cores
/// between the browser, the app and the database; a healthy run never gets near it.
pub const WAIT: Duration = Duration::from_secs(15);
const POLL: Duration = Duration::from_millis(50);
/// The W3C key under which an element reference travels.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// The Chromium and ChromeDriver executables to use.
#[derive(Debug, Clone)]
pub struct BrowserBinaries {
    /// The browser, passed to chromedriver as `goog:chromeOptions.binary`.
    pub chromium: PathBuf,
    /// The driver.
    pub chromedriver: PathBuf,
}

impl BrowserBinaries {
    /// Finds `chromium` and `chromedriver` (env `FOLIO_E2E_CHROMIUM` /
    /// `FOLIO_E2E_CHROMEDRIVER`, else `PATH`, else `/usr/bin`). When either is missing
    /// it prints why and returns `None`, except under `CI=true`, where it panics: CI
    /// must never pass by skipping the browser test.
    pub fn locate() -> Option<Self> {
        let chromium = locate("FOLIO_E2E_CHROMIUM", &["chromium", "chromium-browser"]);
        let chromedriver = locate("FOLIO_E2E_CHROMEDRIVER", &["chromedriver"]);
        match (chromium, chromedriver) {
            (Some(chromium), Some(chromedriver)) => Some(Self {
                chromium,
                chromedriver,
            }),
            (chromium, driver) => {
                let msg = format!(
                    "chromium {}, chromedriver {} (Debian: apt-get install chromium \
                     chromium-driver)",
                    if chromium.is_some() {
                        "found"
                    } else {
                        "NOT found"
                    },
                    if driver.is_some() {
                        "found"
                    } else {
                        "NOT found"
                    },
                );
                assert!(
                    !folio_db::testing::backends_required(),
                    "{msg} — CI=true: the browser test must run in CI"
                );
                eprintln!("browser test skipped: {msg}");
                None
            }
        }
    }
}

fn locate(var: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(var) {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    let dirs: Vec<PathBuf> = std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/bin")])
        .collect();
    names
        .iter()
        .flat_map(|n| dirs.iter().map(move |d| d.join(n)))
        .find(|p| p.is_file())
}

/// A running chromedriver with one open browser session. Dropping it closes the
/// browser, stops the driver and removes the browser's profile directory.
pub struct WebDriver {
    http: reqwest::Client,
    port: u16,
    /// `http://127.0.0.1:<port>/session/<id>`.
    session: String,
    session_id: String,
    driver: Child,
    profile: PathBuf,
}

/// A reference to an element on the current page.
#[derive(Debug, Clone)]
pub struct Element(String);

impl Element {
    /// The element as a script argument.
    pub fn to_json(&self) -> Value {
        json!({ ELEMENT: self.0 })
    }
}

impl WebDriver {
    /// Starts chromedriver and a headless Chromium with a fresh profile; the driver's
    /// log goes to `log`.
    pub async fn start(bins: &BrowserBinaries, log: &Path) -> Self {
        let port = free_port();
        let log_file = std::fs::File::create(log).unwrap();
        let driver = Command::new(&bins.chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().unwrap())
            .stderr(log_file)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bins.chromedriver.display()));
        let profile = fresh_dir("folio-e2e-profile");
        let mut wd = Self {
            http: reqwest::Client::builder()
                .no_proxy()
                .timeout(Duration::from_secs(60))
                .build()
                .unwrap(),
            port,
            session: String::new(),
            session_id: String::new(),
            driver,
            profile,
        };
        wd.wait_until_ready().await;
        wd.open_session(&bins.chromium).await;
        wd
    }

    async fn wait_until_ready(&self) {
        let status = format!("http://127.0.0.1:{}/status", self.port);
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(r) = self.http.get(&status).send().await
                && let Ok(v) = r.json::<Value>().await
                && v["value"]["ready"] == true
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not become ready on port {} within {WAIT:?}",
                self.port
            );
            tokio::time::sleep(POLL).await;
        }
    }

    async fn open_session(&mut self, chromium: &Path) {
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,900",
        ]
        .map(str::to_owned)
        .into_iter()
        .chain([format!("--user-data-dir={}", self.profile.display())])
        .collect::<Vec<_>>();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "timeouts": {"implicit": 0, "pageLoad": 30_000, "script": 10_000},
            "goog:chromeOptions": {"binary": chromium, "args": args},
            // Keep the browser console so tests can assert it stayed free of errors.
            "goog:loggingPrefs": {"browser": "ALL"},
        }}});
        let url = format!("http://127.0.0.1:{}/session", self.port);
        let v = Self::send(self.http.post(&url).json(&caps))
            .await
            .unwrap_or_else(|e| panic!("cannot open a Chromium session: {e}"));
        self.session_id = v["sessionId"].as_str().unwrap().to_owned();
        self.session = format!("{url}/{}", self.session_id);
    }

    /// Sends one request and returns the response's `value`, or the WebDriver error.
    async fn send(req: reqwest::RequestBuilder) -> Result<Value, String> {
        let resp = req.send().await.map_err(|e| e.to_string())?;
        let ok = resp.status().is_success();
        let body: Value = resp.json().await.map_err(|e| e.to_string())?;
        let value = body.get("value").cloned().unwrap_or(Value::Null);
        if ok {
            Ok(value)
        } else {
            Err(format!("{}: {}", value["error"], value["message"]))
        }
    }

    async fn post(&self, path: &str, body: Value) -> Result<Value, String> {
        Self::send(
            self.http
                .post(format!("{}{path}", self.session))
                .json(&body),
        )
        .await
    }

    async fn get(&self, path: &str) -> Result<Value, String> {
        Self::send(self.http.get(format!("{}{path}", self.session))).await
    }

    /// Console messages of level SEVERE (script errors, CSP violations, failed loads)
    /// since the last call; chromedriver hands each message out once.
    pub async fn console_errors(&self) -> Vec<String> {
        let v = self
            .post("/se/log", json!({"type": "browser"}))
            .await
            .unwrap_or_else(|e| panic!("cannot read the browser console: {e}"));
        v.as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["level"] == "SEVERE")
            .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// Makes the page see `prefers-color-scheme: <scheme>` ("light" or "dark"), as a
    /// system setting would, through the DevTools protocol.
    pub async fn emulate_color_scheme(&self, scheme: &str) {
        let cmd = json!({
            "cmd": "Emulation.setEmulatedMedia",
            "params": {"features": [{"name": "prefers-color-scheme", "value": scheme}]},
        });
        self.post("/goog/cdp/execute", cmd)
            .await
            .unwrap_or_else(|e| panic!("cannot emulate the {scheme} colour scheme: {e}"));
    }

    /// Navigates to `url` and waits for the page to load.
    pub async fn goto(&self, url: &str) {
        self.post("/url", json!({ "url": url }))
            .await
            .unwrap_or_else(|e| panic!("navigate to {url}: {e}"));
    }

    /// The current page's URL.
    pub async fn current_url(&self) -> String {
        self.get("/url").await.unwrap().as_str().unwrap().to_owned()
    }

    /// Waits until the current URL's path (without query) is `path`.
    pub async fn wait_for_path(&self, path: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let url = self.current_url().await;
            let here = url
                .split_once("://")
                .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
                .unwrap_or("/");
            if here.split('?').next() == Some(path) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "still at {url} after {WAIT:?}, expected {path}"
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// The first element matching a CSS selector, if there is one now; any error other
    /// than "no such element" is returned.
    pub async fn try_find(&self, css: &str) -> Result<Option<Element>, String> {
        let found = self
            .post("/element", json!({"using": "css selector", "value": css}))
            .await;
        match found {
            Ok(v) => v[ELEMENT]
                .as_str()
                .map(|id| Some(Element(id.to_owned())))
                .ok_or_else(|| format!("not an element reference: {v}")),
            Err(e) if e.starts_with("\"no such element\"") => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Waits for an element matching `css` to exist and returns it.
    pub async fn find(&self, css: &str) -> Element {
        let deadline = Instant::now() + WAIT;
        loop {
            match self.try_find(css).await {
                Ok(Some(e)) => return e,
                Ok(None) => {}
                Err(e) => panic!("find `{css}`: {e}"),
            }
            assert!(
                Instant::now() < deadline,
                "no element `{css}` on {} within {WAIT:?}",
                self.current_url().await
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until the element matching `css` shows text containing `needle`; returns
    /// the whole text.
    pub async fn wait_for_text(&self, css: &str, needle: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let text = match self.try_find(css).await {
                Ok(Some(e)) => match self.get(&format!("/element/{}/text", e.0)).await {
                    Ok(v) => v.as_str().unwrap_or_default().to_owned(),
                    // The page changed between finding and reading: look again.
                    Err(err) if is_stale(&err) => String::new(),
                    Err(err) => panic!("text of `{css}`: {err}"),
                },
                Ok(None) => String::new(),
                Err(e) => panic!("find `{css}`: {e}"),
            };
            if text.contains(needle) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "`{css}` did not show {needle:?} within {WAIT:?}; it shows {text:?}"
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// The rendered text of an element.
    pub async fn text(&self, e: &Element) -> String {
        self.get(&format!("/element/{}/text", e.0))
            .await
            .unwrap()
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// An attribute of an element (empty when absent).
    pub async fn attribute(&self, e: &Element, name: &str) -> String {
        self.get(&format!("/element/{}/attribute/{name}", e.0))
            .await
            .unwrap()
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Whether an element is visible (not `display: none` and friends).
    pub async fn is_displayed(&self, e: &Element) -> bool {
        self.get(&format!("/element/{}/displayed", e.0))
            .await
            .unwrap()
            .as_bool()
            .unwrap_or(false)
    }

    /// Clears the field matching `css` and types `text` into it, like a user would.
    pub async fn fill(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        self.post(&format!("/element/{}/clear", e.0), json!({}))
            .await
            .unwrap_or_else(|err| panic!("clear `{css}`: {err}"));
        self.post(&format!("/element/{}/value", e.0), json!({ "text": text }))
            .await
            .unwrap_or_else(|err| panic!("type into `{css}`: {err}"));
    }

    /// Sets a `<input type="date">` to an ISO date. Typing into a date field follows
    /// the browser's locale (month/day order), so this sets the value the way the date
    /// picker does, then checks the browser accepted it.
    pub async fn set_date(&self, css: &str, iso: &str) {
        let e = self.find(css).await;
        self.execute(
            "arguments[0].value = arguments[1];\
             arguments[0].dispatchEvent(new Event('input', {bubbles: true}));\
             arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
            vec![e.to_json(), json!(iso)],
        )
        .await;
        let got = self
            .execute("return arguments[0].value;", vec![e.to_json()])
            .await;
        assert_eq!(got, json!(iso), "date field `{css}` refused {iso}");
    }

    /// Clicks the element matching `css`.
    pub async fn click(&self, css: &str) {
        let e = self.find(css).await;
        self.post(&format!("/element/{}/click", e.0), json!({}))
            .await
            .unwrap_or_else(|err| panic!("click `{css}`: {err}"));
    }

    /// Clicks `css` (a submit button or a link) and waits until the browser shows a
    /// new document, so nothing found afterwards can come from the old page (a
    /// selector present on both pages would otherwise race). The old page is marked
    /// with a window property a new document does not have; errors while the
    /// navigation is in flight just mean "ask again".
    pub async fn click_to_navigate(&self, css: &str) {
        self.execute("window.folioE2eOldPage = true;", vec![]).await;
        self.click(css).await;
        let deadline = Instant::now() + WAIT;
        loop {
            let still_old = self
                .post(
                    "/execute/sync",
                    json!({"script": "return window.folioE2eOldPage === true;", "args": []}),
                )
                .await;
            let last = match still_old {
                Ok(Value::Bool(false)) => return,
                Ok(v) => v.to_string(),
                Err(e) => e,
            };
            assert!(
                Instant::now() < deadline,
                "clicking `{css}` did not leave {} within {WAIT:?} (last: {last})",
                self.current_url().await
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// Ticks or unticks the checkbox matching `css` by clicking it only when it is not
    /// already in that state, then checks the result.
    pub async fn set_checked(&self, css: &str, checked: bool) {
        let e = self.find(css).await;
        if self.is_selected(&e).await != checked {
            self.click(css).await;
        }
        assert_eq!(self.is_selected(&e).await, checked, "checkbox `{css}`");
    }

    async fn is_selected(&self, e: &Element) -> bool {
        self.get(&format!("/element/{}/selected", e.0))
            .await
            .unwrap()
            .as_bool()
            .unwrap_or(false)
    }

    /// Selects the `<option>` with `value` in the `<select>` matching `select_css`, by
    /// clicking it as a user would, and checks that it is selected.
    pub async fn select(&self, select_css: &str, value: &str) {
        let option = format!("{select_css} option[value=\"{value}\"]");
        self.click(&option).await;
        let e = self.find(select_css).await;
        let got = self
            .execute("return arguments[0].value;", vec![e.to_json()])
            .await;
        assert_eq!(got, json!(value), "`{select_css}` did not select {value}");
    }

    /// Runs a script in the page and returns its result.
    pub async fn execute(&self, script: &str, args: Vec<Value>) -> Value {
        self.post("/execute/sync", json!({ "script": script, "args": args }))
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}"))
    }

    /// Resizes the browser window (the viewport follows).
    pub async fn set_window_size(&self, width: u32, height: u32) {
        self.post("/window/rect", json!({ "width": width, "height": height }))
            .await
            .unwrap_or_else(|e| panic!("resize to {width}×{height}: {e}"));
    }

    /// Saves a PNG screenshot of the viewport to `path`.
    pub async fn screenshot(&self, path: &Path) {
        self.try_screenshot(path)
            .await
            .unwrap_or_else(|e| panic!("screenshot {}: {e}", path.display()));
    }

    /// Like [`Self::screenshot`], reporting failure instead of panicking (for the
    /// picture taken after a step already failed).
    /// The whole page, not just the viewport (charts and tables below the fold are what
    /// a reviewer needs to see), through the DevTools protocol.
    pub async fn full_page_screenshot(&self, path: &Path) {
        let cdp = |cmd: &str, params: Value| json!({"cmd": cmd, "params": params});
        let metrics = self
            .post("/goog/cdp/execute", cdp("Page.getLayoutMetrics", json!({})))
            .await
            .unwrap_or_else(|e| panic!("page metrics: {e}"));
        let size = &metrics["cssContentSize"];
        let clip =
            json!({"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1});
        let shot = self
            .post(
                "/goog/cdp/execute",
                cdp(
                    "Page.captureScreenshot",
                    json!({"format": "png", "captureBeyondViewport": true, "clip": clip}),
                ),
            )
            .await
            .unwrap_or_else(|e| panic!("full-page screenshot {}: {e}", path.display()));
        let png = decode_base64(shot["data"].as_str().unwrap_or_default());
        assert!(png.starts_with(b"\x89PNG"), "the screenshot is not a PNG");
        std::fs::write(path, png).unwrap();
    }

    pub async fn try_screenshot(&self, path: &Path) -> Result<(), String> {
        let b64 = self.get("/screenshot").await?;
        let png = decode_base64(b64.as_str().unwrap_or_default());
        if !png.starts_with(b"\x89PNG") {
            return Err("the screenshot is not a PNG".to_owned());
        }
        std::fs::write(path, png).map_err(|e| e.to_string())
    }
}

impl Drop for WebDriver {
    fn drop(&mut self) {
        // Ending the session is what makes chromedriver close Chromium; killing the
        // driver alone would leave the browser running. Drop cannot await, so this is
        // one plain blocking HTTP request.
        if !self.session_id.is_empty() {
            delete_session(self.port, &self.session_id);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// `DELETE /session/<id>` over a raw socket, waiting (bounded) for the whole reply:
/// chromedriver answers once Chromium has closed. It may keep the connection open
/// afterwards, so the reply ends at its `Content-Length`, not at end of stream.
fn delete_session(port: u16, id: &str) {
    use std::io::{Read, Write};
    let Ok(mut s) = TcpStream::connect((Ipv4Addr::LOCALHOST, port)) else {
        return;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(20)));
    let req = format!(
        "DELETE /session/{id} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         Content-Length: 0\r\nConnection: close\r\n\r\n"
    );
    if s.write_all(req.as_bytes()).is_err() {
        return;
    }
    let mut reply = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n @ 1..) = s.read(&mut buf) {
        reply.extend_from_slice(&buf[..n]);
        if http_reply_complete(&reply) {
            return;
        }
    }
}

/// Whether `reply` holds a full HTTP response with a `Content-Length` body.
fn http_reply_complete(reply: &[u8]) -> bool {
    let text = String::from_utf8_lossy(reply);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    head.lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .is_some_and(|len| body.len() >= len)
}

/// Whether a WebDriver error says the element belonged to a page that is gone.
fn is_stale(error: &str) -> bool {
    error.starts_with("\"stale element reference\"")
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn fresh_dir(prefix: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .subsec_nanos();
    let dir = std::env::temp_dir().join(format!("{prefix}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Standard base64 (screenshots arrive base64-encoded); small enough not to warrant a
/// dependency.
pub fn decode_base64(text: &str) -> Vec<u8> {
    let sextet = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("invalid base64 byte {c}"),
        }
    };
    let clean: Vec<u8> = text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let mut acc = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            acc |= sextet(c) << (18 - 6 * i);
        }
        let bytes = acc.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}
