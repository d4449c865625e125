//! The publication's metadata, derived once from the series: identifier,
//! titles, creators, subjects, dates and the accessibility facts that the
//! package document declares.

use uuid::Uuid;

use super::EpubError;
use super::credits::{Credits, distinct};
use super::images::figures;
use super::xhtml::non_blank;
use crate::model::{Article, Date, Series, Timestamp};

/// Everything the package document and the NCX say about the publication.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct PackageMeta {
    /// The unique `dc:identifier`: `urn:isbn:` with the series' ISBN,
    /// else the series' own identifier, else a name-based UUID URN.
    pub identifier: String,
    /// What kind of identifier the unique one is, as a code of ONIX list
    /// 5 (`15`: ISBN-13), for stores that read the refinement.
    pub identifier_type: Option<&'static str>,
    /// The series' own identifier when an ISBN took its place, kept so
    /// that what knew the book by it still finds it; then the series'
    /// web address as `url:…`, the `scheme:value` form that calibre
    /// lists under its identifiers (it lists neither a `urn:uuid` nor a
    /// bare address).
    pub other_identifiers: Vec<String>,
    /// `dc:title` (never blank).
    pub title: String,
    /// `dc:language` and `xml:lang` of the package.
    pub language: String,
    /// `dc:publisher`.
    pub publisher: Option<String>,
    /// `dc:creator`s and `dc:contributor`s.
    pub credits: Credits,
    /// Every distinct tag, in order of first use.
    pub subjects: Vec<String>,
    /// `dc:date`: the newest article's date.
    pub date: String,
    /// `dcterms:modified`, `CCYY-MM-DDThh:mm:ssZ`.
    pub modified: String,
    /// What the accessibility metadata may truthfully claim.
    pub access: Accessibility,
}

impl PackageMeta {
    /// The metadata of `series`. `modified` is the caller's timestamp,
    /// `source_date_epoch` the environment's, `newest_input` when the
    /// newest input file was last changed (seconds since 1970); without
    /// any the newest article date at midnight UTC is used, never the
    /// clock.
    pub(super) fn new(
        series: &Series,
        modified: Option<&str>,
        source_date_epoch: Option<&str>,
        newest_input: Option<i64>,
        access: Accessibility,
    ) -> Result<PackageMeta, EpubError> {
        let newest = newest_date(series).ok_or(EpubError::NoArticles)?;
        let title = series_title(series);
        let own = identifier(series, &title);
        let (identifier, identifier_type, mut other_identifiers) = match &series.meta.isbn {
            Some(isbn) => (format!("urn:isbn:{isbn}"), Some(ONIX_ISBN13), vec![own]),
            None => (own, None, Vec::new()),
        };
        other_identifiers.extend(series.meta.url.as_ref().map(|url| format!("url:{url}")));
        Ok(PackageMeta {
            identifier,
            identifier_type,
            other_identifiers,
            language: series.meta.language.clone(),
            publisher: non_blank(series.meta.publisher.as_deref()).map(str::to_string),
            credits: Credits::of(series),
            subjects: distinct(series.articles.iter().flat_map(|a| &a.meta.tags)),
            date: newest.to_string(),
            modified: modified_timestamp(modified, source_date_epoch, newest_input, newest)?,
            title,
            access,
        })
    }
}

/// ONIX code list 5's code for an ISBN-13.
const ONIX_ISBN13: &str = "15";

/// The series title, or its folder name when the title is blank.
pub(super) fn series_title(series: &Series) -> String {
    non_blank(Some(&series.meta.title))
        .or(non_blank(Some(&series.slug)))
        .unwrap_or("Untitled")
        .to_string()
}

/// The article's title, or its file name when the title is blank
/// (`number` is 1-based, for the last resort).
pub(super) fn article_title(article: &Article, number: usize) -> String {
    non_blank(Some(&article.meta.title))
        .or(non_blank(Some(&article.slug)))
        .map_or_else(|| format!("Article {number}"), str::to_string)
}

/// The series' identifier, else `urn:uuid:` with a version 5 UUID of its
/// title and publisher: stable across builds, new articles and a renamed
/// folder.
fn identifier(series: &Series, title: &str) -> String {
    if let Some(identifier) = non_blank(series.meta.identifier.as_deref()) {
        return identifier.to_string();
    }
    let publisher = series.meta.publisher.as_deref().unwrap_or("").trim();
    let name = format!("iskra:series:{publisher}:{title}");
    format!(
        "urn:uuid:{}",
        Uuid::new_v5(&Uuid::NAMESPACE_URL, name.as_bytes())
    )
}

/// The identifier of the print edition whose page numbers the e-book
/// carries (`pageBreakSource`): a version 5 UUID of the e-book's own, so
/// that it is stable and a well-formed URN.
pub(super) fn print_edition_identifier(ebook: &str) -> String {
    let name = format!("iskra:print-edition:{ebook}");
    format!(
        "urn:uuid:{}",
        Uuid::new_v5(&Uuid::NAMESPACE_URL, name.as_bytes())
    )
}

fn newest_date(series: &Series) -> Option<Date> {
    series.articles.iter().map(|a| a.meta.date).max()
}

/// `dcterms:modified`: the explicit value if given (checked), else from
/// `SOURCE_DATE_EPOCH`, else when the newest input file was changed, else
/// the newest article date at 00:00:00Z. A corrected article makes a new
/// modification time, so that stores and reading systems see a new
/// release of the same edition; the same files give the same time.
fn modified_timestamp(
    explicit: Option<&str>,
    source_date_epoch: Option<&str>,
    newest_input: Option<i64>,
    newest: Date,
) -> Result<String, EpubError> {
    if let Some(text) = explicit {
        return if is_timestamp(text) {
            Ok(text.to_string())
        } else {
            Err(EpubError::BadModified(text.to_string()))
        };
    }
    if let Some(text) = source_date_epoch.map(str::trim).filter(|t| !t.is_empty()) {
        return text
            .parse::<i64>()
            .ok()
            .and_then(Timestamp::from_epoch)
            .map(|t| t.iso())
            .ok_or_else(|| EpubError::BadSourceDateEpoch(text.to_string()));
    }
    let changed = newest_input.and_then(Timestamp::from_epoch);
    Ok(changed.unwrap_or(Timestamp::midnight(newest)).iso())
}

/// When the newest of the series' input files (articles, series.toml,
/// images, cover) was last changed, in whole seconds since 1970; `None`
/// when none can be read from disk (a series built in memory).
pub(super) fn newest_input_time(series: &Series) -> Option<i64> {
    let articles = series.articles.iter().map(|a| a.path.as_path());
    let images = series
        .articles
        .iter()
        .flat_map(figures)
        .map(|f| f.image.path.as_path());
    let cover = series.meta.cover.iter().map(|c| c.path.as_path());
    let toml = series.dir.join("series.toml");
    articles
        .chain(images)
        .chain(cover)
        .chain(std::iter::once(toml.as_path()))
        .filter_map(|path| std::fs::metadata(path).ok()?.modified().ok())
        .filter_map(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
        .filter_map(|since| i64::try_from(since.as_secs()).ok())
        .max()
}

/// Whether `text` has the form `2017-04-11T00:00:00Z` that EPUB requires.
fn is_timestamp(text: &str) -> bool {
    const PATTERN: &[u8] = b"dddd-dd-ddTdd:dd:ddZ";
    text.len() == PATTERN.len()
        && text.bytes().zip(PATTERN).all(|(c, &p)| match p {
            b'd' => c.is_ascii_digit(),
            _ => c == p,
        })
}

/// What the publication offers a reader who cannot see, or cannot see
/// well: the facts behind the `schema:access*` metadata and summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Accessibility {
    /// The EPUB holds images (the cover counts).
    pub has_images: bool,
    /// Every figure has non-blank alternative text (the cover's is
    /// written by the EPUB writer).
    pub all_alt: bool,
    /// Print page-break markers and a page list are present.
    pub page_list: bool,
}

impl Accessibility {
    /// The facts of `series` as it will be written.
    pub(super) fn of(series: &Series, has_images: bool, page_list: bool) -> Accessibility {
        let all_alt = series
            .articles
            .iter()
            .flat_map(figures)
            .all(|figure| !figure.alt.trim().is_empty());
        Accessibility {
            has_images,
            all_alt,
            page_list,
        }
    }

    /// `schema:accessMode` values.
    pub(super) fn access_modes(&self) -> Vec<&'static str> {
        if self.has_images {
            vec!["textual", "visual"]
        } else {
            vec!["textual"]
        }
    }

    /// `schema:accessModeSufficient` values: text alone is enough unless
    /// an image lacks a description.
    pub(super) fn sufficient_modes(&self) -> Vec<&'static str> {
        if self.text_is_enough() {
            vec!["textual"]
        } else {
            vec!["textual,visual"]
        }
    }

    /// `schema:accessibilityFeature` values.
    pub(super) fn features(&self) -> Vec<&'static str> {
        let mut features = vec!["structuralNavigation", "tableOfContents", "readingOrder"];
        if self.has_images && self.all_alt {
            features.push("alternativeText");
        }
        if self.page_list {
            features.extend(["pageBreakMarkers", "pageNavigation"]);
        }
        features
    }

    /// Whether the publication may claim EPUB Accessibility conformance:
    /// an image without a description fails WCAG 1.1.1.
    pub(super) fn conforms(&self) -> bool {
        self.text_is_enough()
    }

    /// `schema:accessibilitySummary`: what a reader can rely on, in one
    /// paragraph, true for this file.
    pub(super) fn summary(&self) -> String {
        let mut summary = String::from(
            "Reflowable text with a table of contents, headings for every article and section, \
             a logical reading order, and footnotes linked to and from their references.",
        );
        if self.has_images {
            summary.push_str(if self.all_alt {
                " Every image has a text description."
            } else {
                " Some images have no text description."
            });
        }
        if self.page_list {
            summary.push_str(" Page markers and a page list follow the print edition.");
        }
        summary.push_str(" No flashing, motion or sound.");
        summary
    }

    fn text_is_enough(&self) -> bool {
        !self.has_images || self.all_alt
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u8, d: u8) -> Date {
        Date::new(y, m, d).unwrap()
    }

    #[test]
    fn modified_prefers_explicit_then_epoch_then_newest_input_then_newest_date() {
        let newest = date(2017, 4, 11);
        let input = Some(1_491_926_645); // 2017-04-11T16:04:05Z
        assert_eq!(
            modified_timestamp(Some("2020-01-02T03:04:05Z"), Some("0"), input, newest).unwrap(),
            "2020-01-02T03:04:05Z"
        );
        assert_eq!(
            modified_timestamp(None, Some("1491868800"), input, newest).unwrap(),
            "2017-04-11T00:00:00Z"
        );
        assert_eq!(
            modified_timestamp(None, Some(""), input, newest).unwrap(),
            "2017-04-11T16:04:05Z"
        );
        assert_eq!(
            modified_timestamp(None, None, input, newest).unwrap(),
            "2017-04-11T16:04:05Z"
        );
        assert_eq!(
            modified_timestamp(None, None, None, newest).unwrap(),
            "2017-04-11T00:00:00Z"
        );
        assert_eq!(
            modified_timestamp(None, None, Some(-1), newest).unwrap(),
            "2017-04-11T00:00:00Z"
        );
    }

    #[test]
    fn bad_timestamps_are_errors() {
        let newest = date(2017, 4, 11);
        assert!(matches!(
            modified_timestamp(Some("2017-04-11"), None, None, newest),
            Err(EpubError::BadModified(_))
        ));
        assert!(matches!(
            modified_timestamp(None, Some("yesterday"), None, newest),
            Err(EpubError::BadSourceDateEpoch(_))
        ));
        assert!(matches!(
            modified_timestamp(None, Some("-5"), None, newest),
            Err(EpubError::BadSourceDateEpoch(_))
        ));
    }

    #[test]
    fn epoch_seconds_become_utc_timestamps() {
        let iso = |s: i64| Timestamp::from_epoch(s).map(|t| t.iso());
        assert_eq!(iso(0).unwrap(), "1970-01-01T00:00:00Z");
        assert_eq!(iso(951_782_400 + 3661).unwrap(), "2000-02-29T01:01:01Z");
        assert_eq!(iso(253_402_300_799).unwrap(), "9999-12-31T23:59:59Z");
        assert!(iso(253_402_300_800).is_none());
    }

    #[test]
    fn distinct_ignores_case_and_blanks() {
        let items: Vec<String> = ["Lenin", "lenin", " ", "Trotsky", "Lenin"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(distinct(items.iter()), ["Lenin", "Trotsky"]);
    }

    #[test]
    fn claims_follow_the_facts() {
        let plain = Accessibility {
            has_images: false,
            all_alt: true,
            page_list: false,
        };
        assert_eq!(plain.access_modes(), ["textual"]);
        assert!(!plain.features().contains(&"alternativeText"));
        assert!(plain.conforms());
        let undescribed = Accessibility {
            has_images: true,
            all_alt: false,
            page_list: true,
        };
        assert_eq!(undescribed.access_modes(), ["textual", "visual"]);
        assert_eq!(undescribed.sufficient_modes(), ["textual,visual"]);
        assert!(!undescribed.features().contains(&"alternativeText"));
        assert!(undescribed.features().contains(&"pageNavigation"));
        assert!(!undescribed.conforms());
        assert!(
            undescribed
                .summary()
                .contains("Some images have no text description")
        );
    }
}
