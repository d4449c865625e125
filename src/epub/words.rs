//! The few words the EPUB writes itself (headings of the navigation
//! document, byline parts), kept in one place so that a translation
//! touches one file.

/// Heading of the table of contents.
pub(super) const CONTENTS: &str = "Contents";
/// Heading of the (hidden) landmarks list.
pub(super) const LANDMARKS: &str = "Landmarks";
/// Heading of the (hidden) page list.
pub(super) const PAGES: &str = "Pages";
/// Landmark for the cover page.
pub(super) const COVER: &str = "Cover";
/// Landmark for the title page.
pub(super) const TITLE_PAGE: &str = "Title page";
/// Landmark for the first article.
pub(super) const START: &str = "Start of content";
/// Accessible name of an article's footnotes section.
pub(super) const NOTES: &str = "Notes";
/// Accessible name of a ticked task-list box.
pub(super) const TASK_DONE: &str = "done";
/// Accessible name of an empty task-list box.
pub(super) const TASK_OPEN: &str = "not done";

/// "Part 2", the article's place in the series.
pub(super) fn part(number: u32) -> String {
    format!("Part {number}")
}

/// "Issue 2548", the newspaper issue.
pub(super) fn issue(number: u32) -> String {
    format!("Issue {number}")
}

/// Alternative text of the cover image.
pub(super) fn cover_alt(title: &str) -> String {
    format!("Cover of {title}")
}

/// Names as a byline lists them: "A", "A and B", "A, B and C".
pub(super) fn name_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [only] => only.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_listed_as_in_a_byline() {
        let names =
            |list: &[&str]| name_list(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(names(&[]), "");
        assert_eq!(names(&["A"]), "A");
        assert_eq!(names(&["A", "B"]), "A and B");
        assert_eq!(names(&["A", "B", "C"]), "A, B and C");
    }
}
