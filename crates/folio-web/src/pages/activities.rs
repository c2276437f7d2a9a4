//! Activities: a filtered, paged list, and add/edit/delete with validation per type.
//! A change that would sell or move more than is held is refused with a message.

mod input;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use folio_core::{ActivityId, ActivityType};
use folio_db::models::{Activity, ActivityFilter, NewActivity};
use folio_db::repo::activities;
use serde::Deserialize;

pub(crate) use input::ActivityInput;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::csrf::{CsrfForm, TokenForm};
use crate::consistency::{self, Change};
use crate::error::PageError;
use crate::format::{exact, money};
use crate::forms::{FieldErrors, blank_to_none};
use crate::pages::home::RecentView;
use crate::portfolio::{UserData, today};
use crate::render::{Layout, page, page_with_status};

/// Rows per page of the list.
const PAGE_SIZE: u64 = 50;

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
        (Some(q), Some(p), _) => format!("{} × {} {}", exact(q), exact(p), d.currency),
        (Some(q), None, _) => exact(q),
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

/// The list's query string. Every field is text so a bad value is reported, not a 400.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListQuery {
    account: String,
    asset: String,
    #[serde(rename = "type")]
    kind: String,
    from: String,
    to: String,
    page: String,
}

impl ListQuery {
    fn filter(&self, errors: &mut FieldErrors) -> ActivityFilter {
        let mut f = ActivityFilter::default();
        if let Some(v) = blank_to_none(&self.account) {
            f.account_id = errors.check("account", v.parse().map_err(|_| "not an account"));
        }
        if let Some(v) = blank_to_none(&self.asset) {
            f.asset_id = errors.check("asset", v.parse().map_err(|_| "not an asset"));
        }
        if let Some(v) = blank_to_none(&self.kind) {
            f.kind = errors.check("type", v.parse::<ActivityType>());
        }
        if let Some(v) = blank_to_none(&self.from) {
            f.from = errors.check("from", folio_core::parse_date(v));
        }
        if let Some(v) = blank_to_none(&self.to) {
            f.to = errors.check("to", folio_core::parse_date(v));
        }
        f
    }

    fn page(&self) -> u64 {
        self.page
            .trim()
            .parse::<u64>()
            .unwrap_or(1)
            .clamp(1, 1_000_000)
    }

    fn link(&self, page: u64) -> String {
        use crate::auth::session::urlencode as e;
        format!(
            "/activities?account={}&asset={}&type={}&from={}&to={}&page={page}",
            e(&self.account),
            e(&self.asset),
            e(&self.kind),
            e(&self.from),
            e(&self.to)
        )
    }
}

/// Options for the account/asset selects.
pub(crate) struct Choice {
    pub value: String,
    pub label: String,
}

fn choices(data: &UserData) -> (Vec<Choice>, Vec<Choice>) {
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
#[template(path = "activities.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<RecentView>,
    accounts: Vec<Choice>,
    assets: Vec<Choice>,
    kinds: &'static [ActivityType],
    q: ListQuery,
    errors: FieldErrors,
    total: u64,
    page: u64,
    pages: u64,
    prev: String,
    next: String,
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::default();
    let filter = q.filter(&mut errors);
    let page_no = q.page();
    let listed = activities::list_activities(
        &state.db,
        user.id,
        &filter,
        (page_no - 1) * PAGE_SIZE,
        PAGE_SIZE,
    )
    .await?;
    let data = UserData {
        accounts: folio_db::repo::accounts::list_accounts(&state.db, user.id).await?,
        assets: folio_db::repo::assets::list_assets(&state.db, user.id).await?,
        activities: Vec::new(),
        prices: Vec::new(),
        fx: Vec::new(),
    };
    let rows = listed.items.iter().map(|a| row_view(&data, a)).collect();
    let (accounts, assets) = choices(&data);
    let pages = listed.total.div_ceil(PAGE_SIZE).max(1);
    let prev = if page_no > 1 {
        q.link(page_no - 1)
    } else {
        String::new()
    };
    let next = if page_no < pages {
        q.link(page_no + 1)
    } else {
        String::new()
    };
    let layout = Layout::new(
        "Activities",
        "activities",
        Some(user.email.clone()),
        user.csrf.clone(),
    );
    page(&ListPage {
        layout,
        rows,
        accounts,
        assets,
        kinds: ActivityType::ALL,
        q,
        errors,
        total: listed.total,
        page: page_no,
        pages,
        prev,
        next,
    })
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
    let data = UserData::load(&state.db, user.id).await?;
    match validate(&data, &user, &form, None) {
        Ok(new) => {
            activities::insert_activity(&state.db, user.id, &new).await?;
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
    let id: ActivityId = id.parse().map_err(|_| PageError::NotFound)?;
    activities::get_activity(&state.db, user.id, id).await?;
    let data = UserData::load(&state.db, user.id).await?;
    match validate(&data, &user, &form, Some(id)) {
        Ok(upd) => {
            activities::update_activity(&state.db, user.id, id, &upd).await?;
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
    Ok(Redirect::to("/activities").into_response())
}
