//! Bytes to text: UTF-8 (a byte-order mark is dropped), else Windows-1252, which is what
//! spreadsheet programs on Windows write when they say "ANSI" or "Latin-1".

use std::borrow::Cow;

use super::TextEncoding;

/// Windows-1252's 0x80..=0x9F block; the other bytes map to the same code point as
/// Latin-1. The five undefined bytes decode to U+FFFD, like every browser does.
const CP1252_HIGH: [char; 32] = [
    '€', '\u{FFFD}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{FFFD}', 'Ž',
    '\u{FFFD}', '\u{FFFD}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{FFFD}',
    'ž', 'Ÿ',
];

/// Decodes a file. Never fails: any byte sequence is valid Windows-1252.
pub(crate) fn decode(bytes: &[u8]) -> (Cow<'_, str>, TextEncoding) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        if let Ok(text) = std::str::from_utf8(rest) {
            return (Cow::Borrowed(text), TextEncoding::Utf8Bom);
        }
        return (Cow::Owned(windows_1252(rest)), TextEncoding::Windows1252);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), TextEncoding::Utf8),
        Err(_) => (Cow::Owned(windows_1252(bytes)), TextEncoding::Windows1252),
    }
}

fn windows_1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_bom_loses_the_bom_and_says_so() {
        let (text, enc) = decode(b"\xEF\xBB\xBFdate,close\n");
        assert_eq!(text, "date,close\n");
        assert_eq!(enc, TextEncoding::Utf8Bom);
    }

    #[test]
    fn latin1_bytes_are_read_as_windows_1252() {
        // "Dépôt 5€" in Windows-1252.
        let (text, enc) = decode(b"D\xE9p\xF4t 5\x80");
        assert_eq!(text, "Dépôt 5€");
        assert_eq!(enc, TextEncoding::Windows1252);
    }

    #[test]
    fn valid_utf8_is_borrowed_unchanged() {
        let (text, enc) = decode("Dépôt".as_bytes());
        assert_eq!(text, "Dépôt");
        assert_eq!(enc, TextEncoding::Utf8);
    }
}
