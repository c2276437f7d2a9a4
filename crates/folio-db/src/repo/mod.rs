//! Repositories: one module per table family, each function a verb taking the `Db` and,
//! for user data, the owning `UserId` that every statement filters on.

pub mod accounts;
pub mod activities;
pub mod assets;
pub mod backup;
pub mod import;
pub mod prices;
pub mod sessions;
pub mod templates;
pub mod tokens;
pub mod users;

/// Current time in Unix seconds, the timestamp format of every table.
pub(crate) fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// An update or delete of one user-owned row: no row affected means it does not exist
/// or belongs to someone else, which callers must not be able to tell apart.
pub(crate) fn one_or_not_found(affected: u64) -> crate::DbResult<()> {
    match affected {
        0 => Err(crate::DbError::NotFound),
        _ => Ok(()),
    }
}
