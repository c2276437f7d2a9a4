//! Records as the repositories return and accept them, built from domain types so a
//! value read from the database is as trustworthy as one parsed from a form.

use folio_core::portfolio::LotMethod;
use folio_core::{
    AccountId, ActivityId, ActivityType, AssetClass, AssetId, CurrencyCode, Email, Name, Note,
    PricingMode, Role, Symbol, UserId,
};
use rust_decimal::Decimal;
use time::Date;

/// A registered user.
#[derive(Debug, Clone)]
pub struct User {
    /// Row id.
    pub id: UserId,
    /// Login name.
    pub email: Email,
    /// Argon2id PHC string; never leaves the server.
    pub password_hash: String,
    /// Admin or ordinary user.
    pub role: Role,
    /// Currency totals are shown in.
    pub base_currency: CurrencyCode,
    /// How sells pick lots, and whether fees count in cost basis.
    pub settings: UserSettings,
    /// Theme and privacy mode: how pages look, never what the figures are.
    pub display: DisplayPrefs,
    /// Unix seconds.
    pub created_at: i64,
}

/// The user's preferences that change the figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSettings {
    /// FIFO (default) or average cost.
    pub lot_method: LotMethod,
    /// Trade fees and taxes added to cost / taken from proceeds (default), or reported
    /// as separate costs.
    pub fees_in_cost_basis: bool,
}

impl Default for UserSettings {
    fn default() -> Self {
        Self {
            lot_method: LotMethod::Fifo,
            fees_in_cost_basis: true,
        }
    }
}

/// The colour theme pages are drawn in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// Light colours whatever the device prefers.
    Light,
    /// Dark colours whatever the device prefers.
    Dark,
    /// Light or dark as the device prefers (`prefers-color-scheme`); the default.
    #[default]
    System,
}

impl Theme {
    /// Every theme, in the order a form lists them.
    pub const ALL: &'static [Theme] = &[Theme::System, Theme::Light, Theme::Dark];

    /// The stored (and submitted) code.
    pub const fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "LIGHT",
            Theme::Dark => "DARK",
            Theme::System => "SYSTEM",
        }
    }

    /// The value of `data-theme` on `<html>`, which the stylesheet keys on.
    pub const fn css(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::System => "system",
        }
    }

    /// A label for people.
    pub const fn label(self) -> &'static str {
        match self {
            Theme::Light => "Light",
            Theme::Dark => "Dark",
            Theme::System => "Follow the device",
        }
    }
}

impl std::str::FromStr for Theme {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Theme::ALL
            .iter()
            .copied()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| "choose light, dark or follow the device".to_owned())
    }
}

/// How a user's pages look: changing these never changes a figure (so they are kept
/// apart from [`UserSettings`], which the computed-portfolio cache is keyed on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DisplayPrefs {
    /// Light, dark or as the device prefers.
    pub theme: Theme,
    /// Hide every amount of money on pages (percentages stay), e.g. to share a screen.
    pub privacy_mode: bool,
}

/// Input for creating a user; the role is decided by the repository.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Login name.
    pub email: Email,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Currency totals are shown in.
    pub base_currency: CurrencyCode,
    /// `Some` forces a role (CLI `--admin`); `None` makes the first user admin.
    pub role: Option<Role>,
}

/// A live browser session as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// Whose session.
    pub user_id: UserId,
    /// The per-session CSRF token forms must echo.
    pub csrf_token: String,
    /// Unix seconds after which the session is void.
    pub expires_at: i64,
}

/// A brokerage, bank or wallet account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Row id.
    pub id: AccountId,
    /// Display name, unique per user.
    pub name: Name,
    /// Currency the account reports in.
    pub currency: CurrencyCode,
    /// Whether the account keeps a cash balance (deposits/withdrawals are the flows).
    pub tracks_cash: bool,
    /// Unix seconds.
    pub created_at: i64,
}

/// Input for creating or updating an account.
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// Display name, unique per user.
    pub name: Name,
    /// Currency the account reports in.
    pub currency: CurrencyCode,
    /// Whether the account keeps a cash balance.
    pub tracks_cash: bool,
}

/// Something that can be held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Row id.
    pub id: AssetId,
    /// Ticker or identifier, unique per user.
    pub symbol: Symbol,
    /// Display name.
    pub name: Name,
    /// Currency prices are quoted in.
    pub currency: CurrencyCode,
    /// Kind of asset.
    pub class: AssetClass,
    /// Market-priced or valued by hand.
    pub pricing: PricingMode,
}

/// Input for creating or updating an asset.
#[derive(Debug, Clone)]
pub struct NewAsset {
    /// Ticker or identifier.
    pub symbol: Symbol,
    /// Display name.
    pub name: Name,
    /// Quote currency.
    pub currency: CurrencyCode,
    /// Kind of asset.
    pub class: AssetClass,
    /// Where prices come from.
    pub pricing: PricingMode,
}

/// One recorded activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    /// Row id.
    pub id: ActivityId,
    /// The fields as entered.
    pub data: NewActivity,
}

/// Input for creating or updating an activity. Which fields are required depends on
/// the type; the web layer enforces that before building one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewActivity {
    /// Account the activity happened in.
    pub account_id: AccountId,
    /// Asset involved, if any.
    pub asset_id: Option<AssetId>,
    /// What happened.
    pub kind: ActivityType,
    /// Trade or booking date.
    pub date: Date,
    /// Units (or the split ratio for SPLIT).
    pub quantity: Option<Decimal>,
    /// Price per unit in `currency`.
    pub unit_price: Option<Decimal>,
    /// Cash amount for cash-only activities (dividend, deposit, fee...).
    pub amount: Option<Decimal>,
    /// Fee charged, in `currency`.
    pub fee: Decimal,
    /// Tax withheld or charged, in `currency`.
    pub tax: Decimal,
    /// Currency of price, amount, fee and tax.
    pub currency: CurrencyCode,
    /// Free text.
    pub note: Note,
    /// For TRANSFER_IN: the user's TRANSFER_OUT it receives (moves lots with their cost).
    pub transfer_of: Option<ActivityId>,
}

/// Which activities to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivityFilter {
    /// Only this account.
    pub account_id: Option<AccountId>,
    /// Only this asset.
    pub asset_id: Option<AssetId>,
    /// Only this type.
    pub kind: Option<ActivityType>,
    /// On or after this date.
    pub from: Option<Date>,
    /// On or before this date.
    pub to: Option<Date>,
}

/// One page of a listing plus the total count, for pagers.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The rows of this page.
    pub items: Vec<T>,
    /// Rows matching the filter in all pages.
    pub total: u64,
}

/// A dated closing price of an asset (manual or provider).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricePoint {
    /// Which asset.
    pub asset_id: AssetId,
    /// Which day.
    pub date: Date,
    /// Close in the asset's currency.
    pub close: Decimal,
}

/// A dated FX rate: one unit of `base` costs `rate` units of `quote`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FxRate {
    /// The currency being priced.
    pub base: CurrencyCode,
    /// The currency it is priced in.
    pub quote: CurrencyCode,
    /// Which day.
    pub date: Date,
    /// Units of quote per unit of base.
    pub rate: Decimal,
}

/// An API token's metadata (the secret itself is shown once and stored hashed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    /// Row id.
    pub id: i64,
    /// The user's label for it.
    pub name: Name,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds of the last authenticated use, if any.
    pub last_used_at: Option<i64>,
}
