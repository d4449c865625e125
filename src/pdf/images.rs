//! Images as PDF image objects, each written once however often it is
//! drawn, and without decoding wherever PDF can read the file's own data:
//! a JPEG passes through as it is (`/DCTDecode`), and an opaque,
//! non-interlaced PNG passes its compressed pixel data (`IDAT`) through
//! with the PNG predictors named in `/DecodeParms`. Only PNGs with
//! transparency (split into the colour image and an `/SMask`), interlaced
//! PNGs, and images far above print resolution are decoded.

use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;

use fast_image_resize::images::ImageRef;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, ImageBuffer, Pixel};
use pdf_writer::types::Predictor;
use pdf_writer::{Chunk, Filter, Finish, Name, Obj, Ref, Str};

use super::PdfError;
use super::deflate::deflate;
use crate::model::{Image, ImageFormat};

/// The images written so far, by the model image they came from.
#[derive(Default)]
pub(super) struct Images {
    written: HashMap<*const Image, (usize, Ref)>,
    profiles: HashMap<blake3::Hash, Ref>,
    /// Device CMYK is not allowed (PDF/A with an sRGB output intent): a
    /// CMYK JPEG without its own profile is converted to RGB.
    rgb_only: bool,
}

impl Images {
    /// No image yet; `rgb_only` as for [`Images::rgb_only`].
    pub fn new(rgb_only: bool) -> Images {
        Images {
            rgb_only,
            ..Images::default()
        }
    }

    /// The resource number and object of `image` drawn `width` × `height`
    /// points large, writing it into `chunk` the first time.
    pub fn embed(
        &mut self,
        image: &Arc<Image>,
        width: f32,
        height: f32,
        chunk: &mut Chunk,
        next: &mut impl FnMut() -> Ref,
    ) -> Result<(usize, Ref), PdfError> {
        let key = Arc::as_ptr(image);
        if let Some(&found) = self.written.get(&key) {
            return Ok(found);
        }
        let failed = |reason: String| PdfError::Image {
            path: image.path.display().to_string(),
            reason,
        };
        let resampled = downsampled(image, width, height);
        let data: &[u8] = resampled.as_deref().unwrap_or(&image.data);
        let raster = match image.format {
            ImageFormat::Jpeg => self.jpeg(data),
            ImageFormat::Png => png(data),
        }
        .map_err(failed)?;
        let reference = next();
        self.write(&raster, reference, chunk, next);
        let entry = (self.written.len(), reference);
        self.written.insert(key, entry);
        Ok(entry)
    }

    fn jpeg<'a>(&self, data: &'a [u8]) -> Result<Raster<'a>, String> {
        let info = jpeg_info(data).ok_or("not a readable JPEG")?;
        let profile = info
            .profile
            .filter(|p| icc_components(p) == Some(info.components));
        let device_cmyk = info.components == 4 && profile.is_none();
        if info.precision != 8 || (device_cmyk && self.rgb_only) {
            return decoded(data, image::ImageFormat::Jpeg, profile);
        }
        Ok(Raster {
            data: data.into(),
            filter: Filter::DctDecode,
            width: info.width,
            height: info.height,
            bits: 8,
            space: Space::device(info.components).ok_or("an unknown colour model")?,
            profile,
            predictor: None,
            // Adobe's CMYK JPEGs store inverted values.
            inverted: info.components == 4 && info.adobe,
            mask: None,
        })
    }

    /// Writes a PNG that is not one of the document's images (a colour
    /// glyph's bitmap) as an image object; its object.
    pub fn write_png(
        &mut self,
        data: &[u8],
        chunk: &mut Chunk,
        next: &mut impl FnMut() -> Ref,
    ) -> Result<Ref, String> {
        let raster = png(data)?;
        let reference = next();
        self.write(&raster, reference, chunk, next);
        Ok(reference)
    }

    /// Writes `width` × `height` RGBA pixels (not premultiplied) as an
    /// image object with its alpha as a soft mask; its object.
    pub fn write_rgba(
        &mut self,
        width: u32,
        height: u32,
        rgba: Vec<u8>,
        chunk: &mut Chunk,
        next: &mut impl FnMut() -> Ref,
    ) -> Ref {
        let raster = Raster::pixels(width, height, rgba, false, true, None);
        let reference = next();
        self.write(&raster, reference, chunk, next);
        reference
    }

    fn write(
        &mut self,
        raster: &Raster<'_>,
        reference: Ref,
        chunk: &mut Chunk,
        next: &mut impl FnMut() -> Ref,
    ) {
        let profile = raster
            .profile
            .as_ref()
            .map(|p| self.profile(p, chunk, next));
        let mask = raster.mask.as_ref().map(|mask| {
            let id = next();
            self.write(mask, id, chunk, next);
            id
        });
        let mut object = chunk.image_xobject(reference, &raster.data);
        object
            .width(raster.width as i32)
            .height(raster.height as i32)
            .bits_per_component(i32::from(raster.bits));
        object.filter(raster.filter);
        raster
            .space
            .write(object.insert(Name(b"ColorSpace")), profile);
        if raster.inverted {
            object.decode([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0]);
        }
        if let Some(colors) = raster.predictor {
            object
                .decode_parms()
                .predictor(Predictor::PngOptimum)
                .colors(i32::from(colors))
                .bits_per_component(i32::from(raster.bits))
                .columns(raster.width as i32);
        }
        if let Some(mask) = mask {
            object.s_mask(mask);
        }
        object.finish();
    }

    /// An ICC profile stream, written once however many images name it.
    fn profile(
        &mut self,
        profile: &[u8],
        chunk: &mut Chunk,
        next: &mut impl FnMut() -> Ref,
    ) -> Ref {
        let hash = blake3::hash(profile);
        if let Some(&id) = self.profiles.get(&hash) {
            return id;
        }
        let id = next();
        let components = icc_components(profile).unwrap_or(3);
        let packed = deflate(profile);
        let mut stream = chunk.icc_profile(id, &packed);
        stream.n(i32::from(components));
        stream.filter(Filter::FlateDecode);
        self.profiles.insert(hash, id);
        id
    }
}

/// An image as PDF stores it.
struct Raster<'a> {
    data: std::borrow::Cow<'a, [u8]>,
    filter: Filter,
    width: u32,
    height: u32,
    bits: u8,
    space: Space,
    /// An ICC profile that replaces the device colour space.
    profile: Option<Vec<u8>>,
    /// PNG prediction with this many colour components per pixel.
    predictor: Option<u8>,
    /// A `/Decode` array inverting every component.
    inverted: bool,
    /// The alpha channel, as a grey image.
    mask: Option<Box<Raster<'static>>>,
}

/// A colour space of an image.
enum Space {
    Gray,
    Rgb,
    Cmyk,
    /// A palette of RGB colours, three bytes each.
    Indexed(Vec<u8>),
}

impl Space {
    fn device(components: u8) -> Option<Space> {
        match components {
            1 => Some(Space::Gray),
            3 => Some(Space::Rgb),
            4 => Some(Space::Cmyk),
            _ => None,
        }
    }

    fn write(&self, obj: Obj<'_>, profile: Option<Ref>) {
        let device = |obj: Obj<'_>, name: &[u8]| match profile {
            Some(profile) => {
                let mut array = obj.array();
                array.item(Name(b"ICCBased"));
                array.item(profile);
            }
            None => obj.primitive(Name(name)),
        };
        match self {
            Space::Gray => device(obj, b"DeviceGray"),
            Space::Rgb => device(obj, b"DeviceRGB"),
            Space::Cmyk => device(obj, b"DeviceCMYK"),
            Space::Indexed(palette) => {
                let mut array = obj.array();
                array.item(Name(b"Indexed"));
                device(array.push(), b"DeviceRGB");
                array.item((palette.len() / 3).saturating_sub(1) as i32);
                array.item(Str(palette));
            }
        }
    }
}

/// A PNG: its compressed rows as they are when PDF can read them,
/// otherwise decoded.
fn png(data: &[u8]) -> Result<Raster<'_>, String> {
    let info = png_info(data).ok_or("not a readable PNG")?;
    let components = match info.color_type {
        0 | 3 => 1,
        2 => 3,
        _ => 0,
    };
    let passes_through = components > 0 && !info.interlaced && !info.transparent;
    let profile = info
        .profile
        .filter(|p| icc_components(p) == Some(if info.color_type == 0 { 1 } else { 3 }));
    if !passes_through {
        return decoded(data, image::ImageFormat::Png, profile);
    }
    let space = if info.color_type == 3 {
        Space::Indexed(info.palette)
    } else {
        Space::device(components).ok_or("an unknown colour model")?
    };
    Ok(Raster {
        data: info.idat,
        filter: Filter::FlateDecode,
        width: info.width,
        height: info.height,
        bits: info.bit_depth,
        space,
        profile,
        predictor: Some(components),
        inverted: false,
        mask: None,
    })
}

/// An image decoded to 8-bit pixels: grey or RGB, with its alpha channel
/// as a soft mask.
fn decoded(
    data: &[u8],
    format: image::ImageFormat,
    profile: Option<Vec<u8>>,
) -> Result<Raster<'static>, String> {
    let image = image::load_from_memory_with_format(data, format).map_err(|e| e.to_string())?;
    let (width, height) = (image.width(), image.height());
    let gray = !image.color().has_color();
    let alpha = image.color().has_alpha();
    let pixels = match (gray, alpha) {
        (true, false) => image.into_luma8().into_raw(),
        (false, false) => image.into_rgb8().into_raw(),
        (true, true) => image.into_luma_alpha8().into_raw(),
        (false, true) => image.into_rgba8().into_raw(),
    };
    Ok(Raster::pixels(width, height, pixels, gray, alpha, profile))
}

impl Raster<'static> {
    /// Interleaved 8-bit pixels, grey or RGB, each with an alpha byte
    /// when `alpha`, compressed; the alpha channel becomes a soft mask
    /// unless every pixel is opaque.
    fn pixels(
        width: u32,
        height: u32,
        pixels: Vec<u8>,
        gray: bool,
        alpha: bool,
        profile: Option<Vec<u8>>,
    ) -> Raster<'static> {
        let colors = if gray { 1 } else { 3 };
        let (pixels, mask) = if alpha {
            split(pixels, colors)
        } else {
            (pixels, None)
        };
        let plain = |data: Vec<u8>, space: Space, profile: Option<Vec<u8>>| Raster {
            data: deflate(&data).into(),
            filter: Filter::FlateDecode,
            width,
            height,
            bits: 8,
            space,
            profile,
            predictor: None,
            inverted: false,
            mask: None,
        };
        let profile = profile.filter(|p| icc_components(p) == Some(colors as u8));
        let space = if gray { Space::Gray } else { Space::Rgb };
        let mut raster = plain(pixels, space, profile);
        raster.mask = mask.map(|m| Box::new(plain(m, Space::Gray, None)));
        raster
    }
}

/// Colour bytes and alpha bytes of interleaved pixels with `colors`
/// colour components and one alpha component; no mask when every pixel is
/// opaque.
fn split(pixels: Vec<u8>, colors: usize) -> (Vec<u8>, Option<Vec<u8>>) {
    let stride = colors + 1;
    let mut color = Vec::with_capacity(pixels.len() / stride * colors);
    let mut alpha = Vec::with_capacity(pixels.len() / stride);
    for pixel in pixels.chunks_exact(stride) {
        color.extend_from_slice(&pixel[..colors]);
        alpha.push(pixel[colors]);
    }
    let opaque = alpha.iter().all(|&a| a == 255);
    (color, (!opaque).then_some(alpha))
}

/// What PDF needs from a PNG's chunks.
struct PngInfo<'a> {
    width: u32,
    height: u32,
    bit_depth: u8,
    color_type: u8,
    interlaced: bool,
    /// A `tRNS` chunk: some colour is transparent.
    transparent: bool,
    palette: Vec<u8>,
    profile: Option<Vec<u8>>,
    /// The `IDAT` chunks' data, joined: one zlib stream.
    idat: std::borrow::Cow<'a, [u8]>,
}

fn png_info(data: &[u8]) -> Option<PngInfo<'_>> {
    let mut rest = data.strip_prefix(b"\x89PNG\r\n\x1a\n")?;
    let mut info = PngInfo {
        width: 0,
        height: 0,
        bit_depth: 0,
        color_type: 0,
        interlaced: false,
        transparent: false,
        palette: Vec::new(),
        profile: None,
        idat: std::borrow::Cow::Borrowed(&[]),
    };
    while rest.len() >= 12 {
        let length = u32::from_be_bytes(rest[..4].try_into().ok()?) as usize;
        let kind = &rest[4..8];
        let body = rest.get(8..8 + length)?;
        match kind {
            b"IHDR" if length >= 13 => {
                info.width = u32::from_be_bytes(body[..4].try_into().ok()?);
                info.height = u32::from_be_bytes(body[4..8].try_into().ok()?);
                info.bit_depth = body[8];
                info.color_type = body[9];
                info.interlaced = body[12] != 0;
            }
            b"PLTE" => info.palette = body.to_vec(),
            b"tRNS" => info.transparent = true,
            b"iCCP" => info.profile = inflated_profile(body),
            b"IDAT" => crate::parse::png::join_chunk(&mut info.idat, body),
            b"IEND" => break,
            _ => {}
        }
        rest = rest.get(12 + length..)?;
    }
    (info.width > 0 && info.height > 0 && !info.idat.is_empty()).then_some(info)
}

/// The profile of an `iCCP` chunk: a name, a zero byte, the method (0)
/// and the zlib-compressed profile.
fn inflated_profile(body: &[u8]) -> Option<Vec<u8>> {
    let name_end = body.iter().position(|&b| b == 0)?;
    let compressed = body.get(name_end + 2..)?;
    let mut profile = Vec::new();
    flate2::read::ZlibDecoder::new(compressed)
        .take(16 << 20)
        .read_to_end(&mut profile)
        .ok()?;
    Some(profile)
}

/// What PDF needs from a JPEG's headers.
struct JpegInfo {
    width: u32,
    height: u32,
    components: u8,
    precision: u8,
    /// An Adobe `APP14` segment (which marks inverted CMYK).
    adobe: bool,
    profile: Option<Vec<u8>>,
}

fn jpeg_info(data: &[u8]) -> Option<JpegInfo> {
    let mut info = JpegInfo {
        width: 0,
        height: 0,
        components: 0,
        precision: 0,
        adobe: false,
        profile: None,
    };
    // ICC profiles may be split over several APP2 segments, numbered from 1.
    let mut profile_parts: Vec<(u8, &[u8])> = Vec::new();
    let mut at = 2;
    if data.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    loop {
        while data.get(at)? == &0xFF && data.get(at + 1)? == &0xFF {
            at += 1;
        }
        if data.get(at)? != &0xFF {
            return None;
        }
        let marker = *data.get(at + 1)?;
        let length = usize::from(u16::from_be_bytes([*data.get(at + 2)?, *data.get(at + 3)?]));
        let body = data.get(at + 4..at + 2 + length)?;
        match marker {
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                info.precision = *body.first()?;
                info.height = u32::from(u16::from_be_bytes([*body.get(1)?, *body.get(2)?]));
                info.width = u32::from(u16::from_be_bytes([*body.get(3)?, *body.get(4)?]));
                info.components = *body.get(5)?;
            }
            0xE2 if body.starts_with(b"ICC_PROFILE\0") && body.len() > 14 => {
                profile_parts.push((body[12], &body[14..]));
            }
            0xEE if body.starts_with(b"Adobe") => info.adobe = true,
            0xDA => break,
            _ => {}
        }
        at += 2 + length;
    }
    if !profile_parts.is_empty() {
        profile_parts.sort_by_key(|(sequence, _)| *sequence);
        info.profile = Some(
            profile_parts
                .iter()
                .flat_map(|(_, part)| part.iter().copied())
                .collect(),
        );
    }
    (info.width > 0 && info.height > 0).then_some(info)
}

/// The number of colour components an ICC profile describes, if it looks
/// whole (its size field matches, version 4 or older).
fn icc_components(profile: &[u8]) -> Option<u8> {
    let size = u32::from_be_bytes(profile.get(..4)?.try_into().ok()?) as usize;
    if size != profile.len() || profile.get(8)? > &4 {
        return None;
    }
    match profile.get(16..20)? {
        b"GRAY" => Some(1),
        b"RGB " => Some(3),
        b"CMYK" => Some(4),
        _ => None,
    }
}

/// Re-encoded image bytes when the image has far more pixels than 300 per
/// inch at its placed size; `None` to embed it as it is.
pub(super) fn downsampled(image: &Image, width_pt: f32, height_pt: f32) -> Option<Vec<u8>> {
    const PRINT_PPI: f32 = 300.0;
    const FAR_ABOVE: f32 = 1.5;
    let ppi = image.width as f32 / (width_pt / 72.0);
    if ppi <= PRINT_PPI * FAR_ABOVE || width_pt <= 0.0 || height_pt <= 0.0 {
        return None;
    }
    let width = (width_pt / 72.0 * PRINT_PPI).round().max(1.0) as u32;
    let height = (height_pt / 72.0 * PRINT_PPI).round().max(1.0) as u32;
    let format = match image.format {
        ImageFormat::Jpeg => image::ImageFormat::Jpeg,
        ImageFormat::Png => image::ImageFormat::Png,
    };
    let decoded = image::load_from_memory_with_format(&image.data, format).ok()?;
    let resized = resized(&decoded, width, height);
    let mut out = Vec::new();
    match image.format {
        ImageFormat::Jpeg => {
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
            resized.to_rgb8().write_with_encoder(encoder).ok()?;
        }
        ImageFormat::Png => resized
            .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
            .ok()?,
    }
    Some(out)
}

/// `image` resized to `width` × `height` with a Lanczos3 filter: 8-bit
/// images by `fast_image_resize` (see [`fast_resized`]), others by the
/// `image` crate.
fn resized(image: &DynamicImage, width: u32, height: u32) -> DynamicImage {
    fast_resized(image, width, height)
        .unwrap_or_else(|| image.resize_exact(width, height, image::imageops::FilterType::Lanczos3))
}

/// An 8-bit `image` (gray, gray and alpha, RGB or RGBA) resized to
/// `width` × `height` by `fast_image_resize`'s Lanczos3, on rayon's
/// threads, colours weighted by alpha; `None` for another image, or one
/// it refuses.
fn fast_resized(image: &DynamicImage, width: u32, height: u32) -> Option<DynamicImage> {
    match image {
        DynamicImage::ImageLuma8(i) => {
            lanczos3(i, PixelType::U8, width, height).map(DynamicImage::ImageLuma8)
        }
        DynamicImage::ImageLumaA8(i) => {
            lanczos3(i, PixelType::U8x2, width, height).map(DynamicImage::ImageLumaA8)
        }
        DynamicImage::ImageRgb8(i) => {
            lanczos3(i, PixelType::U8x3, width, height).map(DynamicImage::ImageRgb8)
        }
        DynamicImage::ImageRgba8(i) => {
            lanczos3(i, PixelType::U8x4, width, height).map(DynamicImage::ImageRgba8)
        }
        _ => None,
    }
}

/// An 8-bit image of `pixels` resized by `fast_image_resize`'s Lanczos3;
/// `None` if it refuses the image.
fn lanczos3<P: Pixel<Subpixel = u8>>(
    image: &ImageBuffer<P, Vec<u8>>,
    pixels: PixelType,
    width: u32,
    height: u32,
) -> Option<ImageBuffer<P, Vec<u8>>> {
    let source = ImageRef::new(image.width(), image.height(), image.as_raw(), pixels).ok()?;
    let mut target = fast_image_resize::images::Image::new(width, height, pixels);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    Resizer::new().resize(&source, &mut target, &options).ok()?;
    ImageBuffer::from_raw(width, height, target.into_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::{Document, DocumentMeta, Item, Page, PageLabel, Tag};
    use crate::pdf::{PdfOptions, write_pdf};
    use crate::units::{Pt, Rect as PageRect, Size};

    fn encoded(width: u32, height: u32, alpha: bool, format: image::ImageFormat) -> Vec<u8> {
        let pixels = image::RgbaImage::from_fn(width, height, |x, y| {
            let a = if alpha { (x * 3 % 256) as u8 } else { 255 };
            image::Rgba([
                (x * 7 % 256) as u8,
                (y * 13 % 256) as u8,
                ((x + y) % 256) as u8,
                a,
            ])
        });
        let picture = if alpha {
            image::DynamicImage::ImageRgba8(pixels)
        } else {
            image::DynamicImage::ImageRgb8(image::DynamicImage::ImageRgba8(pixels).to_rgb8())
        };
        let mut out = Vec::new();
        picture
            .write_to(&mut std::io::Cursor::new(&mut out), format)
            .expect("encode");
        out
    }

    fn model_image(data: Vec<u8>, format: ImageFormat, width: u32, height: u32) -> Image {
        Image {
            path: "picture".into(),
            source: "picture".into(),
            format,
            width,
            height,
            data: data.into(),
        }
    }

    /// An untagged one-page PDF showing `image` `width_pt` wide.
    fn pdf_with(image: Image, width_pt: f32) -> Vec<u8> {
        let height_pt = width_pt * image.height as f32 / image.width as f32;
        let doc = Document {
            pages: vec![Page {
                size: Size::new(Pt(300.0), Pt(300.0)),
                bleed: Pt::ZERO,
                slug: Pt::ZERO,
                label: PageLabel::Arabic(1),
                article: None,
                items: vec![Item::Image {
                    image: Arc::new(image),
                    rect: PageRect::new(Pt(10.0), Pt(10.0), Pt(width_pt), Pt(height_pt)),
                    clip: None,
                    tag: Tag::Artifact,
                }],
            }],
            fonts: Vec::new(),
            outline: Vec::new(),
            meta: DocumentMeta {
                title: "Images".into(),
                language: "en".into(),
                ..DocumentMeta::default()
            },
            structure: Vec::new(),
            page_starts: Vec::new(),
        };
        let options = PdfOptions {
            standards: Vec::new(),
            tagged: false,
        };
        write_pdf(doc, &options).expect("PDF")
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn a_jpeg_at_print_resolution_is_embedded_as_it_is() {
        let jpeg = encoded(120, 80, false, image::ImageFormat::Jpeg);
        // 120 px over 144 pt (2 in) is 60 ppi: nothing to gain by resampling.
        let pdf = pdf_with(model_image(jpeg.clone(), ImageFormat::Jpeg, 120, 80), 144.0);
        assert!(contains(&pdf, &jpeg), "the JPEG's own bytes are in the PDF");
        assert!(contains(&pdf, b"/DCTDecode"));
    }

    #[test]
    fn an_opaque_png_passes_its_compressed_rows_through() {
        let png = encoded(90, 60, false, image::ImageFormat::Png);
        let idat = png_info(&png).expect("a PNG").idat.into_owned();
        let pdf = pdf_with(model_image(png, ImageFormat::Png, 90, 60), 144.0);
        assert!(
            contains(&pdf, &idat),
            "the PNG's own IDAT data is in the PDF"
        );
        assert!(contains(&pdf, b"/Predictor 15"), "PNG predictors named");
        assert!(!contains(&pdf, b"/SMask"));
    }

    #[test]
    fn a_png_with_transparency_gets_a_soft_mask() {
        let png = encoded(40, 30, true, image::ImageFormat::Png);
        let pdf = pdf_with(model_image(png, ImageFormat::Png, 40, 30), 144.0);
        assert!(
            contains(&pdf, b"/SMask"),
            "the alpha channel as a soft mask"
        );
    }

    #[test]
    fn images_far_above_print_resolution_are_downsampled_to_300_ppi() {
        let png = encoded(1200, 600, false, image::ImageFormat::Png);
        // 1200 px over 72 pt (1 in) is 1200 ppi.
        let image = model_image(png, ImageFormat::Png, 1200, 600);
        let smaller = downsampled(&image, 72.0, 36.0).expect("downsampled");
        let decoded = image::load_from_memory(&smaller).expect("a PNG still");
        assert_eq!((decoded.width(), decoded.height()), (300, 150));
        // At 400 ppi (within 1.5 × 300) the image is left alone.
        assert!(downsampled(&image, 1200.0 / 400.0 * 72.0, 108.0).is_none());
    }

    /// A 300 × 200 test card: stripes and gradients, opaque.
    fn card() -> image::RgbaImage {
        image::RgbaImage::from_fn(300, 200, |x, y| {
            image::Rgba([
                (x * 7 + y) as u8,
                if (x / 9 + y / 5) % 2 == 0 { 240 } else { 10 },
                (x * y) as u8,
                255,
            ])
        })
    }

    #[test]
    fn every_8_bit_image_is_resized_by_fast_image_resize_as_the_image_crate_would() {
        let card = DynamicImage::ImageRgba8(card());
        let kinds = [
            DynamicImage::ImageLuma8(card.to_luma8()),
            DynamicImage::ImageLumaA8(card.to_luma_alpha8()),
            DynamicImage::ImageRgb8(card.to_rgb8()),
            DynamicImage::ImageRgba8(card.to_rgba8()),
        ];
        for image in kinds {
            let kind = image.color();
            let ours = fast_resized(&image, 97, 61)
                .unwrap_or_else(|| panic!("{kind:?} is resized by fast_image_resize"));
            assert_eq!(ours.color(), kind, "the same kind of pixels");
            assert_eq!((ours.width(), ours.height()), (97, 61));
            let theirs = image.resize_exact(97, 61, image::imageops::FilterType::Lanczos3);
            let total: u64 = ours
                .as_bytes()
                .iter()
                .zip(theirs.as_bytes())
                .map(|(a, b)| u64::from(a.abs_diff(*b)))
                .sum();
            let mean = total as f64 / ours.as_bytes().len() as f64;
            assert!(mean < 1.0, "{kind:?}: mean difference {mean}");
        }
    }

    #[test]
    fn colour_does_not_bleed_from_fully_transparent_pixels() {
        // Opaque blue on the left, transparent red on the right.
        let half = image::RgbaImage::from_fn(300, 200, |x, _| {
            if x < 150 {
                image::Rgba([0, 0, 255, 255])
            } else {
                image::Rgba([255, 0, 0, 0])
            }
        });
        let half = DynamicImage::ImageRgba8(half);
        let ours = fast_resized(&half, 97, 61).expect("resized by fast_image_resize");
        let ours = ours.to_rgba8();
        let seen: Vec<&image::Rgba<u8>> = ours.pixels().filter(|p| p[3] > 0).collect();
        assert!(seen.len() > 97 * 61 / 3, "the blue half is seen");
        let reddest = seen.iter().map(|p| p[0]).max();
        assert!(reddest <= Some(2), "red bleeds into the edge: {reddest:?}");
        // Where colours are not weighted by alpha, the edge turns purple.
        let unweighted = half.resize_exact(97, 61, image::imageops::FilterType::Lanczos3);
        let bled = unweighted
            .to_rgba8()
            .pixels()
            .any(|p| p[3] > 0 && p[0] > 30);
        assert!(bled, "the case tells weighted from unweighted");
    }

    #[test]
    fn jpeg_headers_give_size_components_and_profile() {
        let jpeg = encoded(33, 21, false, image::ImageFormat::Jpeg);
        let info = jpeg_info(&jpeg).expect("a JPEG");
        assert_eq!(
            (info.width, info.height, info.components, info.precision),
            (33, 21, 3, 8)
        );
        assert!(info.profile.is_none());
        assert!(
            jpeg_info(b"\xFF\xD8\xFF\xE0\x00").is_none(),
            "a cut header is refused"
        );
    }
}
