//! Every character prints: the multi-script series builds with and without
//! the system's fonts, a character no font has becomes a box with a
//! warning at its line, `check` says the same without typesetting, and the
//! PDF's text layer has every word in logical order.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Server, Site, article, pdf_text};

fn world() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/world-series")
}

/// Runs the binary; exit code and standard error.
fn iskra(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_iskra"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("iskra runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The PDF's text as `pdftotext` reads it, or `None` without poppler.
fn pdftotext(pdf: &Path) -> Option<String> {
    let output = Command::new("pdftotext")
        .args([pdf.to_str()?, "-"])
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Words of the multi-script article, in the order written, that the
/// bundled fonts alone print (no CJK, no emoji).
const BUNDLED_WORDS: &[&str] = &[
    "العمال",
    "متحدون",
    "عاش",
    "نضال",
    "סולידריות",
    "השובתים",
    "मज़दूर",
    "ज़िंदाबाद",
    "Αλληλεγγύη",
    "Советам",
    "Solidarność",
    "Wróbel",
    "Nguyễn",
    "Hương",
    "Yılmaz",
    "İstanbul",
    "₽",
    "₹",
    "€",
    "≤",
    "≠",
    "∞",
];

/// Asserts that each word is in `text`, each after the one before.
fn in_order(text: &str, words: &[&str]) {
    let mut from = 0;
    for word in words {
        match text[from..].find(word) {
            Some(at) => from += at + word.len(),
            None => panic!("`{word}` missing or out of order after byte {from}:\n{text}"),
        }
    }
}

#[test]
fn without_system_fonts_missing_characters_are_boxes_with_warnings_and_text_survives() {
    let out = tempfile::tempdir().expect("temp dir");
    let series = world();
    let (code, stderr) = iskra(&[
        "build",
        series.to_str().unwrap(),
        "--ignore-system-fonts",
        "-o",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "03-voices.md:18:39: warning: U+5168 CJK UNIFIED IDEOGRAPH-5168 (全) is in no available font; printed as a box"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("hint: install a font that has it, e.g. Noto Serif CJK (Debian: apt-get install fonts-noto-cjk)"), "{stderr}");
    assert!(
        stderr.contains("U+1F3FF EMOJI MODIFIER FITZPATRICK TYPE-6 (🏿)"),
        "{stderr}"
    );
    // One warning per missing character, the same as `check` gives.
    let warnings = stderr.matches("is in no available font").count();
    let (code, checked) = iskra(&["check", series.to_str().unwrap(), "--ignore-system-fonts"]);
    assert_eq!(code, 0, "{checked}");
    assert_eq!(
        checked.matches("is in no available font").count(),
        warnings,
        "{checked}"
    );
    let pdf = out.path().join("world-series.pdf");
    assert!(out.path().join("world-series.epub").exists());
    let Some(text) = pdftotext(&pdf) else { return };
    in_order(&text, BUNDLED_WORDS);
    // The boxes stand for the characters: nothing is lost from the text.
    in_order(&text, &["全世界工人团结起来", "노동자는", "✊🏿"]);
}

#[test]
fn with_the_system_fonts_every_script_has_a_font() {
    // Only where the Noto CJK and emoji packages are installed (CI
    // installs them; the test above covers a machine without).
    let cjk = Path::new("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc");
    let emoji = Path::new("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf");
    if !cjk.exists() || !emoji.exists() {
        eprintln!("skipped: fonts-noto-cjk and fonts-noto-color-emoji are not installed");
        return;
    }
    let out = tempfile::tempdir().expect("temp dir");
    let series = world();
    let (code, stderr) = iskra(&[
        "build",
        series.to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("is in no available font"), "{stderr}");
    let pdf = out.path().join("world-series.pdf");
    // The colour emoji are drawn from their bitmaps, as Type 3 fonts.
    let bytes = std::fs::read(&pdf).expect("the PDF");
    assert!(
        bytes.windows(14).any(|w| w == b"/Subtype/Type3"),
        "the emoji face is a Type 3 font"
    );
    let Some(text) = pdftotext(&pdf) else {
        return;
    };
    in_order(&text, BUNDLED_WORDS);
    in_order(&text, &["全世界工人团结起来", "労働者", "노동자는"]);
    // Copied text gives the emoji back, skin tones and all (poppler puts
    // a Type 3 font's words on a line of their own, so not in order).
    for emoji in ["👍", "✊🏿", "👍🏻", "❤"] {
        assert!(text.contains(emoji), "{emoji} in {text}");
    }
}

/// A copy of the world series whose `series.toml` has `title` and
/// `subtitle`, which the covers letter.
fn world_titled(title: &str, subtitle: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(world()).expect("the world series") {
        let path = entry.expect("an entry").path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).expect("copied");
    }
    std::fs::write(
        dir.path().join("series.toml"),
        format!(
            "title = \"{title}\"\nsubtitle = \"{subtitle}\"\npublisher = \"Socialist Worker\"\nlanguage = \"en\"\n"
        ),
    )
    .expect("series.toml written");
    dir
}

#[test]
fn a_character_of_series_toml_no_font_has_is_reported_at_its_place_by_build_and_check() {
    let series = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        series.path().join("series.toml"),
        "publisher = \"Socialist Worker\"\ntitle = \"Signs \u{13000} of 1917\"\n",
    )
    .expect("series.toml written");
    std::fs::write(
        series.path().join("01.md"),
        "---\ntitle: Dual power\ndate: 2017-04-11\n---\n\nThe workers.\n",
    )
    .expect("article written");
    let toml = series.path().join("series.toml");
    let expected = format!(
        "{}:2:16: warning: U+13000 EGYPTIAN HIEROGLYPH A001 (\u{13000}) is in no available font; printed as a box",
        toml.display()
    );
    let dir = series.path().to_str().unwrap();
    let (code, checked) = iskra(&["check", dir, "--ignore-system-fonts"]);
    assert_eq!(code, 0, "{checked}");
    assert_eq!(checked.matches(&expected).count(), 1, "{checked}");
    assert!(checked.contains("1 warnings"), "{checked}");
    let out = tempfile::tempdir().expect("temp dir");
    let (code, built) = iskra(&[
        "build",
        dir,
        "--pdf",
        "--ignore-system-fonts",
        "-o",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{built}");
    assert_eq!(built.matches(&expected).count(), 1, "{built}");
    assert_eq!(
        built.matches("is in no available font").count(),
        1,
        "{built}"
    );
}

#[test]
fn the_print_cover_letters_other_scripts_in_the_fallback_fonts() {
    // Arabic, Hebrew and Devanagari are in the bundled fallback faces and
    // not in Gentium: the same cover on every machine.
    let series = world_titled("Workers: عمال العالم", "Voices: שלום, नमस्ते");
    let out = tempfile::tempdir().expect("temp dir");
    let (code, stderr) = iskra(&[
        "cover",
        series.path().to_str().unwrap(),
        "--ignore-system-fonts",
        "-o",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let name = format!(
        "{}-cover.pdf",
        series.path().file_name().unwrap().to_str().unwrap()
    );
    let pdf = out.path().join(name);
    let bytes = std::fs::read(&pdf).expect("the cover");
    for face in ["NotoNaskhArabic", "NotoSerifHebrew", "NotoSerifDevanagari"] {
        assert!(
            bytes.windows(face.len()).any(|w| w == face.as_bytes()),
            "{face} is not in the cover"
        );
    }
    let Some(text) = pdftotext(&pdf) else { return };
    for word in ["عمال", "العالم", "שלום", "नमस्ते"] {
        assert!(text.contains(word), "{word} in {text}");
    }
}

#[test]
fn the_drawn_ebook_cover_takes_cjk_and_emoji_from_the_system_fonts() {
    // The cover image is drawn by Iskra's raster backend, which must read
    // a face inside a font collection (Noto CJK is a .ttc) and draw an
    // emoji face's bitmaps.
    let cjk = Path::new("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc");
    let emoji = Path::new("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf");
    if !cjk.exists() || !emoji.exists() {
        eprintln!("skipped: fonts-noto-cjk and fonts-noto-color-emoji are not installed");
        return;
    }
    let series = world_titled("全世界工人团结起来 ✊", "Voices in their own words");
    let out = tempfile::tempdir().expect("temp dir");
    let (code, stderr) = iskra(&[
        "build",
        series.path().to_str().unwrap(),
        "--epub",
        "-o",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("is in no available font"), "{stderr}");
    let name = format!(
        "{}.epub",
        series.path().file_name().unwrap().to_str().unwrap()
    );
    let epub = std::fs::File::open(out.path().join(name)).expect("the EPUB");
    let mut archive = zip::ZipArchive::new(epub).expect("a zip file");
    let mut png = Vec::new();
    std::io::Read::read_to_end(
        &mut archive
            .by_name("EPUB/images/cover.png")
            .expect("a drawn cover"),
        &mut png,
    )
    .expect("the cover reads");
    let cover = image::load_from_memory(&png).expect("a PNG").to_rgb8();
    // The ground is red and the lettering white: yellow is the fist.
    let yellow = cover
        .pixels()
        .filter(|p| p[0] > 200 && p[1] > 150 && p[2] < 90)
        .count();
    assert!(
        yellow > 500,
        "{yellow} yellow pixels: the emoji is not drawn"
    );
}

#[test]
fn pointed_hebrew_and_vocalised_arabic_copy_in_logical_order() {
    // A letter with its points or vowel marks is a cluster of several
    // glyphs, drawn in visual order like the rest of right-to-left text;
    // poppler reverses the cluster's text with the word, so it must be
    // carried backwards (poppler also puts a space after some marks).
    let dir = tempfile::tempdir().expect("temp dir");
    let article = dir.path().join("points.md");
    std::fs::write(
        &article,
        "---\ntitle: Points\ndate: 2017-05-01\n---\n\nShalom: שָׁלוֹם. بسم الله، قال مُحَمَّد.\n",
    )
    .expect("write");
    let pdf = dir.path().join("points.pdf");
    let (code, stderr) = iskra(&[
        "pdf",
        article.to_str().unwrap(),
        "--ignore-system-fonts",
        "-o",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let Some(text) = pdftotext(&pdf) else { return };
    let letters: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for word in ["שָׁלוֹם", "الله", "مُحَمَّد"] {
        assert!(letters.contains(word), "`{word}` not in order:\n{text}");
    }
}

#[test]
fn a_per_article_pdf_with_a_character_no_font_has_is_written_with_a_warning() {
    let dir = tempfile::tempdir().expect("temp dir");
    let article = dir.path().join("signs.md");
    std::fs::write(
        &article,
        "---\ntitle: Signs\ndate: 2017-05-01\n---\n\nA hieroglyph: \u{13000} and a bell\u{7} here.\n",
    )
    .expect("write");
    let pdf = dir.path().join("signs.pdf");
    let (code, stderr) = iskra(&[
        "pdf",
        article.to_str().unwrap(),
        "--ignore-system-fonts",
        "-o",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("signs.md:6:15: warning: U+13000 EGYPTIAN HIEROGLYPH A001 (\u{13000}) is in no available font; printed as a box"),
        "{stderr}"
    );
    assert!(
        stderr
            .contains("signs.md:6:27: warning: control character U+0007 BELL is not text; dropped"),
        "{stderr}"
    );
    let Some(text) = pdftotext(&pdf) else { return };
    assert!(
        text.contains("hieroglyph: \u{13000} and a bell here."),
        "{text}"
    );
}

/// The render warnings the service has logged for the article at `path`.
fn logged_warnings(server: &Server, path: &str) -> Vec<String> {
    server
        .log()
        .into_iter()
        .filter(|l| l.contains("event=render-warning") && l.contains(path))
        .collect()
}

#[test]
fn the_service_takes_fallback_fonts_and_system_fonts_from_series_toml() {
    // The family is Gentium alone (no mono face stands in); Armenian is in
    // DejaVu Sans Mono, named as a fallback font, and in no bundled face;
    // 全 is only in the system's CJK fonts, which the series turns off:
    // the same PDF on every machine.
    let site = Site::new();
    let repo_font = |name: &str| {
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fonts")
                .join(name),
        )
        .expect("a font of the repository")
    };
    site.write_bytes(
        "site/world/family/GentiumBookPlus-Regular.ttf",
        &repo_font("GentiumBookPlus-Regular.ttf"),
    );
    site.write_bytes(
        "site/world/fonts/extra.ttf",
        &repo_font("DejaVuSansMono.ttf"),
    );
    site.write(
        "site/world/series.toml",
        "title = \"World\"\n\n[print]\nfont-dir = \"family\"\nsystem-fonts = false\nfallback-fonts = [\"fonts/extra.ttf\"]\n",
    );
    site.write(
        "site/world/01-greetings.md",
        &article("Greetings", "From Yerevan: Բարեւ. From Shanghai: 全."),
    );
    site.settle();
    let server = Server::start(&site.root(), &[]);
    let reply = server.get("/articles/world/01-greetings.pdf");
    assert_eq!(reply.status, 200, "{reply:?}");
    let log = server.log_once(|_| logged_warnings(&server, "01-greetings.md").len() == 1);
    let warnings = logged_warnings(&server, "01-greetings.md");
    assert_eq!(warnings.len(), 1, "{log:#?}");
    assert!(
        warnings[0].contains("01-greetings.md:6:37: warning: U+5168 CJK UNIFIED IDEOGRAPH-5168"),
        "{warnings:?}"
    );
    if let Some(text) = pdf_text(&reply.body) {
        assert!(text.contains("Բարեւ") && text.contains('全'), "{text}");
    }

    // The fallback font changes to one without Armenian: the article is
    // set again, and Armenian is a box with a warning at its line.
    site.write_bytes(
        "site/world/fonts/extra.ttf",
        &repo_font("NotoSansSymbols2-Regular.ttf"),
    );
    site.settle();
    let again = server.get("/articles/world/01-greetings.pdf");
    assert_eq!(again.status, 200, "{again:?}");
    assert_ne!(again.body, reply.body);
    let names_ben = |server: &Server| {
        logged_warnings(server, "01-greetings.md").iter().any(|w| {
            w.contains("01-greetings.md:6:15: warning: U+0532 ARMENIAN CAPITAL LETTER BEN")
        })
    };
    let log = server.log_once(|_| names_ben(&server));
    assert!(names_ben(&server), "{log:#?}");
    if let Some(text) = pdf_text(&again.body) {
        assert!(text.contains("Բարեւ") && text.contains('全'), "{text}");
    }
}

#[test]
fn the_service_can_ignore_the_system_fonts() {
    let site = Site::new();
    site.write(
        "site/world/01-greetings.md",
        &article("Greetings", "From Shanghai: 全世界工人团结起来."),
    );
    site.settle();
    let server = Server::start(&site.root(), &["--ignore-system-fonts"]);
    let reply = server.get("/articles/world/01-greetings.pdf");
    assert_eq!(reply.status, 200, "{reply:?}");
    let names_5168 = |server: &Server| {
        logged_warnings(server, "01-greetings.md")
            .iter()
            .any(|w| w.contains("01-greetings.md:6:16: warning: U+5168 CJK UNIFIED IDEOGRAPH-5168"))
    };
    let log = server.log_once(|_| names_5168(&server));
    assert!(names_5168(&server), "{log:#?}");
    if let Some(text) = pdf_text(&reply.body) {
        assert!(text.contains("全世界工人团结起来"), "{text}");
    }
}

#[test]
fn the_service_refuses_a_fallback_font_outside_the_articles_folder() {
    let site = Site::new();
    let mono = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts/DejaVuSansMono.ttf");
    site.write_bytes("outside.ttf", &std::fs::read(mono).expect("the mono face"));
    site.write(
        "site/world/series.toml",
        "title = \"World\"\n\n[print]\nfallback-fonts = [\"../../outside.ttf\"]\n",
    );
    site.write(
        "site/world/01-greetings.md",
        &article("Greetings", "From Yerevan: Բարեւ."),
    );
    site.settle();
    let server = Server::start(&site.root(), &[]);
    let reply = server.get("/articles/world/01-greetings.pdf");
    assert_eq!(reply.status, 500, "{reply:?}");
    let failed = |log: &[String]| {
        log.iter().any(|l| {
            l.contains("event=render-failed")
                && l.contains("fallback font `../../outside.ttf` leads outside the articles folder")
        })
    };
    let log = server.log_once(failed);
    assert!(failed(&log), "{log:#?}");
}
