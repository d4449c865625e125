//! Files that are not files: FIFOs, devices, folders and symbolic links
//! where a run expects a regular file. Inputs are refused at their path
//! (a FIFO named `x.md` would hang the build; a link to `/dev/zero` would
//! read forever); outputs that are not regular files are refused, never
//! replaced; and a build that fails leaves no new file behind.
#![cfg(unix)]

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const HANG_GUARD: Duration = Duration::from_secs(30);
const ARTICLE: &str = "---\ntitle: A title\ndate: 2017-04-11\n---\n\nSome text.\n";

/// Runs iskra in `dir`, failing the test if it has not finished within the
/// hang guard (a FIFO read would block forever).
fn iskra(dir: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_iskra"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run iskra");
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > HANG_GUARD {
            let _ = child.kill();
            panic!("iskra {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().expect("output")
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success());
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A series folder `s` in a fresh temp dir, with one good article.
fn series() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let series = dir.path().join("s");
    std::fs::create_dir_all(series.join("images")).expect("dirs");
    std::fs::write(series.join("01-good.md"), ARTICLE).expect("article");
    (dir, series)
}

fn assert_refused_at(output: &Output, located: &str, words: &str) {
    let text = stderr(output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.lines()
            .any(|l| l.contains(located) && l.contains("error:") && l.contains(words)),
        "expected an error at {located} saying {words:?}:\n{text}"
    );
}

#[test]
fn an_article_that_is_a_fifo_is_refused_at_once() {
    let (dir, series) = series();
    mkfifo(&series.join("02-pipe.md"));
    let output = iskra(dir.path(), &["build", "s", "-o", "out"]);
    assert_refused_at(
        &output,
        "02-pipe.md",
        "is a FIFO (named pipe), not a regular file",
    );
    assert!(!dir.path().join("out").exists());
    let output = iskra(dir.path(), &["check", "s"]);
    assert_refused_at(&output, "02-pipe.md", "not a regular file");
}

#[test]
fn an_article_linked_to_a_device_is_refused() {
    let (dir, series) = series();
    symlink("/dev/zero", series.join("02-zero.md")).expect("link");
    let output = iskra(dir.path(), &["pdf", "s/02-zero.md", "-o", "zero.pdf"]);
    assert_refused_at(&output, "02-zero.md", "is a character device");
    assert!(!dir.path().join("zero.pdf").exists());
}

#[test]
fn images_and_series_files_that_are_not_files_are_refused_at_their_path() {
    let (dir, folder) = series();
    mkfifo(&folder.join("images/pipe.png"));
    std::fs::write(
        folder.join("01-good.md"),
        format!("{ARTICLE}\n![A pipe](images/pipe.png)\n"),
    )
    .expect("article");
    let output = iskra(dir.path(), &["build", "s", "-o", "out"]);
    assert_refused_at(
        &output,
        "01-good.md:8:",
        "image `images/pipe.png` is a FIFO",
    );

    let (dir, folder) = series();
    mkfifo(&folder.join("series.toml"));
    let output = iskra(dir.path(), &["build", "s", "-o", "out"]);
    assert_refused_at(&output, "series.toml", "is a FIFO");
}

#[test]
fn a_font_that_is_not_a_file_is_refused_naming_it() {
    let (dir, _) = series();
    let fonts = dir.path().join("fonts");
    std::fs::create_dir_all(&fonts).expect("dir");
    mkfifo(&fonts.join("Pipe-Regular.ttf"));
    let output = iskra(
        dir.path(),
        &["pdf", "s/01-good.md", "-o", "a.pdf", "--font-dir", "fonts"],
    );
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("Pipe-Regular.ttf") && text.contains("not a regular file"),
        "{text}"
    );
}

#[test]
fn outputs_that_are_not_regular_files_are_refused_not_replaced() {
    let (dir, _) = series();
    let fifo = dir.path().join("pipe.pdf");
    mkfifo(&fifo);
    let output = iskra(dir.path(), &["pdf", "s/01-good.md", "-o", "pipe.pdf"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("pipe.pdf is a FIFO (named pipe)"), "{text}");
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(
        std::os::unix::fs::FileTypeExt::is_fifo(&kind),
        "the FIFO is left as it was"
    );

    let kept = dir.path().join("kept.pdf");
    std::fs::write(&kept, b"not to be touched").expect("file");
    symlink(&kept, dir.path().join("link.pdf")).expect("link");
    let output = iskra(dir.path(), &["pdf", "s/01-good.md", "-o", "link.pdf"]);
    assert!(
        stderr(&output).contains("link.pdf is a symbolic link"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read(&kept).unwrap(), b"not to be touched");
    assert!(
        std::fs::symlink_metadata(dir.path().join("link.pdf"))
            .unwrap()
            .file_type()
            .is_symlink()
    );

    // A regular file is replaced as always.
    let output = iskra(dir.path(), &["pdf", "s/01-good.md", "-o", "kept.pdf"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(std::fs::read(&kept).unwrap().starts_with(b"%PDF-"));
}

#[test]
fn a_build_whose_epub_cannot_be_written_leaves_no_new_pdf() {
    let (dir, _) = series();
    let out = dir.path().join("out");
    std::fs::create_dir_all(out.join("s.epub")).expect("a folder where the EPUB goes");
    let output = iskra(dir.path(), &["build", "s", "-o", "out"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("s.epub is a folder"), "{text}");
    let left: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        left,
        vec![std::ffi::OsString::from("s.epub")],
        "nothing new is left"
    );
}
