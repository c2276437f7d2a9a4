//! Domain value types. Each is a newtype with a private field and a fallible constructor
//! ("parse, don't validate"): once a value exists it is known to be valid.

mod activity;
mod currency;
mod decimal;
mod ids;
mod text;

pub use activity::{ActivityType, AssetClass, PricingMode, Role};
pub use currency::CurrencyCode;
pub use decimal::{DecimalError, Money, Price, Quantity, parse_decimal};
pub use ids::{AccountId, ActivityId, AssetId, UserId};
pub use text::{Email, Name, Note, Password, Symbol, TextError, parse_date};

/// Why a domain value was refused. The message is written for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidValue(pub String);
