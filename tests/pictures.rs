//! Every kind of image file prints in its own colours: the image series
//! (tests/fixtures/image-series: an interlaced PNG, a 16-bit PNG, a
//! palette PNG with a transparent colour, an Adobe CMYK JPEG, a 16-bit
//! grey PNG with alpha) set as per-article PDFs and as a PDF/A-2b book,
//! rendered by poppler and looked at: each picture's four quadrants are
//! red, green, blue and yellow (or paper, where transparent) where the
//! file has them, and the grey one fades from black to paper.

use std::path::{Path, PathBuf};
use std::process::Command;

fn series() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/image-series")
}

fn iskra(args: &[&str]) {
    let output = Command::new(env!("CARGO_BIN_EXE_iskra"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("iskra runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A page rendered by poppler: width, height and RGB bytes; `None`
/// without poppler.
fn rendered(pdf: &Path, page: usize) -> Option<(usize, usize, Vec<u8>)> {
    let page = page.to_string();
    let output = Command::new("pdftoppm")
        .args(["-r", "72", "-f", &page, "-l", &page])
        .arg(pdf)
        .output()
        .ok()?;
    assert!(output.status.success(), "pdftoppm reads {}", pdf.display());
    // A binary PPM: "P6", width, height, 255, then the pixels.
    let data = output.stdout;
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while data[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !data[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&data[start..at]).into_owned());
    }
    let (width, height) = (fields[1].parse().ok()?, fields[2].parse().ok()?);
    Some((width, height, data[at + 1..].to_vec()))
}

/// What a pixel looks like: the one channel or pair that stands out.
#[derive(Debug, PartialEq)]
enum Hue {
    Red,
    Green,
    Blue,
    Yellow,
    Paper,
    Other,
}

fn hue([r, g, b]: [u8; 3]) -> Hue {
    let (r, g, b) = (i32::from(r), i32::from(g), i32::from(b));
    // Loose: poppler converts CMYK to RGB as print would, duller.
    let over = |a: i32, b: i32| a - b > 40;
    match () {
        _ if r > 220 && g > 220 && b > 220 => Hue::Paper,
        _ if over(r, b) && over(g, b) && (r - g).abs() < 80 => Hue::Yellow,
        _ if over(r, g) && over(r, b) => Hue::Red,
        _ if over(g, r) && over(g, b) => Hue::Green,
        _ if over(b, r) && over(b, g) => Hue::Blue,
        _ => Hue::Other,
    }
}

/// The hues at the middle of the four quadrants of the page's picture
/// (the box of its coloured pixels, which text in black never joins),
/// top left to bottom right.
fn quadrants(pdf: &Path) -> Option<Vec<Hue>> {
    let (width, height, pixels) = rendered(pdf, 1)?;
    let at = |x: usize, y: usize| {
        let i = 3 * (y * width + x);
        [pixels[i], pixels[i + 1], pixels[i + 2]]
    };
    let (mut x0, mut y0, mut x1, mut y1) = (width, height, 0, 0);
    for y in 0..height {
        for x in 0..width {
            if !matches!(hue(at(x, y)), Hue::Paper | Hue::Other) {
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
            }
        }
    }
    assert!(
        x1 > x0 + 20 && y1 > y0 + 20,
        "a picture on {}",
        pdf.display()
    );
    let (w, h) = (x1 - x0, y1 - y0);
    Some(
        [(1, 1), (3, 1), (1, 3), (3, 3)]
            .iter()
            .map(|&(fx, fy)| hue(at(x0 + w * fx / 4, y0 + h * fy / 4)))
            .collect(),
    )
}

/// The `pdfimages -list` rows of a PDF: type, colour space, bits.
fn images(pdf: &Path) -> Option<Vec<(String, String, String)>> {
    let output = Command::new("pdfimages")
        .arg("-list")
        .arg(pdf)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    Some(
        text.lines()
            .skip(2)
            .map(|line| {
                let f: Vec<&str> = line.split_whitespace().collect();
                (f[2].to_string(), f[5].to_string(), f[7].to_string())
            })
            .collect(),
    )
}

/// A `pdfimages -list` row as expected: type, colour space, bits.
type Expected = (&'static str, &'static str, &'static str);

const QUADRANTS: [Hue; 4] = [Hue::Red, Hue::Green, Hue::Blue, Hue::Yellow];

#[test]
fn every_kind_of_image_file_prints_in_its_own_colours() {
    let out = tempfile::tempdir().expect("temp dir");
    let cases: [(&str, [Hue; 4], &[Expected]); 4] = [
        // Decoded (PDF cannot read interlaced rows) and written plain.
        ("01-interlaced-png", QUADRANTS, &[("image", "rgb", "8")]),
        // Passed through, sixteen bits a channel.
        ("02-deep-png", QUADRANTS, &[("image", "rgb", "16")]),
        // The transparent colour becomes a soft mask: paper shows.
        (
            "03-palette-png",
            [Hue::Red, Hue::Green, Hue::Blue, Hue::Paper],
            &[("image", "rgb", "8"), ("smask", "gray", "8")],
        ),
        // Passed through as the JPEG it is, Adobe's inverted CMYK undone.
        ("04-cmyk-jpg", QUADRANTS, &[("image", "cmyk", "8")]),
    ];
    for (name, hues, objects) in cases {
        let article = series().join(format!("{name}.md"));
        let pdf = out.path().join(format!("{name}.pdf"));
        iskra(&[
            "pdf",
            article.to_str().unwrap(),
            "-o",
            pdf.to_str().unwrap(),
        ]);
        let Some(seen) = quadrants(&pdf) else {
            eprintln!("skipped: poppler is not installed");
            return;
        };
        assert_eq!(seen, hues, "{name}");
        let expected: Vec<(String, String, String)> = objects
            .iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
            .collect();
        assert_eq!(images(&pdf), Some(expected), "{name}");
    }
}

#[test]
fn a_grey_picture_with_alpha_fades_to_paper() {
    let out = tempfile::tempdir().expect("temp dir");
    let article = series().join("05-gray-alpha-png.md");
    let pdf = out.path().join("fading.pdf");
    iskra(&[
        "pdf",
        article.to_str().unwrap(),
        "-o",
        pdf.to_str().unwrap(),
    ]);
    let Some((width, height, pixels)) = rendered(&pdf, 1) else {
        eprintln!("skipped: poppler is not installed");
        return;
    };
    let grey = |x: usize, y: usize| {
        let i = 3 * (y * width + x);
        (u32::from(pixels[i]) + u32::from(pixels[i + 1]) + u32::from(pixels[i + 2])) / 3
    };
    // The picture's middle row: the row with the most ink, as no line of
    // text is that solid.
    let ink = |y: usize| (0..width).filter(|&x| grey(x, y) < 128).count();
    let row = (0..height).max_by_key(|&y| ink(y)).expect("a page");
    let left = (0..width).find(|&x| grey(x, row) < 250).expect("a picture");
    let right = (0..width)
        .rev()
        .find(|&x| grey(x, row) < 250)
        .expect("a picture");
    assert!(grey(left + 1, row) < 40, "black at the left");
    let quarter = (right - left) / 4;
    let (a, b, c) = (
        grey(left + quarter, row),
        grey(left + 2 * quarter, row),
        grey(left + 3 * quarter, row),
    );
    assert!(a < b && b < c && c > 150, "fading out: {a} {b} {c}");
    assert_eq!(
        images(&pdf),
        Some(vec![
            ("image".into(), "gray".into(), "8".into()),
            ("smask".into(), "gray".into(), "8".into()),
        ])
    );
}

#[test]
fn pdf_a_converts_cmyk_to_rgb_and_keeps_the_colours() {
    let out = tempfile::tempdir().expect("temp dir");
    iskra(&[
        "build",
        series().to_str().unwrap(),
        "--pdf",
        "--standard",
        "pdf-a-2b",
        "-o",
        out.path().to_str().unwrap(),
    ]);
    let pdf = out.path().join("image-series.pdf");
    let Some(list) = images(&pdf) else {
        eprintln!("skipped: poppler is not installed");
        return;
    };
    assert!(
        list.iter().all(|(_, space, _)| space != "cmyk"),
        "no device CMYK in PDF/A with an sRGB intent: {list:?}"
    );
    // The CMYK picture's article: find its page by its text.
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    let text = String::from_utf8_lossy(&text.stdout);
    let page = text
        .split('\u{c}')
        .position(|p| p.contains("cmyk.jpg"))
        .expect("the CMYK article")
        + 1;
    let single = out.path().join("page.pdf");
    let status = Command::new("qpdf")
        .arg(&pdf)
        .args(["--pages", ".", &page.to_string(), "--"])
        .arg(&single)
        .status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("skipped: qpdf is not installed");
        return;
    }
    assert_eq!(quadrants(&single), Some(QUADRANTS.into()));
}
