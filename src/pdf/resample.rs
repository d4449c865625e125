//! Lanczos3 resampling of 8-bit images, row by row on rayon's threads.
//!
//! It gives the very bytes of the `image` crate's `resize` with
//! `FilterType::Lanczos3` (the same weights, summed in the same order, in
//! `f32`, through the same intermediate of the rows resampled first), but
//! each output row is made on its own from the input rows it needs: the
//! rows run side by side and every loop walks memory in order. A
//! downsampled image of the handbook took 61 % of its build on one thread.

use rayon::prelude::*;

/// The input pixels an output pixel is made of: from `first` on, one
/// weight each.
struct Taps {
    first: usize,
    weights: Vec<f32>,
}

/// `pixels`, `width` × `height` of `channels` bytes each, resampled to
/// `new_width` × `new_height` with a Lanczos3 filter (all zeros from an
/// empty image).
pub(super) fn lanczos3(
    pixels: &[u8],
    (width, height): (u32, u32),
    channels: usize,
    (new_width, new_height): (u32, u32),
) -> Vec<u8> {
    let out_stride = new_width as usize * channels;
    let mut out = vec![0; out_stride * new_height as usize];
    if width == 0 || height == 0 || out.is_empty() {
        return out;
    }
    let rows = taps(height, new_height);
    let columns = taps(width, new_width);
    let stride = width as usize * channels;
    out.par_chunks_mut(out_stride)
        .zip(rows.par_iter())
        .for_each_init(Vec::new, |across, (out_row, taps)| {
            resample_across(pixels, stride, taps, across);
            resample_along(across, channels, &columns, out_row);
        });
    out
}

/// The weights of the input pixels, from `from` in a line, for each of
/// `to`: the filter's support widened by the ratio when shrinking, centred
/// on each output pixel's centre, the weights scaled to sum to one.
fn taps(from: u32, to: u32) -> Vec<Taps> {
    const SUPPORT: f32 = 3.0;
    let ratio = from as f32 / to as f32;
    let widened = if ratio < 1.0 { 1.0 } else { ratio };
    let reach = SUPPORT * widened;
    let last = i64::from(from) - 1;
    (0..to)
        .map(|at| {
            let centre = (at as f32 + 0.5) * ratio;
            let first = ((centre - reach).floor() as i64).clamp(0, last);
            let end = ((centre + reach).ceil() as i64).clamp(first + 1, i64::from(from));
            // From a pixel's left edge, where the kernel's 0 is its centre.
            let centre = centre - 0.5;
            let mut weights: Vec<f32> = (first..end)
                .map(|i| lanczos3_kernel((i as f32 - centre) / widened))
                .collect();
            let sum = weights.iter().fold(0.0, |sum, w| sum + w);
            for w in &mut weights {
                *w /= sum;
            }
            Taps {
                first: first as usize,
                weights,
            }
        })
        .collect()
}

/// Into `across`: one row of the image resampled across rows (the
/// intermediate, in `f32`), from the rows `taps` names.
fn resample_across(pixels: &[u8], stride: usize, taps: &Taps, across: &mut Vec<f32>) {
    across.clear();
    across.resize(stride, 0.0);
    for (i, &w) in taps.weights.iter().enumerate() {
        let row = &pixels[(taps.first + i) * stride..][..stride];
        for (sum, &value) in across.iter_mut().zip(row) {
            *sum += f32::from(value) * w;
        }
    }
}

/// Into `out`: the row `across` resampled along, each value rounded to
/// the nearest byte.
fn resample_along(across: &[f32], channels: usize, columns: &[Taps], out: &mut [u8]) {
    for (pixel, taps) in out.chunks_exact_mut(channels).zip(columns) {
        for (channel, value) in pixel.iter_mut().enumerate() {
            let mut sum = 0.0_f32;
            for (i, &w) in taps.weights.iter().enumerate() {
                sum += across[(taps.first + i) * channels + channel] * w;
            }
            *value = nearest_byte(sum);
        }
    }
}

/// `value` clamped to a byte's range and rounded half away from zero, as
/// `f32::round` rounds, without its call: the fraction of a number below
/// 256 is exact in `f32`.
fn nearest_byte(value: f32) -> u8 {
    let value = value.clamp(0.0, 255.0);
    let whole = value as u8;
    if value - f32::from(whole) >= 0.5 {
        whole + 1
    } else {
        whole
    }
}

/// The Lanczos kernel of three lobes: a sinc windowed by a sinc three
/// times wider.
fn lanczos3_kernel(x: f32) -> f32 {
    const LOBES: f32 = 3.0;
    if x.abs() < LOBES {
        sinc(x) * sinc(x / LOBES)
    } else {
        0.0
    }
}

/// sin(πt) / πt, 1 at 0.
fn sinc(t: f32) -> f32 {
    let a = t * std::f32::consts::PI;
    if t == 0.0 { 1.0 } else { a.sin() / a }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::imageops::{FilterType, resize};
    use image::{GrayAlphaImage, RgbImage, RgbaImage};

    /// A busy test card: gradients and hard edges in every channel.
    fn card(width: u32, height: u32, channels: usize) -> Vec<u8> {
        (0..width * height)
            .flat_map(|i| {
                let (x, y) = (i % width, i / width);
                [
                    (x * 7 + y * 3) as u8,
                    if (x / 5 + y / 3) % 2 == 0 { 250 } else { 4 },
                    (x * y % 256) as u8,
                    (255 - x % 256) as u8,
                ]
                .into_iter()
                .take(channels)
            })
            .collect()
    }

    #[test]
    fn bytes_are_rounded_as_f32_round_rounds() {
        // Every halfway point and its neighbours, and a spread of the rest.
        let halves = (0..256).flat_map(|k| {
            let half = (k as f32 + 0.5).to_bits();
            [half - 1, half, half + 1]
        });
        for bits in halves.chain((0..=255.0_f32.to_bits()).step_by(9973)) {
            let value = f32::from_bits(bits);
            assert_eq!(nearest_byte(value), value.round() as u8, "{value}");
        }
        assert_eq!(nearest_byte(-3.0), 0);
        assert_eq!(nearest_byte(300.0), 255);
    }

    #[test]
    fn gives_the_image_crate_s_lanczos3_bytes() {
        for ((width, height), size) in [
            ((97, 61), (31, 20)),
            ((200, 150), (59, 44)),
            ((40, 30), (40, 9)),
            ((30, 40), (45, 50)),
            ((5, 1), (2, 1)),
        ] {
            let rgb = RgbImage::from_raw(width, height, card(width, height, 3)).unwrap();
            let theirs = resize(&rgb, size.0, size.1, FilterType::Lanczos3);
            assert_eq!(
                lanczos3(rgb.as_raw(), (width, height), 3, size),
                theirs.into_raw(),
                "rgb {width}x{height} -> {size:?}"
            );
            let rgba = RgbaImage::from_raw(width, height, card(width, height, 4)).unwrap();
            let theirs = resize(&rgba, size.0, size.1, FilterType::Lanczos3);
            assert_eq!(
                lanczos3(rgba.as_raw(), (width, height), 4, size),
                theirs.into_raw()
            );
            let gray = GrayAlphaImage::from_raw(width, height, card(width, height, 2)).unwrap();
            let theirs = resize(&gray, size.0, size.1, FilterType::Lanczos3);
            assert_eq!(
                lanczos3(gray.as_raw(), (width, height), 2, size),
                theirs.into_raw()
            );
        }
    }
}
