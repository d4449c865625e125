//! Print page breaks in the EPUB: checking the page map handed in, giving
//! each marker an id unique in its document, and finding where in a text
//! node a marker goes so that it never splits a word.

use super::names::{UniqueNames, safe_stem};
use super::{EpubError, PageBreak};
use crate::model::{Series, block_index_walk};

/// A page break checked against the series, with its element id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct PlacedBreak {
    /// The page label, as printed.
    pub label: String,
    /// The marker's id in its article document (`page-xii`).
    pub id: String,
    /// Block number in [`block_index_walk`] order.
    pub block: usize,
    /// Byte offset into the block's plain text.
    pub offset: usize,
}

/// The page breaks of each article (one list per article, in reading
/// order), or an error naming the first break that points nowhere.
pub(super) fn place(
    series: &Series,
    breaks: &[PageBreak],
) -> Result<Vec<Vec<PlacedBreak>>, EpubError> {
    let mut per_article: Vec<Vec<&PageBreak>> = vec![Vec::new(); series.articles.len()];
    for page_break in breaks {
        check(series, page_break)?;
        if let Some(list) = per_article.get_mut(page_break.article) {
            list.push(page_break);
        }
    }
    Ok(per_article
        .into_iter()
        .map(|mut list| {
            list.sort_by_key(|b| (b.block, b.offset));
            with_ids(&list)
        })
        .collect())
}

fn check(series: &Series, page_break: &PageBreak) -> Result<(), EpubError> {
    let bad = |reason: String| EpubError::BadPageBreak {
        label: page_break.label.clone(),
        reason,
    };
    if page_break.label.trim().is_empty() {
        return Err(bad("the page label is empty".into()));
    }
    let Some(article) = series.articles.get(page_break.article) else {
        return Err(bad(format!(
            "article {} does not exist; the series has {}",
            page_break.article,
            series.articles.len()
        )));
    };
    let blocks = block_index_walk(&article.body).len();
    if page_break.block >= blocks {
        return Err(bad(format!(
            "block {} does not exist; {} has {blocks}",
            page_break.block,
            article.path.display()
        )));
    }
    Ok(())
}

fn with_ids(breaks: &[&PageBreak]) -> Vec<PlacedBreak> {
    let mut ids = UniqueNames::default();
    breaks
        .iter()
        .map(|b| PlacedBreak {
            label: b.label.trim().to_string(),
            id: ids.claim(&format!("page-{}", safe_stem(b.label.trim(), "p")), ""),
            block: b.block,
            offset: b.offset,
        })
        .collect()
}

/// Where in `text` a marker for `offset` goes: `offset` itself when a word
/// starts there; the start of the word when `offset` falls inside one (a
/// word hyphenated across two print pages); the next word when it falls on
/// spaces. Always a character boundary.
pub(super) fn word_start(text: &str, offset: usize) -> usize {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let (before, after) = text.split_at(at);
    let inside_word = before.chars().next_back().is_some_and(is_word_char)
        && after.chars().next().is_some_and(is_word_char);
    if inside_word {
        return before
            .char_indices()
            .rev()
            .find(|(_, c)| !is_word_char(*c))
            .map_or(0, |(i, c)| i + c.len_utf8());
    }
    at + (after.len() - after.trim_start().len())
}

/// Letters, digits and what joins them inside a word (apostrophes, soft
/// hyphens); a dash or a space is a place where a page may begin.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '\'' | '\u{2019}' | '\u{00AD}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_start_keeps_a_word_start() {
        assert_eq!(word_start("one two", 4), 4);
        assert_eq!(word_start("one two", 0), 0);
        assert_eq!(word_start("one two", 7), 7);
    }

    #[test]
    fn word_start_moves_back_inside_a_word() {
        assert_eq!(word_start("one revolution", 8), 4);
        assert_eq!(word_start("Lenin’s theses", 7), 0);
        assert_eq!(word_start("абв где", 9), 7); // inside "где"
        assert_eq!(word_start("абв где", 3), 0); // not a char boundary
    }

    #[test]
    fn word_start_moves_forward_over_spaces() {
        assert_eq!(word_start("one  two", 3), 5);
        assert_eq!(word_start("one  two", 4), 5);
    }

    #[test]
    fn word_start_takes_a_dash_as_a_break() {
        assert_eq!(word_start("war—and", 6), 6);
        assert_eq!(word_start("left-wing", 5), 5);
    }

    #[test]
    fn offsets_past_the_end_stay_at_the_end() {
        assert_eq!(word_start("one", 99), 3);
    }
}
