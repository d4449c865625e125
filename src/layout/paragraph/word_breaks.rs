//! Where a word may break, and at what cost: after its hyphens and dashes,
//! inside URLs, at its hyphenation points (later for names), inside code
//! only with a visible mark, and as a last resort anywhere in a very long
//! word.

use unicode_script::{Script, UnicodeScript};

use crate::layout::Engine;
use crate::layout::hyphenate::HyphenMin;
use crate::layout::linebreak::{Item, Pass};

use super::items::Content;

/// Cost of a hyphen (TeX's \hyphenpenalty). Higher than TeX's 50: with
/// font expansion taking the first part of every adjustment, a hyphen is
/// worth it only where spacing would otherwise suffer; on the anchors' text
/// (anchors-quality.md) this gives 4.4% hyphenated lines with a gap
/// deviation of 0.028 em, against 50's 9% and 100's 6.7%.
pub(super) const HYPHEN_PENALTY: f32 = 200.0;

/// Cost of a hyphen in a capitalised word (a name, mostly), offered only
/// in the emergency passes: taken only where every setting without one
/// leaves a line looser than `breaking::NAME_TOLERANCE` (a loose line).
const CAPITALISED_PENALTY: f32 = 1000.0;

/// Cost of a hyphen in a word tied to the number before it, offered only
/// in the emergency passes, as a name's is: where every setting without
/// one leaves a line looser than the hyphenation pass allows, the pass
/// before them parts the number from its word at the space instead
/// (`ties::COUNTED_BREAK_PENALTY`), which splits the pair no more and
/// leaves no fragment.
const TIED_PENALTY: f32 = 1000.0;

/// Cost of a break after an explicit hyphen or dash.
const EXPLICIT_PENALTY: f32 = 50.0;

/// Cost of a break inside a URL.
const URL_PENALTY: f32 = 100.0;

/// Cost of a break inside a word of code (not at its spaces): that of a
/// hyphen, which it is as visible as.
const CODE_BREAK_PENALTY: f32 = HYPHEN_PENALTY;

/// Cost of a last-resort break inside a word.
const EMERGENCY_PENALTY: f32 = 5000.0;

/// A break opportunity inside a word: its byte offset in the word, its
/// cost, whether taking it adds a hyphen, and the first pass that may.
pub(super) struct Opportunity {
    pub(super) at: usize,
    pub(super) cost: f32,
    pub(super) hyphen: bool,
    pub(super) pass: Pass,
}

/// Adds a break at every character of the stretches of `word` (between
/// its other break opportunities) that are wider than `longest`, so that no
/// line need ever be wider than the measure; a word's breaks get a hyphen,
/// a URL's do not.
pub(super) fn add_last_resort_breaks(
    opportunities: &mut Vec<Opportunity>,
    word: &str,
    width: f32,
    longest: f32,
) {
    let chars = word.chars().count().max(1);
    let per_char = width / chars as f32;
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let hyphen = letters * 2 > chars && !looks_like_url(word);
    let mut bounds: Vec<usize> = opportunities.iter().map(|o| o.at).collect();
    bounds.push(0);
    bounds.push(word.len());
    bounds.sort_unstable();
    bounds.dedup();
    let mut extra = Vec::new();
    for pair in bounds.windows(2) {
        let stretch = &word[pair[0]..pair[1]];
        if stretch.chars().count() as f32 * per_char <= longest {
            continue;
        }
        for (i, _) in stretch.char_indices().skip(1) {
            extra.push(Opportunity {
                at: pair[0] + i,
                cost: EMERGENCY_PENALTY,
                hyphen,
                pass: Pass::Emergency,
            });
        }
    }
    opportunities.extend(extra);
}

pub(super) fn is_hyphen_like(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// A line of a code block breaks inside a word only where nothing else
/// will do, and then shows it: a reader must not take a line end for the
/// end of a command, nor an added hyphen for part of it. So code gets no
/// hyphenation points, and each break left in it (after a hyphen or
/// slash, inside a URL, a last resort) leaves three characters or more on
/// each side, costs what a hyphen does, waits for the hyphenation pass and
/// prints `items::CONTINUATION_MARK`.
pub(super) fn mark_code_breaks(opportunities: &mut Vec<Opportunity>, word: &str) {
    keep_code_breaks_apart(opportunities, word);
    for o in opportunities {
        o.hyphen = true;
    }
}

/// Where code in running text (a path, an option, a file name) breaks
/// inside a word: only after a slash, where a URL also breaks (see
/// [`url_breaks`]). A printed page has no room for an editor's wrap mark,
/// so the break adds nothing; before a hyphen or a dot it would read as
/// two words of code ("--no-running" / "-heads", a reader types both), so
/// an option or a file name stays whole and the line is set around it.
pub(super) fn code_span_breaks(word: &str) -> Vec<Opportunity> {
    url_breaks(word)
        .into_iter()
        .filter(|o| word[..o.at].ends_with('/'))
        .collect()
}

/// Where code in running text too long for its line may break besides
/// after a slash: before a hyphen, dot or underscore, as a URL does
/// ("russian" / "-revolution" in a narrow table column), rather than
/// between any two letters.
pub(super) fn long_code_span_breaks(word: &str) -> Vec<Opportunity> {
    url_breaks(word)
        .into_iter()
        .filter(|o| !word[..o.at].ends_with('/'))
        .collect()
}

/// Keeps the breaks of a code span (and its last-resort breaks, when it is
/// too long for a line) to those [`mark_code_breaks`] keeps, without the
/// mark: nothing is added at the line end.
pub(super) fn keep_code_span_breaks(opportunities: &mut Vec<Opportunity>, word: &str) {
    keep_code_breaks_apart(opportunities, word);
    for o in opportunities {
        o.hyphen = false;
    }
}

/// Leaves only the breaks of a word of code with three characters or more
/// on each side, at the cost of a hyphen and from the hyphenation pass on.
fn keep_code_breaks_apart(opportunities: &mut Vec<Opportunity>, word: &str) {
    let chars = word.chars().count();
    opportunities.retain(|o| {
        let before = word[..o.at].chars().count();
        before >= CODE_BREAK_MIN && chars - before >= CODE_BREAK_MIN
    });
    for o in opportunities {
        o.cost = o.cost.max(CODE_BREAK_PENALTY);
        o.pass = o.pass.max(Pass::Hyphenate);
    }
}

/// Fewest characters a break inside a word of code leaves on either side.
const CODE_BREAK_MIN: usize = 3;

/// Breaks allowed by the text itself: after hyphens and dashes (not before
/// a dash), and inside URLs where `url_breaks` allows.
pub(super) fn explicit_breaks(word: &str, min: HyphenMin) -> Vec<Opportunity> {
    if looks_like_url(word) {
        return url_breaks(word);
    }
    let mut out = Vec::new();
    if is_plain_word(word) {
        return out;
    }
    for (at, _) in unicode_linebreak::linebreaks(word) {
        if at == 0 || at >= word.len() {
            continue;
        }
        let before = word[..at].chars().last().unwrap_or(' ');
        let next = word[at..].chars().next().unwrap_or(' ');
        if matches!(next, '—' | '–') {
            continue; // a line never starts with a dash
        }
        // An explicit hyphen keeps the hyphenation minimums too, and one
        // that ends a capitalised word (a name) is a last resort.
        let left: Vec<char> = word[..at]
            .chars()
            .rev()
            .skip(1)
            .take_while(|c| c.is_alphabetic())
            .collect();
        let right = word[at..].chars().take_while(|c| c.is_alphabetic()).count();
        let hyphen = is_hyphen_like(before);
        if hyphen && (left.len() < min.left || right < min.right) {
            continue;
        }
        if splits_a_number_range(word, at) {
            out.push(Opportunity {
                at,
                cost: EMERGENCY_PENALTY,
                hyphen: false,
                pass: Pass::Emergency,
            });
            continue;
        }
        let name = hyphen && left.last().is_some_and(|c| c.is_uppercase());
        // Between ideographs a line breaks freely (CJK has no spaces).
        let cost = if is_ideographic(before) || is_ideographic(next) {
            0.0
        } else if name {
            CAPITALISED_PENALTY
        } else {
            EXPLICIT_PENALTY
        };
        out.push(Opportunity {
            at,
            cost,
            hyphen: false,
            pass: if name { Pass::Capitalised } else { Pass::First },
        });
    }
    out
}

/// True when a break at byte `at` of `word` would split a range of
/// numbers at its dash ("1909\u{2013}/1912"): a digit, an en (or figure)
/// dash, a break, a digit. A book keeps such a range on one line, as it
/// keeps a number with its word, so the break is left to the emergency
/// passes, which take it only where nothing else sets the paragraph.
fn splits_a_number_range(word: &str, at: usize) -> bool {
    let mut before = word[..at].chars().rev();
    let dash = before.next();
    let digit_before = before.next().is_some_and(|c| c.is_ascii_digit());
    let digit_after = word[at..].starts_with(|c: char| c.is_ascii_digit());
    matches!(dash, Some('\u{2013}' | '\u{2012}')) && digit_before && digit_after
}

/// Breaks inside a URL, where Chicago (14.18) puts them: after a slash
/// (not between the two of `//`), before a dot, hyphen, underscore,
/// tilde, question mark, number sign or percent sign, and before or after
/// `=` and `&`; never with a hyphen added. A line that ends on the URL's
/// own hyphen would read as one added, so the hyphen starts the next line
/// instead. Each side keeps a letter or digit, so sentence punctuation
/// after the URL never starts a line alone.
fn url_breaks(word: &str) -> Vec<Opportunity> {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let mut out = Vec::new();
    for window in chars.windows(2) {
        let ((_, before), (at, next)) = (window[0], window[1]);
        let allowed = (before == '/' && next != '/')
            || matches!(next, '.' | '-' | '_' | '~' | '?' | '#' | '%')
            || matches!(before, '=' | '&')
            || matches!(next, '=' | '&');
        let alphanumeric = |s: &str| s.chars().any(char::is_alphanumeric);
        if allowed && alphanumeric(&word[..at]) && alphanumeric(&word[at + next.len_utf8()..]) {
            out.push(Opportunity {
                at,
                cost: URL_PENALTY,
                hyphen: false,
                pass: Pass::First,
            });
        }
    }
    out
}

/// True for the common word that Unicode line breaking cannot break
/// inside: ASCII letters and digits, and the stops that never allow a
/// break before a letter or digit (`, . : ;`); checked before running the
/// full algorithm on it.
pub(super) fn is_plain_word(word: &str) -> bool {
    word.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b',' | b'.' | b':' | b';'))
}

fn looks_like_url(word: &str) -> bool {
    word.contains("://") || word.starts_with("www.")
}

/// Characters of the scripts written without spaces between words, where
/// UAX #14 lets a line break between characters: CJK ideographs, kana,
/// Hangul and their punctuation.
fn is_ideographic(c: char) -> bool {
    !c.is_ascii()
        && (matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}')
            || matches!(
                c.script(),
                Script::Han
                    | Script::Hiragana
                    | Script::Katakana
                    | Script::Hangul
                    | Script::Bopomofo
            ))
}

/// Hyphenation points of each run of letters in the word, by the
/// patterns of `lang_tag`; those in a capitalised run (a name, mostly) are
/// left to the passes after the hyphenation pass.
pub(super) fn hyphenation_points(
    engine: &mut Engine<'_>,
    lang_tag: &str,
    word: &str,
    min: HyphenMin,
) -> Vec<Opportunity> {
    engine
        .hyphenator
        .word_points(lang_tag, word, min)
        .into_iter()
        .map(|at| {
            let name = run_is_capitalised(word, at);
            Opportunity {
                at,
                cost: if name {
                    CAPITALISED_PENALTY
                } else {
                    HYPHEN_PENALTY
                },
                hyphen: true,
                pass: if name {
                    Pass::Capitalised
                } else {
                    Pass::Hyphenate
                },
            }
        })
        .collect()
}

/// Leaves the hyphens among `items` (a word just pushed) to the emergency
/// passes, at a name's cost: for a word tied to the number before it
/// ("46,700 roubles"), which a hyphen would break instead.
pub(super) fn defer_hyphens(items: &mut [Item]) {
    for item in items {
        if let Item::Penalty {
            flagged: true,
            cost,
            pass,
            ..
        } = item
            && *pass == Pass::Hyphenate
        {
            *cost = TIED_PENALTY;
            *pass = Pass::Capitalised;
        }
    }
}

/// Most letters the rest of a paragraph's broken last word may have and
/// still be set on its last line alone only as a last resort
/// ("rou-/bles.", "noth-/ing.").
const FINAL_FRAGMENT_LETTERS: usize = 4;

/// Most characters, punctuation and spaces included, of a fragment
/// [`defer_final_fragments`] counts as short.
const FRAGMENT_CHARS: usize = 16;

/// Cost of a break in a paragraph's last word that leaves at most
/// [`FINAL_FRAGMENT_LETTERS`] letters alone on its last line: with the
/// final hyphen's demerits, those of a line of badness about 1,400, so
/// that a line spaced and letter-spaced near the name pass's limit is
/// not taken instead (at 2,000, c100 seed 11 had two such lines more,
/// "his altered / appearance.", for one fragment less).
const FINAL_FRAGMENT_PENALTY: f32 = 1000.0;

/// True when the word ending at byte `end` of `text` is the paragraph's last.
pub(super) fn ends_paragraph(text: &str, end: usize) -> bool {
    text[end..].trim().is_empty()
}

/// Leaves the breaks among `items` (the paragraph's last word, `content`
/// its items' content in `text`) that would set a fragment of at most
/// [`FINAL_FRAGMENT_LETTERS`] letters alone on the last line to the
/// passes after the hyphenation pass, at a cost that makes every other
/// setting those passes allow come first. TeX weighs such an ending as
/// any other final hyphen (`\finalhyphendemerits`); a book designer
/// avoids it above all other hyphens.
pub(super) fn defer_final_fragments(items: &mut [Item], content: &[Content], text: &str) {
    for (i, item) in items.iter_mut().enumerate() {
        let Item::Penalty {
            flagged: true,
            cost,
            pass,
            ..
        } = item
        else {
            continue;
        };
        if *pass >= Pass::Emergency {
            continue;
        }
        let rest = content[i + 1..].iter().find_map(|c| match c {
            Content::Glyphs { text, .. } => Some(text.start),
            _ => None,
        });
        // Read no further than a short fragment can reach: a word may be
        // millions of characters long.
        let short = rest.is_none_or(|start| {
            let fragment: Vec<char> = text[start..].chars().take(FRAGMENT_CHARS + 1).collect();
            fragment.len() <= FRAGMENT_CHARS
                && fragment.iter().filter(|c| c.is_alphabetic()).count() <= FINAL_FRAGMENT_LETTERS
        });
        if short {
            *cost = cost.max(FINAL_FRAGMENT_PENALTY);
            *pass = (*pass).max(Pass::FinalFragment);
        }
    }
}

/// True when the run of letters around byte `at` of `word` starts with a
/// capital.
fn run_is_capitalised(word: &str, at: usize) -> bool {
    word[..at]
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .last()
        .is_some_and(char::is_uppercase)
}
