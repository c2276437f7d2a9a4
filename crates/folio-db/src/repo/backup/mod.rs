//! Whole-instance backup and restore: every table that holds user data, read in keyset
//! batches and written back in multi-row inserts, with ids kept so every link (accounts,
//! assets, transfer pairs, tokens) survives a move between backends.
//!
//! Sessions and the schema bookkeeping are not user data and are left out. [`TABLES`] is
//! the one list of what a backup holds; [`check_schema`] refuses to back up a database
//! with a table or column it does not name, so a new migration cannot silently drop data
//! from backups (add the table or column here when a migration adds one).

mod read;
mod write;

use rust_decimal::Decimal;
use time::Date;

pub use read::{applied_version, check_schema, is_empty, key_of, read_batch};
pub use write::Restore;

use crate::error::DbError;

/// How a column's value is read, written and put in a backup file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 64-bit integer (ids, Unix seconds).
    Int,
    /// Text.
    Text,
    /// Boolean.
    Bool,
    /// Exact decimal (money, quantities, prices, rates).
    Decimal,
    /// Calendar date.
    Date,
}

/// One table of a backup: its columns in file order and the key it is read in order of.
#[derive(Debug)]
pub struct TableSpec {
    /// Table name.
    pub name: &'static str,
    /// Every column and its kind.
    pub columns: &'static [(&'static str, Kind)],
    /// Unique key, read in ascending order (keyset pagination, identical on every backend).
    pub key: &'static [&'static str],
}

impl TableSpec {
    /// The kind of a column, if the table has it.
    pub fn kind(&self, column: &str) -> Option<Kind> {
        self.columns
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, k)| *k)
    }

    /// Whether rows carry an `id` whose identity sequence must follow the restored ids.
    fn has_id(&self) -> bool {
        self.kind("id").is_some()
    }
}

use Kind::{Bool, Date as D, Decimal as Dec, Int, Text};

/// Every table a backup holds, parents before children.
pub const TABLES: &[TableSpec] = &[
    TableSpec {
        name: "users",
        columns: &[
            ("id", Int),
            ("email", Text),
            ("password_hash", Text),
            ("role", Text),
            ("base_currency", Text),
            ("lot_method", Text),
            ("fees_in_cost_basis", Bool),
            ("created_at", Int),
            ("theme", Text),
            ("privacy_mode", Bool),
        ],
        key: &["id"],
    },
    TableSpec {
        name: "accounts",
        columns: &[
            ("id", Int),
            ("user_id", Int),
            ("name", Text),
            ("currency", Text),
            ("tracks_cash", Bool),
            ("created_at", Int),
        ],
        key: &["id"],
    },
    TableSpec {
        name: "assets",
        columns: &[
            ("id", Int),
            ("user_id", Int),
            ("symbol", Text),
            ("name", Text),
            ("currency", Text),
            ("asset_class", Text),
            ("pricing", Text),
            ("created_at", Int),
        ],
        key: &["id"],
    },
    TableSpec {
        name: "activities",
        columns: &[
            ("id", Int),
            ("user_id", Int),
            ("account_id", Int),
            ("asset_id", Int),
            ("activity_type", Text),
            ("activity_date", D),
            ("quantity", Dec),
            ("unit_price", Dec),
            ("amount", Dec),
            ("fee", Dec),
            ("tax", Dec),
            ("currency", Text),
            ("note", Text),
            ("created_at", Int),
            ("transfer_of", Int),
        ],
        key: &["id"],
    },
    TableSpec {
        name: "prices",
        columns: &[
            ("asset_id", Int),
            ("user_id", Int),
            ("price_date", D),
            ("close", Dec),
        ],
        key: &["asset_id", "price_date"],
    },
    TableSpec {
        name: "fx_rates",
        columns: &[
            ("user_id", Int),
            ("base_currency", Text),
            ("quote_currency", Text),
            ("rate_date", D),
            ("rate", Dec),
        ],
        key: &["user_id", "base_currency", "quote_currency", "rate_date"],
    },
    TableSpec {
        name: "api_tokens",
        columns: &[
            ("id", Int),
            ("user_id", Int),
            ("name", Text),
            ("token_hash", Text),
            ("created_at", Int),
            ("last_used_at", Int),
            ("expires_at", Int),
        ],
        key: &["id"],
    },
    TableSpec {
        name: "import_templates",
        columns: &[
            ("id", Int),
            ("user_id", Int),
            ("name", Text),
            ("definition", Text),
            ("created_at", Int),
        ],
        key: &["id"],
    },
];

/// Tables that are deliberately not backed up: login state and schema bookkeeping.
pub const EXCLUDED_TABLES: &[&str] = &["sessions", "schema_migrations", "sqlite_sequence"];

/// The table spec by name.
pub fn table(name: &str) -> Option<&'static TableSpec> {
    TABLES.iter().find(|t| t.name == name)
}

/// One value of a backed-up row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// SQL NULL.
    Null,
    /// An integer.
    Int(i64),
    /// Text.
    Text(String),
    /// A boolean.
    Bool(bool),
    /// An exact decimal, normalised (no trailing zeros), so every backend yields the same.
    Decimal(Decimal),
    /// A date.
    Date(Date),
}

/// Why a backup or restore could not proceed.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
    /// Restore target already holds data.
    #[error(
        "the target database is not empty (table {0} has rows); restore only loads into an empty database"
    )]
    NotEmpty(&'static str),
    /// The database has a table or column the backup format does not know, or the file
    /// names one the database does not have.
    #[error("schema mismatch: {0}")]
    Schema(String),
    /// A value cannot be stored faithfully by the target backend.
    #[error("{0}")]
    Value(String),
}
