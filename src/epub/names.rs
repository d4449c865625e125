//! File names and ids inside the EPUB: made from article slugs, image file
//! names and page labels, but reduced to characters that every zip tool,
//! file system and URL parser takes as they are, and unique.

use std::collections::BTreeSet;

/// Longest stem kept from a slug or file name.
const MAX_STEM: usize = 60;

/// `raw` reduced to ASCII letters, digits, `-` and `_` (every other run of
/// characters becomes one `-`), at most [`MAX_STEM`] long; `fallback` when
/// nothing is left.
pub(super) fn safe_stem(raw: &str, fallback: &str) -> String {
    let mut stem = String::new();
    let mut pending_dash = false;
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            if pending_dash && !stem.is_empty() {
                stem.push('-');
            }
            pending_dash = false;
            stem.push(c);
        } else {
            pending_dash = true;
        }
        if stem.len() >= MAX_STEM {
            break;
        }
    }
    let stem = stem.trim_matches('-');
    if stem.is_empty() {
        fallback.to_string()
    } else {
        stem.to_string()
    }
}

/// Names handed out so far in one folder (or one document, for ids),
/// compared without case so that the EPUB unpacks on any file system.
#[derive(Debug, Default)]
pub(super) struct UniqueNames {
    taken: BTreeSet<String>,
}

impl UniqueNames {
    /// `stem` + `suffix`, or `stem-2` + `suffix`, `stem-3` + … when taken.
    pub(super) fn claim(&mut self, stem: &str, suffix: &str) -> String {
        let mut name = format!("{stem}{suffix}");
        let mut n = 2;
        while !self.taken.insert(name.to_ascii_lowercase()) {
            name = format!("{stem}-{n}{suffix}");
            n += 1;
        }
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_keep_only_safe_characters() {
        assert_eq!(safe_stem("02-april-theses", "x"), "02-april-theses");
        assert_eq!(safe_stem("a b/../c?.md", "x"), "a-b-c-md");
        assert_eq!(safe_stem("<script>", "x"), "script");
        assert_eq!(safe_stem("февраль", "article-1"), "article-1");
        assert_eq!(safe_stem("1917 — февраль", "x"), "1917");
        assert_eq!(safe_stem(&"a".repeat(200), "x").len(), MAX_STEM);
    }

    #[test]
    fn names_are_unique_without_case() {
        let mut names = UniqueNames::default();
        assert_eq!(names.claim("a", ".xhtml"), "a.xhtml");
        assert_eq!(names.claim("A", ".xhtml"), "A-2.xhtml");
        assert_eq!(names.claim("a", ".xhtml"), "a-3.xhtml");
        assert_eq!(names.claim("a-2", ".xhtml"), "a-2-2.xhtml");
    }
}
