//! Who the e-book credits, and how: the `dc:creator` that libraries and
//! stores show as the book's author, and the `dc:contributor`s behind it.
//!
//! A series is usually an anthology: a paper's articles by many writers.
//! Listing every writer as a creator makes stores and calibre show one
//! long author string (18 names on the 100-article corpus) and file the
//! book under whichever name comes first. Catalogues enter such a
//! collection under its editor, with the writers as contributors, and so
//! does Iskra:
//!
//! 1. `author` in series.toml: the series is one author's (or team's)
//!    work; they are the creators, an `editor` a contributor.
//! 2. Every signed article has the same byline: those writers are the
//!    creators (a series one columnist wrote).
//! 3. Otherwise the series is a collection: its `editor`, else the
//!    publisher (the paper that commissioned and edited it), is the
//!    creator in the role of editor, and every writer a contributor in the
//!    role of author.
//!
//! With neither editor nor publisher the writers are the creators, as
//! nothing better is known.

use super::xhtml::non_blank;
use crate::model::Series;

/// A MARC relator code, the roles EPUB's `role` refinement takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Role {
    /// `aut`: wrote the text.
    Author,
    /// `edt`: selected and edited the texts of others.
    Editor,
}

impl Role {
    /// The relator code.
    pub(super) fn code(self) -> &'static str {
        match self {
            Role::Author => "aut",
            Role::Editor => "edt",
        }
    }
}

/// One person or body credited in the package metadata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Credit {
    /// The name as shown.
    pub name: String,
    /// What they did.
    pub role: Role,
    /// How the name sorts, when it must not be inverted as a person's
    /// would be ("Socialist Worker", not "Worker, Socialist").
    pub file_as: Option<String>,
}

/// The book's creators and contributors, in the order they are written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Credits {
    /// `dc:creator`: who the book is by.
    pub creators: Vec<Credit>,
    /// `dc:contributor`: the others who made it.
    pub contributors: Vec<Credit>,
}

impl Credits {
    /// The credits of `series`, by the rules in the module comment.
    pub(super) fn of(series: &Series) -> Credits {
        let writers = distinct(series.articles.iter().flat_map(|a| &a.meta.authors));
        let editors = distinct(series.meta.editors.iter());
        let series_authors = distinct(series.meta.authors.iter());
        let publisher = non_blank(series.meta.publisher.as_deref());
        if !series_authors.is_empty() {
            let others: Vec<String> = writers
                .into_iter()
                .filter(|w| !contains(&series_authors, w))
                .collect();
            return Credits {
                creators: people(series_authors, Role::Author),
                contributors: people(editors, Role::Editor)
                    .into_iter()
                    .chain(people(others, Role::Author))
                    .collect(),
            };
        }
        if let Some(byline) = one_byline(series) {
            return Credits {
                creators: people(byline, Role::Author),
                contributors: people(editors, Role::Editor),
            };
        }
        let creators = match (editors.is_empty(), publisher) {
            (false, _) => people(editors, Role::Editor),
            (true, Some(paper)) => vec![Credit {
                name: paper.to_string(),
                role: Role::Editor,
                file_as: Some(paper.to_string()),
            }],
            (true, None) => {
                return Credits {
                    creators: people(writers, Role::Author),
                    contributors: Vec::new(),
                };
            }
        };
        Credits {
            creators,
            contributors: people(writers, Role::Author),
        }
    }
}

/// The byline every signed article shares, if they all share one (in its
/// own order); `None` when no article is signed or two bylines differ.
fn one_byline(series: &Series) -> Option<Vec<String>> {
    let mut signed = series
        .articles
        .iter()
        .map(|a| distinct(a.meta.authors.iter()))
        .filter(|byline| !byline.is_empty());
    let first = signed.next()?;
    let key = |byline: &[String]| {
        let mut names: Vec<String> = byline.iter().map(|n| n.to_lowercase()).collect();
        names.sort();
        names
    };
    let wanted = key(&first);
    signed.all(|byline| key(&byline) == wanted).then_some(first)
}

fn people(names: impl IntoIterator<Item = String>, role: Role) -> Vec<Credit> {
    names
        .into_iter()
        .map(|name| Credit {
            name,
            role,
            file_as: None,
        })
        .collect()
}

fn contains(names: &[String], name: &str) -> bool {
    names
        .iter()
        .any(|n| n.to_lowercase() == name.to_lowercase())
}

/// Non-blank names, trimmed, each once (ignoring case), in first-seen order.
pub(super) fn distinct<'a>(items: impl Iterator<Item = &'a String>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    items
        .filter_map(|item| non_blank(Some(item)))
        .filter(|item| seen.insert(item.to_lowercase()))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{article, para, series, text};
    use super::*;

    fn signed(bylines: &[&[&str]]) -> Series {
        let articles = bylines
            .iter()
            .enumerate()
            .map(|(i, names)| {
                let mut a = article(&format!("a{i}"), "T", vec![para(vec![text("x")])]);
                a.meta.authors = names.iter().map(|n| n.to_string()).collect();
                a
            })
            .collect();
        series(articles)
    }

    fn shown(credits: &[Credit]) -> Vec<(String, &'static str)> {
        credits
            .iter()
            .map(|c| (c.name.clone(), c.role.code()))
            .collect()
    }

    fn pairs(list: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
        list.iter().map(|(n, r)| (n.to_string(), *r)).collect()
    }

    #[test]
    fn an_anthology_is_the_papers_with_its_writers_as_contributors() {
        let credits = Credits::of(&signed(&[&["Jane Doe"], &["John Smith", "jane doe"], &[]]));
        assert_eq!(
            shown(&credits.creators),
            pairs(&[("Socialist Worker", "edt")])
        );
        assert_eq!(
            credits.creators[0].file_as.as_deref(),
            Some("Socialist Worker"),
            "a paper's name is not inverted like a person's"
        );
        assert_eq!(
            shown(&credits.contributors),
            pairs(&[("Jane Doe", "aut"), ("John Smith", "aut")])
        );
    }

    #[test]
    fn a_named_editor_comes_before_the_paper() {
        let mut s = signed(&[&["Jane Doe"], &["John Smith"]]);
        s.meta.editors = vec!["Ed Itor".into()];
        let credits = Credits::of(&s);
        assert_eq!(shown(&credits.creators), pairs(&[("Ed Itor", "edt")]));
        assert_eq!(credits.creators[0].file_as, None);
        assert_eq!(credits.contributors.len(), 2);
    }

    #[test]
    fn one_byline_throughout_is_the_books_author() {
        let mut s = signed(&[
            &["Jane Doe", "John Smith"],
            &[],
            &["john smith", "Jane Doe"],
        ]);
        s.meta.editors = vec!["Ed Itor".into()];
        let credits = Credits::of(&s);
        assert_eq!(
            shown(&credits.creators),
            pairs(&[("Jane Doe", "aut"), ("John Smith", "aut")])
        );
        assert_eq!(shown(&credits.contributors), pairs(&[("Ed Itor", "edt")]));
    }

    #[test]
    fn the_series_author_wins_and_other_writers_contribute() {
        let mut s = signed(&[&["Jane Doe"], &["Guest Writer"]]);
        s.meta.authors = vec!["Jane Doe".into()];
        s.meta.editors = vec!["Ed Itor".into()];
        let credits = Credits::of(&s);
        assert_eq!(shown(&credits.creators), pairs(&[("Jane Doe", "aut")]));
        assert_eq!(
            shown(&credits.contributors),
            pairs(&[("Ed Itor", "edt"), ("Guest Writer", "aut")])
        );
    }

    #[test]
    fn without_editor_or_publisher_the_writers_are_credited() {
        let mut s = signed(&[&["Jane Doe"], &["John Smith"]]);
        s.meta.publisher = Some("  ".into());
        let credits = Credits::of(&s);
        assert_eq!(
            shown(&credits.creators),
            pairs(&[("Jane Doe", "aut"), ("John Smith", "aut")])
        );
        assert!(credits.contributors.is_empty());
        let unsigned = Credits::of(&{
            let mut s = signed(&[&[]]);
            s.meta.publisher = None;
            s
        });
        assert_eq!(unsigned, Credits::default());
    }
}
