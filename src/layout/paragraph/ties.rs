//! Spaces a line never breaks at, as a book typographer ties words by hand
//! (TeX users with `~`): a number stays with the word it counts or dates,
//! and an abbreviation or an initial with what follows it.

use crate::layout::linebreak::{Item, NEVER, Pass};
use crate::model::MONTHS;

/// Cost of a line break between a number and the word it counts
/// ("29,300 / workers."), offered from the pass after the hyphenation
/// pass: where the other settings leave a line loose (spaced, often
/// letter-spaced too), or, at a paragraph's end, a fragment alone
/// ("29,300 work-/ers."). A hyphen in that word splits the pair no less,
/// so it waits for the emergency passes.
const COUNTED_BREAK_PENALTY: f32 = 800.0;

/// Characters that end a word in running text without belonging to it.
const TRAILING: &str = ".,;:!?)]’”'\"";

/// Abbreviations that stand before a number: "p. 12", "No. 5".
const BEFORE_A_NUMBER: &[&str] = &[
    "p.", "pp.", "No.", "no.", "Nos.", "vol.", "Vol.", "ch.", "Ch.", "fig.", "Fig.", "art.",
    "Art.", "§",
];

/// Titles that stand before a name: "Mr. Smith", "St. Petersburg".
const BEFORE_A_NAME: &[&str] = &["Mr.", "Mrs.", "Ms.", "Dr.", "St.", "Prof.", "Gen.", "Col."];

/// The penalty that ties the space at byte `at` of `text`, when it is
/// tied: a number and the (lower-case) word it counts break apart only as
/// a last resort, where that word would otherwise be hyphenated; every
/// other tie, a date's ("14 April") among them, never does.
pub(super) fn tie_penalty(text: &str, at: usize) -> Option<Item> {
    if !is_tied(text, at) {
        None
    } else if counts_a_number(text, at + 1) && text[at + 1..].starts_with(char::is_lowercase) {
        Some(Item::penalty(COUNTED_BREAK_PENALTY, Pass::Tied))
    } else {
        Some(Item::penalty(NEVER, Pass::First))
    }
}

/// True when a line must not break at the space at byte `at` of `text`.
pub(super) fn is_tied(text: &str, at: usize) -> bool {
    if !may_be_tied(
        text[..at].chars().next_back(),
        text[at + 1..].chars().next(),
    ) {
        return false;
    }
    let before = text[..at].rsplit(is_space).next().unwrap_or("");
    let mut words = text[at + 1..].split(is_space);
    let after = words.next().unwrap_or("");
    let next = words.next().unwrap_or("");
    !before.is_empty() && !after.is_empty() && are_tied(before, after, next)
}

/// False when no rule of [`are_tied`] can tie the words either side of a
/// space, from the characters `last` before it and `first` after it:
/// every rule needs a number after it (which starts with a digit), a
/// number before it (which ends with one) or a full stop ending the word
/// before. This runs at every space of the book, and most fail it.
fn may_be_tied(last: Option<char>, first: Option<char>) -> bool {
    first.is_some_and(|c| c.is_ascii_digit())
        || last.is_some_and(|c| c.is_ascii_digit() || c == '.')
}

/// True when a line must never break between the words `before` and
/// `after` (followed by `next`). A number is tied to one side only: to
/// what it counts where it counts something ("around | 49~percent"), so
/// that no unit of three words is left for a hyphen to break.
fn are_tied(before: &str, after: &str, next: &str) -> bool {
    word_and_number(before, after) && !number_and_what_it_counts(after, next)
        || number_and_what_it_counts(before, after)
        || BEFORE_A_NUMBER.contains(&before) && after.starts_with(|c: char| c.is_ascii_digit())
        || BEFORE_A_NAME.contains(&before)
        || is_initial(before) && after.starts_with(char::is_uppercase)
}

/// True when the word at byte `start` of `text` is tied to the number
/// before it ("46,700 roubles", "45 percent"). Such a word is not
/// hyphenated: the tie keeps a number with its unit on one line, and
/// "46,700 rou-/bles." breaks the unit instead (and, at a paragraph's end,
/// leaves a fragment alone on its last line).
pub(super) fn counts_a_number(text: &str, start: usize) -> bool {
    let Some(space) = text[..start].strip_suffix(is_space) else {
        return false;
    };
    // A number ends with a digit.
    if !space.ends_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let before = space.rsplit(is_space).next().unwrap_or("");
    if number(before).is_none() {
        return false;
    }
    let after = text[start..].split(is_space).next().unwrap_or("");
    number_and_what_it_counts(before, after)
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{00A0}')
}

/// "Part 100", "October 1917", "page 5": a word and a short number after
/// it (not "on 22 December", where the day goes with its month). A longer one ("some 46,700 roubles") may start a line: tied to the
/// word it counts as well, it would leave a unit too long to justify well.
fn word_and_number(before: &str, after: &str) -> bool {
    let after = after.trim_end_matches(is_trailing);
    before.ends_with(char::is_alphabetic)
        && !is_function_word(before)
        && !after.contains([',', '.'])
        && number(after).is_some_and(|digits| digits <= 4)
}

/// "46,700 roubles", "36 percent", "14 April": a number and the word it
/// counts (lower case) or the month it dates. A year ("1917 the") and a
/// number that ends a clause ("in 1917, the") are not tied.
fn number_and_what_it_counts(before: &str, after: &str) -> bool {
    let Some(digits) = number(before) else {
        return false;
    };
    let year = digits == 4 && !before.contains([',', '.']);
    let word = after.trim_end_matches(is_trailing);
    if MONTHS.contains(&word) {
        return !year;
    }
    !year && after.starts_with(char::is_lowercase) && !is_function_word(word)
}

/// Short English words that carry grammar, not meaning: a number is not
/// tied to them ("12 and"), and a display line does not end on them.
pub(super) fn is_function_word(word: &str) -> bool {
    const WORDS: &[&str] = &[
        "a", "an", "the", "of", "in", "on", "to", "and", "or", "for", "with", "by", "at", "from",
        "as", "but", "nor", "into", "than", "that", "is", "was", "were",
    ];
    // Every listed word is ASCII, so comparing without allocating a
    // lower-cased copy (this runs for every word of the book) is exact.
    WORDS.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// "V. I. Lenin": a single capital and its full stop.
fn is_initial(word: &str) -> bool {
    let mut chars = word.chars();
    matches!((chars.next(), chars.next(), chars.next()), (Some(c), Some('.'), None) if c.is_uppercase())
}

fn is_trailing(c: char) -> bool {
    TRAILING.contains(c)
}

/// The count of digits of `word` when it is a number of up to seven
/// digits, with thousands separated by commas or full stops ("46,700").
fn number(word: &str) -> Option<usize> {
    let mut digits = 0;
    let mut previous_digit = false;
    for c in word.chars() {
        if c.is_ascii_digit() {
            digits += 1;
            previous_digit = true;
        } else if matches!(c, ',' | '.') && previous_digit {
            previous_digit = false;
        } else {
            return None;
        }
    }
    (previous_digit && (1..=7).contains(&digits)).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::{counts_a_number, is_tied};

    /// The words of `text` joined by `|` where a line may break and `~`
    /// where it may not.
    fn marked(text: &str) -> String {
        text.char_indices()
            .map(|(i, c)| match c {
                ' ' if is_tied(text, i) => '~',
                ' ' => '|',
                c => c,
            })
            .collect()
    }

    #[test]
    fn numbers_stay_with_what_they_count_or_date() {
        assert_eq!(marked("some 46,700 roubles"), "some|46,700~roubles");
        assert_eq!(marked("on 14 April the"), "on|14~April|the");
        assert_eq!(marked("April 14, when"), "April~14,|when");
        assert_eq!(marked("36 percent of"), "36~percent|of");
        assert_eq!(marked("in 1917 the war"), "in|1917|the|war");
        assert_eq!(marked("October 1917, the war"), "October~1917,|the|war");
        assert_eq!(marked("see p. 12 and No. 5"), "see|p.~12|and|No.~5");
        assert_eq!(marked("in around 49 percent"), "in|around|49~percent");
        assert_eq!(marked("Part 68 was"), "Part~68|was");
    }

    #[test]
    fn a_word_counted_by_a_number_is_known() {
        let text = "with 46,700 roubles, 45 percent of 1917 workers and Part 5, said 7 men";
        let counted: Vec<&str> = text
            .split(' ')
            .scan(0, |at, word| {
                let start = *at;
                *at += word.len() + 1;
                Some((start, word))
            })
            .filter(|&(start, _)| counts_a_number(text, start))
            .map(|(_, word)| word)
            .collect();
        assert_eq!(counted, ["roubles,", "percent", "men"]);
        assert!(counts_a_number("5\u{a0}men", 3));
    }

    #[test]
    fn initials_and_titles_stay_with_the_name() {
        assert_eq!(marked("said V. I. Lenin then"), "said|V.~I.~Lenin|then");
        assert_eq!(marked("to Mr. Knightley and"), "to|Mr.~Knightley|and");
        assert_eq!(marked("a B. c"), "a|B.|c");
    }
}
