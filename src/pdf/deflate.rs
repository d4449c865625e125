//! Compression of the PDF's streams (content, fonts, decoded images, the
//! CMaps) in the zlib format that `/FlateDecode` reads, with libdeflate;
//! a preset font's fixed part is compressed once with flate2, which can end
//! it on a sync flush, as libdeflate cannot ([`deflate_part`]).
//!
//! Chosen by measurement on the content streams of the 1000-article
//! corpus (bench/README.md): libdeflate at level 1 compresses them to
//! 45 % in half the instructions of zlib-rs at level 1 (which leaves
//! 58 %), and at a fifth of zlib-rs at the level of the same size. Higher
//! levels gain 1–2 % of size for twice the time. One compressor per thread
//! is kept for good: setting one up costs more than compressing a page.

use std::cell::RefCell;
use std::ops::Range;

use flate2::{Compress, Compression, FlushCompress};

use libdeflater::{CompressionLvl, Compressor};

/// libdeflate's fastest level that compresses (0 only stores).
const LEVEL: CompressionLvl = match CompressionLvl::new(1) {
    Ok(level) => level,
    Err(_) => panic!("libdeflate has level 1"),
};

thread_local! {
    static COMPRESSOR: RefCell<Compressor> = RefCell::new(Compressor::new(LEVEL));
}

/// `data` compressed smaller, at libdeflate's level 9, for what is
/// compressed once and embedded many times (see [`super::presets`]); its
/// levels 10 to 12 take several times longer.
pub(super) fn deflate_smaller(data: &[u8]) -> Vec<u8> {
    let level = CompressionLvl::new(9).unwrap_or(LEVEL);
    zlib_with(&mut Compressor::new(level), data)
}

/// `data` compressed for `/FlateDecode`.
pub(super) fn deflate(data: &[u8]) -> Vec<u8> {
    COMPRESSOR.with_borrow_mut(|compressor| zlib_with(compressor, data))
}

/// `data` as raw deflate blocks at zlib's best level, none of them final,
/// ending on a byte boundary (a sync flush): a part compressed once, for
/// [`deflate_around`] to put in many streams. `None` if the compressor
/// fails.
pub(super) fn deflate_part(data: &[u8]) -> Option<Vec<u8>> {
    let mut compress = Compress::new(Compression::best(), false);
    // Room for stored blocks of the whole and the flush's marker.
    let mut out = Vec::with_capacity(data.len() + data.len() / 8 + 64);
    compress
        .compress_vec(data, &mut out, FlushCompress::Sync)
        .ok()?;
    let whole = compress.total_in() == data.len() as u64;
    (whole && out.ends_with(&SYNC_MARKER)).then_some(out)
}

/// The empty stored block a sync flush ends with.
const SYNC_MARKER: [u8; 4] = [0, 0, 0xFF, 0xFF];

/// `whole` compressed for `/FlateDecode`, where `whole[part]` was
/// compressed before, as `packed` by [`deflate_part`]: the bytes before
/// it are stored as they are (a sfnt's table directory: some hundred
/// bytes), those after it deflated now. The stream inflates to `whole`.
pub(super) fn deflate_around(whole: &[u8], part: Range<usize>, packed: &[u8]) -> Vec<u8> {
    let (before, after) = (&whole[..part.start], &whole[part.end..]);
    let mut out = Vec::with_capacity(before.len() + packed.len() + after.len() / 2 + 64);
    // CMF: deflate, 32 KB window; FLG: no dictionary, a multiple of 31.
    out.extend_from_slice(&[0x78, 0x01]);
    for block in before.chunks(usize::from(u16::MAX)) {
        let length = block.len() as u16;
        out.push(0); // not final, stored
        out.extend_from_slice(&length.to_le_bytes());
        out.extend_from_slice(&(!length).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend_from_slice(packed);
    COMPRESSOR.with_borrow_mut(|compressor| {
        let start = out.len();
        out.resize(start + compressor.deflate_compress_bound(after.len()), 0);
        // The buffer is as large as libdeflate's bound for the input.
        let written = compressor
            .deflate_compress(after, &mut out[start..])
            .expect("the output buffer holds the bound");
        out.truncate(start + written);
    });
    out.extend_from_slice(&libdeflater::adler32(whole).to_be_bytes());
    out
}

/// `data` as a zlib stream from `compressor`.
fn zlib_with(compressor: &mut Compressor, data: &[u8]) -> Vec<u8> {
    let mut out = vec![0; compressor.zlib_compress_bound(data.len())];
    // The buffer is as large as libdeflate's bound for the input.
    let written = compressor
        .zlib_compress(data, &mut out)
        .expect("the output buffer holds the bound");
    out.truncate(written);
    out
}

#[cfg(test)]
pub(in crate::pdf) mod tests {
    use super::*;

    #[test]
    fn round_trips_through_zlib() {
        let text = b"BT /F0 10.5 Tf 1 0 0 -1 60.945 105.833 Tm [(abc)-12(d)] TJ ET ".repeat(50);
        let packed = deflate(&text);
        assert!(packed.len() < text.len() / 5, "{} bytes", packed.len());
        let mut unpacked = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::ZlibDecoder::new(&packed[..]),
            &mut unpacked,
        )
        .expect("valid zlib");
        assert_eq!(unpacked, text);
        assert_eq!(deflate(b""), deflate(b""), "empty input is fine too");
    }

    /// `packed` inflated by zlib.
    pub(in crate::pdf) fn inflated(packed: &[u8]) -> Vec<u8> {
        let mut unpacked = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(packed), &mut unpacked)
            .expect("valid zlib");
        unpacked
    }

    #[test]
    fn a_part_compressed_once_goes_into_a_stream_between_the_rest() {
        let whole: Vec<u8> = (0..9000_u32)
            .flat_map(|i| (i * i % 251).to_le_bytes())
            .collect();
        for part in [200..20_000, 0..36_000, 0..0, 36_000..36_000, 70_000..70_000] {
            let part = part.start.min(whole.len())..part.end.min(whole.len());
            let packed = deflate_part(&whole[part.clone()]).expect("compresses");
            let stream = deflate_around(&whole, part, &packed);
            assert_eq!(inflated(&stream), whole);
        }
        // More than one stored block before the part.
        let long = vec![7; 70_000];
        let packed = deflate_part(b"tail").expect("compresses");
        let mut whole = long.clone();
        whole.extend_from_slice(b"tail");
        assert_eq!(
            inflated(&deflate_around(&whole, 70_000..70_004, &packed)),
            whole
        );
    }
}
