//! Repositories: one module per table family, each function a verb taking the `Db` and,
//! for user data, the owning `UserId` that every statement filters on.

pub mod accounts;
pub mod activities;
pub mod assets;
pub mod prices;
pub mod sessions;
pub mod tokens;
pub mod users;

/// Current time in Unix seconds, the timestamp format of every table.
pub(crate) fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}
