//! Content sniffing for [`super::detect`]: JSON markers, then CSV header names.

use super::sheet::{Aliases, Field, find_header, has_all, normalise, records, sniff_delimiter};
use super::text::decode;
use super::{Format, folio_csv, ghostfolio_csv, prices, wealthfolio_csv};

/// Recognises the format from the content.
pub(crate) fn detect(bytes: &[u8]) -> Option<Format> {
    let (text, _) = decode(bytes);
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        return detect_json(trimmed);
    }
    let delimiter = sniff_delimiter(&text);
    let mut lines = records(&text, delimiter);
    let candidates: [(&Aliases, &[Field], Format); 5] = [
        (
            folio_csv::ALIASES,
            &[Field::Date, Field::Account, Field::Kind],
            Format::FolioCsv,
        ),
        (
            wealthfolio_csv::ALIASES,
            wealthfolio_csv::REQUIRED,
            Format::WealthfolioCsv,
        ),
        (
            ghostfolio_csv::ALIASES,
            ghostfolio_csv::REQUIRED,
            Format::GhostfolioCsv,
        ),
        (
            prices::PRICE_ALIASES,
            &[Field::Date, Field::Close],
            Format::PriceCsv,
        ),
        (
            prices::FX_ALIASES,
            &[Field::Date, Field::Rate],
            Format::FxCsv,
        ),
    ];
    let matches = |h: &[String]| {
        candidates
            .iter()
            .find(|(aliases, required, format)| {
                marker_ok(h, format) && has_all(h, aliases, required)
            })
            .map(|(_, _, f)| f.clone())
    };
    find_header(&mut lines, &|h| matches(h).is_some()).and_then(|(_, h)| matches(&h))
}

/// Formats whose aliases overlap need their own marker column: Folio's `kind`,
/// Wealthfolio's `activityType`.
fn marker_ok(headers: &[String], format: &Format) -> bool {
    let has = |name: &str| headers.iter().any(|c| normalise(c) == name);
    match format {
        Format::FolioCsv => has("kind"),
        Format::WealthfolioCsv => has("activitytype"),
        _ => true,
    }
}

fn detect_json(text: &str) -> Option<Format> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let obj = value.as_object()?;
    if obj.get("format").and_then(|f| f.as_str()) == Some(super::DOCUMENT_FORMAT) {
        return Some(Format::FolioJson);
    }
    let has_activities = obj
        .get("activities")
        .is_some_and(serde_json::Value::is_array);
    (has_activities && (obj.contains_key("meta") || obj.contains_key("accounts")))
        .then_some(Format::GhostfolioJson)
}
