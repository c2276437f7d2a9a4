//! Imports, shared by the web flow and the CLI: a parsed file is turned into a
//! [`Preview`] against the user's stored data (nothing written), and a clean preview is
//! written in one transaction on the background share of the connection budget.
//!
//! Duplicates: a row whose [`folio_core::import::Fingerprint`] (account, asset, type,
//! date, numbers, currency) equals a stored activity's is not imported again; matching
//! counts occurrences, so a file with two identical buys against one stored buy imports
//! one. Re-importing a file therefore creates nothing.

mod check;
mod export;
mod format;
mod notes;
mod plan;
mod text;

use folio_core::import::{ParsedFile, RowError};
use folio_core::{ActivityType, CurrencyCode, UserId};
use folio_db::models::{NewAccount, NewAsset, UserSettings};
use folio_db::repo::import::{ImportBatch, ImportOutcome, write_import};
use folio_db::{Db, DbError};
use rust_decimal::Decimal;

/// Rows a preview keeps for display: a person reads the first ones and every error
/// (errors are never cut); keeping all of a 100,000-row file would cost memory for
/// nothing.
pub const ROWS_LISTED: usize = 2_000;

/// Whose data an import is checked against and written to.
#[derive(Debug, Clone)]
pub struct Importer {
    /// The owner; every read and write is scoped by it.
    pub user: UserId,
    /// Base currency (for the consistency check).
    pub base_currency: CurrencyCode,
    /// Lot method and cost-basis option (for the consistency check).
    pub settings: UserSettings,
}

/// One row of the file as the preview shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewRow {
    /// 1-based line in the file.
    pub line: u64,
    /// Account name.
    pub account: String,
    /// Asset symbol, if any.
    pub symbol: Option<String>,
    /// Activity type.
    pub kind: ActivityType,
    /// Date.
    pub date: time::Date,
    /// Quantity, price, amount as given.
    pub quantity: Option<Decimal>,
    /// Price per unit.
    pub unit_price: Option<Decimal>,
    /// Cash amount.
    pub amount: Option<Decimal>,
    /// Fee.
    pub fee: Decimal,
    /// Currency.
    pub currency: CurrencyCode,
    /// Already stored: it will not be imported again.
    pub duplicate: bool,
}

/// Count and gross value of the new rows of one type in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Total {
    /// Activity type.
    pub kind: ActivityType,
    /// Currency.
    pub currency: CurrencyCode,
    /// New rows.
    pub count: u64,
    /// Sum of quantity × price + amount.
    pub value: Decimal,
}

/// What an import would do; nothing has been written.
#[derive(Debug, Clone, Default)]
pub struct Preview {
    /// Data rows seen in the file.
    pub rows_seen: u64,
    /// The first [`ROWS_LISTED`] parsed rows, in file order (every row is checked).
    pub rows: Vec<PreviewRow>,
    /// Parsed rows checked but not kept in [`Preview::rows`].
    pub unlisted: u64,
    /// Parse errors, unresolvable rows and consistency refusals, in file order.
    pub errors: Vec<RowError>,
    /// Accounts the import creates.
    pub new_accounts: Vec<NewAccount>,
    /// Assets the import creates.
    pub new_assets: Vec<NewAsset>,
    /// Rows already stored.
    pub duplicates: u64,
    /// New rows per type and currency.
    pub totals: Vec<Total>,
    /// Prices and FX rates in the file.
    pub prices: u64,
    /// FX rates in the file.
    pub fx_rates: u64,
    /// Facts the user should know before confirming that are not errors: how the file
    /// was decoded, settings in the file that the import does not apply.
    pub notes: Vec<String>,
    /// What would be written.
    pub(crate) batch: ImportBatch,
}

impl Preview {
    /// Whether it can be written (no errors of any kind).
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }

    /// Activities that would be written.
    pub fn new_rows(&self) -> u64 {
        u64::try_from(self.batch.activities.len()).unwrap_or(u64::MAX)
    }
}

/// Why an import was not written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The preview has errors; nothing was written.
    #[error("the file has {0} error(s); nothing was imported")]
    NotClean(usize),
    /// The database failed; the transaction was rolled back.
    #[error(transparent)]
    Db(#[from] DbError),
    /// The check could not run to its end (a bug); nothing was written.
    #[error("the import could not be checked: {0}")]
    Failed(String),
}

/// Builds the preview of a parsed file against the user's stored data (reads only).
/// The planning and the engine's check run on the blocking pool, so a large file never
/// holds up the threads that serve other requests.
pub async fn preview(db: &Db, who: &Importer, parsed: ParsedFile) -> Result<Preview, ImportError> {
    let data = plan::load(db, who.user).await?;
    let who = who.clone();
    tokio::task::spawn_blocking(move || plan::plan(&data, &who, parsed))
        .await
        .map_err(|e| ImportError::Failed(e.to_string()))
}

/// Writes a clean preview in one transaction on `db.background()`: all rows or none.
/// Web callers hold the user's write guard around this.
pub async fn apply(
    db: &Db,
    who: &Importer,
    preview: &Preview,
) -> Result<ImportOutcome, ImportError> {
    if !preview.is_clean() {
        return Err(ImportError::NotClean(preview.errors.len()));
    }
    Ok(write_import(&db.background(), who.user, &preview.batch).await?)
}

pub use export::{ExportFormat, document, export, price_history};
pub use format::{FormatError, choose_format, load_mapping};
pub use text::render_text;
