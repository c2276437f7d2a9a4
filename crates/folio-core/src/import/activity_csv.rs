//! The loop shared by every activity CSV: find the header, map columns, read each row
//! through the format's own row function, apply the shared rules, collect.

use super::collect::Collector;
use super::options::{DateFormat, NumberFormat};
use super::row::{Draft, RowReader, Rules, finish};
use super::sheet::{
    Aliases, Columns, Field, find_header, for_each_row, has_all, records, sniff_delimiter,
};
use super::{ParseOptions, RowError};

/// What distinguishes one activity CSV format from another.
pub(crate) struct Spec<'a> {
    /// Name for messages, e.g. "Ghostfolio CSV".
    pub(crate) name: &'a str,
    /// Header aliases per field.
    pub(crate) aliases: &'a Aliases,
    /// Fields whose columns identify the header row.
    pub(crate) required: &'a [Field],
    /// The format's date convention (overridden by [`ParseOptions::date_format`]).
    pub(crate) dates: DateFormat,
    /// The format's number convention.
    pub(crate) number: NumberFormat,
    /// Sign, asset and text rules.
    pub(crate) rules: Rules,
}

/// A format's row function: reads the draft(s) one record stands for (Wealthfolio's
/// reinvested dividend is two activities).
pub(crate) type RowFn<'f> = dyn FnMut(&mut RowReader<'_>) -> Vec<Draft> + 'f;

/// Reads every data row of `text` with `spec`.
pub(crate) fn read(
    text: &str,
    spec: &Spec<'_>,
    opts: &ParseOptions,
    c: &mut Collector,
    progress: &mut dyn FnMut(u64),
    row_fn: &mut RowFn<'_>,
) {
    let delimiter = sniff_delimiter(text);
    let mut lines = records(text, delimiter);
    let is_header = |h: &[String]| has_all(h, spec.aliases, spec.required);
    let Some((_, headers)) = find_header(&mut lines, &is_header) else {
        c.out.errors.push(missing_header(spec));
        return;
    };
    let cols = Columns::from_aliases(&headers, spec.aliases);
    let dates = opts.date_format.unwrap_or(spec.dates);
    for_each_row(&mut lines, 0, opts, c, progress, &mut |l, c| {
        let mut rr = RowReader {
            line: l.line,
            record: &l.record,
            cols: &cols,
            number: spec.number,
            dates,
            rules: spec.rules,
            errors: Vec::new(),
        };
        for draft in row_fn(&mut rr) {
            if let Some(row) = finish(&mut rr, draft, opts) {
                c.row(row);
            }
        }
        c.errors(rr.errors);
    });
}

fn missing_header(spec: &Spec<'_>) -> RowError {
    let wanted: Vec<String> = spec
        .required
        .iter()
        .filter_map(|f| spec.aliases.iter().find(|(g, _)| g == f))
        .map(|(_, names)| names.join("/"))
        .collect();
    RowError::file(format!(
        "no header row found in the first 30 rows: a {} file needs columns {}",
        spec.name,
        wanted.join(", ")
    ))
}

/// Reads the kind cell through `map`, recording "unknown type" with the accepted values.
pub(crate) fn kind_cell(
    rr: &mut RowReader<'_>,
    map: impl Fn(&str) -> Option<super::super::domain::ActivityType>,
    accepted: &str,
) -> Option<super::super::domain::ActivityType> {
    let Some(cell) = rr.text(Field::Kind).map(str::to_owned) else {
        rr.fail(
            Field::Kind,
            format!("an activity type is required ({accepted})"),
        );
        return None;
    };
    let kind = map(&cell);
    if kind.is_none() {
        rr.fail(
            Field::Kind,
            format!("unknown activity type {cell:?}; accepted: {accepted}"),
        );
    }
    kind
}
