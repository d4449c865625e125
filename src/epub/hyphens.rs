//! Soft hyphens (U+00AD) at the break points Iskra's own hyphenator
//! allows, with the book's default minimums (three letters each side),
//! for reading systems that justify text but have no hyphenation
//! dictionary (Chromium-based readers, several e-ink ones): they may break
//! a word only where a soft hyphen stands.

use std::borrow::Cow;

use crate::layout::hyphenate::{HyphenMin, Hyphenator};

/// The soft hyphen.
pub(super) const SOFT_HYPHEN: char = '\u{AD}';

/// `text` with a soft hyphen at every point where the print layout may
/// hyphenate its words; borrowed when there is none.
pub(super) fn soft_hyphenate<'t>(
    hyphenator: &mut Hyphenator,
    lang: &str,
    text: &'t str,
) -> Cow<'t, str> {
    let mut out = String::new();
    let mut written = 0;
    for (start, word) in words(text) {
        for point in hyphenator.word_points(lang, word, HyphenMin::default()) {
            let at = start + point;
            out.push_str(&text[written..at]);
            out.push(SOFT_HYPHEN);
            written = at;
        }
    }
    if written == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[written..]);
    Cow::Owned(out)
}

/// The runs of `text` between white space, with their byte offsets.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(char::is_whitespace)
        .scan(0, |offset, word| {
            let start = *offset;
            *offset += word.len();
            // The separator: one white-space character.
            *offset += text[*offset..].chars().next().map_or(0, char::len_utf8);
            Some((start, word))
        })
        .filter(|(_, word)| !word.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> String {
        text.replace(SOFT_HYPHEN, "|")
    }

    #[test]
    fn words_get_the_print_layouts_break_points() {
        let mut h = Hyphenator::new();
        let out = soft_hyphenate(&mut h, "en", "The revolutionary “Bolsheviks” argued.");
        assert_eq!(shown(&out), "The rev|o|lu|tion|ary “Bol|she|viks” argued.");
        let russian = soft_hyphenate(&mut h, "ru", "революционный\u{a0}путь");
        assert_eq!(shown(&russian), "рево|лю|ци|он|ный\u{a0}путь");
    }

    #[test]
    fn short_words_urls_compounds_and_unknown_languages_are_left_alone() {
        let mut h = Hyphenator::new();
        for (lang, text) in [
            ("en", "war and peace"),
            ("en", "see https://socialistworker.co.uk/revolutionary"),
            ("en", "anti-imperialist"),
            ("xx", "revolutionary"),
            ("en", ""),
        ] {
            assert!(
                matches!(soft_hyphenate(&mut h, lang, text), Cow::Borrowed(_)),
                "{text}"
            );
        }
    }

    #[test]
    fn removing_the_soft_hyphens_gives_the_text_back() {
        let mut h = Hyphenator::new();
        let text = "  Workers’ councils—or soviets—made up of\tdelegates \u{2003}everywhere ";
        let out = soft_hyphenate(&mut h, "en", text);
        assert!(out.contains(SOFT_HYPHEN));
        assert_eq!(out.replace(SOFT_HYPHEN, ""), text);
    }
}
