//! Saved column mappings (templates) for broker CSVs, per user: a form to create and
//! edit them field by field ([`input`]), try one on a pasted sample ([`sample`]), and
//! delete. Another user's mapping, or an id that is not one, is a 404.

mod fields;
mod input;
mod kinds;
mod sample;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use folio_core::ActivityType;
use folio_core::import::ColumnMapping;
use folio_db::DbError;
use folio_db::repo::templates;

use self::fields::{COLUMN_FIELDS, ColumnField, choices};
use self::input::MappingInput;
use self::sample::SampleView;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::csrf::{CsrfForm, TokenForm};
use crate::error::PageError;
use crate::forms::FieldErrors;
use crate::render::{Layout, page_with_status};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/import/mappings", post(create))
        .route("/import/mappings/new", get(new_form))
        .route("/import/mappings/{id}", get(edit_form).post(update))
        .route("/import/mappings/{id}/delete", post(delete))
        // A pasted sample may be up to 64 KiB of text, three times that URL-encoded.
        .layer(axum::extract::DefaultBodyLimit::max(
            3 * sample::SAMPLE_MAX_BYTES + 64 * 1024,
        ))
}

#[derive(Template)]
#[template(path = "import_mapping.html")]
struct FormPage {
    layout: Layout,
    action: String,
    form: MappingInput,
    errors: FieldErrors,
    /// The stored definition as JSON (edit page only), shown read-only.
    stored: Option<String>,
    /// How the pasted sample reads (after "Try on sample").
    sample: Option<SampleView>,
    kinds: &'static [ActivityType],
    delimiters: Vec<(&'static str, &'static str)>,
    date_formats: Vec<(&'static str, &'static str)>,
    decimals: Vec<(&'static str, &'static str)>,
    thousands: Vec<(&'static str, &'static str)>,
}

impl FormPage {
    fn new(user: &CurrentUser, id: Option<i64>, form: MappingInput, errors: FieldErrors) -> Self {
        let (title, action) = match id {
            Some(id) => ("Edit column mapping", format!("/import/mappings/{id}")),
            None => ("New column mapping", "/import/mappings".to_owned()),
        };
        Self {
            layout: Layout::new(title, "import", Some(user.email.clone()), user.csrf.clone()),
            action,
            form,
            errors,
            stored: None,
            sample: None,
            kinds: ActivityType::ALL,
            delimiters: choices(&fields::DELIMITERS),
            date_formats: choices(&fields::DATE_FORMATS),
            decimals: choices(&fields::DECIMALS),
            thousands: choices(&fields::THOUSANDS),
        }
    }

    /// The column fields with what the form holds for each.
    fn columns(&self) -> Vec<(&'static ColumnField, &str)> {
        COLUMN_FIELDS.iter().zip(self.form.columns()).collect()
    }
}

/// A path id that is not a number (or overflows) names no mapping: 404, like another
/// user's.
fn parse_id(id: &str) -> Result<i64, PageError> {
    id.parse().map_err(|_| PageError::NotFound)
}

async fn new_form(user: CurrentUser) -> Result<Response, PageError> {
    let defaults = ColumnMapping {
        default_currency: Some(user.base_currency.clone()),
        ..ColumnMapping::default()
    };
    let form = MappingInput::from_mapping(&defaults);
    page_with_status(
        StatusCode::OK,
        &FormPage::new(&user, None, form, FieldErrors::default()),
    )
}

async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let t = templates::get_template_by_id(&state.db, user.id, parse_id(&id)?).await?;
    let mut errors = FieldErrors::default();
    let mut form = match serde_json::from_str::<ColumnMapping>(&t.definition) {
        Ok(m) => {
            // A stored value the form has no choice for would be replaced silently on save.
            if !fields::THOUSANDS
                .iter()
                .any(|t| t.1 == m.number_format.thousands)
            {
                let msg = "the stored thousands separator is not one of these choices: choose one before saving";
                errors.add("thousands", msg.to_owned());
            }
            if !fields::DELIMITERS.iter().any(|d| d.1 == m.delimiter) {
                let msg =
                    "the stored delimiter is not one of these choices: choose one before saving";
                errors.add("delimiter", msg.to_owned());
            }
            MappingInput::from_mapping(&m)
        }
        Err(e) => {
            // A definition saved by hand or by an older version: the form still opens.
            // The parser's text stays in the log (it is not for the page).
            tracing::warn!(mapping = t.id, error = %e, "stored column mapping unreadable");
            errors.add(
                "form",
                "The stored definition could not be read; saving this form replaces it.".to_owned(),
            );
            MappingInput::from_mapping(&ColumnMapping::default())
        }
    };
    form.name = t.name;
    let mut page = FormPage::new(&user, Some(t.id), form, errors);
    page.stored = Some(t.definition);
    page_with_status(StatusCode::OK, &page)
}

async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<MappingInput>,
) -> Result<Response, PageError> {
    submit(&state, &user, None, form).await
}

async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<MappingInput>,
) -> Result<Response, PageError> {
    let t = templates::get_template_by_id(&state.db, user.id, parse_id(&id)?).await?;
    submit(&state, &user, Some(t), form).await
}

/// Checks the form; then either tries it on the sample (`op=try`, nothing saved) or
/// saves it — a new mapping, or the edited one by id, so a rename leaves no copy behind.
async fn submit(
    state: &AppState,
    user: &CurrentUser,
    existing: Option<templates::Template>,
    form: MappingInput,
) -> Result<Response, PageError> {
    let id = existing.as_ref().map(|t| t.id);
    let stored = existing.map(|t| t.definition);
    let rerender = |form: MappingInput, errors: FieldErrors, sample: Option<SampleView>| {
        let status = if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        let mut page = FormPage::new(user, id, form, errors);
        page.stored = stored.clone();
        page.sample = sample;
        page_with_status(status, &page)
    };
    let mapping = match form.parse() {
        Ok(m) => m,
        Err(errors) => return rerender(form, errors, None),
    };
    if form.op == "try" {
        let mut errors = FieldErrors::default();
        let view = errors.check("sample", sample::try_on(&form.sample, &mapping));
        return rerender(form, errors, view);
    }
    match save(state, user, id, &mapping).await? {
        Ok(()) => Ok(Redirect::to("/import").into_response()),
        Err(errors) => rerender(form, errors, None),
    }
}

/// Stores the mapping: a new one, or the edited one by id. A name another of the
/// user's mappings has is a message on the name field; nothing is overwritten.
async fn save(
    state: &AppState,
    user: &CurrentUser,
    id: Option<i64>,
    mapping: &ColumnMapping,
) -> Result<Result<(), FieldErrors>, PageError> {
    let definition =
        serde_json::to_string_pretty(mapping).map_err(|e| PageError::Internal(e.to_string()))?;
    let (db, name) = (&state.db, mapping.name.as_str());
    let saved = match id {
        Some(id) => templates::update_template(db, user.id, id, name, &definition).await,
        None => templates::insert_template(db, user.id, name, &definition)
            .await
            .map(drop),
    };
    match saved {
        Ok(()) => Ok(Ok(())),
        Err(DbError::Conflict) => {
            let mut errors = FieldErrors::default();
            let msg = format!(
                "you already have a mapping named “{name}”: choose another name, or edit that one"
            );
            errors.add("name", msg);
            Ok(Err(errors))
        }
        Err(e) => Err(e.into()),
    }
}

async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<TokenForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    templates::delete_template(&state.db, user.id, id).await?;
    Ok(Redirect::to("/import").into_response())
}
