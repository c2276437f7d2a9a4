//! Handlers for register, login, logout and change password.

mod login;
mod password;
mod register;

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderValue;
use axum::http::header;
use axum::http::request::Parts;
use axum::response::Response;
pub(crate) use login::{login, login_form, logout};
pub(crate) use password::{change_password, password_form};
pub(crate) use register::{register, register_form};

use crate::AppState;

/// The client's address, for throttling: the socket peer, or the rightmost
/// `X-Forwarded-For` entry (the one our proxy appended) when the operator said a proxy
/// is trusted.
pub(crate) struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if state.cfg.trust_proxy {
            let forwarded = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok());
            // The rightmost entry is the one our proxy appended; entries to its left
            // are whatever the client sent and cannot be trusted.
            if let Some(last) = forwarded.and_then(|v| v.rsplit(',').next()).map(str::trim)
                && !last.is_empty()
            {
                return Ok(Self(last.to_owned()));
            }
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string());
        Ok(Self(peer.unwrap_or_else(|| "unknown".into())))
    }
}

fn with_cookie(mut resp: Response, cookie: Option<HeaderValue>) -> Response {
    if let Some(c) = cookie {
        resp.headers_mut().append(header::SET_COOKIE, c);
    }
    resp
}

/// Only local paths may be redirect targets (no `//evil.example`).
/// Only local paths may be redirect targets: a `/` followed by URL-safe characters, no
/// second `/` or `\` (protocol-relative URLs), no control or space characters (browsers
/// drop tabs and newlines, which would turn `/\t/evil` into `//evil`).
pub(crate) fn safe_next(next: &str) -> &str {
    let allowed = |b: u8| b.is_ascii_alphanumeric() || b"-._~/?=&%+".contains(&b);
    let bytes = next.as_bytes();
    let local = bytes.first() == Some(&b'/')
        && !matches!(bytes.get(1), Some(b'/' | b'\\'))
        && bytes.iter().all(|&b| allowed(b));
    if local { next } else { "/dashboard" }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_plain_local_paths_are_redirect_targets() {
        assert_eq!(
            safe_next("/activities?type=BUY&page=2"),
            "/activities?type=BUY&page=2"
        );
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/x",
            "https://evil.example",
            "",
            "dashboard",
            "/a b",
            "/\u{7f}",
        ] {
            assert_eq!(safe_next(bad), "/dashboard", "{bad:?}");
        }
    }
}
