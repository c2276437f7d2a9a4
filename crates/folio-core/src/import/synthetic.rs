//! JSON formats reuse the CSV row rules: each JSON activity becomes a record of cell texts
//! under fixed headers, and errors are re-labelled with the JSON path
//! (`activities[3].quantity`) instead of a line.

use csv::StringRecord;
use rust_decimal::Decimal;

use super::options::{DateFormat, NumberFormat};
use super::row::{Draft, RowReader, Rules, finish};
use super::sheet::{Aliases, Columns};
use super::{ImportRow, ParseOptions, RowError};

/// Fixed headers and the rules for one JSON format.
pub(crate) struct Synthetic {
    cols: Columns,
    rules: Rules,
    dates: DateFormat,
}

impl Synthetic {
    /// Columns named `headers`, matched with `aliases`.
    pub(crate) fn new(
        headers: &[&str],
        aliases: &Aliases,
        rules: Rules,
        dates: DateFormat,
    ) -> Self {
        let headers: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
        Self {
            cols: Columns::from_aliases(&headers, aliases),
            rules,
            dates,
        }
    }

    /// Runs `cells` (in header order) through `read` and the shared rules.
    pub(crate) fn run(
        &self,
        path: &str,
        cells: &[String],
        opts: &ParseOptions,
        read: &mut dyn FnMut(&mut RowReader<'_>) -> Draft,
    ) -> (Option<ImportRow>, Vec<RowError>) {
        let record = StringRecord::from(cells.to_vec());
        let mut rr = RowReader {
            line: 0,
            record: &record,
            cols: &self.cols,
            number: NumberFormat {
                decimal: '.',
                thousands: None,
            },
            dates: self.dates,
            rules: self.rules,
            errors: Vec::new(),
        };
        let draft = read(&mut rr);
        let row = finish(&mut rr, draft, opts);
        let errors = rr.errors.into_iter().map(|e| relabel(path, e)).collect();
        (row, errors)
    }
}

/// `line 0, column quantity` → `column activities[3].quantity`.
pub(crate) fn relabel(path: &str, mut e: RowError) -> RowError {
    e.line = 0;
    e.column = Some(match e.column {
        Some(c) => format!("{path}.{c}"),
        None => path.to_owned(),
    });
    e
}

/// A JSON number as exact text. serde_json hands numbers over as the shortest text that
/// reads back to the same value, which is exactly what the writing program (JavaScript's
/// `JSON.stringify`) printed; exponent forms such as `1e-7` are expanded here.
pub(crate) fn json_number_text(n: &serde_json::Number) -> String {
    let text = n.to_string();
    if !text.contains(['e', 'E']) {
        return text;
    }
    Decimal::from_scientific(&text).map_or(text, |d| d.normalize().to_string())
}

/// An optional JSON number as cell text (blank when absent).
pub(crate) fn cell(n: Option<&serde_json::Number>) -> String {
    n.map(json_number_text).unwrap_or_default()
}
