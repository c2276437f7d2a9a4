//! A result row from any backend, read through typed getters so repositories decode
//! each column once for all three databases.

use rust_decimal::Decimal;
use sqlx::Row;
use time::Date;

use crate::error::{DbError, DbResult};

/// One row from SQLite, MySQL or PostgreSQL.
pub(crate) enum DbRow {
    Sqlite(sqlx::sqlite::SqliteRow),
    MySql(sqlx::mysql::MySqlRow),
    Postgres(sqlx::postgres::PgRow),
}

fn corrupt(col: &str, err: impl std::fmt::Display) -> DbError {
    DbError::Corrupt(format!("column {col}: {err}"))
}

macro_rules! get {
    ($row:expr, $col:expr, $t:ty) => {
        match $row {
            DbRow::Sqlite(r) => r.try_get::<$t, _>($col),
            DbRow::MySql(r) => r.try_get::<$t, _>($col),
            DbRow::Postgres(r) => r.try_get::<$t, _>($col),
        }
        .map_err(|e| corrupt($col, e))
    };
}

impl DbRow {
    pub(crate) fn i64(&self, col: &str) -> DbResult<i64> {
        get!(self, col, i64)
    }

    pub(crate) fn opt_i64(&self, col: &str) -> DbResult<Option<i64>> {
        get!(self, col, Option<i64>)
    }

    pub(crate) fn string(&self, col: &str) -> DbResult<String> {
        get!(self, col, String)
    }

    pub(crate) fn bool(&self, col: &str) -> DbResult<bool> {
        get!(self, col, bool)
    }

    pub(crate) fn opt_string(&self, col: &str) -> DbResult<Option<String>> {
        get!(self, col, Option<String>)
    }

    pub(crate) fn opt_bool(&self, col: &str) -> DbResult<Option<bool>> {
        get!(self, col, Option<bool>)
    }

    pub(crate) fn opt_date(&self, col: &str) -> DbResult<Option<Date>> {
        get!(self, col, Option<Date>)
    }

    pub(crate) fn date(&self, col: &str) -> DbResult<Date> {
        get!(self, col, Date)
    }

    /// Exact decimals: TEXT on SQLite, DECIMAL/NUMERIC elsewhere; normalised so the
    /// column's fixed scale does not leak into the value (`1.5000000000` → `1.5`).
    pub(crate) fn opt_decimal(&self, col: &str) -> DbResult<Option<Decimal>> {
        let value = match self {
            DbRow::Sqlite(r) => {
                let text: Option<String> = r.try_get(col).map_err(|e| corrupt(col, e))?;
                text.map(|t| t.parse::<Decimal>().map_err(|e| corrupt(col, e)))
                    .transpose()?
            }
            DbRow::MySql(r) => r
                .try_get::<Option<Decimal>, _>(col)
                .map_err(|e| corrupt(col, e))?,
            DbRow::Postgres(r) => r
                .try_get::<Option<Decimal>, _>(col)
                .map_err(|e| corrupt(col, e))?,
        };
        Ok(value.map(|d| d.normalize()))
    }

    pub(crate) fn decimal(&self, col: &str) -> DbResult<Decimal> {
        self.opt_decimal(col)?
            .ok_or_else(|| corrupt(col, "unexpected NULL"))
    }

    /// Parses a text column into a domain type via `FromStr`-like parsing.
    pub(crate) fn parsed<T, E: std::fmt::Display>(
        &self,
        col: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> DbResult<T> {
        let text = self.string(col)?;
        parse(&text).map_err(|e| corrupt(col, e))
    }
}
