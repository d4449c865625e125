//! The typed document model: what the writers meant, with every Markdown and
//! YAML detail resolved away. The parser builds it; layout and the EPUB
//! writer read it. It knows nothing of pages or output formats.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use crate::diag::Span;
use crate::style::PrintOptions;

#[cfg(test)]
pub(crate) mod test_builders;

/// A series: the folder of articles that becomes one book and one EPUB.
#[derive(Clone, Debug)]
pub struct Series {
    /// The series folder.
    pub dir: PathBuf,
    /// The folder name, used for output file names.
    pub slug: String,
    /// Title, publisher and the like, from `series.toml` or the articles.
    pub meta: SeriesMeta,
    /// The articles in reading order (`part`, then `date`, then file name).
    pub articles: Vec<Article>,
    /// Print settings from the `[print]` table of `series.toml`.
    pub print: PrintOptions,
}

/// The series' own metadata.
#[derive(Clone, Debug)]
pub struct SeriesMeta {
    /// Book title.
    pub title: String,
    /// Subtitle, shown on the cover and title page.
    pub subtitle: Option<String>,
    /// Who wrote the whole series (`author` in series.toml), if one
    /// person or team did.
    pub authors: Vec<String>,
    /// Who edited the series as a collection (`editor` in series.toml).
    pub editors: Vec<String>,
    /// Publisher's name.
    pub publisher: Option<String>,
    /// BCP 47 language tag of the series.
    pub language: String,
    /// Stable identifier for the EPUB (a URN), if the series names one.
    pub identifier: Option<String>,
    /// The e-book's ISBN-13 (13 digits, no hyphens), if it has one.
    pub isbn: Option<String>,
    /// The series' canonical web address (`url` in series.toml), if any.
    pub url: Option<String>,
    /// Cover image, if the series has one.
    pub cover: Option<Arc<Image>>,
    /// Every distinct character the book prints from series.toml (title,
    /// subtitle, publisher), sorted, with its place there: a character
    /// no font has is reported at it.
    pub characters: Vec<(char, Span)>,
}

/// One article: front matter and body.
#[derive(Clone, Debug)]
pub struct Article {
    /// The Markdown file, as found (used in diagnostics).
    pub path: PathBuf,
    /// The file stem, unique within the series; names the article's EPUB file.
    pub slug: String,
    /// Front matter.
    pub meta: Meta,
    /// Body blocks in order.
    pub body: Vec<Block>,
    /// Footnotes in the order of their first reference.
    pub notes: Vec<Footnote>,
    /// Every distinct character of the file, with where it first appears:
    /// font fallback is chosen, and a character no font has is reported,
    /// from this list.
    pub characters: Vec<(char, Span)>,
}

impl Article {
    /// The article's language: its own `lang`, else the series'.
    pub fn language<'a>(&'a self, series_language: &'a str) -> &'a str {
        self.meta.lang.as_deref().unwrap_or(series_language)
    }

    /// The title for running heads: `short_title` if given, else the title.
    pub fn running_title(&self) -> &str {
        self.meta.short_title.as_deref().unwrap_or(&self.meta.title)
    }

    /// The article's closing note (the series note, a credit): its last
    /// block, when that is a paragraph set wholly in emphasis ("*This is
    /// part of a series…*"). It is editorial matter, not running text:
    /// both editions set it unindented and ragged.
    pub fn closing_note(&self) -> Option<&Block> {
        let last = self.body.last()?;
        matches!(&last.kind, BlockKind::Paragraph(content) if is_wholly_emphasised(content))
            .then_some(last)
    }
}

/// True when `content` is one emphasis and nothing else.
fn is_wholly_emphasised(content: &[Inline]) -> bool {
    let mut parts = content
        .iter()
        .filter(|i| !matches!(i, Inline::Text(t) if t.trim().is_empty()));
    matches!((parts.next(), parts.next()), (Some(Inline::Emph(_)), None))
}

/// Front matter of an article, typed.
#[derive(Clone, Debug)]
pub struct Meta {
    /// Headline.
    pub title: String,
    /// A shorter headline for the running heads, when the full one is too
    /// long for them; the contents and the opening keep [`Meta::title`].
    pub short_title: Option<String>,
    /// The paragraph under the headline.
    pub standfirst: Option<String>,
    /// Authors, in byline order.
    pub authors: Vec<String>,
    /// Publication date.
    pub date: Date,
    /// The newspaper issue the article appeared in.
    pub issue: Option<u32>,
    /// Series slug named by the article.
    pub series: Option<String>,
    /// Position in the series.
    pub part: Option<u32>,
    /// Lead image with its caption.
    pub image: Option<Figure>,
    /// Subject tags.
    pub tags: Vec<String>,
    /// BCP 47 language tag, when it differs from the series'.
    pub lang: Option<String>,
}

/// A calendar date, checked to exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2017.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day of the month, 1 to 31.
    pub day: u8,
}

/// The months' English names, January first: a date is written with them,
/// and line breaking keeps a day's number with them.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Date {
    /// A date if it exists in the Gregorian calendar.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// The date as printed in a byline: "11 April 2017".
    pub fn long(&self) -> String {
        format!(
            "{} {} {}",
            self.day,
            MONTHS[usize::from(self.month - 1)],
            self.year
        )
    }

    /// Days since 1970-01-01, for timestamps derived from article dates.
    pub fn days_since_epoch(&self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

impl Date {
    /// The date `days` after 1970-01-01 (Howard Hinnant's civil_from_days).
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(i32::try_from(year).ok()?, month as u8, day as u8)
    }
}

/// A moment in UTC, to the second: when an edition was made. Never read
/// from the clock: from `SOURCE_DATE_EPOCH` or from the articles' dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp {
    /// The day.
    pub date: Date,
    /// Seconds since midnight.
    pub seconds: u32,
}

impl Timestamp {
    /// Midnight of `date`.
    pub fn midnight(date: Date) -> Timestamp {
        Timestamp { date, seconds: 0 }
    }

    /// Seconds since 1970 (UTC), for years up to 9999.
    pub fn from_epoch(seconds: i64) -> Option<Timestamp> {
        if !(0..=253_402_300_799).contains(&seconds) {
            return None;
        }
        let date = Date::from_days_since_epoch(seconds / 86_400)?;
        Some(Timestamp {
            date,
            seconds: (seconds % 86_400) as u32,
        })
    }

    /// `SOURCE_DATE_EPOCH` if set: `Err` with its text when it is not a
    /// usable number of seconds.
    pub fn source_date_epoch() -> Result<Option<Timestamp>, String> {
        match std::env::var("SOURCE_DATE_EPOCH") {
            Ok(text) if !text.trim().is_empty() => text
                .trim()
                .parse::<i64>()
                .ok()
                .and_then(Timestamp::from_epoch)
                .map(Some)
                .ok_or(text),
            _ => Ok(None),
        }
    }

    /// The edition time of articles: `SOURCE_DATE_EPOCH`, else midnight of
    /// the newest article's date.
    pub fn of_edition(articles: &[Article]) -> Result<Option<Timestamp>, String> {
        Ok(Timestamp::source_date_epoch()?.or_else(|| {
            articles
                .iter()
                .map(|a| a.meta.date)
                .max()
                .map(Timestamp::midnight)
        }))
    }

    /// `2017-04-11T00:00:00Z`.
    pub fn iso(&self) -> String {
        format!(
            "{}T{:02}:{:02}:{:02}Z",
            self.date,
            self.seconds / 3600,
            self.seconds / 60 % 60,
            self.seconds % 60
        )
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A block with the place it came from.
#[derive(Clone, Debug)]
pub struct Block {
    /// What the block is.
    pub kind: BlockKind,
    /// Where it starts in the article file.
    pub span: Span,
}

/// The kinds of block an article body is made of.
#[derive(Clone, Debug)]
pub enum BlockKind {
    /// Running text.
    Paragraph(Vec<Inline>),
    /// A subheading; level 2 is `##` (the article title is level 1).
    Heading {
        /// 1 to 6, as written.
        level: u8,
        /// Heading text.
        content: Vec<Inline>,
    },
    /// A quotation set off from the text.
    Quote(Vec<Block>),
    /// A short extract repeated large for emphasis (`> [!PULLQUOTE]`).
    PullQuote(Vec<Block>),
    /// A bulleted or numbered list.
    List(List),
    /// An image alone in its paragraph, with its caption.
    Figure(Figure),
    /// A table.
    Table(Table),
    /// Preformatted text.
    Code {
        /// The info string's language, if any.
        lang: Option<String>,
        /// The text, newlines kept.
        text: String,
    },
    /// A thematic break (`***`).
    Rule,
}

/// A list and its items.
#[derive(Clone, Debug)]
pub struct List {
    /// First number of an ordered list; `None` for bullets.
    pub start: Option<u64>,
    /// The items.
    pub items: Vec<ListItem>,
}

/// One list item.
#[derive(Clone, Debug)]
pub struct ListItem {
    /// Item content.
    pub blocks: Vec<Block>,
    /// Task-list state (`[ ]` / `[x]`), if the item is a task.
    pub checked: Option<bool>,
}

/// An image with its caption and alternative text.
#[derive(Clone, Debug)]
pub struct Figure {
    /// The image.
    pub image: Arc<Image>,
    /// Caption shown under the image (may be empty).
    pub caption: Vec<Inline>,
    /// Text for readers who cannot see the image.
    pub alt: String,
    /// Where the image was named.
    pub span: Span,
}

/// A raster image, read and checked by the parser.
#[derive(Debug)]
pub struct Image {
    /// The file, resolved inside the series folder.
    pub path: PathBuf,
    /// The path as the article wrote it.
    pub source: String,
    /// Encoding of `data`.
    pub format: ImageFormat,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The file's bytes, as read.
    pub data: Arc<[u8]>,
}

/// The raster formats Iskra accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageFormat {
    /// Photographs.
    Jpeg,
    /// Line art and screenshots.
    Png,
}

impl ImageFormat {
    /// The media type, for EPUB manifests and HTTP.
    pub fn media_type(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Png => "image/png",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Png => "png",
        }
    }
}

/// A table: header row and body rows of inline cells.
#[derive(Clone, Debug)]
pub struct Table {
    /// Alignment of each column.
    pub columns: Vec<Align>,
    /// Header cells.
    pub head: Vec<Vec<Inline>>,
    /// Body rows.
    pub rows: Vec<Vec<Vec<Inline>>>,
}

/// Horizontal alignment of a table column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Not specified: left for text.
    None,
    /// Flush left.
    Left,
    /// Centred.
    Center,
    /// Flush right (figures).
    Right,
}

/// A footnote's content.
#[derive(Clone, Debug)]
pub struct Footnote {
    /// The label as written (`1` for `[^1]`).
    pub label: String,
    /// Note content.
    pub blocks: Vec<Block>,
    /// Where the definition is.
    pub span: Span,
}

/// Inline content of paragraphs, headings, captions and cells.
#[derive(Clone, Debug, PartialEq)]
pub enum Inline {
    /// Plain text (smart punctuation already applied).
    Text(String),
    /// Emphasis, set in italics.
    Emph(Vec<Inline>),
    /// Strong emphasis, set in bold.
    Strong(Vec<Inline>),
    /// Struck-out text.
    Strike(Vec<Inline>),
    /// Code, set in the monospace face.
    Code(String),
    /// A hyperlink.
    Link {
        /// Target URL.
        url: String,
        /// Link text.
        content: Vec<Inline>,
    },
    /// A footnote reference: index into [`Article::notes`].
    NoteRef(usize),
    /// A passage in another language (`[Вся власть Советам!]{lang=ru}`):
    /// shaped, hyphenated and tagged in that language.
    Lang {
        /// Its BCP 47 tag.
        lang: String,
        /// The passage.
        content: Vec<Inline>,
    },
    /// A hard line break.
    Break,
}

/// The plain text of inline content, as a reader would read it aloud
/// (note references left out).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain_text(inlines, &mut out);
    out
}

fn push_plain_text(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(text) | Inline::Code(text) => out.push_str(text),
            Inline::Emph(content) | Inline::Strong(content) | Inline::Strike(content) => {
                push_plain_text(content, out)
            }
            Inline::Link { content, .. } | Inline::Lang { content, .. } => {
                push_plain_text(content, out)
            }
            Inline::NoteRef(_) => {}
            Inline::Break => out.push(' '),
        }
    }
}

/// Every block of an article body in reading order, each once: a block comes
/// first, then its children (the contents of a quote or pull quote, the
/// blocks of each list item), then the blocks after it.
///
/// A block's position in this list is its number in a page map: layout
/// records where print pages start by this number and the EPUB writer puts
/// its page-break markers by the same number (`epub::PageBreak::block`), so
/// both must count with this one function. Footnote blocks live outside the
/// body and are not counted.
pub fn block_index_walk(blocks: &[Block]) -> Vec<&Block> {
    let mut out = Vec::new();
    push_pre_order(blocks, &mut out);
    out
}

fn push_pre_order<'a>(blocks: &'a [Block], out: &mut Vec<&'a Block>) {
    for block in blocks {
        out.push(block);
        match &block.kind {
            BlockKind::Quote(children) | BlockKind::PullQuote(children) => {
                push_pre_order(children, out)
            }
            BlockKind::List(list) => {
                for item in &list.items {
                    push_pre_order(&item.blocks, out);
                }
            }
            BlockKind::Paragraph(_)
            | BlockKind::Heading { .. }
            | BlockKind::Figure(_)
            | BlockKind::Table(_)
            | BlockKind::Code { .. }
            | BlockKind::Rule => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked() {
        assert!(Date::new(2017, 2, 29).is_none());
        assert!(Date::new(2016, 2, 29).is_some());
        assert!(Date::new(2000, 2, 29).is_some());
        assert!(Date::new(1900, 2, 29).is_none());
        assert!(Date::new(2017, 13, 1).is_none());
        assert!(Date::new(2017, 4, 31).is_none());
        assert_eq!(Date::new(2017, 4, 11).unwrap().long(), "11 April 2017");
    }

    #[test]
    fn timestamps_from_epoch_seconds() {
        let t = Timestamp::from_epoch(1_491_868_800 + 3_661).unwrap();
        assert_eq!(t.iso(), "2017-04-11T01:01:01Z");
        assert_eq!(
            Timestamp::from_epoch(0).unwrap().iso(),
            "1970-01-01T00:00:00Z"
        );
        assert!(Timestamp::from_epoch(-1).is_none());
        for days in [-1000, 0, 17267, 2_932_896] {
            let date = Date::from_days_since_epoch(days).unwrap();
            assert_eq!(date.days_since_epoch(), days);
        }
    }

    #[test]
    fn epoch_days() {
        assert_eq!(Date::new(1970, 1, 1).unwrap().days_since_epoch(), 0);
        assert_eq!(Date::new(2017, 4, 11).unwrap().days_since_epoch(), 17267);
    }

    fn paragraph(text: &str) -> Block {
        Block {
            kind: BlockKind::Paragraph(vec![Inline::Text(text.into())]),
            span: Span::default(),
        }
    }

    #[test]
    fn block_walk_is_pre_order() {
        let list = Block {
            kind: BlockKind::List(List {
                start: None,
                items: vec![
                    ListItem {
                        blocks: vec![paragraph("c")],
                        checked: None,
                    },
                    ListItem {
                        blocks: vec![paragraph("d")],
                        checked: None,
                    },
                ],
            }),
            span: Span::default(),
        };
        let quote = Block {
            kind: BlockKind::Quote(vec![paragraph("b"), list]),
            span: Span::default(),
        };
        let body = vec![paragraph("a"), quote, paragraph("e")];
        let order: Vec<String> = block_index_walk(&body)
            .iter()
            .map(|b| match &b.kind {
                BlockKind::Paragraph(content) => plain_text(content),
                BlockKind::Quote(_) => "quote".into(),
                BlockKind::List(_) => "list".into(),
                _ => "other".into(),
            })
            .collect();
        assert_eq!(order, ["a", "quote", "b", "list", "c", "d", "e"]);
    }

    #[test]
    fn plain_text_flattens() {
        let inlines = vec![
            Inline::Text("a ".into()),
            Inline::Emph(vec![Inline::Text("b".into())]),
            Inline::NoteRef(0),
            Inline::Break,
            Inline::Code("c".into()),
        ];
        assert_eq!(plain_text(&inlines), "a b c");
    }
}
