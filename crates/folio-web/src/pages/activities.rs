//! Activities: a filtered, paged list, and add/edit/delete with validation per type.
//! A change that would sell or move more than is held is refused with a message.

mod input;
mod list;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use folio_core::{ActivityId, ActivityType};
use folio_db::models::{Activity, NewActivity};
use folio_db::repo::activities;

pub(crate) use input::ActivityInput;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::csrf::{CsrfForm, TokenForm};
use crate::consistency::{self, Change};
use crate::error::PageError;
use crate::format::{exact, money, price, units};
use crate::forms::FieldErrors;
use crate::pages::home::RecentView;
use crate::portfolio::{UserData, today};
use crate::render::{Layout, page, page_with_status};

/// Rows per page of the list.
const PAGE_SIZE: u64 = 50;

use list::list;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/activities", get(list).post(create))
        .route("/activities/new", get(new_form))
        .route("/activities/{id}/edit", get(edit_form))
        .route("/activities/{id}", post(update))
        .route("/activities/{id}/delete", post(delete))
}

/// A stored activity formatted for a table row.
pub(crate) fn row_view(data: &UserData, a: &Activity) -> RecentView {
    let d = &a.data;
    let detail = match (d.quantity, d.unit_price, d.amount) {
        (Some(q), _, _) if d.kind == ActivityType::Split => format!("ratio {}", exact(q)),
        (Some(q), Some(p), _) => format!("{} × {} {}", units(q), price(p), d.currency),
        (Some(q), None, _) => units(q),
        (None, _, Some(amt)) => format!("{} {}", money(amt), d.currency),
        _ => String::new(),
    };
    RecentView {
        id: a.id.get(),
        date: d.date.to_string(),
        kind: d.kind.label(),
        account: data
            .account(d.account_id)
            .map_or_else(String::new, |x| x.name.to_string()),
        asset: d
            .asset_id
            .and_then(|id| data.asset(id))
            .map_or_else(String::new, |x| x.symbol.to_string()),
        detail,
    }
}

/// Options for the account/asset selects.
pub(crate) struct Choice {
    pub value: String,
    pub label: String,
}

pub(crate) fn choices(data: &UserData) -> (Vec<Choice>, Vec<Choice>) {
    let accounts = data
        .accounts
        .iter()
        .map(|a| Choice {
            value: a.id.to_string(),
            label: format!("{} ({})", a.name, a.currency),
        })
        .collect();
    let assets = data
        .assets
        .iter()
        .map(|a| Choice {
            value: a.id.to_string(),
            label: format!("{} — {}", a.symbol, a.name),
        })
        .collect();
    (accounts, assets)
}

#[derive(Template)]
#[template(path = "activity_form.html")]
struct FormPage {
    layout: Layout,
    action: String,
    form: ActivityInput,
    errors: FieldErrors,
    accounts: Vec<Choice>,
    assets: Vec<Choice>,
    transfers: Vec<Choice>,
    kinds: &'static [ActivityType],
}

/// The user's transfers out, for linking a transfer in to one of them.
fn transfer_choices(data: &UserData) -> Vec<Choice> {
    data.activities
        .iter()
        .filter(|a| a.data.kind == ActivityType::TransferOut)
        .map(|a| {
            let row = row_view(data, a);
            Choice {
                value: a.id.to_string(),
                label: format!(
                    "{} · {} {} from {}",
                    row.date, row.asset, row.detail, row.account
                ),
            }
        })
        .collect()
}

fn form_page(
    user: &CurrentUser,
    data: &UserData,
    title: &str,
    action: String,
    form: ActivityInput,
    errors: FieldErrors,
) -> FormPage {
    let (accounts, assets) = choices(data);
    let layout = Layout::new(
        title,
        "activities",
        Some(user.email.clone()),
        user.csrf.clone(),
    );
    FormPage {
        layout,
        action,
        form,
        errors,
        accounts,
        assets,
        transfers: transfer_choices(data),
        kinds: ActivityType::ALL,
    }
}

async fn new_form(State(state): State<AppState>, user: CurrentUser) -> Result<Response, PageError> {
    let data = UserData::load(&state.db, user.id).await?;
    let form = ActivityInput {
        kind: "BUY".into(),
        date: today().to_string(),
        ..Default::default()
    };
    page(&form_page(
        &user,
        &data,
        "Record activity",
        "/activities".into(),
        form,
        FieldErrors::default(),
    ))
}

async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id: ActivityId = id.parse().map_err(|_| PageError::NotFound)?;
    let activity = activities::get_activity(&state.db, user.id, id).await?;
    let data = UserData::load(&state.db, user.id).await?;
    let form = ActivityInput::from_activity(&activity.data);
    page(&form_page(
        &user,
        &data,
        "Edit activity",
        format!("/activities/{id}"),
        form,
        FieldErrors::default(),
    ))
}

/// Parses the form and checks it against the rest of the portfolio (no overselling,
/// no broken transfer link, nothing too large to compute).
pub(crate) fn validate(
    data: &UserData,
    user: &CurrentUser,
    form: &ActivityInput,
    editing: Option<ActivityId>,
) -> Result<NewActivity, FieldErrors> {
    let new = form.parse(data)?;
    let change = Change::Upsert(editing, &new);
    consistency::check(data, &user.base_currency, &user.settings, &change).map_err(|r| {
        let mut e = FieldErrors::default();
        e.add(r.field, r.message);
        e
    })?;
    Ok(new)
}

async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<ActivityInput>,
) -> Result<Response, PageError> {
    let mut writes = state.serialize_writes(user.id).await;
    let data = UserData::load(&state.db, user.id).await?;
    match validate(&data, &user, &form, None) {
        Ok(new) => {
            let id = activities::insert_activity(&state.db, user.id, &new).await?;
            writes.applied(crate::cache::Change::activity(id, &new));
            Ok(Redirect::to("/activities").into_response())
        }
        Err(errors) => page_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form_page(
                &user,
                &data,
                "Record activity",
                "/activities".into(),
                form,
                errors,
            ),
        ),
    }
}

async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ActivityInput>,
) -> Result<Response, PageError> {
    let mut writes = state.serialize_writes(user.id).await;
    let id: ActivityId = id.parse().map_err(|_| PageError::NotFound)?;
    activities::get_activity(&state.db, user.id, id).await?;
    let data = UserData::load(&state.db, user.id).await?;
    match validate(&data, &user, &form, Some(id)) {
        Ok(upd) => {
            activities::update_activity(&state.db, user.id, id, &upd).await?;
            writes.applied(crate::cache::Change::activity(id, &upd));
            Ok(Redirect::to("/activities").into_response())
        }
        Err(errors) => page_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form_page(
                &user,
                &data,
                "Edit activity",
                format!("/activities/{id}"),
                form,
                errors,
            ),
        ),
    }
}

async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<TokenForm>,
) -> Result<Response, PageError> {
    let mut writes = state.serialize_writes(user.id).await;
    let id: ActivityId = id.parse().map_err(|_| PageError::NotFound)?;
    activities::get_activity(&state.db, user.id, id).await?;
    let data = UserData::load(&state.db, user.id).await?;
    consistency::check(
        &data,
        &user.base_currency,
        &user.settings,
        &Change::DeleteActivity(id),
    )
    .map_err(|r| PageError::Refused(r.message))?;
    activities::delete_activity(&state.db, user.id, id).await?;
    writes.applied(crate::cache::Change::ActivityDeleted(id));
    Ok(Redirect::to("/activities").into_response())
}
