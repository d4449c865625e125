//! Articles as parsed, kept from one render to the next: a render whose
//! article, `series.toml` and images hold the same bytes as when the
//! article was parsed takes that parse instead of parsing again (its
//! Markdown and the checks of its images: about 1.5 M instructions of a
//! c100 article's 19.5 M).
//!
//! The bytes are compared, not file stamps: the render reads the article,
//! `series.toml` and every image anyway (for its key), so an edit is seen
//! however it was made. A parse is kept only when every image the article
//! names was found, and only when none of its files changed while it ran.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use quick_cache::Weighter;

use crate::model::{Image, Series};

/// Bytes of parsed articles kept at most (weighed by [`SourceWeight`]):
/// a c100 article with its images weighs about 100 KB, so some 1,300 of
/// them.
pub const MAX_SOURCE_BYTES: u64 = 128 << 20;

/// An article as parsed, with the bytes it was parsed from.
pub struct Parsed {
    /// The article's bytes.
    text: Vec<u8>,
    /// `series.toml`'s bytes, if there was one.
    series_file: Option<Vec<u8>>,
    /// Each image path the parse looked at, with the image it found
    /// there; `None` when one of them is not an image of the parse now.
    images: Option<Vec<(PathBuf, Arc<Image>)>>,
    /// The parse.
    pub series: Series,
}

impl Parsed {
    /// The parse of `text` and `series_file` into `series`, which looked
    /// at the image paths `looked_at`.
    pub fn new(
        text: Vec<u8>,
        series_file: Option<Vec<u8>>,
        series: Series,
        looked_at: &[PathBuf],
    ) -> Parsed {
        let found = crate::render::images(&series);
        let images = looked_at
            .iter()
            .map(|path| {
                let real = path.canonicalize().ok()?;
                let image = found.iter().find(|image| image.path == real)?;
                Some((path.clone(), Arc::clone(image)))
            })
            .collect();
        Parsed {
            text,
            series_file,
            images,
            series,
        }
    }

    /// False when an image path the parse looked at is not an image of
    /// the parse now (it was missing, or has been replaced since): checking
    /// it again later would prove nothing, so such a parse is not kept.
    pub fn checkable(&self) -> bool {
        self.images.is_some()
    }

    /// The article's bytes.
    pub fn text(&self) -> &[u8] {
        &self.text
    }

    /// `series.toml`'s bytes, if there was one.
    pub fn series_file(&self) -> Option<&[u8]> {
        self.series_file.as_deref()
    }

    /// True when the article and `series.toml` read `text` and
    /// `series_file` now, and every image path leads to the same file with
    /// the same bytes as at the parse.
    pub fn still_reads(&self, text: &[u8], series_file: Option<&[u8]>) -> bool {
        self.checkable()
            && self.text == text
            && self.series_file.as_deref() == series_file
            && self
                .images
                .iter()
                .flatten()
                .all(|(path, image)| same_image(path, image))
    }

    /// The image paths the parse looked at.
    pub fn looked_at(&self) -> impl Iterator<Item = &Path> {
        self.images.iter().flatten().map(|(path, _)| path.as_path())
    }
}

/// True when `path` still leads to `image`'s file, holding its bytes.
fn same_image(path: &Path, image: &Image) -> bool {
    path.canonicalize().is_ok_and(|real| real == image.path)
        && crate::files::read_regular(&image.path, image.data.len() as u64)
            .is_ok_and(|data| *data == *image.data)
}

/// Weighs a parse by the bytes it holds: the article's (times a few, for
/// its document model), `series.toml`'s and its images'.
#[derive(Clone, Copy, Debug)]
pub struct SourceWeight;

/// The document model's bytes per byte of Markdown, roughly.
const MODEL_PER_BYTE: u64 = 8;

/// Bytes of bookkeeping counted for each parse.
const ENTRY_OVERHEAD: u64 = 4096;

impl Weighter<PathBuf, Arc<Parsed>> for SourceWeight {
    fn weight(&self, _path: &PathBuf, parsed: &Arc<Parsed>) -> u64 {
        let images: u64 = parsed
            .images
            .iter()
            .flatten()
            .map(|(_, image)| image.data.len() as u64)
            .sum();
        let series_file = parsed.series_file.as_ref().map_or(0, Vec::len) as u64;
        parsed.text.len() as u64 * MODEL_PER_BYTE + series_file + images + ENTRY_OVERHEAD
    }
}

/// Parsed articles by their real path, bounded in bytes.
pub type SourceCache = quick_cache::sync::Cache<PathBuf, Arc<Parsed>, SourceWeight>;

/// A cache of parsed articles holding at most `bytes` bytes.
pub fn source_cache(bytes: u64) -> SourceCache {
    const TYPICAL: u64 = 100 << 10;
    let items = usize::try_from(bytes / TYPICAL).unwrap_or(usize::MAX);
    SourceCache::with_weighter(items.max(16), bytes, SourceWeight)
}
