//! What an import preview says besides errors.

use folio_core::import::{ParsedFile, TextEncoding};
use folio_core::portfolio::LotMethod;

use super::Importer;

/// What the preview says besides errors: a file that was not UTF-8, and settings in a
/// Folio JSON file, which an import never applies (they are the user's own choice).
pub(super) fn notes(parsed: &ParsedFile, who: &Importer) -> Vec<String> {
    let mut notes = Vec::new();
    match parsed.encoding {
        TextEncoding::Windows1252 => notes.push(
            "The file is not UTF-8; it was read as Windows-1252 (Latin-1). Check names with accents in the rows below.".to_owned(),
        ),
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => {}
    }
    if let Some(s) = &parsed.settings {
        let method = |m: LotMethod| match m {
            LotMethod::Fifo => "FIFO",
            LotMethod::AverageCost => "average cost",
        };
        let differs = s.base_currency != who.base_currency
            || s.lot_method != who.settings.lot_method
            || s.fees_in_cost_basis != who.settings.fees_in_cost_basis;
        if differs {
            notes.push(format!(
                "The file's settings (base currency {}, {}, fees {}) are not applied: your settings (base currency {}, {}, fees {}) stay; change them on the settings page if you want the file's.",
                s.base_currency,
                method(s.lot_method),
                if s.fees_in_cost_basis { "in cost basis" } else { "as separate costs" },
                who.base_currency,
                method(who.settings.lot_method),
                if who.settings.fees_in_cost_basis { "in cost basis" } else { "as separate costs" },
            ));
        }
    }
    notes
}
