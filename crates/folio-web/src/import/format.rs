//! Which parser a file goes through: a `--format` / form value, looking at the bytes
//! where the value leaves a choice.

use folio_core::UserId;
use folio_core::import::{ColumnMapping, Format, detect};
use folio_db::repo::templates;
use folio_db::{Db, DbError};

/// Why no format could be chosen.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    /// The value is not one of the known names.
    #[error("unknown format {0:?}: use auto, folio, ghostfolio, wealthfolio or mapping:NAME")]
    Unknown(String),
    /// `auto` and the file's content matches no format.
    #[error("the file's format was not recognised: choose one, or a saved column mapping")]
    NotRecognised,
    /// `mapping:NAME` names no saved mapping of this user.
    #[error("no saved column mapping named {0:?}")]
    NoMapping(String),
    /// The saved mapping is not a valid mapping.
    #[error("the saved column mapping {0:?} cannot be read: {1}")]
    BadMapping(String, String),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// The user's saved mapping of that name.
pub async fn load_mapping(db: &Db, user: UserId, name: &str) -> Result<ColumnMapping, FormatError> {
    let t = templates::get_template(db, user, name)
        .await
        .map_err(|e| match e {
            DbError::NotFound => FormatError::NoMapping(name.to_owned()),
            other => FormatError::Db(other),
        })?;
    serde_json::from_str(&t.definition)
        .map_err(|e| FormatError::BadMapping(name.to_owned(), e.to_string()))
}

/// The format `name` (auto, folio, ghostfolio, wealthfolio, mapping:NAME) means for
/// these bytes.
pub async fn choose_format(
    db: &Db,
    user: UserId,
    name: &str,
    bytes: &[u8],
) -> Result<Format, FormatError> {
    let json = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    match name {
        "auto" | "" => detect(bytes).ok_or(FormatError::NotRecognised),
        "folio" => Ok(if json {
            Format::FolioJson
        } else {
            Format::FolioCsv
        }),
        "ghostfolio" => Ok(if json {
            Format::GhostfolioJson
        } else {
            Format::GhostfolioCsv
        }),
        "wealthfolio" => Ok(Format::WealthfolioCsv),
        other => match other.strip_prefix("mapping:") {
            Some(template) => Ok(Format::Mapping(Box::new(
                load_mapping(db, user, template).await?,
            ))),
            None => Err(FormatError::Unknown(other.to_owned())),
        },
    }
}
