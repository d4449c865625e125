//! Compression of the PDF's streams (content, fonts, decoded images, the
//! CMaps) in the zlib format that `/FlateDecode` reads, with libdeflate.
//!
//! Chosen by measurement on the content streams of the 1000-article
//! corpus (bench/README.md): libdeflate at level 1 compresses them to
//! 45 % in half the instructions of zlib-rs at level 1 (which leaves
//! 58 %), and at a fifth of zlib-rs at the level of the same size. Higher
//! levels gain 1–2 % of size for twice the time. One compressor per thread
//! is kept for good: setting one up costs more than compressing a page.

use std::cell::RefCell;

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
mod tests {
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
}
