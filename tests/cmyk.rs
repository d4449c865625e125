//! A CMYK photograph: converted to RGB for the EPUB (reading systems show
//! four-colour JPEGs with wrong colours), kept as it is in the PDF.

use std::io::Read;
use std::process::Command;

const CMYK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cmyk.jpg");

#[test]
fn a_cmyk_photo_is_rgb_in_the_epub_and_unchanged_in_the_pdf() {
    let dir = tempfile::tempdir().expect("temp dir");
    let series = dir.path().join("s");
    std::fs::create_dir_all(series.join("images")).expect("dirs");
    let original = std::fs::read(CMYK).expect("fixture");
    std::fs::write(series.join("images/photo.jpg"), &original).expect("image");
    std::fs::write(
        series.join("a.md"),
        "---\ntitle: A title\ndate: 2017-04-11\n---\n\n![Cyan and magenta](images/photo.jpg)\n",
    )
    .expect("article");
    let output = Command::new(env!("CARGO_BIN_EXE_iskra"))
        .args(["build", "s", "-o", "out"])
        .current_dir(dir.path())
        .output()
        .expect("run iskra");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let epub = std::fs::File::open(dir.path().join("out/s.epub")).expect("epub");
    let mut zip = zip::ZipArchive::new(epub).expect("zip");
    let name = zip
        .file_names()
        .filter_map(Result::ok)
        .find(|n| n.ends_with(".jpg") && !n.contains("cover"))
        .expect("the photo in the EPUB")
        .to_string();
    let mut bytes = Vec::new();
    zip.by_name(&name)
        .expect("entry")
        .read_to_end(&mut bytes)
        .expect("read");
    assert_ne!(bytes, original, "converted");
    let photo = image::load_from_memory(&bytes).expect("decodes");
    assert_eq!(photo.color(), image::ColorType::Rgb8);
    let rgb = photo.to_rgb8();
    let near =
        |p: &image::Rgb<u8>, want: [u8; 3]| p.0.iter().zip(want).all(|(a, b)| a.abs_diff(b) < 40);
    assert!(
        near(rgb.get_pixel(4, 8), [0, 255, 255]),
        "cyan: {:?}",
        rgb.get_pixel(4, 8)
    );
    assert!(
        near(rgb.get_pixel(28, 8), [255, 0, 255]),
        "magenta: {:?}",
        rgb.get_pixel(28, 8)
    );

    let pdf = std::fs::read(dir.path().join("out/s.pdf")).expect("pdf");
    assert!(
        pdf.windows(original.len()).any(|w| w == original),
        "the PDF embeds the original JPEG"
    );
}
