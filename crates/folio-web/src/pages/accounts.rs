//! Accounts: list (with figures, [`list`]), create, edit, delete.

mod list;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use folio_core::{AccountId, CurrencyCode, Name};
use folio_db::DbError;
use folio_db::models::{Account, NewAccount};
use folio_db::repo::accounts;
use serde::Deserialize;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::csrf::CsrfForm;
use crate::consistency::{self, Change};
use crate::error::PageError;
use crate::forms::FieldErrors;
use crate::portfolio::UserData;
use crate::render::{Layout, page, page_with_status};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/accounts", get(list::list).post(create))
        .route("/accounts/new", get(new_form))
        .route("/accounts/{id}/edit", get(edit_form))
        .route("/accounts/{id}", post(update))
        .route("/accounts/{id}/delete", post(delete))
}

/// The account form as submitted (also used by the JSON API).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(crate) struct AccountInput {
    pub name: String,
    pub currency: String,
    /// Checkbox: present ("on") when checked.
    pub tracks_cash: Option<String>,
    pub csrf: String,
}

crate::has_csrf!(AccountInput);

impl AccountInput {
    fn from_account(a: &Account) -> Self {
        Self {
            name: a.name.to_string(),
            currency: a.currency.to_string(),
            tracks_cash: a.tracks_cash.then(|| "on".into()),
            csrf: String::new(),
        }
    }

    /// Parses into a domain value or field messages.
    pub(crate) fn parse(&self) -> Result<NewAccount, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = errors.check("name", Name::parse(&self.name));
        let currency = errors.check("currency", CurrencyCode::parse(&self.currency));
        match (name, currency) {
            (Some(name), Some(currency)) if errors.is_empty() => Ok(NewAccount {
                name,
                currency,
                tracks_cash: self
                    .tracks_cash
                    .as_deref()
                    .is_some_and(|v| v != "false" && v != "off"),
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Template)]
#[template(path = "account_form.html")]
struct FormPage {
    layout: Layout,
    action: String,
    form: AccountInput,
    errors: FieldErrors,
}

fn layout(user: &CurrentUser, title: &str) -> Layout {
    Layout::new(
        title,
        "accounts",
        Some(user.email.clone()),
        user.csrf.clone(),
    )
}

async fn new_form(user: CurrentUser) -> Result<Response, PageError> {
    let form = AccountInput {
        currency: user.base_currency.to_string(),
        tracks_cash: Some("on".into()),
        ..Default::default()
    };
    page(&FormPage {
        layout: layout(&user, "New account"),
        action: "/accounts".into(),
        form,
        errors: FieldErrors::default(),
    })
}

fn conflict(mut errors: FieldErrors) -> FieldErrors {
    errors.add("name", "you already have an account with this name");
    errors
}

async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<AccountInput>,
) -> Result<Response, PageError> {
    let rerender = |form, errors| {
        page_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &FormPage {
                layout: layout(&user, "New account"),
                action: "/accounts".into(),
                form,
                errors,
            },
        )
    };
    let new = match form.parse() {
        Ok(new) => new,
        Err(errors) => return rerender(form, errors),
    };
    let _writes = state.serialize_writes(user.id).await;
    match accounts::insert_account(&state.db, user.id, &new).await {
        Ok(_) => Ok(Redirect::to("/accounts").into_response()),
        Err(DbError::Conflict) => rerender(form, conflict(FieldErrors::default())),
        Err(e) => Err(e.into()),
    }
}

async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id: AccountId = id.parse().map_err(|_| PageError::NotFound)?;
    let account = accounts::get_account(&state.db, user.id, id).await?;
    let form = AccountInput::from_account(&account);
    page(&FormPage {
        layout: layout(&user, "Edit account"),
        action: format!("/accounts/{id}"),
        form,
        errors: FieldErrors::default(),
    })
}

async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<AccountInput>,
) -> Result<Response, PageError> {
    let _writes = state.serialize_writes(user.id).await;
    let id: AccountId = id.parse().map_err(|_| PageError::NotFound)?;
    let action = format!("/accounts/{id}");
    let rerender = |form, errors| {
        page_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &FormPage {
                layout: layout(&user, "Edit account"),
                action: action.clone(),
                form,
                errors,
            },
        )
    };
    let upd = match form.parse() {
        Ok(upd) => upd,
        Err(errors) => return rerender(form, errors),
    };
    accounts::get_account(&state.db, user.id, id).await?;
    let data = UserData::load(&state.db, user.id).await?;
    let change = Change::UpdateAccount(id, &upd);
    if let Err(r) = consistency::check(&data, &user.base_currency, &user.settings, &change) {
        let mut errors = FieldErrors::default();
        errors.add("currency", r.message);
        return rerender(form, errors);
    }
    match accounts::update_account(&state.db, user.id, id, &upd).await {
        Ok(()) => Ok(Redirect::to("/accounts").into_response()),
        Err(DbError::Conflict) => rerender(form, conflict(FieldErrors::default())),
        Err(e) => Err(e.into()),
    }
}

async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<crate::auth::csrf::TokenForm>,
) -> Result<Response, PageError> {
    let _writes = state.serialize_writes(user.id).await;
    let id: AccountId = id.parse().map_err(|_| PageError::NotFound)?;
    accounts::get_account(&state.db, user.id, id).await?;
    let data = UserData::load(&state.db, user.id).await?;
    consistency::check(
        &data,
        &user.base_currency,
        &user.settings,
        &Change::DeleteAccount(id),
    )
    .map_err(|r| PageError::Refused(r.message))?;
    accounts::delete_account(&state.db, user.id, id).await?;
    Ok(Redirect::to("/accounts").into_response())
}
