//! Pages of the import flow: the upload form, the preview and the summary.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use folio_core::AssetId;
use folio_db::repo::import::ImportOutcome;
use folio_db::repo::templates;

use super::import::ImportInput;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::import::{Preview, PreviewRow, Total};
use crate::render::{Layout, page_with_status};

fn layout(user: &CurrentUser, title: &str) -> Layout {
    Layout::new(title, "import", Some(user.email.clone()), user.csrf.clone())
}

#[derive(Template)]
#[template(path = "import.html")]
pub(crate) struct UploadPage {
    layout: Layout,
    form: ImportInput,
    message: String,
    mappings: Vec<(i64, String)>,
    max_bytes: String,
    max_rows: String,
}

impl UploadPage {
    pub(crate) async fn new(
        state: &AppState,
        user: &CurrentUser,
        form: ImportInput,
        message: String,
    ) -> Result<Self, PageError> {
        // With the database out of capacity the page still comes back with the user's
        // input and the reason; only the list of saved mappings is missing then.
        let mappings = match templates::list_templates(&state.db, user.id).await {
            Ok(list) => list.into_iter().map(|t| (t.id, t.name)).collect(),
            Err(folio_db::DbError::Unavailable { .. }) => Vec::new(),
            Err(e) => return Err(e.into()),
        };
        Ok(Self {
            layout: layout(user, "Import"),
            form,
            message,
            mappings,
            max_bytes: crate::format::bytes(state.cfg.import_max_bytes),
            max_rows: crate::format::count(state.cfg.import_max_rows),
        })
    }
}

#[derive(Template)]
#[template(path = "import_preview.html")]
pub(crate) struct PreviewPage {
    layout: Layout,
    form: ImportInput,
    p: Preview,
    rows: Vec<PreviewRow>,
    hidden_rows: u64,
    expected: String,
    /// Shown again on confirm because the data changed since the first preview.
    changed: bool,
}

impl PreviewPage {
    pub(crate) fn new(
        user: &CurrentUser,
        form: ImportInput,
        mut p: Preview,
        changed: bool,
    ) -> Self {
        let rows = std::mem::take(&mut p.rows);
        let hidden_rows = p.unlisted;
        Self {
            layout: layout(user, "Import preview"),
            expected: format!("{}/{}", p.new_rows(), p.duplicates),
            form,
            p,
            rows,
            hidden_rows,
            changed,
        }
    }

    fn totals(&self) -> &[Total] {
        &self.p.totals
    }

    /// A quantity or price as given, blank when absent.
    fn exact(&self, d: &Option<rust_decimal::Decimal>) -> String {
        d.map(crate::format::exact).unwrap_or_default()
    }

    /// An amount of money, blank when absent.
    fn money(&self, d: &Option<rust_decimal::Decimal>) -> String {
        d.map(crate::format::money).unwrap_or_default()
    }

    /// An amount of money.
    fn m(&self, d: &rust_decimal::Decimal) -> String {
        crate::format::money(*d)
    }
}

#[derive(Template)]
#[template(path = "import_done.html")]
struct DonePage {
    layout: Layout,
    activities: u64,
    duplicates: u64,
    accounts: usize,
    assets: Vec<(AssetId, String)>,
}

/// The summary after a write, linking every asset the import touched.
pub(crate) async fn done_page(
    state: &AppState,
    user: &CurrentUser,
    p: &Preview,
    out: &ImportOutcome,
) -> Result<Response, PageError> {
    let symbols: std::collections::BTreeSet<&str> = p
        .rows
        .iter()
        .filter(|r| !r.duplicate)
        .filter_map(|r| r.symbol.as_deref())
        .collect();
    let assets = folio_db::repo::assets::list_assets(&state.db, user.id)
        .await?
        .into_iter()
        .filter(|a| symbols.contains(a.symbol.as_str()))
        .map(|a| (a.id, a.symbol.to_string()))
        .collect();
    let page = DonePage {
        layout: layout(user, "Imported"),
        activities: out.activities,
        duplicates: p.duplicates,
        accounts: out.accounts.len(),
        assets,
    };
    page_with_status(StatusCode::OK, &page)
}
