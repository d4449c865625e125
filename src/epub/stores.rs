//! What e-book stores ask of a book that EPUBCheck does not: warnings
//! for a cover too small to be accepted or shown sharply, and for a book
//! that would be listed by "Unknown".

use super::credits::Credits;
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::model::Series;

/// The shortest cover side Apple Books accepts, in pixels.
pub const STORE_COVER_SHORT_SIDE: u32 = 1400;

/// The cover size Kindle Direct Publishing recommends, in pixels.
pub const KDP_COVER: (u32, u32) = (1600, 2560);

/// Warnings about what stores will refuse or show badly in this series'
/// e-book, each at the file to change: [`cover_warnings`], and a book
/// that names no author.
pub fn store_warnings(series: &Series) -> Diagnostics {
    let mut warnings = cover_warnings(series);
    if Credits::of(series).creators.is_empty() {
        // At series.toml, where the fix goes, or the folder without one.
        let toml = series.dir.join("series.toml");
        let place = if toml.is_file() {
            toml
        } else {
            series.dir.clone()
        };
        warnings.push(
            Diagnostic::warning(
                place,
                Span::FILE,
                "the e-book names no author, so stores and libraries list it by \"Unknown\"",
            )
            .hint("add `editor`, `author` or `publisher` to series.toml"),
        );
    }
    warnings
}

/// A warning at the cover's path when it is smaller than stores ask for
/// (an input to replace, so `iskra check` reports it too).
pub fn cover_warnings(series: &Series) -> Diagnostics {
    let mut warnings = Diagnostics::new();
    if let Some(cover) = &series.meta.cover {
        let short = cover.width.min(cover.height);
        if short < STORE_COVER_SHORT_SIDE {
            let (width, height) = KDP_COVER;
            warnings.push(
                Diagnostic::warning(
                    &cover.path,
                    Span::FILE,
                    format!(
                        "the e-book cover is {} × {} px, below what stores ask for: \
                         Apple Books at least {STORE_COVER_SHORT_SIDE} px on the short side, \
                         Kindle {width} × {height} px",
                        cover.width, cover.height
                    ),
                )
                .hint(format!(
                    "supply a cover of at least {width} × {height} px, or remove it to use \
                     the cover Iskra draws"
                )),
            );
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{article, para, png, series, text};
    use super::*;

    fn with_cover(width: u32, height: u32) -> Series {
        let mut s = series(vec![article("a", "A", vec![para(vec![text("x")])])]);
        s.meta.cover = Some(png("cover.png", width, height));
        s
    }

    #[test]
    fn a_small_cover_is_warned_about_at_its_path() {
        let warnings: Vec<Diagnostic> = store_warnings(&with_cover(400, 600)).into_iter().collect();
        assert_eq!(warnings.len(), 1);
        let shown = warnings[0].to_string();
        assert!(
            shown.starts_with("series/images/cover.png: warning: the e-book cover is 400 × 600 px"),
            "{shown}"
        );
        assert!(shown.contains("1400 px on the short side"), "{shown}");
        assert!(shown.contains("1600 × 2560"), "{shown}");
        assert!(!warnings[0].is_error());
    }

    #[test]
    fn a_store_sized_cover_is_not() {
        assert!(store_warnings(&with_cover(1400, 2240)).is_empty());
        assert!(store_warnings(&with_cover(1600, 2560)).is_empty());
        assert_eq!(store_warnings(&with_cover(2560, 1399)).warning_count(), 1);
    }

    #[test]
    fn a_book_without_any_author_is_warned_about() {
        let mut s = with_cover(1600, 2560);
        s.articles[0].meta.authors.clear();
        s.meta.publisher = None;
        let warnings: Vec<Diagnostic> = store_warnings(&s).into_iter().collect();
        assert_eq!(warnings.len(), 1);
        // At the folder, which has no series.toml.
        assert!(warnings[0].to_string().starts_with("series: warning:"));
        assert!(cover_warnings(&s).is_empty(), "`iskra check` leaves it out");
    }
}
