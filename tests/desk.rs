//! The editor's desk, end to end: `iskra new`, completions and the manual
//! page, `--version`, progress bars (under a pseudo-terminal only),
//! `iskra watch` (a rename-save rebuilds to a fresh build's bytes; a
//! broken edit is reported and leaves the outputs) and `iskra pdf` over
//! many articles (up-to-date PDFs are skipped).

use std::io::{BufRead, BufReader};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const ISKRA: &str = env!("CARGO_BIN_EXE_iskra");

/// Runs iskra in `dir`; exit code, stdout, stderr.
fn iskra(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let output = Command::new(ISKRA)
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .output()
        .expect("iskra runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The seed series, copied into a folder of its own.
fn seed_series(root: &Path) -> PathBuf {
    let series = root.join("russian-revolution");
    std::fs::create_dir_all(&series).unwrap();
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles/russian-revolution");
    for name in ["02-april-theses.md", "series.toml"] {
        std::fs::copy(seed.join(name), series.join(name)).unwrap();
    }
    series
}

/// Saves `text` to `path` as editors do: written aside, then renamed.
fn save(path: &Path, text: &str) {
    let temp = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, path).unwrap();
}

#[test]
fn new_series_and_articles_pass_check_and_build() {
    let dir = tempfile::tempdir().unwrap();
    let series = dir.path().join("paris-commune");
    let epoch = [("SOURCE_DATE_EPOCH", "1507248000")]; // 2017-10-06
    let (code, out, err) = iskra(
        dir.path(),
        &[
            "new",
            "series",
            "paris-commune",
            "--title",
            "The \"Paris\" Commune",
        ],
        &epoch,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("paris-commune/series.toml"), "{out}");
    let (code, out, err) = iskra(
        dir.path(),
        &[
            "new",
            "article",
            "paris-commune",
            "The fourth of September!",
        ],
        &epoch,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("01-the-fourth-of-september.md"), "{out}");
    let first = std::fs::read_to_string(series.join("01-the-fourth-of-september.md")).unwrap();
    assert!(first.contains("date: 2017-10-06"), "{first}");
    assert!(first.contains("part: 1"), "{first}");
    assert!(first.contains("series: \"paris-commune\""), "{first}");
    let (code, out, err) = iskra(
        dir.path(),
        &[
            "new",
            "article",
            "paris-commune",
            "Лето 1871 года",
            "--author",
            "A. Writer",
        ],
        &epoch,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("02-лето-1871-года.md"), "{out}");

    let (code, _, err) = iskra(dir.path(), &["check", "paris-commune"], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("checked 2 article(s): 0 errors, 0 warnings"),
        "{err}"
    );
    let (code, _, err) = iskra(
        dir.path(),
        &[
            "build",
            "paris-commune",
            "-o",
            "out",
            "--ignore-system-fonts",
        ],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    assert!(dir.path().join("out/paris-commune.pdf").is_file());
    assert!(dir.path().join("out/paris-commune.epub").is_file());

    // Nothing is overwritten.
    let (code, _, err) = iskra(
        dir.path(),
        &["new", "series", "paris-commune", "--title", "Again"],
        &[],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn completions_for_each_shell_and_the_manual_page() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, needle) in [
        ("bash", "complete -F _iskra"),
        ("zsh", "#compdef iskra"),
        ("fish", "complete -c iskra"),
    ] {
        let (code, out, err) = iskra(dir.path(), &["completions", shell], &[]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains(needle), "{shell}: {out}");
        assert!(out.contains("watch"), "{shell}");
    }
    let (code, out, _) = iskra(dir.path(), &["man"], &[]);
    assert_eq!(code, 0);
    assert!(out.contains(".TH iskra 1"), "{out}");
    let (code, version, _) = iskra(dir.path(), &["--version"], &[]);
    assert_eq!(code, 0);
    assert!(
        version.starts_with(&format!("iskra {} (", env!("CARGO_PKG_VERSION")))
            && version.contains("commit"),
        "{version}"
    );
}

/// Runs `iskra ARGS` under a pseudo-terminal (util-linux `script`), and
/// gives everything it drew there.
fn under_a_terminal(dir: &Path, args: &str) -> String {
    let output = Command::new("script")
        .args(["-q", "-e", "-c", &format!("{ISKRA} {args}"), "/dev/null"])
        .current_dir(dir)
        .env("TERM", "xterm")
        .stdin(Stdio::null())
        .output()
        .expect("script (util-linux) runs");
    assert!(output.status.success(), "{:?}", output);
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn progress_shows_on_a_terminal_only() {
    let dir = tempfile::tempdir().unwrap();
    seed_series(dir.path());
    let args = "build russian-revolution -o out --ignore-system-fonts";
    let drawn = under_a_terminal(dir.path(), args);
    for stage in ["parse", "layout", "PDF", "EPUB"] {
        assert!(
            drawn.contains(stage),
            "no {stage} line on the terminal: {drawn:?}"
        );
    }
    assert!(drawn.contains("1/1"), "the articles are counted: {drawn:?}");
    assert!(
        drawn.contains("wrote out/russian-revolution.pdf"),
        "{drawn:?}"
    );

    let quiet = under_a_terminal(dir.path(), &format!("--quiet {args}"));
    assert!(!quiet.contains("layout"), "--quiet draws no bar: {quiet:?}");
    assert!(!quiet.contains("wrote"), "--quiet lists no file: {quiet:?}");

    let (code, out, err) = iskra(dir.path(), &args.split(' ').collect::<Vec<_>>(), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        !err.contains("layout") && !err.contains('\u{1b}'),
        "no bar off a terminal: {err:?}"
    );
    assert!(out.contains("wrote out/russian-revolution.pdf"), "{out}");
}

/// A running `iskra watch`, its standard error read line by line.
struct Watch {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: String,
}

impl Watch {
    fn start(dir: &Path, series: &Path, out: &Path) -> Watch {
        let mut child = Command::new(ISKRA)
            .args([
                "watch",
                &series.to_string_lossy(),
                "-o",
                &out.to_string_lossy(),
            ])
            .arg("--ignore-system-fonts")
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("iskra watch starts");
        let stderr = child.stderr.take().unwrap();
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Watch {
            child,
            lines,
            seen: String::new(),
        }
    }

    /// Waits for a line containing `needle`; everything read until then.
    fn wait_for(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut read = String::new();
        while Instant::now() < deadline {
            if let Ok(line) = self.lines.recv_timeout(Duration::from_millis(100)) {
                read.push_str(&line);
                read.push('\n');
                self.seen.push_str(&line);
                self.seen.push('\n');
                if line.contains(needle) {
                    return read;
                }
            }
        }
        panic!("no {needle:?} from iskra watch; it said:\n{}", self.seen);
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn inode(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.ino()).unwrap_or(0)
}

#[test]
fn watch_rebuilds_after_a_rename_save_and_keeps_the_outputs_after_a_broken_one() {
    let dir = tempfile::tempdir().unwrap();
    let series = seed_series(dir.path());
    let out = dir.path().join("out");
    let article = series.join("02-april-theses.md");
    let original = std::fs::read_to_string(&article).unwrap();
    let pdf = out.join("russian-revolution.pdf");
    let epub = out.join("russian-revolution.epub");

    let mut watch = Watch::start(dir.path(), &series, &out);
    watch.wait_for("watching");
    let (first_pdf, first_epub) = (inode(&pdf), inode(&epub));
    assert!(
        first_pdf != 0 && first_epub != 0,
        "the first build wrote both"
    );

    // An edit, saved through a temporary file and a rename.
    let edited = original.replace("very sharp", "very, very sharp");
    save(&article, &edited);
    let built = watch.wait_for("built in");
    assert!(
        built.contains("(1 of 1 articles laid out again)"),
        "{built}"
    );
    assert!(inode(&pdf) != first_pdf && inode(&epub) != first_epub);
    let fresh = dir.path().join("fresh");
    let (code, _, err) = iskra(
        dir.path(),
        &[
            "build",
            &series.to_string_lossy(),
            "-o",
            &fresh.to_string_lossy(),
            "--ignore-system-fonts",
        ],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    for name in ["russian-revolution.pdf", "russian-revolution.epub"] {
        assert!(
            std::fs::read(out.join(name)).unwrap() == std::fs::read(fresh.join(name)).unwrap(),
            "{name}: the rebuild is not the fresh build's bytes"
        );
    }

    // A broken edit: reported like a build's error; the outputs stay.
    let (good_pdf, good_epub) = (inode(&pdf), inode(&epub));
    save(
        &article,
        &edited.replace("date: 2017-04-11", "date: 2017-02-30"),
    );
    let failed = watch.wait_for("left in place");
    assert!(
        failed.contains("02-april-theses.md:4:7: error: `2017-02-30` is not a date that exists"),
        "{failed}"
    );
    assert_eq!((inode(&pdf), inode(&epub)), (good_pdf, good_epub));

    // Fixed: built again.
    save(&article, &original);
    watch.wait_for("built in");
    assert!(inode(&pdf) != good_pdf);
}

#[test]
fn pdf_over_many_articles_writes_each_once_and_skips_those_up_to_date() {
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("articles");
    let first = seed_series(&articles);
    let second = articles.join("second");
    std::fs::create_dir_all(&second).unwrap();
    for (name, title) in [("a.md", "One"), ("b.md", "Two")] {
        std::fs::write(
            second.join(name),
            format!(
                "---\ntitle: {title}\ndate: 2020-01-0{}\n---\n\nText of {title}.\n",
                name.len()
            ),
        )
        .unwrap();
    }
    let run = || {
        let (code, _, err) = iskra(
            dir.path(),
            &["pdf", "articles", "-o", "static", "--ignore-system-fonts"],
            &[],
        );
        assert_eq!(code, 0, "{err}");
        err
    };
    let cold = run();
    assert!(
        cold.contains("3 PDFs in static: 3 written, 0 up to date"),
        "{cold}"
    );
    let pdfs = [
        "static/russian-revolution/02-april-theses.pdf",
        "static/second/a.pdf",
        "static/second/b.pdf",
    ];
    let stamps: Vec<u64> = pdfs.iter().map(|p| inode(&dir.path().join(p))).collect();
    assert!(stamps.iter().all(|&i| i != 0), "every PDF is written");

    let again = run();
    assert!(again.contains("0 written, 3 up to date"), "{again}");

    save(
        &second.join("b.md"),
        "---\ntitle: Two\ndate: 2020-01-04\n---\n\nText of two, edited.\n",
    );
    let edited = run();
    assert!(edited.contains("1 written, 2 up to date"), "{edited}");
    let now: Vec<u64> = pdfs.iter().map(|p| inode(&dir.path().join(p))).collect();
    assert_eq!(now[..2], stamps[..2], "the others are left alone");
    assert_ne!(now[2], stamps[2], "the edited one is set again");

    // One article and a file name keep the one-file form.
    let (code, _, err) = iskra(
        dir.path(),
        &[
            "pdf",
            &first.join("02-april-theses.md").to_string_lossy(),
            "-o",
            "one.pdf",
        ],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    assert!(dir.path().join("one.pdf").is_file());
}
