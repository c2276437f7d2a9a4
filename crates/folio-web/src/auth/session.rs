//! Server-side sessions: the cookie holds a random token, the database its SHA-256, and
//! an in-process cache keeps a steady-state request from reading the database at all.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use folio_core::{CurrencyCode, UserId};
use folio_db::models::{DisplayPrefs, SessionRecord, UserSettings};
use folio_db::repo::{sessions, users};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::PageError;

/// Name of the session cookie.
pub(crate) const SESSION_COOKIE: &str = "folio_session";
/// Most sessions kept in the cache; beyond it the oldest-fetched are evicted.
const MAX_CACHED: usize = 50_000;

/// The signed-in user as handlers see it.
#[derive(Debug, Clone)]
pub(crate) struct CurrentUser {
    /// Whose request this is; every query is scoped by it.
    pub id: UserId,
    /// Login email, for display.
    pub email: String,
    /// Currency totals are shown in.
    pub base_currency: CurrencyCode,
    /// Lot method and cost-basis option for the figures.
    pub settings: UserSettings,
    /// Theme and privacy mode (how pages look, never what they compute).
    pub display: DisplayPrefs,
    /// The session's CSRF token, echoed by every form.
    pub csrf: String,
    /// SHA-256 of the session token (the session's database key).
    pub(crate) session_hash: String,
}

impl CurrentUser {
    /// A user context for API requests authenticated by token (no session, no CSRF).
    pub(crate) fn for_api(id: UserId, base_currency: CurrencyCode, settings: UserSettings) -> Self {
        Self {
            id,
            email: String::new(),
            base_currency,
            settings,
            display: DisplayPrefs::default(),
            csrf: String::new(),
            session_hash: String::new(),
        }
    }
}

#[derive(Debug, Clone)]
struct Cached {
    user: CurrentUser,
    expires_at: i64,
    fetched: Instant,
}

/// Sessions recently read from the database, keyed by token hash.
#[derive(Debug)]
pub(crate) struct SessionCache {
    entries: Mutex<HashMap<String, Cached>>,
    ttl: Duration,
}

impl SessionCache {
    pub(crate) fn new(ttl: Duration) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            ttl,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Cached>> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn get(&self, hash: &str) -> Option<CurrentUser> {
        let now = now_unix();
        let map = self.lock();
        let c = map.get(hash)?;
        (c.fetched.elapsed() < self.ttl && c.expires_at > now).then(|| c.user.clone())
    }

    fn put(&self, user: CurrentUser, expires_at: i64) {
        let mut map = self.lock();
        if map.len() >= MAX_CACHED {
            let ttl = self.ttl;
            map.retain(|_, c| c.fetched.elapsed() < ttl);
            if map.len() >= MAX_CACHED {
                map.clear();
            }
        }
        map.insert(
            user.session_hash.clone(),
            Cached {
                user,
                expires_at,
                fetched: Instant::now(),
            },
        );
    }

    fn remove(&self, hash: &str) {
        self.lock().remove(hash);
    }

    /// Forgets every cached session of a user except one (after a password change).
    pub(crate) fn remove_user_except(&self, user: UserId, keep: &str) {
        self.lock()
            .retain(|hash, c| c.user.id != user || hash == keep);
    }

    /// Forgets every cached session of a user, so the next request re-reads the user
    /// (after their settings change).
    pub(crate) fn forget_user(&self, user: UserId) {
        self.lock().retain(|_, c| c.user.id != user);
    }

    pub(crate) fn prune(&self) {
        let ttl = self.ttl;
        self.lock().retain(|_, c| c.fetched.elapsed() < ttl);
    }
}

fn now_unix() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// A fresh 256-bit random token, hex encoded.
pub(crate) fn new_token() -> String {
    let mut bytes = [0_u8; 32];
    getrandom::fill(&mut bytes).unwrap_or_else(|e| panic!("no system randomness: {e}"));
    hex(&bytes)
}

/// SHA-256 of a token, hex encoded: what the database stores.
pub(crate) fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The value of one cookie from the request headers.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value with Folio's flags (`HttpOnly`, `SameSite=Lax`, `Secure` on https).
pub(crate) fn set_cookie(
    state: &AppState,
    name: &str,
    value: &str,
    max_age: Duration,
) -> HeaderValue {
    let secure = if state.cfg.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let v = format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        max_age.as_secs()
    );
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Starts a new session for a user (always a new id: login rotates the session) and
/// returns the `Set-Cookie` header value.
pub(crate) async fn start_session(
    state: &AppState,
    user: &folio_db::models::User,
) -> Result<HeaderValue, PageError> {
    let token = new_token();
    let hash = hash_token(&token);
    let expires_at =
        now_unix() + i64::try_from(state.cfg.session_ttl.as_secs()).unwrap_or(i64::MAX / 2);
    let record = SessionRecord {
        user_id: user.id,
        csrf_token: new_token(),
        expires_at,
    };
    sessions::insert_session(&state.db, &hash, &record).await?;
    let current = CurrentUser {
        id: user.id,
        email: user.email.to_string(),
        base_currency: user.base_currency.clone(),
        settings: user.settings.clone(),
        display: user.display,
        csrf: record.csrf_token,
        session_hash: hash,
    };
    state.sessions.put(current, expires_at);
    Ok(set_cookie(
        state,
        SESSION_COOKIE,
        &token,
        state.cfg.session_ttl,
    ))
}

/// Ends the session the request carries, if any.
pub(crate) async fn end_session(state: &AppState, headers: &HeaderMap) -> Result<(), PageError> {
    if let Some(token) = cookie(headers, SESSION_COOKIE) {
        let hash = hash_token(token);
        state.sessions.remove(&hash);
        sessions::delete_session(&state.db, &hash).await?;
    }
    Ok(())
}

/// Resolves the session cookie to a user: cache first, then the database.
pub(crate) async fn load_user(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<CurrentUser>, PageError> {
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    if token.len() != 64 {
        return Ok(None);
    }
    let hash = hash_token(token);
    if let Some(user) = state.sessions.get(&hash) {
        return Ok(Some(user));
    }
    let Some(record) = sessions::find_session(&state.db, &hash).await? else {
        return Ok(None);
    };
    let user = match users::get_user(&state.db, record.user_id).await {
        Ok(u) => u,
        Err(folio_db::DbError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let current = CurrentUser {
        id: user.id,
        email: user.email.to_string(),
        base_currency: user.base_currency,
        settings: user.settings,
        display: user.display,
        csrf: record.csrf_token,
        session_hash: hash,
    };
    state.sessions.put(current.clone(), record.expires_at);
    Ok(Some(current))
}

/// Rejection for pages that need a signed-in user: go to the login page.
pub(crate) enum AuthRejection {
    Login(String),
    Error(PageError),
}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        match self {
            AuthRejection::Login(next) => {
                Redirect::to(&format!("/login?next={}", urlencode(&next))).into_response()
            }
            AuthRejection::Error(e) => e.into_response(),
        }
    }
}

pub(crate) fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AuthRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(user.clone());
        }
        match load_user(state, &parts.headers)
            .await
            .map_err(AuthRejection::Error)?
        {
            Some(user) => {
                parts.extensions.insert(user.clone());
                Ok(user)
            }
            None => {
                let next = if parts.method == axum::http::Method::GET {
                    parts
                        .uri
                        .path_and_query()
                        .map_or("/dashboard", |p| p.as_str())
                        .to_owned()
                } else {
                    "/dashboard".to_owned()
                };
                Err(AuthRejection::Login(next))
            }
        }
    }
}

impl OptionalFromRequestParts<AppState> for CurrentUser {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(Some(user.clone()));
        }
        let user = load_user(state, &parts.headers).await?;
        if let Some(u) = &user {
            parts.extensions.insert(u.clone());
        }
        Ok(user)
    }
}
