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
            &[Field::Date, Field::Account, Field::Kind, Field::TransferOf],
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
    let mut found = None;
    let is_header = |h: &[String]| {
        let wealthfolio_marker = h.iter().any(|c| normalise(c) == "activitytype");
        candidates.iter().any(|(aliases, required, format)| {
            (*format != Format::WealthfolioCsv || wealthfolio_marker)
                && has_all(h, aliases, required)
        })
    };
    if let Some((_, headers)) = find_header(&mut lines, &is_header) {
        let wealthfolio_marker = headers.iter().any(|c| normalise(c) == "activitytype");
        found = candidates
            .into_iter()
            .find(|(aliases, required, format)| {
                (*format != Format::WealthfolioCsv || wealthfolio_marker)
                    && has_all(&headers, aliases, required)
            })
            .map(|(_, _, f)| f);
    }
    found
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
