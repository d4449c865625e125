//! Reading the images an article names, refusing anything outside the
//! series folder and anything too big or broken to set safely.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use image::{ImageReader, Limits};
use thiserror::Error;

use crate::model::{Image, ImageFormat};

/// Largest image file accepted.
const MAX_FILE_BYTES: u64 = 64 << 20;
/// Largest side accepted, in pixels.
const MAX_SIDE: u32 = 20_000;
/// Largest pixel count a header may claim before it is read any further.
const MAX_CLAIMED_PIXELS: u64 = 100_000_000;
/// The pixel budget: a 45-megapixel camera's photograph passes; an A4 page
/// printed at 300 pixels per inch needs 9.
const MAX_PIXELS: u64 = 50_000_000;
/// Largest decoded image, in bytes: a render inflates a PNG's rows or
/// decodes a JPEG to check it, and the PDF writer may decode it once
/// more, so this bounds a render's images' memory (a 100-megapixel
/// 16-bit PNG would take 800 MB each time).
const MAX_DECODED_BYTES: u64 = 200 << 20;

/// Why an image cannot be used.
#[derive(Debug, Error, PartialEq)]
pub enum ImageError {
    /// A URL instead of a file.
    #[error("image `{0}` is a URL; images must be files in the series folder")]
    Remote(String),
    /// An absolute path.
    #[error("image path `{0}` is absolute; write it relative to the article")]
    Absolute(String),
    /// A path that leaves the series folder (by `..` or a symbolic link).
    #[error("image path `{0}` leads outside the series folder")]
    Escapes(String),
    /// No such file.
    #[error("image `{0}` does not exist")]
    Missing(String),
    /// A FIFO, device, socket or folder.
    #[error("image `{path}` is {kind}, not a regular file")]
    NotAFile {
        /// As written.
        path: String,
        /// What it is.
        kind: &'static str,
    },
    /// More pixels, or more bytes of decoded pixels, than a render may
    /// hold.
    #[error(
        "image `{path}` is {width}×{height} pixels of {bytes_per_pixel} bytes ({} MB decoded); the budget is {} megapixels and {} MB decoded",
        .decoded >> 20, MAX_PIXELS / 1_000_000, MAX_DECODED_BYTES >> 20
    )]
    OverBudget {
        /// As written.
        path: String,
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// Bytes per decoded pixel (channels × bytes per sample).
        bytes_per_pixel: u64,
        /// Bytes the decoded image takes.
        decoded: u64,
    },
    /// The file is larger than [`MAX_FILE_BYTES`].
    #[error("image `{path}` is {megabytes} MB; the limit is 64 MB")]
    TooLarge {
        /// As written.
        path: String,
        /// File size.
        megabytes: u64,
    },
    /// The header claims more pixels than can be set.
    #[error(
        "image `{path}` claims {width}×{height} pixels; the limit is 20000 pixels a side and 100 megapixels"
    )]
    TooManyPixels {
        /// As written.
        path: String,
        /// Claimed width.
        width: u32,
        /// Claimed height.
        height: u32,
    },
    /// Not a JPEG or PNG file.
    #[error("`{0}` is not a JPEG or PNG image")]
    UnknownFormat(String),
    /// The file does not decode.
    #[error("image `{path}` is corrupt: {reason}")]
    Corrupt {
        /// As written.
        path: String,
        /// What the decoder said.
        reason: String,
    },
    /// The file could not be read.
    #[error("cannot read image `{path}`: {reason}")]
    Unreadable {
        /// As written.
        path: String,
        /// The system's reason.
        reason: String,
    },
}

impl ImageError {
    /// A suggestion for the writer.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            ImageError::Remote(_) | ImageError::Absolute(_) | ImageError::Escapes(_) => Some(
                "copy the image into the series folder (e.g. images/) and name it relative to the article",
            ),
            ImageError::Missing(_) => {
                Some("paths are relative to the article file and case-sensitive")
            }
            ImageError::TooLarge { .. }
            | ImageError::TooManyPixels { .. }
            | ImageError::OverBudget { .. } => Some(
                "scale the image down (8 bits a channel); 300 pixels per inch at the printed size is plenty: 9 megapixels fill an A4 page",
            ),
            ImageError::NotAFile { .. } => Some("images must be regular files"),
            ImageError::UnknownFormat(_) => {
                Some("save the image as JPEG (photographs) or PNG (line art)")
            }
            ImageError::Corrupt { .. } | ImageError::Unreadable { .. } => None,
        }
    }
}

/// Loads images once each, checked, for one series folder; shared by the
/// articles parsed side by side.
pub struct ImageLoader {
    root: PathBuf,
    cache: Mutex<HashMap<PathBuf, Arc<Image>>>,
    /// Every path inside the root looked at, found or not.
    looked_at: Mutex<Vec<PathBuf>>,
    /// Images an earlier run loaded, taken again while their files hold
    /// the same bytes.
    earlier: HashMap<PathBuf, Arc<Image>>,
}

impl ImageLoader {
    /// A loader for images inside `root` (the series folder).
    pub fn new(root: &Path) -> ImageLoader {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        ImageLoader {
            root,
            cache: Mutex::new(HashMap::new()),
            looked_at: Mutex::new(Vec::new()),
            earlier: HashMap::new(),
        }
    }

    /// A loader for the next run of a rebuild: an image whose file still
    /// holds the bytes `earlier` read is the same image (not decoded
    /// again, and shared with what was built from it then); others are
    /// loaded afresh.
    pub fn after(earlier: ImageLoader) -> ImageLoader {
        ImageLoader {
            root: earlier.root,
            cache: Mutex::new(HashMap::new()),
            looked_at: Mutex::new(Vec::new()),
            earlier: earlier
                .cache
                .into_inner()
                .unwrap_or_else(PoisonError::into_inner),
        }
    }

    /// Every image path inside the root that was looked at, including
    /// those that did not exist or could not be used: what an article's
    /// outcome depends on (adding a missing image changes it).
    pub fn looked_at(&self) -> Vec<PathBuf> {
        self.looked_at
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Loads the image `source`, written relative to `base` (the folder of
    /// the file that names it).
    pub fn load(&self, base: &Path, source: &str) -> Result<Arc<Image>, ImageError> {
        let path = self.resolve(base, source)?;
        if let Some(image) = self.cached().get(&path) {
            return Ok(Arc::clone(image));
        }
        if let Some(image) = self.earlier.get(&path)
            && std::fs::read(&path).is_ok_and(|data| *data == *image.data)
        {
            return Ok(Arc::clone(
                self.cached().entry(path).or_insert(Arc::clone(image)),
            ));
        }
        // Decoded outside the lock; should two articles race for one image,
        // both get the first one stored, so that it is embedded once.
        let image = Arc::new(read_image(&path, source)?);
        Ok(Arc::clone(self.cached().entry(path).or_insert(image)))
    }

    fn cached(&self) -> MutexGuard<'_, HashMap<PathBuf, Arc<Image>>> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The canonical path of `source`, if it names a file inside the root.
    fn resolve(&self, base: &Path, source: &str) -> Result<PathBuf, ImageError> {
        let owned = || source.to_string();
        if source.contains("://") || source.starts_with("data:") || source.starts_with("//") {
            return Err(ImageError::Remote(owned()));
        }
        let written = Path::new(source);
        if written.is_absolute() || source.starts_with('\\') || written.has_root() {
            return Err(ImageError::Absolute(owned()));
        }
        if source.contains('\\') || source.contains('\0') {
            return Err(ImageError::Escapes(owned()));
        }
        let base = base.canonicalize().unwrap_or_else(|_| base.to_path_buf());
        let lexical = normalize(&base.join(written)).ok_or_else(|| ImageError::Escapes(owned()))?;
        if !lexical.starts_with(&self.root) {
            return Err(ImageError::Escapes(owned()));
        }
        self.looked_at
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(lexical.clone());
        let real = lexical
            .canonicalize()
            .map_err(|_| ImageError::Missing(owned()))?;
        if !real.starts_with(&self.root) {
            return Err(ImageError::Escapes(owned()));
        }
        let meta = std::fs::metadata(&real).map_err(|_| ImageError::Missing(owned()))?;
        if let Some(kind) = crate::files::not_a_file(&meta) {
            return Err(ImageError::NotAFile {
                path: owned(),
                kind,
            });
        }
        Ok(real)
    }
}

/// Resolves `.` and `..` without touching the file system; `None` when
/// `..` climbs above the root.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    Some(out)
}

/// Reads and identifies an image, and proves it sound.
fn read_image(path: &Path, source: &str) -> Result<Image, ImageError> {
    use crate::files::ReadError;
    let data = crate::files::read_regular(path, MAX_FILE_BYTES).map_err(|e| match e {
        ReadError::NotAFile(kind) => ImageError::NotAFile {
            path: source.to_string(),
            kind,
        },
        ReadError::TooLarge { size, .. } => ImageError::TooLarge {
            path: source.to_string(),
            megabytes: size >> 20,
        },
        ReadError::Io(e) => ImageError::Unreadable {
            path: source.to_string(),
            reason: e.to_string(),
        },
    })?;
    let data: Arc<[u8]> = Arc::from(data);
    let (format, width, height) = check_image(&data, source)?;
    Ok(Image {
        path: path.to_path_buf(),
        source: source.to_string(),
        format,
        width,
        height,
        data,
    })
}

/// The format, from the file's first bytes (never from its name).
fn sniff(data: &[u8]) -> Option<ImageFormat> {
    if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageFormat::Jpeg)
    } else if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ImageFormat::Png)
    } else {
        None
    }
}

/// Identifies an image's bytes (`source` names it in errors) and proves
/// them sound within the budgets: the format, width and height. Bytes
/// proven sound before in this process are not proven again (see
/// [`Proven`]).
fn check_image(data: &Arc<[u8]>, source: &str) -> Result<(ImageFormat, u32, u32), ImageError> {
    let format = sniff(data).ok_or_else(|| ImageError::UnknownFormat(source.to_string()))?;
    if let Some((width, height)) = PROVEN.size_of(data) {
        return Ok((format, width, height));
    }
    let (width, height) = check_pixels(data, format, source)?;
    PROVEN.remember(data, (width, height));
    Ok((format, width, height))
}

/// The images proven sound in this process, with their width and height:
/// proving costs a full inflate or decode (1.7 instructions a pixel byte
/// for a PNG), so a service's worker that renders an article again, or
/// another naming the same picture, does not prove its images again.
/// Found by a hash of the length and the first and last bytes, and taken
/// only if every byte is the same (a comparison costs a few hundredths of
/// a proof): bytes changed anywhere are proven afresh.
struct Proven(Mutex<ProvenImages>);

#[derive(Default)]
struct ProvenImages {
    /// By [`sample_key`].
    images: HashMap<u64, ProvenImage>,
    /// Bytes held in `images`.
    bytes: usize,
}

/// Bytes proven sound, and their width and height.
struct ProvenImage {
    data: Arc<[u8]>,
    size: (u32, u32),
}

/// The most bytes of proven images kept; past it the memory starts again.
const MAX_PROVEN_BYTES: usize = 64 << 20;

static PROVEN: std::sync::LazyLock<Proven> =
    std::sync::LazyLock::new(|| Proven(Mutex::new(ProvenImages::default())));

impl Proven {
    fn size_of(&self, data: &[u8]) -> Option<(u32, u32)> {
        let proven = self.lock();
        let image = proven.images.get(&sample_key(data))?;
        (*image.data == *data).then_some(image.size)
    }

    fn remember(&self, data: &Arc<[u8]>, size: (u32, u32)) {
        let mut proven = self.lock();
        if proven.bytes + data.len() > MAX_PROVEN_BYTES {
            *proven = ProvenImages::default();
        }
        proven.bytes += data.len();
        let image = ProvenImage {
            data: Arc::clone(data),
            size,
        };
        if let Some(replaced) = proven.images.insert(sample_key(data), image) {
            proven.bytes -= replaced.data.len();
        }
    }

    fn lock(&self) -> MutexGuard<'_, ProvenImages> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A hash of `data`'s length and its first and last 64 bytes: where two
/// image files differ in the header, the last chunk's CRC or the size.
fn sample_key(data: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    data.len().hash(&mut hasher);
    data[..data.len().min(64)].hash(&mut hasher);
    data[data.len().saturating_sub(64)..].hash(&mut hasher);
    hasher.finish()
}

/// Proves the image sound: a PNG by its structure and its inflated rows
/// (`super::png`), a JPEG by decoding it in full with bounded memory,
/// after its header's size and sample layout pass [`check_size`].
fn check_pixels(data: &[u8], format: ImageFormat, source: &str) -> Result<(u32, u32), ImageError> {
    #[cfg(test)]
    tests::PROOFS.with(|proofs| proofs.set(proofs.get() + 1));
    match format {
        ImageFormat::Png => super::png::check_png(data, source),
        ImageFormat::Jpeg => check_jpeg(data, source),
    }
}

fn check_jpeg(data: &[u8], source: &str) -> Result<(u32, u32), ImageError> {
    use image::ImageDecoder;
    let corrupt = |e: image::ImageError| ImageError::Corrupt {
        path: source.to_string(),
        reason: e.to_string(),
    };
    let format = image::ImageFormat::Jpeg;
    let decoder = ImageReader::with_format(Cursor::new(data), format)
        .into_decoder()
        .map_err(corrupt)?;
    let (width, height) = decoder.dimensions();
    let bytes_per_pixel = u64::from(decoder.color_type().bytes_per_pixel());
    drop(decoder);
    check_size(width, height, bytes_per_pixel, source)?;
    let mut reader = ImageReader::with_format(Cursor::new(data), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES + (16 << 20));
    reader.limits(limits);
    reader.decode().map_err(corrupt)?;
    Ok((width, height))
}

/// Refuses absurd sizes, and images over the pixel budget or whose
/// decoded pixels (`bytes_per_pixel` each) would take more memory than a
/// render may hold: checked on the header, before anything is decoded.
pub(super) fn check_size(
    width: u32,
    height: u32,
    bytes_per_pixel: u64,
    source: &str,
) -> Result<(), ImageError> {
    let pixels = u64::from(width) * u64::from(height);
    if width == 0
        || height == 0
        || width > MAX_SIDE
        || height > MAX_SIDE
        || pixels > MAX_CLAIMED_PIXELS
    {
        return Err(ImageError::TooManyPixels {
            path: source.to_string(),
            width,
            height,
        });
    }
    let decoded = pixels * bytes_per_pixel;
    if decoded > MAX_DECODED_BYTES || pixels > MAX_PIXELS {
        return Err(ImageError::OverBudget {
            path: source.to_string(),
            width,
            height,
            bytes_per_pixel,
            decoded,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A series folder with an empty `images/`, removed when the test ends.
    fn folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("images")).unwrap();
        dir
    }

    fn tiny_png() -> Vec<u8> {
        let mut bytes = Vec::new();
        image::RgbImage::from_pixel(3, 2, image::Rgb([200, 10, 10]))
            .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
            .unwrap();
        bytes
    }

    thread_local! {
        /// How many images this test's thread has proven (decoded or
        /// inflated), memo hits not counted.
        pub(super) static PROOFS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    #[test]
    fn proves_the_same_bytes_once_and_changed_bytes_again() {
        // A picture no other test uses, so no other thread proved it.
        let mut bytes = Vec::new();
        image::RgbImage::from_fn(50, 40, |x, y| image::Rgb([(x * y) as u8, 2, 250]))
            .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
            .unwrap();
        assert!(bytes.len() > 3 * 64, "a middle past the sampled ends");
        let png: Arc<[u8]> = Arc::from(bytes.clone());
        let before = PROOFS.get();
        assert_eq!(check_image(&png, "a.png").unwrap().1, 50);
        assert_eq!(check_image(&png, "b.png").unwrap().2, 40);
        assert_eq!(PROOFS.get() - before, 1, "the second check is a memo hit");
        // One byte of the image data changed (the first and last 64 bytes
        // and the length kept): proven again, and refused.
        let mut damaged = bytes;
        let middle = damaged.len() / 2;
        damaged[middle] ^= 0x55;
        assert!(matches!(
            check_image(&Arc::from(damaged), "a.png"),
            Err(ImageError::Corrupt { .. })
        ));
        assert_eq!(PROOFS.get() - before, 2);
    }

    #[test]
    fn loads_and_caches() {
        let folder = folder();
        let dir = folder.path();
        std::fs::write(dir.join("images/a.png"), tiny_png()).unwrap();
        let loader = ImageLoader::new(dir);
        let a = loader.load(dir, "images/a.png").unwrap();
        assert_eq!((a.width, a.height, a.format), (3, 2, ImageFormat::Png));
        let again = loader.load(&dir.join("images"), "a.png").unwrap();
        assert!(Arc::ptr_eq(&a, &again));
    }

    #[test]
    fn refuses_paths_leaving_the_folder() {
        let folder = folder();
        let dir = folder.path();
        let loader = ImageLoader::new(dir);
        for bad in [
            "../x.png",
            "images/../../x.png",
            "/etc/passwd",
            "https://example.org/a.png",
            "..\\x.png",
        ] {
            let error = loader.load(dir, bad).unwrap_err();
            assert!(
                matches!(
                    error,
                    ImageError::Escapes(_) | ImageError::Absolute(_) | ImageError::Remote(_)
                ),
                "{bad}: {error}"
            );
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/etc/hostname", dir.join("images/link.png")).unwrap();
            assert!(matches!(
                loader.load(dir, "images/link.png"),
                Err(ImageError::Escapes(_))
            ));
        }
    }

    #[test]
    fn refuses_broken_and_huge_images() {
        let folder = folder();
        let dir = folder.path();
        let mut png = tiny_png();
        std::fs::write(dir.join("images/text.png"), b"hello").unwrap();
        png.truncate(png.len() - 20);
        std::fs::write(dir.join("images/cut.png"), &png).unwrap();
        let loader = ImageLoader::new(dir);
        assert!(matches!(
            loader.load(dir, "images/text.png"),
            Err(ImageError::UnknownFormat(_))
        ));
        assert!(matches!(
            loader.load(dir, "images/cut.png"),
            Err(ImageError::Corrupt { .. })
        ));
        assert!(matches!(
            loader.load(dir, "images/none.png"),
            Err(ImageError::Missing(_))
        ));
    }
}
