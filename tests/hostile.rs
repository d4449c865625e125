//! Broken and hostile input: every case must end in a clear diagnostic with
//! file and line and exit code 1 (or, where that is the right answer, a
//! valid output and a warning), never a panic, never a hang, and never a
//! half-written output file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A run far beyond what any of these inputs should take: a guard against
/// hangs, not a speed measurement (speed is measured by `make bench`).
const HANG_GUARD: Duration = Duration::from_secs(20);

const GOOD_FRONT: &str = "---\ntitle: A title\ndate: 2017-04-11\n---\n";

struct Run {
    code: i32,
    stderr: String,
    out: PathBuf,
    _dir: tempfile::TempDir,
}

impl Run {
    fn outputs(&self) -> Vec<PathBuf> {
        std::fs::read_dir(&self.out)
            .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default()
    }

    /// Exit 1, a diagnostic naming `file:line`, and nothing written.
    fn assert_refused(&self, file: &str, line: u32, words: &str) {
        assert_eq!(self.code, 1, "exit code; stderr:\n{}", self.stderr);
        let located = format!("{file}:{line}:");
        assert!(
            self.stderr
                .lines()
                .any(|l| l.contains(&located) && l.contains("error:") && l.contains(words)),
            "expected an error at {located} mentioning {words:?}; stderr:\n{}",
            self.stderr
        );
        assert!(
            self.outputs().is_empty(),
            "output left behind: {:?}",
            self.outputs()
        );
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
    }
}

/// Writes the files (path, bytes) into a fresh series folder and builds it.
fn build(files: &[(&str, &[u8])]) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let series = dir.path().join("series");
    std::fs::create_dir_all(series.join("images")).expect("series dir");
    for (path, bytes) in files {
        let target = series.join(path);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("dirs");
        std::fs::write(target, bytes).expect("write fixture");
    }
    let out = dir.path().join("out");
    let args = [
        "build".to_string(),
        path_str(&series),
        "-o".to_string(),
        path_str(&out),
    ];
    run_iskra(
        &args.iter().map(String::as_str).collect::<Vec<_>>(),
        dir,
        out,
    )
}

fn path_str(path: &Path) -> String {
    path.to_str().expect("utf-8 path").to_string()
}

fn run_iskra(args: &[&str], dir: tempfile::TempDir, out: PathBuf) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_iskra"))
        .args(args)
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run iskra");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if started.elapsed() > HANG_GUARD {
            let _ = child.kill();
            panic!("iskra {args:?} did not finish within {HANG_GUARD:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let output = child.wait_with_output().expect("output");
    Run {
        code: output.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        out,
        _dir: dir,
    }
}

fn article(front: &str, body: &str) -> Vec<u8> {
    format!("{front}\n{body}\n").into_bytes()
}

/// A PNG of `width` × `height` pixels.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbImage::from_pixel(width, height, image::Rgb([120, 30, 30]))
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .expect("encode png");
    bytes
}

/// A real 1×1 PNG whose header is rewritten to claim `width` × `height`
/// (a decompression bomb would carry a small IDAT that inflates to gigabytes).
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = png(1, 1);
    // Signature (8), IHDR length (4), "IHDR" (4), then width and height.
    bytes[16..20].copy_from_slice(&width.to_be_bytes());
    bytes[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn missing_title() {
    let run = build(&[("a.md", &article("---\ndate: 2017-04-11\n---", "Text."))]);
    run.assert_refused("a.md", 1, "title");
}

#[test]
fn missing_date() {
    let run = build(&[("a.md", &article("---\ntitle: T\n---", "Text."))]);
    run.assert_refused("a.md", 1, "date");
}

#[test]
fn ill_typed_keys_are_all_reported() {
    let run = build(&[(
        "a.md",
        &article(
            "---\ntitle: T\ndate: 2017-04-11\npart: two\nissue: [1, 2]\n---",
            "Text.",
        ),
    )]);
    run.assert_refused("a.md", 4, "part");
    run.assert_refused("a.md", 5, "issue");
}

#[test]
fn impossible_date() {
    let run = build(&[(
        "a.md",
        &article("---\ntitle: T\ndate: 2017-02-30\n---", "Text."),
    )]);
    run.assert_refused("a.md", 3, "not a date that exists");
}

#[test]
fn unterminated_front_matter() {
    let run = build(&[(
        "a.md",
        b"---\ntitle: T\ndate: 2017-04-11\n\nBody without a closing line.\n",
    )]);
    run.assert_refused("a.md", 1, "never closed");
}

#[test]
fn no_front_matter() {
    let run = build(&[("a.md", b"# Just Markdown\n\nText.\n")]);
    run.assert_refused("a.md", 1, "no front matter");
}

#[test]
fn invalid_utf8() {
    let mut bytes = article(GOOD_FRONT, "First line.\nSecond line with a bad byte: ");
    bytes.extend_from_slice(&[0xC3, 0x28, b'\n']);
    let run = build(&[("a.md", &bytes)]);
    run.assert_refused("a.md", 8, "UTF-8");
}

#[test]
fn missing_image() {
    let run = build(&[(
        "a.md",
        &article(GOOD_FRONT, "Text.\n\n![A picture](images/none.png)"),
    )]);
    run.assert_refused("a.md", 8, "does not exist");
}

#[test]
fn corrupt_image() {
    let mut broken = png(40, 30);
    broken.truncate(broken.len() / 2);
    let run = build(&[
        ("a.md", &article(GOOD_FRONT, "![A picture](images/cut.png)")),
        ("images/cut.png", &broken),
    ]);
    run.assert_refused("a.md", 6, "corrupt");
}

#[test]
fn image_that_is_not_an_image() {
    let run = build(&[
        ("a.md", &article(GOOD_FRONT, "![A picture](images/x.png)")),
        ("images/x.png", b"<html>not a picture</html>"),
    ]);
    run.assert_refused("a.md", 6, "not a JPEG or PNG");
}

#[test]
fn png_claiming_sixty_thousand_pixels_a_side() {
    let bomb = png_claiming(60_000, 60_000);
    let run = build(&[
        ("a.md", &article(GOOD_FRONT, "![Huge](images/huge.png)")),
        ("images/huge.png", &bomb),
    ]);
    run.assert_refused("a.md", 6, "60000×60000");
}

#[test]
fn image_paths_escaping_the_series_folder() {
    for path in [
        "../outside.png",
        "images/../../outside.png",
        "/etc/hostname",
        "https://example.org/a.png",
    ] {
        let body = format!("![Escape]({path})");
        let run = build(&[
            ("a.md", &article(GOOD_FRONT, &body)),
            ("../outside.png", &png(2, 2)),
        ]);
        assert_eq!(run.code, 1, "{path}: {}", run.stderr);
        assert!(run.stderr.contains("a.md:6:"), "{path}: {}", run.stderr);
        assert!(run.outputs().is_empty());
    }
}

#[cfg(unix)]
#[test]
fn symbolic_link_leading_out_of_the_series() {
    let dir = tempfile::tempdir().expect("temp dir");
    let series = dir.path().join("series");
    std::fs::create_dir_all(series.join("images")).expect("dirs");
    std::fs::write(dir.path().join("secret.png"), png(2, 2)).expect("secret");
    std::os::unix::fs::symlink(
        dir.path().join("secret.png"),
        series.join("images/link.png"),
    )
    .expect("symlink");
    std::fs::write(
        series.join("a.md"),
        article(GOOD_FRONT, "![Link](images/link.png)"),
    )
    .expect("article");
    let out = dir.path().join("out");
    let args = [
        "build".to_string(),
        path_str(&series),
        "-o".to_string(),
        path_str(&out),
    ];
    let run = run_iskra(
        &args.iter().map(String::as_str).collect::<Vec<_>>(),
        dir,
        out,
    );
    run.assert_refused("a.md", 6, "outside the series folder");
}

#[test]
fn lead_image_missing() {
    let run = build(&[(
        "a.md",
        &article(
            "---\ntitle: T\ndate: 2017-04-11\nimage: images/lead.jpg\ncaption: C\n---",
            "Text.",
        ),
    )]);
    run.assert_refused("a.md", 4, "does not exist");
}

#[test]
fn yaml_alias_bomb() {
    let mut front = String::from("---\ntitle: T\ndate: 2017-04-11\na: &a [x,x,x,x,x,x,x,x,x,x]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let (prev, name) = (pair[0], pair[1]);
        let refs = vec![format!("*{prev}"); 10].join(",");
        front.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    front.push_str("---");
    let run = build(&[("a.md", &article(&front, "Text."))]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("a.md:") && run.stderr.contains("expands too far"),
        "{}",
        run.stderr
    );
    assert!(run.outputs().is_empty());
}

#[test]
fn quotes_nested_thousands_deep() {
    let body = format!("{} deep", ">".repeat(5000));
    let run = build(&[("a.md", &article(GOOD_FRONT, &body))]);
    run.assert_refused("a.md", 6, "nesting deeper");
}

#[test]
fn lists_nested_thousands_deep() {
    let mut body = String::new();
    for depth in 0..2000 {
        body.push_str(&"  ".repeat(depth));
        body.push_str("- item\n");
    }
    let run = build(&[("a.md", &article(GOOD_FRONT, &body))]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("nesting deeper"), "{}", run.stderr);
    assert!(run.outputs().is_empty());
}

#[test]
fn huge_file() {
    let body = "All work and no play. ".repeat(400_000);
    let run = build(&[("a.md", &article(GOOD_FRONT, &body))]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("a.md: error: file is") && run.stderr.contains("limit"),
        "{}",
        run.stderr
    );
    assert!(run.outputs().is_empty());
}

#[test]
fn front_matter_that_is_not_a_mapping() {
    let run = build(&[("a.md", &article("---\n- title\n- date\n---", "Text."))]);
    run.assert_refused("a.md", 2, "key: value");
}

#[test]
fn every_broken_article_is_reported_in_one_run() {
    let run = build(&[
        (
            "a.md",
            &article("---\ntitle: A\ndate: 2017-13-01\n---", "Text."),
        ),
        ("b.md", &article("---\ndate: 2017-04-11\n---", "Text.")),
        ("c.md", &article(GOOD_FRONT, "Fine.")),
    ]);
    run.assert_refused("a.md", 3, "date");
    run.assert_refused("b.md", 1, "title");
}

#[test]
fn bad_series_toml() {
    let run = build(&[
        (
            "series.toml",
            b"title = \"x\"\n[print]\nfont-size = \"big\"\n",
        ),
        ("a.md", &article(GOOD_FRONT, "Text.")),
    ]);
    run.assert_refused("series.toml", 3, "");
}

#[test]
fn markup_in_titles_is_text_not_markup() {
    let front = "---\ntitle: \"<script>alert('x')</script> & <b>bold</b>\"\nstandfirst: \"</p><p>\"\ndate: 2017-04-11\n---";
    let run = build(&[("a.md", &article(front, "Text & <i>more</i> text."))]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("raw HTML is not rendered"),
        "{}",
        run.stderr
    );
    let pdf = run.out.join("series.pdf");
    assert!(pdf.exists(), "{:?}", run.outputs());
    let bytes = std::fs::read(&pdf).expect("pdf");
    assert!(bytes.starts_with(b"%PDF-"));
}

#[test]
fn unknown_keys_and_raw_html_are_warnings() {
    let run = build(&[(
        "a.md",
        &article(
            "---\ntitle: T\ndate: 2017-04-11\ncolour: red\n---",
            "A <span>b</span> c.",
        ),
    )]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("a.md:4:1: warning: unknown front matter key `colour`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_folder_without_articles() {
    let run = build(&[("notes.txt", b"nothing here")]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("holds no articles"), "{}", run.stderr);
    assert!(run.outputs().is_empty());
}

#[test]
fn usage_errors_exit_with_two() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let run = run_iskra(&["build", "x", "--page-size", "huge"], dir, out);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("unknown page size"), "{}", run.stderr);
}

#[test]
fn check_writes_nothing_and_reports() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("a.md");
    let mut file = std::fs::File::create(&path).expect("create");
    file.write_all(&article("---\ntitle: T\n---", "x"))
        .expect("write");
    let out = dir.path().join("out");
    let args = ["check".to_string(), path_str(&path)];
    let run = run_iskra(
        &args.iter().map(String::as_str).collect::<Vec<_>>(),
        dir,
        out,
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("a.md:1:1: error: missing required key `date`"),
        "{}",
        run.stderr
    );
}

#[test]
fn check_of_a_folder_of_series_checks_each() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (series, front) in [("good", GOOD_FRONT), ("bad", "---\ntitle: T\n---\n")] {
        let folder = dir.path().join("articles").join(series);
        std::fs::create_dir_all(&folder).expect("dir");
        std::fs::write(folder.join("a.md"), article(front, "Text.")).expect("write");
    }
    // Notes beside the series are not an article.
    std::fs::write(dir.path().join("articles/README.md"), "# Notes\n").expect("write");
    let out = dir.path().join("out");
    let run = run_iskra(&["check", "articles"], dir, out);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("bad/a.md:1:1: error: missing required key `date`"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("holds no articles"), "{}", run.stderr);
}

/// The hostile inputs above never leave temporary files either.
#[test]
fn no_temporary_files_after_a_failed_write() {
    let dir = tempfile::tempdir().expect("temp dir");
    let series = dir.path().join("series");
    std::fs::create_dir_all(&series).expect("dir");
    std::fs::write(series.join("a.md"), article(GOOD_FRONT, "Text.")).expect("write");
    // The output folder is a file: writing must fail cleanly.
    let out = dir.path().join("out");
    std::fs::write(&out, b"in the way").expect("blocker");
    let args = [
        "build".to_string(),
        path_str(&series),
        "-o".to_string(),
        path_str(&out),
        "--pdf".to_string(),
    ];
    let run = run_iskra(
        &args.iter().map(String::as_str).collect::<Vec<_>>(),
        dir,
        out.clone(),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("cannot write"), "{}", run.stderr);
    let parent = out.parent().map(Path::to_path_buf).expect("parent");
    let leftovers: Vec<_> = std::fs::read_dir(parent)
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

/// An autolink of 100,000 bytes spans hundreds of lines; each line's link
/// would carry the whole address (hundreds of MB of PDF). It is set as text
/// with a warning, and the book stays small.
#[test]
fn a_huge_link_target_is_set_as_text() {
    let url = format!("<https://example.com/{}>", "a".repeat(100_000));
    let run = build(&[("a.md", &article(GOOD_FRONT, &url))]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("a.md:6:1: warning: link target is 100020 bytes long"),
        "{}",
        run.stderr
    );
    let pdf = run.out.join("series.pdf");
    let size = std::fs::metadata(&pdf).expect("pdf written").len();
    assert!(size < 2_000_000, "PDF of {size} bytes");
}

/// A PNG header claiming `width` × `height` pixels of 16-bit RGBA (8 bytes
/// a pixel), as a 100-megapixel scan would.
fn png_claiming_16_bit_rgba(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = png_claiming(width, height);
    bytes[24] = 16; // bit depth
    bytes[25] = 6; // colour type: RGBA
    let crc = crc32(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

#[test]
fn images_over_the_pixel_budget_are_refused_before_decoding() {
    // 64 megapixels: over the 50-megapixel budget.
    let run = build(&[
        ("a.md", &article(GOOD_FRONT, "![Big](images/big.png)")),
        ("images/big.png", &png_claiming(8000, 8000)),
    ]);
    run.assert_refused("a.md", 6, "8000×8000 pixels of 3 bytes (183 MB decoded); the budget is 50 megapixels and 200 MB decoded");
    // 36 megapixels, but of 16-bit RGBA: 275 MB decoded.
    let run = build(&[
        ("a.md", &article(GOOD_FRONT, "![Scan](images/scan.png)")),
        ("images/scan.png", &png_claiming_16_bit_rgba(6000, 6000)),
    ]);
    run.assert_refused("a.md", 6, "6000×6000 pixels of 8 bytes (274 MB decoded)");
    assert!(
        run.stderr
            .contains("hint: scale the image down (8 bits a channel)"),
        "{}",
        run.stderr
    );
}

/// `--timeout` stops a run cooperatively (checked in layout and in the
/// PDF writer): an error, exit 1, and no output.
#[test]
fn a_run_over_its_timeout_stops_and_writes_nothing() {
    // Three million characters in one word: many seconds in a test build.
    let body = "x".repeat(3_000_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let series = dir.path().join("series");
    std::fs::create_dir_all(&series).expect("dir");
    std::fs::write(series.join("a.md"), article(GOOD_FRONT, &body)).expect("write");
    let out = dir.path().join("out");
    let run = run_iskra(
        &[
            "build",
            &path_str(&series),
            "-o",
            &path_str(&out),
            "--timeout",
            "1",
        ],
        dir,
        out,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error: stopped after the time limit of 1s (--timeout)"),
        "{}",
        run.stderr
    );
    assert!(run.outputs().is_empty(), "{:?}", run.outputs());
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

/// `font` with its glyph outlines damaged (every seventh byte of the
/// `glyf` table overwritten), the rest intact: it loads and shapes, so
/// that only reading its outlines finds the damage.
fn damaged_outlines(font: &[u8]) -> Vec<u8> {
    let mut bytes = font.to_vec();
    let tables = u16::from_be_bytes([font[4], font[5]]) as usize;
    for record in font[12..12 + 16 * tables].chunks(16) {
        if &record[..4] == b"glyf" {
            let word = |at: usize| u32::from_be_bytes(record[at..at + 4].try_into().unwrap());
            let (offset, length) = (word(8) as usize, word(12) as usize);
            for byte in bytes[offset..offset + length].iter_mut().step_by(7) {
                *byte = 0xFF;
            }
        }
    }
    bytes
}

/// A series set in a font folder of its own (`font-dir` in series.toml)
/// whose regular face has damaged outlines: the temporary folder, the
/// series, and the damaged file.
fn series_in_a_damaged_font() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let series = dir.path().join("series");
    let fonts = series.join("fonts");
    std::fs::create_dir_all(&fonts).expect("dir");
    std::fs::write(series.join("a.md"), article(GOOD_FRONT, "Some text.")).expect("write");
    std::fs::write(
        series.join("series.toml"),
        "title = \"Damaged\"\n[print]\nfont-dir = \"fonts\"\n",
    )
    .expect("write");
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
    for style in ["Regular", "Italic", "Bold", "BoldItalic"] {
        let name = format!("GentiumBookPlus-{style}.ttf");
        let bytes = std::fs::read(shipped.join(&name)).expect("shipped font");
        let bytes = if style == "Regular" {
            damaged_outlines(&bytes)
        } else {
            bytes
        };
        std::fs::write(fonts.join(&name), bytes).expect("write font");
    }
    let damaged = fonts.join("GentiumBookPlus-Regular.ttf");
    (dir, series, damaged)
}

#[test]
fn a_damaged_font_is_refused_at_its_path_by_check_and_every_build() {
    // `check` reads the outlines as a build does, and an e-book with the
    // fonts embedded is refused too: it would carry the damage unseen.
    for command in [
        &["check"][..],
        &["build"],
        &["build", "--epub", "--embed-fonts"],
    ] {
        let (dir, series, damaged) = series_in_a_damaged_font();
        let out = dir.path().join("out");
        let mut args: Vec<String> = command.iter().map(|a| a.to_string()).collect();
        args.push(path_str(&series));
        if command[0] == "build" {
            args.extend(["-o".to_string(), path_str(&out)]);
        }
        let run = run_iskra(
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
            dir,
            out,
        );
        assert_eq!(run.code, 1, "{command:?}: {}", run.stderr);
        let located = format!(
            "{}: error: this font cannot be used: the outline of glyph ",
            damaged.display()
        );
        assert!(
            run.stderr.lines().any(|l| l.starts_with(&located)),
            "{command:?}: expected {located:?} in:\n{}",
            run.stderr
        );
        assert!(run.outputs().is_empty(), "{command:?}: {:?}", run.outputs());
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
}

/// Hundreds of two-line paragraphs that each set a line shorter (a full
/// line and "at."), then a code block too tall to come back onto the page
/// before: its page stands too short, and no paragraphs set again help.
/// The page builder tries groups of those nearest the page only (all
/// groups of three of the dozens on the two pages before took 5.6 billion
/// instructions, 1.8 s in a release build, where the whole book takes 50
/// million).
#[test]
fn many_short_paragraphs_before_a_page_nothing_helps() {
    let paragraph = "The workers of the city met in the square and the soviet sent word at.";
    let mut body = format!("{paragraph}\n\n").repeat(300);
    body.push_str("```\n");
    for i in 0..30 {
        body.push_str(&format!("code line {i}\n"));
    }
    body.push_str("```\n");
    let run = build(&[("a.md", &article(GOOD_FRONT, &body))]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.out.join("series.pdf").exists(), "{:?}", run.outputs());
}
