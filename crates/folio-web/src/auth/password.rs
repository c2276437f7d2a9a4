//! Argon2id password hashing, run off the async runtime with bounded concurrency so a
//! burst of logins cannot starve request handling or exhaust memory.

use std::sync::LazyLock;

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use folio_core::Password;
use tokio::sync::Semaphore;

/// At most this many hashes run at once (each takes ~19 MiB and tens of milliseconds).
const MAX_CONCURRENT_HASHES: usize = 2;

static HASH_SLOTS: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(MAX_CONCURRENT_HASHES));

/// A hash used when the email is unknown, so a failed login costs the same either way.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_raw("dummy password for timing equalisation").unwrap_or_default());

/// How long a request waits for a hashing slot before it is answered 503: a burst of
/// sign-ups or logins must not queue every other login behind it indefinitely.
const SLOT_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Why hashing failed: all slots busy for too long (a 503), or a broken environment
/// (no randomness; a 500).
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Every hashing slot stayed busy past the wait limit.
    #[error("password hashing is busy")]
    Busy,
    /// Hashing itself failed.
    #[error("password hashing failed: {0}")]
    Failed(String),
}

async fn slot() -> Result<tokio::sync::SemaphorePermit<'static>, HashError> {
    match tokio::time::timeout(SLOT_WAIT, HASH_SLOTS.acquire()).await {
        Ok(Ok(permit)) => Ok(permit),
        Ok(Err(e)) => Err(HashError::Failed(e.to_string())),
        Err(_) => Err(HashError::Busy),
    }
}

fn argon2() -> Argon2<'static> {
    // OWASP's Argon2id baseline: 19 MiB, 2 iterations, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_raw(secret: &str) -> Result<String, HashError> {
    let mut salt_bytes = [0_u8; 16];
    getrandom::fill(&mut salt_bytes).map_err(|e| HashError::Failed(e.to_string()))?;
    argon2()
        .hash_password_with_salt(secret.as_bytes(), &salt_bytes)
        .map(|h| h.to_string())
        .map_err(|e| HashError::Failed(e.to_string()))
}

/// Hashes a password on the current thread (CLI use).
pub fn hash_password(password: &Password) -> Result<String, HashError> {
    hash_raw(password.expose())
}

/// Hashes on the blocking pool, waiting for a free hashing slot first.
pub(crate) async fn hash_password_async(password: Password) -> Result<String, HashError> {
    let _slot = HASH_SLOTS
        .acquire()
        .await
        .map_err(|e| HashError::Failed(e.to_string()))?;
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| HashError::Failed(e.to_string()))?
}

/// Verifies a password against a stored hash on the blocking pool. With no hash (unknown
/// email) a dummy hash is checked so the response time does not reveal the email exists.
pub(crate) async fn verify_password_async(
    candidate: String,
    stored: Option<String>,
) -> Result<bool, HashError> {
    let _slot = slot().await?;
    let known = stored.is_some();
    let hash = stored.unwrap_or_else(|| DUMMY_HASH.clone());
    let ok = tokio::task::spawn_blocking(move || {
        argon2()
            .verify_password(candidate.as_bytes(), hash.as_str())
            .is_ok()
    })
    .await
    .unwrap_or(false);
    Ok(ok && known)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let pw = Password::parse("correct horse battery").unwrap();
        let hash = hash_password_async(pw).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        let verify = |pw: &str, h: Option<String>| verify_password_async(pw.to_owned(), h);
        assert!(
            verify("correct horse battery", Some(hash.clone()))
                .await
                .unwrap()
        );
        assert!(!verify("wrong horse battery", Some(hash)).await.unwrap());
        assert!(
            !verify("dummy password for timing equalisation", None)
                .await
                .unwrap()
        );
    }
}
