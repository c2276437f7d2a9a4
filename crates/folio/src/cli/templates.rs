//! Saved column mappings for `folio import --format mapping:NAME`.

use folio_core::UserId;
use folio_core::import::ColumnMapping;
use folio_db::Db;
use folio_db::repo::templates;

use super::CliError;

/// The user's template of that name, as a mapping.
pub async fn load(db: &Db, user: UserId, name: &str) -> Result<ColumnMapping, CliError> {
    let t = templates::get_template(db, user, name)
        .await
        .map_err(|e| match e {
            folio_db::DbError::NotFound => {
                CliError::Input(format!("no saved mapping named {name:?}"))
            }
            other => other.into(),
        })?;
    serde_json::from_str(&t.definition)
        .map_err(|e| CliError::Input(format!("saved mapping {name:?} is unreadable: {e}")))
}
