//! The mapping form's activity-type table: one `broker word = TYPE` per line, e.g.
//! `Kauf = BUY`. Every bad line is named with its number, so a long table is fixed in
//! one go.

use std::collections::BTreeMap;

use folio_core::ActivityType;

/// Longest broker word accepted; a cell of a CSV, not a paragraph.
const MAX_WORD: usize = 200;

/// Reads the table. Blank lines are ignored; a word may itself contain `=` (the last
/// one separates it from the type). Words compare case-insensitively, as the importer
/// reads them, so the same word twice is refused rather than silently overwritten.
pub(crate) fn parse(text: &str) -> Result<BTreeMap<String, ActivityType>, String> {
    let mut table = BTreeMap::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        match parse_line(line) {
            Ok((word, kind)) => match seen.insert(word.to_lowercase(), n) {
                Some(first) => problems.push(format!(
                    "line {n}: “{word}” is already mapped on line {first}"
                )),
                None => {
                    table.insert(word, kind);
                }
            },
            Err(reason) => problems.push(format!("line {n}: {reason}")),
        }
    }
    if problems.is_empty() {
        Ok(table)
    } else {
        Err(problems.join("; "))
    }
}

fn parse_line(line: &str) -> Result<(String, ActivityType), String> {
    let Some((word, kind)) = line.rsplit_once('=') else {
        return Err("write it as “broker word = TYPE”, e.g. “Kauf = BUY”".into());
    };
    let (word, kind) = (word.trim(), kind.trim());
    if word.is_empty() {
        return Err("the broker's word before “=” is missing".into());
    }
    if word.chars().count() > MAX_WORD {
        return Err(format!(
            "the broker's word is longer than {MAX_WORD} characters"
        ));
    }
    let kind = kind.parse::<ActivityType>().map_err(|_| {
        let names: Vec<&str> = ActivityType::ALL.iter().map(|k| k.as_str()).collect();
        format!(
            "“{kind}” is not a Folio activity type; use one of {}",
            names.join(", ")
        )
    })?;
    Ok((word.to_owned(), kind))
}

/// The table as the form shows it, one `word = TYPE` per line.
pub(crate) fn format(table: &BTreeMap<String, ActivityType>) -> String {
    table
        .iter()
        .map(|(word, kind)| format!("{word} = {kind}\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_reads_back_as_it_was_written() {
        let table = parse("Kauf = BUY\n\n  Verkauf=sell \nA=B = DIVIDEND\n").unwrap();
        assert_eq!(table.get("Kauf"), Some(&ActivityType::Buy));
        assert_eq!(table.get("Verkauf"), Some(&ActivityType::Sell));
        assert_eq!(table.get("A=B"), Some(&ActivityType::Dividend));
        assert_eq!(parse(&format(&table)).unwrap(), table);
    }

    #[test]
    fn every_bad_line_is_named_with_its_number_and_reason() {
        let err = parse("Kauf = BUY\nVerkauf = SELLING\nno equals sign\n = FEE\nkauf = SELL")
            .unwrap_err();
        assert!(
            err.contains("line 2: “SELLING” is not a Folio activity type"),
            "{err}"
        );
        assert!(err.contains("line 3: write it as"), "{err}");
        assert!(err.contains("line 4: the broker's word"), "{err}");
        assert!(
            err.contains("line 5: “kauf” is already mapped on line 1"),
            "{err}"
        );
    }
}
