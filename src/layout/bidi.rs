//! Direction: right-to-left text (Arabic, Hebrew) inside a paragraph is
//! resolved by the Unicode Bidirectional Algorithm (UAX #9, through the
//! `unicode-bidi` crate) into embedding levels; words are shaped in the
//! direction of their level, and each set line is reordered into visual
//! order (rule L2) while its runs stay in logical order, so that the
//! page's text, read in drawing order, is the text as written.
//!
//! A paragraph takes its direction from its first strong character
//! (like HTML's `dir="auto"`). Text with no right-to-left character and no
//! directional control, which is nearly all text, is never analysed.

use unicode_bidi::{BidiClass, BidiInfo, bidi_class};

use super::paragraph::SetLine;
use crate::units::Pt;

/// The embedding level of each byte of a paragraph's text.
pub struct Levels {
    levels: Vec<u8>,
    /// True when the paragraph (its first bidi paragraph) reads right to left.
    pub rtl: bool,
}

impl Levels {
    /// The levels of `text`, or `None` when it is all left to right.
    pub fn of(text: &str) -> Option<Levels> {
        if !needs_analysis(text) {
            return None;
        }
        let info = BidiInfo::new(text, None);
        let rtl = info.paragraphs.first().is_some_and(|p| p.level.is_rtl());
        Some(Levels {
            levels: info.levels.iter().map(|l| l.number()).collect(),
            rtl,
        })
    }

    /// The level of the byte at `at`.
    pub fn at(&self, at: usize) -> u8 {
        self.levels.get(at).copied().unwrap_or(0)
    }

    /// Where the run of equal level that contains `at` ends (at most `end`).
    pub fn run_end(&self, at: usize, end: usize) -> usize {
        let level = self.at(at);
        (at..end).find(|&i| self.levels[i] != level).unwrap_or(end)
    }
}

/// `Some("rtl")` for a language written right to left (Arabic, Hebrew,
/// Persian, Urdu, Yiddish…), for the EPUB's `dir`; `None` otherwise.
pub fn direction_of_language(lang: &str) -> Option<&'static str> {
    let primary = lang
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let rtl = matches!(
        primary.as_str(),
        "ar" | "he" | "iw" | "fa" | "ur" | "yi" | "ps" | "sd" | "ug" | "ckb" | "dv" | "syr"
    ) || lang.to_ascii_lowercase().contains("-arab")
        || lang.to_ascii_lowercase().contains("-hebr");
    rtl.then_some("rtl")
}

/// True when the first strongly directional character of `text` reads
/// right to left: the paragraph direction rules P2 and P3 give.
pub fn starts_right_to_left(text: &str) -> bool {
    needs_analysis(text)
        && text
            .chars()
            .map(bidi_class)
            .find(|c| matches!(c, BidiClass::L | BidiClass::R | BidiClass::AL))
            .is_some_and(|c| c != BidiClass::L)
}

/// True when `text` holds a right-to-left character or a directional
/// control: only then can its order differ from its logical order.
pub fn needs_analysis(text: &str) -> bool {
    may_hold_right_to_left(text.as_bytes()) && text.chars().any(may_turn_right_to_left)
}

/// A test on the UTF-8 bytes that no text without a right-to-left
/// character or direction control passes (a few others do): Latin,
/// Greek, Cyrillic, CJK, curly quotes and dashes are let through in one
/// pass over the bytes, with no decoding. Every byte that may start such
/// a character is 0xD6 or more: the bytes are tested sixteen at a time
/// for one (a test the compiler makes a vector compare), and only a block
/// that holds one is looked at byte by byte.
fn may_hold_right_to_left(bytes: &[u8]) -> bool {
    const BLOCK: usize = 16;
    let (blocks, _) = bytes.as_chunks::<BLOCK>();
    let has_high_byte =
        |block: &[u8; BLOCK]| block.iter().fold(false, |high, &b| high | (b >= 0xD6));
    let in_blocks = blocks.iter().enumerate().any(|(n, block)| {
        has_high_byte(block)
            && (n * BLOCK..(n + 1) * BLOCK).any(|i| byte_may_start_right_to_left(bytes, i))
    });
    in_blocks || (blocks.len() * BLOCK..bytes.len()).any(|i| byte_may_start_right_to_left(bytes, i))
}

/// Whether the UTF-8 byte at `i` may start a right-to-left character or
/// a direction control, by it and the bytes after it.
fn byte_may_start_right_to_left(bytes: &[u8], i: usize) -> bool {
    let next = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
    match bytes[i] {
        // U+0590 to U+07FF: Hebrew, Arabic, Syriac, Thaana, N'Ko…
        0xD6..=0xDF => true,
        // U+0800 to U+08FF: Samaritan, Mandaic, Arabic extensions.
        0xE0 => matches!(next(1), 0xA0..=0xA3),
        // U+200F, U+202A to U+202E, U+2066 to U+2069.
        0xE2 => matches!(
            (next(1), next(2)),
            (0x80, 0x8F | 0xAA..=0xAE) | (0x81, 0xA6..=0xA9)
        ),
        // U+FB00 to U+FDFF and U+FE70 to U+FEFF: presentation forms.
        0xEF => matches!(next(1), 0xAC..=0xB7 | 0xB9..=0xBB),
        // U+10000 to U+1FFFF, of which U+10800… and U+1E800… read right to left.
        0xF0 => matches!(next(1), 0x90 | 0x9E),
        _ => false,
    }
}

/// The blocks where every right-to-left letter (classes R and AL) lives,
/// and the marks and controls that embed, override or isolate a direction.
fn may_turn_right_to_left(c: char) -> bool {
    matches!(
        c,
        '\u{0590}'..='\u{08FF}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FB1D}'..='\u{FDFF}'
            | '\u{FE70}'..='\u{FEFF}'
            | '\u{10800}'..='\u{10FFF}'
            | '\u{1E800}'..='\u{1EFFF}'
    )
}

/// Puts a set line's runs in visual order: the glyphs of each
/// right-to-left run are reversed, and the runs placed left to right in
/// the order rule L2 gives, from where the line's first run starts. The
/// runs themselves stay in logical order, and links follow their runs.
pub fn reorder(line: &mut SetLine) {
    if line.runs.iter().all(|r| r.level == 0) {
        return;
    }
    let levels: Vec<u8> = line.runs.iter().map(|r| r.level).collect();
    let order = visual_order(&levels);
    let mut x = line.runs.iter().map(|r| r.x).fold(Pt(f32::MAX), Pt::min);
    for &i in &order {
        let run = &mut line.runs[i];
        if run.level % 2 == 1 {
            run.glyphs.reverse();
        }
        run.x = x;
        x += run.width;
    }
    for (index, link) in line.links.iter_mut().enumerate() {
        let runs = line.runs.iter().filter(|r| r.link == Some(index));
        let (from, to) = runs.fold((Pt(f32::MAX), Pt(f32::MIN)), |(a, b), r| {
            (a.min(r.x), b.max(r.x + r.width))
        });
        if from <= to {
            link.0 = from;
            link.1 = to;
        }
    }
}

/// The visual order of items with bidi levels `levels` (rule L2: from the
/// highest level down to the lowest odd one, reverse every sequence at
/// that level or higher).
pub fn visual_order(levels: &[u8]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..levels.len()).collect();
    let highest = levels.iter().copied().max().unwrap_or(0);
    let lowest_odd = levels.iter().copied().filter(|l| l % 2 == 1).min();
    let Some(lowest_odd) = lowest_odd else {
        return order;
    };
    for level in (lowest_odd..=highest).rev() {
        let mut i = 0;
        while i < order.len() {
            if levels[order[i]] >= level {
                let start = i;
                while i < order.len() && levels[order[i]] >= level {
                    i += 1;
                }
                order[start..i].reverse();
            } else {
                i += 1;
            }
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_greek_and_cyrillic_are_never_analysed() {
        assert!(!needs_analysis(
            "Revolution 1917 Ελευθερία Вся власть Советам! Việt"
        ));
        assert!(needs_analysis("He said مرحبا today"));
        assert!(needs_analysis("a \u{202E}b"));
    }

    #[test]
    fn the_quick_test_finds_every_right_to_left_class() {
        for c in ('\u{0}'..='\u{10FFFF}').filter(|&c| {
            matches!(
                bidi_class(c),
                BidiClass::R
                    | BidiClass::AL
                    | BidiClass::RLE
                    | BidiClass::RLO
                    | BidiClass::RLI
                    | BidiClass::LRE
                    | BidiClass::LRO
                    | BidiClass::FSI
                    | BidiClass::LRI
            )
        }) {
            assert!(may_turn_right_to_left(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn the_byte_test_lets_no_right_to_left_character_through() {
        for c in ('\u{0}'..='\u{10FFFF}').filter(|&c| may_turn_right_to_left(c)) {
            let mut buf = [0u8; 4];
            assert!(
                may_hold_right_to_left(c.encode_utf8(&mut buf).as_bytes()),
                "U+{:04X}",
                c as u32
            );
        }
        assert!(!may_hold_right_to_left(
            "“Workers’ councils”—soviets… 全世界 Вся".as_bytes()
        ));
    }

    #[test]
    fn the_byte_test_finds_a_character_in_any_block_and_across_blocks() {
        // Sixteen-byte blocks: the character at every offset in the first
        // three, straddling their boundaries too.
        for c in ['ש', 'م', '\u{202E}', '\u{2067}', '\u{FB1D}', '\u{10800}'] {
            for at in 0..40 {
                let text = format!("{}{c}{}", "a".repeat(at), "b".repeat(20));
                assert!(
                    may_hold_right_to_left(text.as_bytes()),
                    "U+{:04X} at {at}",
                    c as u32
                );
            }
        }
        let latin = "“Workers’ councils”—soviets… Вся власть Советам! ".repeat(4);
        assert!(!may_hold_right_to_left(latin.as_bytes()));
        assert!(!needs_analysis(&latin));
    }

    #[test]
    fn rule_l2_reverses_right_to_left_runs() {
        assert_eq!(visual_order(&[0, 1, 1, 0]), [0, 2, 1, 3]);
        // Digits (level 2) inside Arabic (level 1) keep their order.
        assert_eq!(visual_order(&[1, 2, 2, 1]), [3, 1, 2, 0]);
        assert_eq!(visual_order(&[0, 0]), [0, 1]);
    }

    #[test]
    fn levels_follow_the_first_strong_character() {
        let text = "He said שלום עולם today";
        let levels = Levels::of(text).expect("analysed");
        assert!(!levels.rtl);
        let hebrew = text.find('ש').unwrap();
        assert_eq!(levels.at(hebrew), 1);
        assert_eq!(levels.at(0), 0);
        let arabic = Levels::of("مرحبا world").expect("analysed");
        assert!(arabic.rtl);
    }
}
