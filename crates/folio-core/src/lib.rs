//! Folio's pure domain: the value types every other crate speaks (ids, emails, currency
//! codes, decimal amounts, activity types) and, in later modules, the portfolio engine.
//!
//! Nothing here performs I/O; everything is unit- and property-tested without a database.

pub mod demo;
pub mod domain;
pub mod export;
pub mod import;
pub mod portfolio;

pub use domain::*;
