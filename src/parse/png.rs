//! Proving a PNG sound without decoding its pixels: the chunk structure
//! and every chunk's CRC, a header PDF and e-readers can read, and
//! compressed data that inflates (checksum included) to exactly the rows
//! the header promises, each with a valid filter type. That is what a
//! full decode would prove, less the unfiltering and the conversion of
//! every pixel, which no output needs: the PDF passes the compressed rows
//! through, and the EPUB stores the file as it is.

use std::borrow::Cow;
use std::cell::RefCell;

use super::images::{ImageError, check_size};

/// The eight bytes every PNG starts with.
const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// What the header (`IHDR`) says.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Header {
    width: u32,
    height: u32,
    bit_depth: u8,
    color_type: u8,
    interlaced: bool,
}

impl Header {
    /// Samples per pixel as stored.
    fn channels(self) -> u64 {
        match self.color_type {
            2 => 3,
            4 => 2,
            6 => 4,
            _ => 1, // grey (0) and palette indices (3)
        }
    }

    /// Bytes a decoder hands out per pixel, as the `image` crate would:
    /// palettes expanded to RGB, a `tRNS` colour to an alpha channel, and
    /// fewer than 8 bits widened to 8.
    fn decoded_bytes_per_pixel(self, transparent_colour: bool) -> u64 {
        let channels = match self.color_type {
            3 => 3,
            _ => self.channels(),
        } + u64::from(transparent_colour && matches!(self.color_type, 0 | 2 | 3));
        channels * if self.bit_depth == 16 { 2 } else { 1 }
    }

    /// Bytes of one stored row of `width` pixels, its filter byte not
    /// counted.
    fn row_bytes(self, width: u64) -> u64 {
        (width * self.channels() * u64::from(self.bit_depth)).div_ceil(8)
    }

    /// Width and height of each pass: one for a plain image, the seven of
    /// Adam7 for an interlaced one (empty passes included).
    fn passes(self) -> Vec<(u64, u64)> {
        let (width, height) = (u64::from(self.width), u64::from(self.height));
        if !self.interlaced {
            return vec![(width, height)];
        }
        // (first column, first row, column step, row step) of each pass.
        const ADAM7: [(u64, u64, u64, u64); 7] = [
            (0, 0, 8, 8),
            (4, 0, 8, 8),
            (0, 4, 4, 8),
            (2, 0, 4, 4),
            (0, 2, 2, 4),
            (1, 0, 2, 2),
            (0, 1, 1, 2),
        ];
        let count = |size: u64, first: u64, step: u64| size.saturating_sub(first).div_ceil(step);
        ADAM7
            .iter()
            .map(|&(x, y, dx, dy)| (count(width, x, dx), count(height, y, dy)))
            .collect()
    }

    /// Bytes the inflated data must hold: every row of every pass, each
    /// with its filter byte (a pass with no columns has no rows).
    fn inflated_bytes(self) -> u64 {
        self.passes()
            .into_iter()
            .filter(|&(width, _)| width > 0)
            .map(|(width, height)| height * (1 + self.row_bytes(width)))
            .sum()
    }
}

/// Checks the PNG `data` (`source` names it in errors) and returns its
/// width and height; an oversized image is refused as soon as its header
/// is read, before anything is inflated.
pub(super) fn check_png(data: &[u8], source: &str) -> Result<(u32, u32), ImageError> {
    let corrupt = |reason: &str| ImageError::Corrupt {
        path: source.to_string(),
        reason: reason.to_string(),
    };
    let mut rest = data
        .strip_prefix(SIGNATURE)
        .ok_or_else(|| corrupt("no PNG signature"))?;
    let mut header: Option<Header> = None;
    let mut palette = false;
    let mut transparent = false;
    let mut idat: Cow<[u8]> = Cow::Borrowed(&[]);
    let mut idat_done = false;
    loop {
        let (Chunk { kind, body }, after) = next_chunk(rest).map_err(corrupt)?;
        rest = after;
        if header.is_none() && kind != *b"IHDR" {
            return Err(corrupt("the first chunk is not IHDR"));
        }
        if !idat.is_empty() && kind != *b"IDAT" {
            idat_done = true;
        }
        match &kind {
            b"IHDR" => {
                if header.is_some() {
                    return Err(corrupt("a second IHDR chunk"));
                }
                let read = read_header(body).map_err(corrupt)?;
                check_size(
                    read.width,
                    read.height,
                    read.decoded_bytes_per_pixel(false),
                    source,
                )?;
                header = Some(read);
            }
            b"PLTE" => {
                if body.is_empty() || body.len() % 3 != 0 || body.len() > 3 * 256 {
                    return Err(corrupt("a palette of a wrong length"));
                }
                palette = true;
            }
            b"tRNS" => transparent = true,
            b"IDAT" => {
                if idat_done {
                    return Err(corrupt("IDAT chunks are not consecutive"));
                }
                join_chunk(&mut idat, body);
            }
            b"IEND" => break,
            _ if kind[0].is_ascii_uppercase() => {
                return Err(corrupt("an unknown critical chunk"));
            }
            _ => {}
        }
    }
    let header = header.ok_or_else(|| corrupt("no IHDR chunk"))?;
    if header.color_type == 3 && !palette {
        return Err(corrupt("a palette image without a palette"));
    }
    if idat.is_empty() {
        return Err(corrupt("no image data"));
    }
    // With its transparency known, the decoded size again (an RGB image
    // with a transparent colour decodes to RGBA).
    check_size(
        header.width,
        header.height,
        header.decoded_bytes_per_pixel(transparent),
        source,
    )?;
    check_rows(header, &idat).map_err(corrupt)?;
    Ok((header.width, header.height))
}

/// Adds the data of a chunk to the data of those before it: borrowed
/// while there is one (most images have a single `IDAT`), joined in a
/// copy from the second on.
pub(crate) fn join_chunk<'a>(joined: &mut Cow<'a, [u8]>, body: &'a [u8]) {
    if joined.is_empty() {
        *joined = Cow::Borrowed(body);
    } else {
        joined.to_mut().extend_from_slice(body);
    }
}

/// A chunk: its type and its data.
struct Chunk<'a> {
    kind: [u8; 4],
    body: &'a [u8],
}

/// The next chunk, its CRC checked, and what follows it.
fn next_chunk(rest: &[u8]) -> Result<(Chunk<'_>, &[u8]), &'static str> {
    let truncated = "the file is cut short";
    let length = rest.get(..4).ok_or(truncated)?;
    let length = u32::from_be_bytes(length.try_into().map_err(|_| truncated)?);
    if length > i32::MAX as u32 {
        return Err("a chunk length over 2³¹");
    }
    let end = 8 + length as usize;
    let typed = rest.get(4..end).ok_or(truncated)?;
    let crc = rest.get(end..end + 4).ok_or(truncated)?;
    if libdeflater::crc32(typed).to_be_bytes() != crc {
        return Err("a chunk's CRC does not match");
    }
    let kind: [u8; 4] = typed[..4].try_into().map_err(|_| truncated)?;
    if !kind.iter().all(u8::is_ascii_alphabetic) {
        return Err("a chunk type that is not four letters");
    }
    let chunk = Chunk {
        kind,
        body: &typed[4..],
    };
    Ok((chunk, &rest[end + 4..]))
}

/// The header's fields, refused unless they are a combination PNG allows.
fn read_header(body: &[u8]) -> Result<Header, &'static str> {
    if body.len() != 13 {
        return Err("an IHDR chunk of a wrong length");
    }
    let word = |at: usize| u32::from_be_bytes([body[at], body[at + 1], body[at + 2], body[at + 3]]);
    let (bit_depth, color_type) = (body[8], body[9]);
    let (compression, filter, interlace) = (body[10], body[11], body[12]);
    let allowed: &[u8] = match color_type {
        0 => &[1, 2, 4, 8, 16],
        3 => &[1, 2, 4, 8],
        2 | 4 | 6 => &[8, 16],
        _ => return Err("an unknown colour type"),
    };
    if !allowed.contains(&bit_depth) {
        return Err("a bit depth its colour type does not allow");
    }
    if compression != 0 || filter != 0 || interlace > 1 {
        return Err("an unknown compression, filter or interlace method");
    }
    Ok(Header {
        width: word(0),
        height: word(4),
        bit_depth,
        color_type,
        interlaced: interlace == 1,
    })
}

/// The largest rows buffer a thread keeps for its next image.
const KEPT_ROWS: usize = 16 << 20;

thread_local! {
    /// The last rows buffer of the thread (up to [`KEPT_ROWS`]): a fresh
    /// one is fresh pages, ~170 page faults for a 700 KB image, on every
    /// image a server's render reads.
    static ROWS: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Inflates the image data (its Adler-32 checked) into a buffer of
/// exactly the size the header predicts, and checks every row's filter
/// type; the rows are not unfiltered.
fn check_rows(header: Header, idat: &[u8]) -> Result<(), &'static str> {
    let size = usize::try_from(header.inflated_bytes()).map_err(|_| "too large")?;
    // One byte more than needed tells data that runs on from data that fits.
    let needed = size.checked_add(1).ok_or("too large")?;
    if needed > KEPT_ROWS {
        return check_rows_in(header, idat, &mut vec![0; needed]);
    }
    ROWS.with_borrow_mut(|kept| {
        if kept.len() < needed {
            // A fresh buffer: growing this one would copy what the last
            // image left, only to write over it.
            *kept = vec![0; needed];
        }
        // What an earlier image left is written over before it is read.
        check_rows_in(header, idat, &mut kept[..needed])
    })
}

/// [`check_rows`] with `rows`, one byte longer than the rows need.
fn check_rows_in(header: Header, idat: &[u8], rows: &mut [u8]) -> Result<(), &'static str> {
    let size = rows.len() - 1;
    let inflated = libdeflater::Decompressor::new()
        .zlib_decompress(idat, rows)
        .map_err(|e| match e {
            libdeflater::DecompressionError::BadData => "the image data does not inflate",
            libdeflater::DecompressionError::InsufficientSpace => {
                "more image data than its size needs"
            }
        })?;
    if inflated < size {
        return Err("less image data than its size needs");
    }
    if inflated > size {
        return Err("more image data than its size needs");
    }
    let mut at = 0usize;
    for (width, height) in header.passes() {
        if width == 0 {
            continue;
        }
        let stride = 1 + header.row_bytes(width) as usize;
        for _ in 0..height {
            if rows[at] > 4 {
                return Err("a row with an unknown filter type");
            }
            at += stride;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn encoded(image: image::DynamicImage) -> Vec<u8> {
        let mut bytes = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
            .unwrap();
        bytes
    }

    fn check(data: &[u8]) -> Result<(u32, u32), ImageError> {
        check_png(data, "t.png")
    }

    fn reason(data: &[u8]) -> String {
        match check(data) {
            Err(ImageError::Corrupt { reason, .. }) => reason,
            other => panic!("not refused as corrupt: {other:?}"),
        }
    }

    /// Rewrites chunk `kind`'s data with `edit` and fixes its CRC.
    fn edit_chunk(data: &[u8], kind: &[u8; 4], edit: impl Fn(&mut Vec<u8>)) -> Vec<u8> {
        let mut out = SIGNATURE.to_vec();
        let mut rest = &data[8..];
        while !rest.is_empty() {
            let (Chunk { kind: found, body }, after) = next_chunk(rest).unwrap();
            let mut body = body.to_vec();
            if found == *kind {
                edit(&mut body);
            }
            out.extend_from_slice(&(body.len() as u32).to_be_bytes());
            let typed = [&found[..], &body].concat();
            out.extend_from_slice(&typed);
            out.extend_from_slice(&libdeflater::crc32(&typed).to_be_bytes());
            rest = after;
        }
        out
    }

    /// The image data's zlib stream replaced by `rows`, compressed.
    fn with_rows(data: &[u8], rows: &[u8]) -> Vec<u8> {
        let mut compressor = libdeflater::Compressor::new(libdeflater::CompressionLvl::default());
        let mut packed = vec![0; compressor.zlib_compress_bound(rows.len())];
        let n = compressor.zlib_compress(rows, &mut packed).unwrap();
        packed.truncate(n);
        edit_chunk(data, b"IDAT", |body| *body = packed.clone())
    }

    /// An `IEND` chunk renamed to `kind`, with a real `IEND` after it.
    fn with_chunk_before_end(data: &[u8], kind: &[u8; 4]) -> Vec<u8> {
        let end = [0, 0, 0, 0, b'I', b'E', b'N', b'D'];
        let at = data.len() - 12;
        assert_eq!(data[at..at + 8], end);
        let mut out = data[..at + 4].to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(&libdeflater::crc32(kind).to_be_bytes());
        out.extend_from_slice(&data[at..]);
        out
    }

    #[test]
    fn accepts_what_the_encoder_writes_in_every_colour_type() {
        let rgb = image::RgbImage::from_fn(13, 7, |x, y| image::Rgb([x as u8, y as u8, 9]));
        let images = [
            image::DynamicImage::ImageRgb8(rgb.clone()),
            image::DynamicImage::ImageRgba8(image::DynamicImage::ImageRgb8(rgb.clone()).to_rgba8()),
            image::DynamicImage::ImageLuma8(image::DynamicImage::ImageRgb8(rgb.clone()).to_luma8()),
            image::DynamicImage::ImageLumaA8(
                image::DynamicImage::ImageRgb8(rgb.clone()).to_luma_alpha8(),
            ),
            image::DynamicImage::ImageRgb16(image::DynamicImage::ImageRgb8(rgb).to_rgb16()),
        ];
        for image in images {
            assert_eq!(check(&encoded(image)).unwrap(), (13, 7));
        }
    }

    #[test]
    fn sizes_interlaced_and_packed_rows_as_a_decoder_does() {
        // Adam7 passes of a 5×3 image: columns 1,1,2,1,3,2,5 over rows
        // 1,1,0,1,1,2,1.
        let header = Header {
            width: 5,
            height: 3,
            bit_depth: 1,
            color_type: 0,
            interlaced: true,
        };
        assert_eq!(
            header.passes(),
            [(1, 1), (1, 1), (2, 0), (1, 1), (3, 1), (2, 2), (5, 1)]
        );
        // Seven rows of 1-bit pixels, each a byte and its filter byte.
        assert_eq!(header.inflated_bytes(), 7 * 2);
        let wide = Header {
            width: 17,
            color_type: 2,
            bit_depth: 16,
            interlaced: false,
            ..header
        };
        assert_eq!(wide.inflated_bytes(), 3 * (1 + 17 * 6));
    }

    #[test]
    fn refuses_rows_that_do_not_match_the_header() {
        let png = encoded(image::DynamicImage::ImageRgb8(image::RgbImage::new(4, 2)));
        let row = [0u8; 13];
        assert!(reason(&with_rows(&png, &row)).contains("less image data"));
        assert!(reason(&with_rows(&png, &[row; 3].concat())).contains("more image data"));
        let mut bad_filter = [row; 2].concat();
        bad_filter[13] = 5;
        assert!(reason(&with_rows(&png, &bad_filter)).contains("filter type"));
        assert_eq!(check(&with_rows(&png, &[row; 2].concat())).unwrap(), (4, 2));
    }

    /// The `IDAT` chunk cut in two after its first `at` bytes, with
    /// `between` (a whole chunk, or nothing) between the two.
    fn with_idat_split(data: &[u8], at: usize, between: &[u8]) -> Vec<u8> {
        let chunk = |kind: &[u8], body: &[u8]| {
            let typed = [kind, body].concat();
            let length = (body.len() as u32).to_be_bytes();
            [
                &length[..],
                &typed,
                &libdeflater::crc32(&typed).to_be_bytes(),
            ]
            .concat()
        };
        let mut out = SIGNATURE.to_vec();
        let mut rest = &data[8..];
        while !rest.is_empty() {
            let (Chunk { kind, body }, after) = next_chunk(rest).unwrap();
            if kind == *b"IDAT" {
                out.extend(chunk(b"IDAT", &body[..at]));
                out.extend_from_slice(between);
                out.extend(chunk(b"IDAT", &body[at..]));
            } else {
                out.extend(chunk(&kind, body));
            }
            rest = after;
        }
        out
    }

    #[test]
    fn joins_image_data_split_over_chunks_and_refuses_it_interrupted() {
        let png = encoded(image::DynamicImage::ImageRgb8(image::RgbImage::new(4, 2)));
        assert_eq!(check(&with_idat_split(&png, 3, &[])).unwrap(), (4, 2));
        // An empty chunk first: the data still starts at the second.
        assert_eq!(check(&with_idat_split(&png, 0, &[])).unwrap(), (4, 2));
        let text = [
            &[0, 0, 0, 0][..],
            b"tEXt",
            &libdeflater::crc32(b"tEXt").to_be_bytes(),
        ]
        .concat();
        assert!(reason(&with_idat_split(&png, 3, &text)).contains("not consecutive"));
    }

    #[test]
    fn refuses_damaged_structure() {
        let png = encoded(image::DynamicImage::ImageRgb8(image::RgbImage::new(4, 2)));
        let mut flipped = png.clone();
        let last_idat_byte = flipped.len() - 12 - 5;
        flipped[last_idat_byte] ^= 0x55;
        assert!(reason(&flipped).contains("CRC"));
        let garbage = edit_chunk(&png, b"IDAT", |body| {
            body.iter_mut().for_each(|b| *b ^= 0xA5)
        });
        assert!(reason(&garbage).contains("does not inflate"));
        assert!(reason(&png[..png.len() - 12]).contains("cut short"));
        let deep_palette = edit_chunk(&png, b"IHDR", |body| body[9] = 3);
        assert!(reason(&deep_palette).contains("without a palette"));
        let odd_depth = edit_chunk(&png, b"IHDR", |body| body[8] = 4);
        assert!(reason(&odd_depth).contains("bit depth"));
        let critical = with_chunk_before_end(&png, b"ZZZZ");
        assert!(reason(&critical).contains("critical"));
        assert!(
            check(&with_chunk_before_end(&png, b"zzZz")).is_ok(),
            "ancillary"
        );
    }
}
