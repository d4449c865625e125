//! Where a display line (a title, a standfirst, a contents entry, the
//! series note) breaks: at a sense break, as a designer breaks one by
//! hand. A line of English display type does not end on an article, a
//! preposition or a conjunction ("The army and the / battle"), does not
//! split a name ("the Provisional / Government") and does not start with
//! a spaced dash. Such breaks cost the breaker [`NO_SENSE_COST`], so that
//! it takes one only where no other break keeps the lines in the measure.

use std::ops::Range;

use crate::layout::linebreak::{Item, Pass};

use super::items::{Content, Prepared};

/// Cost of a break that is no sense break. Its demerits (90,000) are more
/// than those of any two ragged lines within the first pass's tolerance
/// together with the demerits for lines of unlike length (about 34,000).
pub(super) const NO_SENSE_COST: f32 = 300.0;

/// Words that lead into what follows them: a display line ending on one
/// reads as cut off. Articles and determiners, prepositions, conjunctions
/// and the words that open a clause.
const LEADING_WORDS: &[&str] = &[
    "a", "an", "the", "this", "these", "those", "its", "their", "our", "his", "my", "your", "of",
    "to", "in", "on", "at", "by", "for", "from", "with", "into", "onto", "upon", "over", "under",
    "about", "after", "against", "among", "between", "through", "during", "without", "within",
    "towards", "and", "or", "but", "nor", "as", "than", "that", "if", "how", "why", "when",
    "where", "who", "whose", "which", "what", "while",
];

/// What closes a word without belonging to it, and ends a phrase with it.
const CLOSING: &[char] = &[
    '.', ',', ';', ':', '!', '?', ')', ']', '’', '”', '"', '\'', '—', '–',
];

/// What opens a word without belonging to it.
const OPENING: &[char] = &['(', '[', '‘', '“', '"', '\''];

/// Puts [`NO_SENSE_COST`] on every break of an English display paragraph
/// that is no sense break. Other languages keep their breaks: which words
/// lead, and which capitals make a name, is a matter of each language.
pub(super) fn cost_breaks_without_sense(p: &mut Prepared, lang_tag: &str) {
    if lang_tag != "en" && !lang_tag.starts_with("en-") {
        return;
    }
    let mut items = Vec::with_capacity(p.items.len() + 8);
    let mut content = Vec::with_capacity(p.items.len() + 8);
    for (i, (item, what)) in p.items.iter().zip(&p.content).enumerate() {
        if let (
            Item::Glue {
                hang_before,
                hang_after,
                ..
            },
            Content::Space { text, .. },
        ) = (item, what)
            && i > 0
            && matches!(p.items[i - 1], Item::Box { .. })
            && !is_sense_break(&p.text, text.clone())
        {
            // The break moves to a penalty before the space, with the
            // space's hangs, and the space goes with it at a line's end.
            items.push(Item::Penalty {
                width: 0.0,
                cost: NO_SENSE_COST,
                flagged: false,
                pass: Pass::First,
                hang_before: *hang_before,
                hang_after: *hang_after,
            });
            content.push(Content::Nothing);
        }
        items.push(*item);
        content.push(what.clone());
    }
    p.items = items;
    p.content = content;
}

/// Sets the cost of the breaks [`cost_breaks_without_sense`] marked: 0 to
/// break the paragraph as if they were sense breaks, then
/// [`NO_SENSE_COST`] again.
pub(super) fn set_no_sense_cost(p: &mut Prepared, to: f32) {
    for i in no_sense_penalties(p) {
        if let Item::Penalty { cost, .. } = &mut p.items[i] {
            *cost = to;
        }
    }
}

/// How many of `breaks` (item indices) are breaks without sense. Only
/// the breaks are looked at: balancing counts them for every measure it
/// tries, and the paragraph's other spaces do not change between tries.
pub(super) fn no_sense_breaks(p: &Prepared, breaks: &[usize]) -> usize {
    breaks
        .iter()
        .filter(|&&b| is_no_sense_penalty(p, b))
        .count()
}

/// The penalties [`cost_breaks_without_sense`] put before spaces.
fn no_sense_penalties(p: &Prepared) -> Vec<usize> {
    (0..p.items.len())
        .filter(|&i| is_no_sense_penalty(p, i))
        .collect()
}

/// True when item `i` is a penalty [`cost_breaks_without_sense`] put
/// before a space.
fn is_no_sense_penalty(p: &Prepared, i: usize) -> bool {
    i + 1 < p.items.len()
        && matches!(
            p.items[i],
            Item::Penalty { width: 0.0, cost, flagged: false, .. }
                if cost == NO_SENSE_COST || cost == 0.0
        )
        && matches!(p.content[i], Content::Nothing)
        && matches!(p.items[i + 1], Item::Glue { .. })
        && matches!(&p.content[i + 1], Content::Space { text, .. }
            if !is_sense_break(&p.text, text.clone()))
}

/// True when a display line may end at the space `space` of `text`.
fn is_sense_break(text: &str, space: Range<usize>) -> bool {
    let before = text[..space.start].rsplit(char::is_whitespace).next();
    let after = text[space.end..].split(char::is_whitespace).next();
    match (before, after) {
        (Some(before), Some(after)) if !before.is_empty() && !after.is_empty() => {
            sense_break_between(before, after)
        }
        _ => true,
    }
}

/// True when a display line may end after the word `before` and go on
/// with `after`.
pub(super) fn sense_break_between(before: &str, after: &str) -> bool {
    if after.starts_with(['—', '–']) {
        return false; // a spaced dash ends its line
    }
    if before.ends_with(CLOSING) {
        return true;
    }
    let bare = before.trim_start_matches(OPENING);
    let leading = LEADING_WORDS.contains(&bare.to_lowercase().as_str());
    let in_a_name = is_capitalised(bare) && is_capitalised(after.trim_start_matches(OPENING));
    !(leading || in_a_name)
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use super::sense_break_between;

    /// The words of `text` joined by `|` where a display line may break
    /// and `~` where it should not.
    fn marked(text: &str) -> String {
        let words: Vec<&str> = text.split(' ').collect();
        let mut out = words[0].to_string();
        for pair in words.windows(2) {
            out.push(if sense_break_between(pair[0], pair[1]) {
                '|'
            } else {
                '~'
            });
            out.push_str(pair[1]);
        }
        out
    }

    #[test]
    fn function_words_lead_into_what_follows() {
        assert_eq!(
            marked("The army and the battle for socialism"),
            "The~army|and~the~battle|for~socialism"
        );
        assert_eq!(
            marked("From Moscow to Galicia: how the soldiers won"),
            "From~Moscow|to~Galicia:|how~the~soldiers|won"
        );
    }

    #[test]
    fn names_and_spaced_dashes_stay_on_their_line() {
        assert_eq!(
            marked("“The July Days” — the Bolsheviks"),
            "“The~July~Days”~—|the~Bolsheviks"
        );
        assert_eq!(
            marked("Why the Provisional Government fell"),
            "Why~the~Provisional~Government|fell"
        );
    }
}
