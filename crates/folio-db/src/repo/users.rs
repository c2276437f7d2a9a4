//! Users: registration (first user becomes admin), lookup, password changes.

use folio_core::portfolio::LotMethod;
use folio_core::{CurrencyCode, Email, Role, UserId};
use sea_query::{Expr, ExprTrait, Order, Query};

use crate::db::Db;
use crate::error::DbResult;
use crate::models::{DisplayPrefs, NewUser, Theme, User, UserSettings};
use crate::row::DbRow;

const COLUMNS: [&str; 10] = [
    "id",
    "email",
    "password_hash",
    "role",
    "base_currency",
    "lot_method",
    "fees_in_cost_basis",
    "theme",
    "privacy_mode",
    "created_at",
];

fn lot_method_text(m: LotMethod) -> &'static str {
    match m {
        LotMethod::Fifo => "FIFO",
        LotMethod::AverageCost => "AVERAGE",
    }
}

fn parse_lot_method(s: &str) -> Result<LotMethod, String> {
    match s {
        "FIFO" => Ok(LotMethod::Fifo),
        "AVERAGE" => Ok(LotMethod::AverageCost),
        other => Err(format!("unknown lot method {other}")),
    }
}

fn user_from(row: &DbRow) -> DbResult<User> {
    Ok(User {
        id: UserId::new(row.i64("id")?),
        email: row.parsed("email", Email::parse)?,
        password_hash: row.string("password_hash")?,
        role: row.parsed("role", str::parse::<Role>)?,
        base_currency: row.parsed("base_currency", CurrencyCode::parse)?,
        settings: UserSettings {
            lot_method: row.parsed("lot_method", parse_lot_method)?,
            fees_in_cost_basis: row.bool("fees_in_cost_basis")?,
        },
        display: DisplayPrefs {
            theme: row.parsed("theme", str::parse::<Theme>)?,
            privacy_mode: row.bool("privacy_mode")?,
        },
        created_at: row.i64("created_at")?,
    })
}

/// Creates a user. Without an explicit role, the first user of the instance becomes
/// admin. A taken email is `DbError::Conflict`.
pub async fn insert_user(db: &Db, new: &NewUser) -> DbResult<User> {
    let mut tx = db.begin().await?;
    let role = match new.role {
        Some(role) => role,
        None => {
            let any = Query::select()
                .column("id")
                .from("users")
                .limit(1)
                .to_owned();
            if tx.fetch_optional(&any).await?.is_some() {
                Role::User
            } else {
                Role::Admin
            }
        }
    };
    let created_at = super::now();
    let insert = Query::insert()
        .into_table("users")
        .columns([
            "email",
            "password_hash",
            "role",
            "base_currency",
            "created_at",
        ])
        .values_panic([
            new.email.as_str().into(),
            new.password_hash.clone().into(),
            role.as_str().into(),
            new.base_currency.as_str().into(),
            created_at.into(),
        ])
        .to_owned();
    let id = tx.insert_id(insert).await?;
    tx.commit().await?;
    Ok(User {
        id: UserId::new(id),
        email: new.email.clone(),
        password_hash: new.password_hash.clone(),
        role,
        base_currency: new.base_currency.clone(),
        settings: UserSettings::default(),
        display: DisplayPrefs::default(),
        created_at,
    })
}

/// Looks a user up by login email.
pub async fn find_user_by_email(db: &Db, email: &Email) -> DbResult<Option<User>> {
    let q = Query::select()
        .columns(COLUMNS)
        .from("users")
        .and_where(Expr::col("email").eq(email.as_str()))
        .to_owned();
    db.fetch_optional(&q)
        .await?
        .as_ref()
        .map(user_from)
        .transpose()
}

/// Loads a user by id.
pub async fn get_user(db: &Db, id: UserId) -> DbResult<User> {
    let q = Query::select()
        .columns(COLUMNS)
        .from("users")
        .and_where(Expr::col("id").eq(id.get()))
        .to_owned();
    user_from(&db.fetch_one(&q).await?)
}

/// Every user, oldest first (admin CLI).
pub async fn list_users(db: &Db) -> DbResult<Vec<User>> {
    let q = Query::select()
        .columns(COLUMNS)
        .from("users")
        .order_by("id", Order::Asc)
        .to_owned();
    db.fetch_all(&q).await?.iter().map(user_from).collect()
}

/// Replaces a user's password hash and ends all their sessions except `keep_session`
/// (the one that made the change, if any).
pub async fn update_password(
    db: &Db,
    id: UserId,
    password_hash: &str,
    keep_session: Option<&str>,
) -> DbResult<()> {
    let mut tx = db.begin().await?;
    let update = Query::update()
        .table("users")
        .value("password_hash", password_hash)
        .and_where(Expr::col("id").eq(id.get()))
        .to_owned();
    if tx.execute(&update).await? == 0 {
        return Err(crate::DbError::NotFound);
    }
    let mut delete = Query::delete()
        .from_table("sessions")
        .and_where(Expr::col("user_id").eq(id.get()))
        .to_owned();
    if let Some(keep) = keep_session {
        delete.and_where(Expr::col("id_hash").ne(keep));
    }
    tx.execute(&delete).await?;
    tx.commit().await
}

/// Changes the currency totals are shown in and the figures' settings.
pub async fn update_settings(
    db: &Db,
    id: UserId,
    currency: &CurrencyCode,
    settings: &UserSettings,
) -> DbResult<()> {
    let update = Query::update()
        .table("users")
        .value("base_currency", currency.as_str())
        .value("lot_method", lot_method_text(settings.lot_method))
        .value("fees_in_cost_basis", settings.fees_in_cost_basis)
        .and_where(Expr::col("id").eq(id.get()))
        .to_owned();
    super::one_or_not_found(db.execute(&update).await?)
}

/// Changes how the user's pages look (theme, privacy mode).
pub async fn update_display(db: &Db, id: UserId, display: DisplayPrefs) -> DbResult<()> {
    let update = Query::update()
        .table("users")
        .value("theme", display.theme.as_str())
        .value("privacy_mode", display.privacy_mode)
        .and_where(Expr::col("id").eq(id.get()))
        .to_owned();
    super::one_or_not_found(db.execute(&update).await?)
}

/// How many users exist (registration is always open for the first).
pub async fn count_users(db: &Db) -> DbResult<u64> {
    let q = Query::select()
        .expr_as(Expr::col("id").count(), "n")
        .from("users")
        .to_owned();
    let n = db.fetch_one(&q).await?.i64("n")?;
    Ok(u64::try_from(n).unwrap_or(0))
}
