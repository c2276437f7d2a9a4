//! The import's progress bar on standard error: rows parsed out of an estimate taken
//! from the file's line count. On a terminal it redraws one line; otherwise (a log, a
//! pipe) it prints a line every 50,000 rows.

use std::io::Write;

/// Rows between lines when standard error is not a terminal.
const LOG_EVERY: u64 = 50_000;
/// Characters in the bar.
const WIDTH: u64 = 30;

/// A progress line for one file.
pub(super) struct Progress {
    /// Lines in the file: an upper estimate of its data rows (a quoted field may span
    /// lines, and a header or preamble is not a row).
    lines: u64,
    tty: bool,
}

impl Progress {
    /// A bar for `bytes`, drawn in place when `tty`.
    pub(super) fn new(bytes: &[u8], tty: bool) -> Self {
        let newlines = bytes.iter().filter(|b| **b == b'\n').count();
        let lines = u64::try_from(newlines).unwrap_or(u64::MAX).max(1);
        Self { lines, tty }
    }

    /// The text for `rows` parsed so far.
    pub(super) fn line(&self, rows: u64) -> String {
        let done = rows.min(self.lines);
        let filled = done.saturating_mul(WIDTH) / self.lines;
        let percent = done.saturating_mul(100) / self.lines;
        let bar: String = (0..WIDTH)
            .map(|i| if i < filled { '#' } else { '.' })
            .collect();
        format!("[{bar}] {percent:>3}%  {rows} of about {} rows", self.lines)
    }

    /// Reports `rows` parsed so far.
    pub(super) fn update(&self, rows: u64) {
        let mut err = std::io::stderr().lock();
        if self.tty {
            let _ = write!(err, "\r{}", self.line(rows));
        } else if rows.is_multiple_of(LOG_EVERY) {
            let _ = writeln!(err, "{}", self.line(rows));
        }
    }

    /// Ends the bar at `rows` (the real count).
    pub(super) fn finish(&self, rows: u64) {
        if self.tty {
            let _ = writeln!(
                std::io::stderr().lock(),
                "\r[{}] 100%  {rows} rows parsed{:20}",
                "#".repeat(usize::try_from(WIDTH).unwrap_or(30)),
                ""
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_fills_with_the_rows_read_and_never_passes_the_end() {
        let p = Progress::new(b"h\n1\n2\n3\n", false);
        assert_eq!(
            p.line(0),
            "[..............................]   0%  0 of about 4 rows"
        );
        assert_eq!(
            p.line(2),
            "[###############...............]  50%  2 of about 4 rows"
        );
        assert!(p.line(9).starts_with(&format!("[{}] 100%", "#".repeat(30))));
        assert!(Progress::new(b"", false).line(0).contains("0%"));
    }
}
