//! The characters of an article file, looked at once before parsing:
//! control characters (other than tab and line ends) are reported at
//! their line and column and dropped; direction controls in the front
//! matter are removed with a warning, so that titles and metadata read
//! the same in the PDF and the EPUB; and every distinct character is
//! listed with its first place, for font fallback and for the warning
//! about a character no font has.

use std::collections::HashMap;

use crate::diag::{LineIndex, Span};

/// What the scan found.
pub struct Scan {
    /// The text without the dropped characters, when any was dropped.
    pub cleaned: Option<String>,
    /// Every distinct character kept, with its first place, by character.
    pub characters: Vec<(char, Span)>,
    /// Warnings: place, message, hint.
    pub warnings: Vec<(Span, String, String)>,
    /// The line index of the text scanned.
    pub index: LineIndex,
}

/// Scans `text`, whose front matter ends at byte `front_matter_end`.
pub fn scan(text: &str, front_matter_end: usize) -> Scan {
    let Tally {
        ascii_seen,
        others,
        dropped,
    } = tally(text, front_matter_end);
    let index = LineIndex::new(text);
    let mut characters: Vec<(char, Span)> = ascii_seen
        .iter()
        .enumerate()
        .filter_map(|(b, at)| Some((char::from(b as u8), index.span(text, (*at)?))))
        .chain(others.into_iter().map(|(c, at)| (c, index.span(text, at))))
        .collect();
    characters.sort_unstable_by_key(|(c, _)| *c);
    let mut warnings: Vec<(Span, String, String)> = dropped
        .iter()
        .take(MAX_WARNINGS)
        .map(|&(at, c)| dropped_warning(index.span(text, at), c))
        .collect();
    if dropped.len() > MAX_WARNINGS {
        let (at, _) = dropped[MAX_WARNINGS];
        warnings.push((
            index.span(text, at),
            format!(
                "{} more control characters dropped",
                dropped.len() - MAX_WARNINGS
            ),
            "delete them: they were probably pasted in with the text".into(),
        ));
    }
    let cleaned = (!dropped.is_empty()).then(|| {
        let mut out = String::with_capacity(text.len());
        let mut from = 0;
        for &(at, c) in &dropped {
            out.push_str(&text[from..at]);
            from = at + c.len_utf8();
        }
        out.push_str(&text[from..]);
        out
    });
    Scan {
        cleaned,
        characters,
        warnings,
        index,
    }
}

/// The first place of each character of a text, and the characters to
/// drop, every place of them.
struct Tally {
    ascii_seen: [Option<usize>; 128],
    others: HashMap<char, usize, foldhash::fast::FixedState>,
    dropped: Vec<(usize, char)>,
}

/// Tallies the characters of `text` byte by byte: a byte with nothing
/// left to note (an ASCII character seen before, or one inside a
/// character past ASCII) costs one look-up in a table.
fn tally(text: &str, front_matter_end: usize) -> Tally {
    let mut tally = Tally {
        ascii_seen: [None; 128],
        others: HashMap::default(),
        dropped: Vec::new(),
    };
    let mut settled = [false; 256];
    settled[0x80..0xC0].fill(true); // continuation bytes
    for (at, &b) in text.as_bytes().iter().enumerate() {
        if settled[usize::from(b)] {
            continue;
        }
        if b.is_ascii() {
            let c = char::from(b);
            if is_dropped_control(c) {
                tally.dropped.push((at, c));
            } else {
                tally.ascii_seen[usize::from(b)] = Some(at);
                settled[usize::from(b)] = true;
            }
        } else {
            let c = text[at..].chars().next().expect("a character starts here");
            tally.note_past_ascii(at, c, front_matter_end);
        }
    }
    tally
}

impl Tally {
    /// Notes the character `c` past ASCII at byte `at`.
    fn note_past_ascii(&mut self, at: usize, c: char, front_matter_end: usize) {
        if c.is_control()
            || is_noncharacter(c)
            || (at < front_matter_end && is_direction_control(c))
        {
            self.dropped.push((at, c));
        } else {
            self.others.entry(c).or_insert(at);
        }
    }
}

/// Control characters reported one by one; more are counted.
const MAX_WARNINGS: usize = 20;

/// ASCII control characters other than tab, line feed and carriage return.
fn is_dropped_control(c: char) -> bool {
    c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Code points Unicode keeps out of text for good (U+FFFE, U+FDD0…):
/// no PDF may map a glyph to one.
fn is_noncharacter(c: char) -> bool {
    let n = c as u32;
    n & 0xFFFE == 0xFFFE || (0xFDD0..=0xFDEF).contains(&n)
}

/// The characters that embed, override or isolate a direction (UAX #9).
pub fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The names of the ASCII control characters (Unicode gives them only as
/// aliases).
const CONTROL_NAMES: [&str; 32] = [
    "NULL",
    "START OF HEADING",
    "START OF TEXT",
    "END OF TEXT",
    "END OF TRANSMISSION",
    "ENQUIRY",
    "ACKNOWLEDGE",
    "BELL",
    "BACKSPACE",
    "CHARACTER TABULATION",
    "LINE FEED",
    "LINE TABULATION",
    "FORM FEED",
    "CARRIAGE RETURN",
    "SHIFT OUT",
    "SHIFT IN",
    "DATA LINK ESCAPE",
    "DEVICE CONTROL ONE",
    "DEVICE CONTROL TWO",
    "DEVICE CONTROL THREE",
    "DEVICE CONTROL FOUR",
    "NEGATIVE ACKNOWLEDGE",
    "SYNCHRONOUS IDLE",
    "END OF TRANSMISSION BLOCK",
    "CANCEL",
    "END OF MEDIUM",
    "SUBSTITUTE",
    "ESCAPE",
    "INFORMATION SEPARATOR FOUR",
    "INFORMATION SEPARATOR THREE",
    "INFORMATION SEPARATOR TWO",
    "INFORMATION SEPARATOR ONE",
];

fn dropped_warning(span: Span, c: char) -> (Span, String, String) {
    let name = match c as u32 {
        n @ 0..=31 => format!(" {}", CONTROL_NAMES[n as usize]),
        0x7F => " DELETE".into(),
        _ => unicode_names2::name(c)
            .map(|n| format!(" {n}"))
            .unwrap_or_default(),
    };
    if is_direction_control(c) {
        (
            span,
            format!(
                "the direction control U+{:04X}{name} in the front matter is removed",
                c as u32
            ),
            "titles and metadata are shown in the order written, in the PDF and the EPUB alike; \
             right-to-left words in them are set right to left without it"
                .into(),
        )
    } else if is_noncharacter(c) {
        (
            span,
            format!("U+{:04X} is a noncharacter, not text; dropped", c as u32),
            "delete it: it was probably pasted in with the text".into(),
        )
    } else {
        (
            span,
            format!(
                "control character U+{:04X}{name} is not text; dropped",
                c as u32
            ),
            "delete it: it was probably pasted in with the text".into(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_reported_where_they_are_and_dropped() {
        let text = "---\ntitle: A\u{202E}B\n---\n\nBody\u{0}x \u{7}y \u{202E}z\r\n";
        let body = text.find("\n---\n").unwrap() + 5;
        let scan = scan(text, body);
        assert_eq!(
            scan.cleaned.as_deref(),
            Some("---\ntitle: AB\n---\n\nBodyx y \u{202E}z\r\n")
        );
        let places: Vec<Span> = scan.warnings.iter().map(|w| w.0).collect();
        assert_eq!(places, [Span::new(2, 9), Span::new(5, 5), Span::new(5, 8)]);
        assert!(
            scan.warnings[1].1.contains("U+0000 NULL"),
            "{}",
            scan.warnings[1].1
        );
        assert!(scan.warnings[0].1.contains("RIGHT-TO-LEFT OVERRIDE"));
    }

    #[test]
    fn a_control_seen_again_is_dropped_again_and_wide_characters_keep_their_places() {
        let scan = scan("a\u{1}bé\u{1}aé\u{85}\u{1}", 0);
        assert_eq!(scan.cleaned.as_deref(), Some("abéaé"));
        let places: Vec<Span> = scan.warnings.iter().map(|w| w.0).collect();
        let expected = [2, 5, 8, 9].map(|col| Span::new(1, col));
        assert_eq!(places, expected);
        let listed: Vec<(char, u32)> = scan.characters.iter().map(|(c, s)| (*c, s.col)).collect();
        assert_eq!(listed, [('a', 1), ('b', 3), ('é', 4)]);
    }

    #[test]
    fn each_character_is_listed_once_at_its_first_place() {
        let scan = scan("ab\nсa с👍", 0);
        assert!(scan.cleaned.is_none() && scan.warnings.is_empty());
        let find = |c| {
            scan.characters
                .iter()
                .find(|(x, _)| *x == c)
                .map(|(_, s)| *s)
        };
        assert_eq!(find('a'), Some(Span::new(1, 1)));
        assert_eq!(find('с'), Some(Span::new(2, 1)));
        assert_eq!(find('👍'), Some(Span::new(2, 5)));
        assert_eq!(scan.characters.len(), 6);
    }
}
