//! Reading CSV text record by record: delimiter sniffing, header discovery past a broker's
//! preamble, column lookup by header aliases, the row limit and footer skipping.

use std::collections::VecDeque;

use csv::StringRecord;

use super::collect::Collector;
use super::{ParseOptions, RowError};

pub(crate) use super::field::{Aliases, FIELDS, Field};

/// Lower-cases a header and keeps only letters, digits and `/`, so `Unit Price`,
/// `unit_price` and `unitPrice` are the same name.
pub(crate) fn normalise(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '/')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Where each field is in a record.
#[derive(Debug, Clone)]
pub(crate) struct Columns {
    idx: [Option<usize>; FIELDS],
    headers: Vec<String>,
}

impl Columns {
    /// Matches headers against aliases; the first alias found wins for each field.
    pub(crate) fn from_aliases(headers: &[String], aliases: &Aliases) -> Self {
        let normal: Vec<String> = headers.iter().map(|h| normalise(h)).collect();
        let mut idx = [None; FIELDS];
        for (field, names) in aliases {
            idx[*field as usize] = names
                .iter()
                .find_map(|n| normal.iter().position(|h| h == n));
        }
        Self {
            idx,
            headers: headers.to_vec(),
        }
    }

    /// Columns named explicitly: by header text or `#N` (1-based).
    pub(crate) fn from_names(
        headers: &[String],
        names: &[(Field, &str)],
    ) -> Result<Self, RowError> {
        let normal: Vec<String> = headers.iter().map(|h| normalise(h)).collect();
        let mut idx = [None; FIELDS];
        for (field, name) in names {
            let found = match name.trim().strip_prefix('#') {
                Some(n) => n.parse::<usize>().ok().filter(|n| *n >= 1).map(|n| n - 1),
                None => normal.iter().position(|h| *h == normalise(name)),
            };
            match found {
                Some(i) => idx[*field as usize] = Some(i),
                None => {
                    return Err(RowError::file(format!(
                        "the mapping names a column {name:?}, but the header row has no such column \
                         (columns: {})",
                        headers.join(", ")
                    )));
                }
            }
        }
        Ok(Self {
            idx,
            headers: headers.to_vec(),
        })
    }

    /// Whether the field has a column.
    pub(crate) fn has(&self, f: Field) -> bool {
        self.idx[f as usize].is_some()
    }

    /// The trimmed cell of `f`, `None` when absent or blank.
    pub(crate) fn get<'r>(&self, rec: &'r StringRecord, f: Field) -> Option<&'r str> {
        let cell = rec.get(self.idx[f as usize]?)?.trim();
        (!cell.is_empty()).then_some(cell)
    }

    /// The column's name for messages: its header, or `#N` when the file has none.
    pub(crate) fn name(&self, f: Field) -> String {
        match self.idx[f as usize] {
            Some(i) => match self.headers.get(i) {
                Some(h) if !h.trim().is_empty() => h.trim().to_owned(),
                _ => format!("#{}", i + 1),
            },
            None => f.label().to_owned(),
        }
    }
}

/// Picks the delimiter (`,` `;` tab or `|`) that occurs most on the first non-empty line
/// outside quotes.
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [0usize; 4];
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            '|' if !quoted => counts[3] += 1,
            _ => {}
        }
    }
    let best = (0..4).max_by_key(|&i| (counts[i], 4 - i)).unwrap_or(0);
    [b',', b';', b'\t', b'|'][best]
}

/// One record with the line it starts on.
pub(crate) struct Line {
    pub(crate) line: u64,
    pub(crate) record: StringRecord,
}

/// Records of CSV text (ragged rows allowed, blank records skipped), each with the line
/// it starts on as an editor shows it (`\n`, `\r\n` and a lone `\r` each end a line).
pub(crate) fn records(
    text: &str,
    delimiter: u8,
) -> impl Iterator<Item = Result<Line, RowError>> + '_ {
    let mut lines = LineCounter {
        text: text.as_bytes(),
        at: 0,
        line: 1,
    };
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes())
        .into_records()
        .filter_map(move |r| match r {
            Ok(record) => {
                let line = lines.line_at(record.position().map_or(0, |p| p.byte()));
                let blank = record.iter().all(|c| c.trim().is_empty());
                (!blank).then_some(Ok(Line { line, record }))
            }
            Err(e) => {
                let line = lines.line_at(e.position().map_or(0, |p| p.byte()));
                Some(Err(RowError::at(
                    line,
                    None,
                    format!("unreadable CSV record: {e}"),
                )))
            }
        })
}

/// Turns byte offsets (increasing) into 1-based line numbers incrementally.
struct LineCounter<'t> {
    text: &'t [u8],
    at: usize,
    line: u64,
}

impl LineCounter<'_> {
    fn line_at(&mut self, byte: u64) -> u64 {
        let mut target = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        // The reader may report a record as starting on the line break before it.
        while matches!(self.text.get(target), Some(b'\r' | b'\n')) {
            target += 1;
        }
        while self.at < target {
            let b = self.text[self.at];
            let lone_cr = b == b'\r' && self.text.get(self.at + 1) != Some(&b'\n');
            if b == b'\n' || lone_cr {
                self.line += 1;
            }
            self.at += 1;
        }
        self.line
    }
}

/// The iterator type the parsers pass around.
pub(crate) type Lines<'a> = dyn Iterator<Item = Result<Line, RowError>> + 'a;

/// Finds the header among the first 30 records (brokers put titles and account numbers
/// above it): the first record where `is_header` holds.
pub(crate) fn find_header(
    lines: &mut Lines<'_>,
    is_header: &dyn Fn(&[String]) -> bool,
) -> Option<(u64, Vec<String>)> {
    lines.take(30).flatten().find_map(|l| {
        let cells: Vec<String> = l.record.iter().map(|c| c.trim().to_owned()).collect();
        is_header(&cells).then_some((l.line, cells))
    })
}

/// Whether every field in `required` has a column under these aliases.
pub(crate) fn has_all(headers: &[String], aliases: &Aliases, required: &[Field]) -> bool {
    let cols = Columns::from_aliases(headers, aliases);
    required.iter().all(|f| cols.has(*f))
}

/// Feeds data records to `each`, honouring the row limit and dropping the last
/// `skip_bottom` records (a footer), with progress every 1,000 rows.
pub(crate) fn for_each_row(
    lines: &mut Lines<'_>,
    skip_bottom: u64,
    opts: &ParseOptions,
    c: &mut Collector,
    progress: &mut dyn FnMut(u64),
    each: &mut dyn FnMut(&Line, &mut Collector),
) {
    let keep = usize::try_from(skip_bottom).unwrap_or(usize::MAX);
    let mut held: VecDeque<Line> = VecDeque::new();
    for l in lines {
        let l = match l {
            Ok(l) => l,
            Err(e) => {
                c.out.errors.push(e);
                continue;
            }
        };
        held.push_back(l);
        if held.len() <= keep {
            continue;
        }
        let Some(l) = held.pop_front() else { continue };
        if c.out.rows_seen >= opts.max_rows {
            c.out.truncated = true;
            c.out.errors.push(RowError::at(
                l.line,
                None,
                format!(
                    "the file has more than {} data rows; split it or raise the limit",
                    opts.max_rows
                ),
            ));
            return;
        }
        c.out.rows_seen += 1;
        each(&l, c);
        if c.out.rows_seen.is_multiple_of(1000) {
            progress(c.out.rows_seen);
        }
    }
    progress(c.out.rows_seen);
}
