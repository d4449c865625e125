//! The images of the EPUB: the cover and every figure, each stored once
//! under a safe unique name, and scaled down when larger than an e-reader
//! screen needs.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::PathBuf;
use std::sync::Arc;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageReader};

use super::EpubError;
use super::names::{UniqueNames, safe_stem};
use crate::model::{Article, BlockKind, Figure, Image, ImageFormat, Series, block_index_walk};

/// Longest side, in pixels, of an image in the EPUB: sharp on a 300 ppi
/// reader screen, and small enough for store size limits.
pub(super) const MAX_SIDE: u32 = 1600;

/// Longest side of the cover image: stores ask for 1600 × 2560.
pub(super) const COVER_MAX_SIDE: u32 = 2560;

/// JPEG quality used when a photograph has to be scaled down.
const JPEG_QUALITY: u8 = 88;

/// One image file in the EPUB.
#[derive(Debug)]
pub(super) struct EpubImage<'a> {
    /// Manifest id.
    pub id: String,
    /// Path inside the content folder, e.g. `images/lenin.jpg`.
    pub href: String,
    /// Media type for the manifest.
    pub media_type: &'static str,
    /// The bytes: the original, or the scaled-down copy.
    pub data: Cow<'a, [u8]>,
    /// Width and height as shown (turned as its EXIF orientation says),
    /// in pixels; (1, 1) when the header cannot be read.
    pub size: (u32, u32),
}

/// Every image of a series, in order of first use (cover first).
#[derive(Debug, Default)]
pub(super) struct ImageSet<'a> {
    images: Vec<EpubImage<'a>>,
    by_path: BTreeMap<PathBuf, usize>,
    cover: Option<usize>,
}

impl<'a> ImageSet<'a> {
    /// Names, and scales where needed, the cover and every figure of
    /// `series`; `fallback_cover` is the cover when the series has none.
    pub(super) fn collect(
        series: &'a Series,
        fallback_cover: Option<&'a Arc<Image>>,
    ) -> Result<ImageSet<'a>, EpubError> {
        let mut set = ImageSet::default();
        let mut names = UniqueNames::default();
        if let Some(cover) = series.meta.cover.as_ref().or(fallback_cover) {
            set.cover = Some(set.add(cover, COVER_MAX_SIDE, &mut names)?);
        }
        for article in &series.articles {
            for figure in figures(article) {
                set.add(&figure.image, MAX_SIDE, &mut names)?;
            }
        }
        Ok(set)
    }

    /// The images in manifest order.
    pub(super) fn iter(&self) -> impl Iterator<Item = &EpubImage<'a>> {
        self.images.iter()
    }

    /// The cover image, if the series has one.
    pub(super) fn cover(&self) -> Option<&EpubImage<'a>> {
        self.cover.and_then(|i| self.images.get(i))
    }

    /// Where `image` is stored (relative to the content folder).
    pub(super) fn href(&self, image: &Image) -> Option<&str> {
        let index = *self.by_path.get(&image.path)?;
        self.images.get(index).map(|i| i.href.as_str())
    }

    /// Whether the EPUB holds any image.
    pub(super) fn is_empty(&self) -> bool {
        self.images.is_empty()
    }

    fn add(
        &mut self,
        image: &'a Image,
        max_side: u32,
        names: &mut UniqueNames,
    ) -> Result<usize, EpubError> {
        if let Some(&index) = self.by_path.get(&image.path) {
            return Ok(index);
        }
        let index = self.images.len();
        let stem = image
            .path
            .file_stem()
            .map(|s| safe_stem(&s.to_string_lossy(), "image"))
            .unwrap_or_else(|| "image".to_string());
        let file = names.claim(&stem, &format!(".{}", image.format.extension()));
        crate::cancel::checkpoint_now();
        let data = fitted(image, max_side)?;
        self.images.push(EpubImage {
            id: format!("img-{}", index + 1),
            href: format!("images/{file}"),
            media_type: image.format.media_type(),
            size: shown_size(&data).unwrap_or((1, 1)),
            data,
        });
        self.by_path.insert(image.path.clone(), index);
        Ok(index)
    }
}

/// Every figure of an article in reading order: the lead image, the
/// body's figures, then those in footnotes.
pub(super) fn figures(article: &Article) -> Vec<&Figure> {
    let note_blocks = article
        .notes
        .iter()
        .flat_map(|n| block_index_walk(&n.blocks));
    article
        .meta
        .image
        .iter()
        .chain(
            block_index_walk(&article.body)
                .into_iter()
                .chain(note_blocks)
                .filter_map(|block| match &block.kind {
                    BlockKind::Figure(figure) => Some(figure),
                    _ => None,
                }),
        )
        .collect()
}

/// The image's bytes, scaled down to `max_side` when larger, in the
/// same format; a CMYK or YCCK JPEG is converted to RGB (reading systems,
/// being browsers' engines, show four-colour JPEGs with wrong colours; the
/// PDF keeps the original, which print wants). Other images that fit are
/// kept as they are, at no cost.
fn fitted(image: &Image, max_side: u32) -> Result<Cow<'_, [u8]>, EpubError> {
    let four_colour = image.format == ImageFormat::Jpeg && is_four_colour_jpeg(&image.data);
    if !four_colour && image.width.max(image.height) <= max_side {
        return Ok(Cow::Borrowed(&image.data));
    }
    let error = |source| EpubError::Image {
        path: image.path.clone(),
        source,
    };
    let mut decoded = decode_upright(&image.data).map_err(error)?;
    if decoded.width().max(decoded.height()) > max_side {
        decoded = decoded.resize(max_side, max_side, FilterType::Lanczos3);
    }
    encode(&decoded, image.format)
        .map(Cow::Owned)
        .map_err(error)
}

/// True for a JPEG whose frame has four components (CMYK, or YCCK): read
/// from the start-of-frame segment, without decoding.
fn is_four_colour_jpeg(data: &[u8]) -> bool {
    let mut at = 2; // past the start of image
    while at + 4 <= data.len() {
        if data[at] != 0xFF {
            return false;
        }
        let marker = data[at + 1];
        match marker {
            0xFF => at += 1, // fill byte
            0x01 | 0xD0..=0xD7 => at += 2,
            // Start of frame (not DHT, JPG or DAC): P, Y, X, then Nf.
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                return data.get(at + 9) == Some(&4);
            }
            0xD9 | 0xDA => return false, // end of image, start of scan
            _ => at += 2 + usize::from(u16::from_be_bytes([data[at + 2], data[at + 3]])),
        }
    }
    false
}

/// The size an image is shown at: its header's, sides swapped when its
/// EXIF orientation turns it a quarter.
fn shown_size(data: &[u8]) -> image::ImageResult<(u32, u32)> {
    use image::metadata::Orientation;
    let mut decoder = ImageReader::new(Cursor::new(data))
        .with_guessed_format()?
        .into_decoder()?;
    let (width, height) = decoder.dimensions();
    Ok(match decoder.orientation()? {
        Orientation::Rotate90
        | Orientation::Rotate270
        | Orientation::Rotate90FlipH
        | Orientation::Rotate270FlipH => (height, width),
        _ => (width, height),
    })
}

/// Decodes an image and turns it as its EXIF orientation says, since the
/// re-encoded copy carries no EXIF.
fn decode_upright(data: &[u8]) -> image::ImageResult<DynamicImage> {
    let mut decoder = ImageReader::new(Cursor::new(data))
        .with_guessed_format()?
        .into_decoder()?;
    let orientation = decoder.orientation()?;
    let mut decoded = DynamicImage::from_decoder(decoder)?;
    decoded.apply_orientation(orientation);
    Ok(decoded)
}

fn encode(image: &DynamicImage, format: ImageFormat) -> image::ImageResult<Vec<u8>> {
    let mut out = Vec::new();
    match format {
        ImageFormat::Jpeg => {
            let rgb = DynamicImage::ImageRgb8(image.to_rgb8());
            rgb.write_with_encoder(JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY))?;
        }
        ImageFormat::Png => image.write_with_encoder(PngEncoder::new(&mut out))?,
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn image(format: ImageFormat, width: u32, height: u32) -> Image {
        let pixels = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let data = encode(&DynamicImage::ImageRgb8(pixels), format).unwrap();
        Image {
            path: PathBuf::from(format!("images/test.{}", format.extension())),
            source: "images/test".into(),
            format,
            width,
            height,
            data: Arc::from(data),
        }
    }

    #[test]
    fn four_colour_jpegs_are_found_from_their_frame_header() {
        let cmyk = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/cmyk.jpg"
        ))
        .unwrap();
        assert!(is_four_colour_jpeg(&cmyk));
        let rgb = image(ImageFormat::Jpeg, 40, 30);
        assert!(!is_four_colour_jpeg(&rgb.data));
        assert!(!is_four_colour_jpeg(b"\xFF\xD8\xFF"));
    }

    #[test]
    fn small_images_are_kept_as_they_are() {
        let small = image(ImageFormat::Png, 40, 30);
        assert!(matches!(
            fitted(&small, MAX_SIDE).unwrap(),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn large_images_are_scaled_in_their_own_format() {
        for format in [ImageFormat::Jpeg, ImageFormat::Png] {
            let large = image(format, 2000, 1000);
            let data = fitted(&large, MAX_SIDE).unwrap();
            let decoded = image::load_from_memory(&data).unwrap();
            assert_eq!((decoded.width(), decoded.height()), (1600, 800));
            let guessed = image::guess_format(&data).unwrap();
            let expected = match format {
                ImageFormat::Jpeg => image::ImageFormat::Jpeg,
                ImageFormat::Png => image::ImageFormat::Png,
            };
            assert_eq!(guessed, expected);
        }
    }

    #[test]
    fn the_shown_size_is_the_fitted_images() {
        let large = image(ImageFormat::Png, 3000, 1500);
        let data = fitted(&large, COVER_MAX_SIDE).unwrap();
        assert_eq!(shown_size(&data).unwrap(), (2560, 1280));
        assert!(shown_size(b"not an image").is_err());
    }

    #[test]
    fn undecodable_large_image_names_the_file() {
        let mut broken = image(ImageFormat::Jpeg, 40, 30);
        broken.width = 4000;
        broken.data = Arc::from(&b"not a jpeg"[..]);
        let error = fitted(&broken, MAX_SIDE).unwrap_err();
        assert!(error.to_string().contains("images/test.jpg"), "{error}");
    }
}
