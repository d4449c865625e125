//! Where a display line (a title, a standfirst, a contents entry, the
//! series note) breaks: at a sense break, as a designer breaks one by
//! hand. A line of English display type does not end on an article, a
//! preposition or a conjunction ("The army and the / battle"), does not
//! split a name ("the Provisional / Government") and does not start with
//! a spaced dash. Such breaks cost the breaker [`NO_SENSE_COST`], so that
//! it takes one only where no other break keeps the lines in the measure;
//! splitting a name costs less ([`NAME_SPLIT_COST`]) than ending a line on
//! an article, so that where every break is without sense a title reads
//! "The Iskra / Handbook", not "The / Iskra Handbook".

use std::ops::Range;

use crate::layout::linebreak::{Item, Pass};

use super::items::{Content, Prepared};

/// Cost of a break that is no sense break. Its demerits (90,000) are more
/// than those of any two ragged lines within the first pass's tolerance
/// together with the demerits for lines of unlike length (about 34,000).
pub(super) const NO_SENSE_COST: f32 = 300.0;

/// Cost of a break inside a run of capitalised words that ends on no
/// leading word ("Provisional / Government"). Its demerits (40,000) are
/// 50,000 short of [`NO_SENSE_COST`]'s, more than lines of unlike length
/// add: of two breaks without sense, the one inside a name is taken.
pub(super) const NAME_SPLIT_COST: f32 = 200.0;

/// Cost of a break inside a noun phrase ("the railway / workers armed"):
/// a compound, or an adjective and its noun, split between two lines of
/// display type reads as two phrases. Less than a name's: the rule cannot
/// tell a noun from a verb, so such a break only loses to a sense break
/// in as many lines, and never takes a title a line more (see
/// [`splits_phrases_only`]).
pub(super) const PHRASE_SPLIT_COST: f32 = 100.0;

/// Words that open a noun phrase: a line of display type does not end
/// after the first of three words that follow one (see
/// [`splits_a_phrase`]).
const DETERMINERS: &[&str] = &[
    "a", "an", "the", "this", "these", "those", "its", "their", "our", "his", "her", "my", "your",
];

/// Words that lead into what follows them: a display line ending on one
/// reads as cut off. Articles and determiners, prepositions, conjunctions
/// and the words that open a clause; and the modal verbs, which lead into
/// their verb ("What the workers can / teach"). "May" is left out: in
/// this series it is more often the month than the verb.
const LEADING_WORDS: &[&str] = &[
    "a", "an", "the", "this", "these", "those", "its", "their", "our", "his", "my", "your", "of",
    "to", "in", "on", "at", "by", "for", "from", "with", "into", "onto", "upon", "over", "under",
    "about", "after", "against", "among", "between", "through", "during", "without", "within",
    "towards", "and", "or", "but", "nor", "as", "than", "that", "if", "how", "why", "when",
    "where", "who", "whose", "which", "what", "while", "can", "could", "will", "would", "shall",
    "should", "might", "must",
];

/// Words that close on what comes before them: the object pronouns. A
/// display line starting with one parts it from its verb ("What the
/// soviets can teach / us about the future"). "It" is left out: it is as
/// often the subject of a clause ("she feared / it was").
/// Matched in lower case only: a capitalised "Us" or "Them" in a title
/// stands for a side ("Us and Them"), not an object.
const TRAILING_WORDS: &[&str] = &["us", "them", "me", "him"];

/// What closes a word without belonging to it, and ends a phrase with it.
const CLOSING: &[char] = &[
    '.', ',', ';', ':', '!', '?', ')', ']', '’', '”', '"', '\'', '—', '–',
];

/// What opens a word without belonging to it.
const OPENING: &[char] = &['(', '[', '‘', '“', '"', '\''];

/// Puts [`NO_SENSE_COST`] on every break of an English display paragraph
/// that is no sense break, and notes those breaks and their costs in
/// `p` (see [`mark_breaks_without_sense`]). Other languages keep their
/// breaks: which words lead, and which capitals make a name, is a matter
/// of each language.
pub(super) fn cost_breaks_without_sense(p: &mut Prepared, lang_tag: &str) {
    let put = if lang_tag == "en" || lang_tag.starts_with("en-") {
        put_penalties_before_spaces_without_sense(p)
    } else {
        Vec::new()
    };
    mark_breaks_without_sense(p, &put);
}

/// Puts a penalty of the space's cost before every space of `p` that is
/// no sense break; gives their item indices and costs.
fn put_penalties_before_spaces_without_sense(p: &mut Prepared) -> Vec<(usize, f32)> {
    let mut put = Vec::new();
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
            && let Some(cost) = Some(space_cost(&p.text, text.clone())).filter(|&c| c > 0.0)
        {
            // The break moves to a penalty before the space, with the
            // space's hangs, and the space goes with it at a line's end.
            put.push((items.len(), cost));
            items.push(Item::Penalty {
                width: 0.0,
                cost,
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
    put
}

/// How the breaks [`cost_breaks_without_sense`] marked are taken.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum NoSense {
    /// As if they were sense breaks.
    Free,
    /// At their cost.
    Costed,
}

/// Sets how the breaks [`cost_breaks_without_sense`] marked are taken.
pub(super) fn set_no_sense(p: &mut Prepared, how: NoSense) {
    for k in 0..p.no_sense.len() {
        let (i, space_cost) = p.no_sense[k];
        if let Item::Penalty { cost, .. } = &mut p.items[i] {
            *cost = if how == NoSense::Free {
                0.0
            } else {
                space_cost
            };
        }
    }
}

/// The items of `p` with its breaks without sense left to the breaker's
/// emergency pass: to break at sense breaks only.
pub(super) fn sense_breaks_only(p: &Prepared) -> Vec<Item> {
    let mut items = p.items.clone();
    for &(i, _) in &p.no_sense {
        if let Item::Penalty { pass, .. } = &mut items[i] {
            *pass = Pass::Emergency;
        }
    }
    items
}

/// What the breaks without sense among `breaks` (item indices) cost
/// together: 0 when every one is a sense break. Only the breaks are
/// looked at: balancing counts them for every measure it tries, and the
/// paragraph's other spaces do not change between tries.
pub(super) fn no_sense_breaks(p: &Prepared, breaks: &[usize]) -> f32 {
    breaks.iter().filter_map(|&b| no_sense_cost(p, b)).sum()
}

/// True when every break without sense among `breaks` (item indices)
/// splits a noun phrase only: not worth a title's line more.
pub(super) fn splits_phrases_only(p: &Prepared, breaks: &[usize]) -> bool {
    breaks
        .iter()
        .filter_map(|&b| no_sense_cost(p, b))
        .all(|cost| cost <= PHRASE_SPLIT_COST)
}

/// What a line ending at item `i` costs when `i` is one of the penalties
/// [`cost_breaks_without_sense`] put before spaces.
fn no_sense_cost(p: &Prepared, i: usize) -> Option<f32> {
    let at = p.no_sense.binary_search_by_key(&i, |&(at, _)| at).ok()?;
    Some(p.no_sense[at].1)
}

/// Notes in `p` the penalties [`cost_breaks_without_sense`] put before
/// spaces (`put`, by item index, with their costs), and any other penalty
/// of their kind, with what each costs: once, since balancing asks for
/// them at every measure it tries, and switching them between free and
/// costed keeps them of their kind (a cost of 0 or the space's).
fn mark_breaks_without_sense(p: &mut Prepared, put: &[(usize, f32)]) {
    p.no_sense = (0..p.items.len())
        .filter(|&i| is_penalty_before_a_space(p, i))
        .filter_map(|i| {
            let cost = match put.binary_search_by_key(&i, |&(at, _)| at) {
                Ok(at) => put[at].1,
                Err(_) => penalty_space_cost(p, i),
            };
            (cost > 0.0).then_some((i, cost))
        })
        .collect();
}

/// True when item `i` is a penalty of the kind [`cost_breaks_without_sense`]
/// puts before a space, of no width and a cost it gives, or 0.
fn is_penalty_before_a_space(p: &Prepared, i: usize) -> bool {
    i + 1 < p.items.len()
        && matches!(
            p.items[i],
            Item::Penalty { width: 0.0, cost, flagged: false, .. }
                if cost == NO_SENSE_COST || cost == NAME_SPLIT_COST || cost == PHRASE_SPLIT_COST || cost == 0.0
        )
        && matches!(p.content[i], Content::Nothing)
        && matches!(p.items[i + 1], Item::Glue { .. })
}

/// What a line ending at the penalty `i`, before a space, costs.
fn penalty_space_cost(p: &Prepared, i: usize) -> f32 {
    match &p.content[i + 1] {
        Content::Space { text, .. } => space_cost(&p.text, text.clone()),
        _ => 0.0,
    }
}

/// What a display line ending at the space `space` of `text` costs: 0 at
/// a sense break.
fn space_cost(text: &str, space: Range<usize>) -> f32 {
    let mut back = text[..space.start].rsplit(char::is_whitespace);
    let mut ahead = text[space.end..].split(char::is_whitespace);
    match (back.next(), ahead.next()) {
        (Some(before), Some(after)) if !before.is_empty() && !after.is_empty() => {
            let cost = break_cost(before, after);
            let phrase = [back.next(), Some(before), Some(after), ahead.next()];
            if cost == 0.0 && splits_a_phrase(phrase.map(|w| w.unwrap_or(""))) {
                PHRASE_SPLIT_COST
            } else {
                cost
            }
        }
        _ => 0.0,
    }
}

/// True when a display line ending between the second and third of
/// `words` splits a noun phrase: a determiner and three lower-case words
/// that lead into nothing, with no punctuation among them ("the factory
/// / committees stormed", "a general / strike broke"). The first two are
/// the phrase's modifier and noun, or its noun and verb ("the soldiers
/// won power"), which no rule of spelling tells apart; where the fourth
/// word leads on ("the soldiers / won the war"), the third is taken for
/// the verb, and the break for a sense break.
fn splits_a_phrase([determiner, first, second, third]: [&str; 4]) -> bool {
    let bare = determiner.trim_start_matches(OPENING);
    let content = |word: &str| {
        word.starts_with(char::is_lowercase)
            && !word.ends_with(CLOSING)
            && !LEADING_WORDS.contains(&word)
    };
    DETERMINERS.iter().any(|d| d.eq_ignore_ascii_case(bare))
        && content(first)
        && content(second)
        && content(third.trim_end_matches(CLOSING))
}

/// What a display line ending after the word `before` and going on with
/// `after` costs: 0 at a sense break, [`NAME_SPLIT_COST`] inside a name,
/// [`NO_SENSE_COST`] after a leading word, before an object pronoun or
/// before a spaced dash.
fn break_cost(before: &str, after: &str) -> f32 {
    if after.starts_with(['—', '–']) {
        return NO_SENSE_COST; // a spaced dash ends its line
    }
    if before.ends_with(CLOSING) {
        return 0.0;
    }
    let bare = before.trim_start_matches(OPENING);
    // Every leading word is ASCII: compared without a lower-cased copy.
    let next = after.trim_end_matches(CLOSING);
    if LEADING_WORDS.iter().any(|w| w.eq_ignore_ascii_case(bare)) || TRAILING_WORDS.contains(&next)
    {
        NO_SENSE_COST
    } else if is_capitalised(bare) && is_capitalised(after.trim_start_matches(OPENING)) {
        NAME_SPLIT_COST
    } else {
        0.0
    }
}

/// True when a display line may end after the word `before` and go on
/// with `after`.
#[cfg(test)]
fn sense_break_between(before: &str, after: &str) -> bool {
    break_cost(before, after) == 0.0
}

/// `text` with `|` at each space a display line may end at, and `~` at
/// each where it should not, the words around each space counted.
#[cfg(test)]
fn marked_in_context(text: &str) -> String {
    text.char_indices()
        .map(|(i, c)| match c {
            ' ' if space_cost(text, i..i + 1) == 0.0 => '|',
            ' ' => '~',
            c => c,
        })
        .collect()
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use super::{
        NoSense, cost_breaks_without_sense, marked_in_context, no_sense_breaks,
        sense_break_between, set_no_sense,
    };
    use crate::layout::Engine;
    use crate::layout::fonts::FontSet;
    use crate::layout::linebreak::Item;
    use crate::layout::paragraph::flatten::flatten;
    use crate::layout::paragraph::items::{Content, prepare};
    use crate::model::Inline;

    /// The word before each break without sense that `p` notes, with its
    /// cost, and the costs its penalties have now.
    fn noted(p: &super::Prepared) -> (Vec<(&str, f32)>, Vec<f32>) {
        let mut words = Vec::new();
        let mut costs = Vec::new();
        for &(i, cost) in &p.no_sense {
            let Content::Space { text, .. } = &p.content[i + 1] else {
                panic!("no space after the penalty {i}");
            };
            words.push((p.text[..text.start].rsplit(' ').next().unwrap_or(""), cost));
            if let Item::Penalty { cost, .. } = p.items[i] {
                costs.push(cost);
            }
        }
        (words, costs)
    }

    /// Each break without sense of a display paragraph is noted once,
    /// with its cost, where its penalty is put; switching them free and
    /// costed again sets those penalties' costs, and what a set of
    /// breaks costs is read from the notes.
    #[test]
    fn the_breaks_without_sense_are_noted_once_with_their_costs() {
        let fonts = FontSet::builtin();
        let mut engine = Engine::new(&fonts);
        let style = crate::layout::paragraph::tests::style(&mut engine, 300.0);
        let text = "Why the Provisional Government fell to the factory committees";
        let flat = flatten(&[Inline::Text(text.into())], style.role, &|i| i.to_string());
        let mut p = prepare(&mut engine, &flat, &style);
        cost_breaks_without_sense(&mut p, "en");
        let expected = [
            ("Why", 300.0),
            ("the", 300.0),
            ("Provisional", 200.0),
            ("to", 300.0),
            ("the", 300.0),
        ];
        assert_eq!(
            noted(&p),
            (expected.to_vec(), expected.map(|(_, c)| c).to_vec())
        );
        set_no_sense(&mut p, NoSense::Free);
        assert_eq!(noted(&p), (expected.to_vec(), vec![0.0; 5]));
        set_no_sense(&mut p, NoSense::Costed);
        assert_eq!(noted(&p).1, expected.map(|(_, c)| c));
        let at: Vec<usize> = p.no_sense.iter().map(|&(i, _)| i).collect();
        assert_eq!(no_sense_breaks(&p, &at), 1400.0);
        assert_eq!(no_sense_breaks(&p, &[at[2] + 1, at[2] - 1]), 0.0);
        let mut german = prepare(&mut engine, &flat, &style);
        cost_breaks_without_sense(&mut german, "de");
        assert!(german.no_sense.is_empty());
    }

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
    fn a_verb_stays_with_its_modal_and_its_object() {
        // A seed 11 pull quote read "What the metalworkers can / teach".
        assert_eq!(
            marked_in_context("What the metalworkers can teach"),
            "What~the~metalworkers|can~teach"
        );
        // An object pronoun stays with its verb.
        assert_eq!(
            marked_in_context("What the soviets can teach us about the future"),
            "What~the~soviets|can~teach~us|about~the~future"
        );
    }

    #[test]
    fn a_noun_phrase_stays_on_its_line() {
        // A seed 11 opening title read "When the railway / workers armed
        // the party".
        assert_eq!(
            marked_in_context("When the railway workers armed the party"),
            "When~the~railway~workers|armed|the~party"
        );
        // A phrase followed by a leading word keeps its sense break.
        assert_eq!(
            marked_in_context("How the soldiers won the war"),
            "How~the~soldiers|won|the~war"
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
