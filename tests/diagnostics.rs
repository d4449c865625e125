//! What an editor meets: each problem reported at its own line and column,
//! every one of them in one run.

use std::process::Command;

const FRONT: &str = "---\ntitle: A title\ndate: 2017-04-11\n---\n";

/// `iskra check` of a series folder holding `files`; its exit code and
/// standard error.
fn check(files: &[(&str, &str)]) -> (i32, String) {
    let (code, stderr, _) = iskra(files, &["check", "s"]);
    (code, stderr)
}

/// `iskra ARGS` beside a series folder `s` holding `files`; its exit code,
/// standard error, and the files in `out/` after it.
fn iskra(files: &[(&str, &str)], args: &[&str]) -> (i32, String, Vec<String>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let series = dir.path().join("s");
    std::fs::create_dir_all(&series).expect("dir");
    for (name, text) in files {
        std::fs::write(series.join(name), text).expect("write");
    }
    let output = Command::new(env!("CARGO_BIN_EXE_iskra"))
        .args(args)
        .current_dir(dir.path())
        .output()
        .expect("run iskra");
    let written = std::fs::read_dir(dir.path().join("out"))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        written,
    )
}

fn assert_reported(stderr: &str, located: &str, words: &str) {
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with(located) && l.contains(words)),
        "expected {located} … {words:?} in:\n{stderr}"
    );
}

#[test]
fn a_footnote_reference_without_a_note_is_a_warning_at_it_and_left_out() {
    let text = format!("{FRONT}\nThe soviet met[^1] and voted[^b].\n\n[^1]: In March.\n");
    let (code, stderr) = check(&[("a.md", &text)]);
    assert_eq!(code, 0, "{stderr}");
    assert_reported(
        &stderr,
        "s/a.md:6:29: warning:",
        "footnote `[^b]` is referred to but never defined; the reference is left out",
    );
    assert!(stderr.contains("0 errors, 1 warnings"), "{stderr}");
}

/// A link whose address the editor's wrapping broke is no link in
/// CommonMark: the reader would see its brackets (proof 1, item 13).
#[test]
fn a_link_address_broken_by_a_line_break_is_a_warning_at_it() {
    let text = format!(
        "{FRONT}\n> We have [had no](https://example.org/2010/had-\n> no) more than she loved.\n\n\
         A [whole link](https://example.org/a-b)\nand [its words\nwrapped](https://example.org/c) are fine.\n"
    );
    let (code, stderr) = check(&[("a.md", &text)]);
    assert_eq!(code, 0, "{stderr}");
    assert_reported(
        &stderr,
        "s/a.md:6:20: warning:",
        "link address `https://example.org/2010/had-` is broken by a line break",
    );
    assert!(stderr.contains("0 errors, 1 warnings"), "{stderr}");
}

#[test]
fn a_tab_in_front_matter_is_reported_where_it_is() {
    let text = "---\ntitle: A title\n\tdate: 2017-04-11\n---\n\nText.\n";
    let (code, stderr) = check(&[("a.md", text)]);
    assert_eq!(code, 1, "{stderr}");
    assert_reported(&stderr, "s/a.md:3:1: error:", "tab");
}

#[test]
fn every_wrong_key_of_series_toml_is_reported_at_its_line() {
    let article = format!("{FRONT}\nText.\n");
    let toml = "title = 5\nsubtitle = \"Fine\"\nlanguag = \"en\"\n\n[print]\nfont-size = \"big\"\nmeasure = \"12 furlongs\"\nleading = \"x\"\nwat = 1\n\n[extra]\nx = 1\n";
    let (code, stderr) = check(&[("a.md", &article), ("series.toml", toml)]);
    assert_eq!(code, 1, "{stderr}");
    assert_reported(&stderr, "s/series.toml:1:1: error:", "title");
    assert_reported(
        &stderr,
        "s/series.toml:3:1: warning:",
        "unknown key `languag`",
    );
    assert_reported(&stderr, "s/series.toml:6:1: error:", "[print] font-size");
    assert_reported(&stderr, "s/series.toml:7:1: error:", "[print] measure");
    assert_reported(&stderr, "s/series.toml:8:1: error:", "[print] leading");
    assert_reported(&stderr, "s/series.toml:9:1: error:", "[print] wat");
    assert_reported(
        &stderr,
        "s/series.toml:11:1: warning:",
        "unknown key `extra`",
    );
}

#[test]
fn a_title_of_600_words_is_a_warning_at_its_line() {
    let title = "the workers of petrograd rose against the war ".repeat(75);
    let text = format!("---\ndate: 2017-04-11\ntitle: {title}\n---\n\nText.\n");
    let (code, stderr) = check(&[("a.md", &text)]);
    assert_eq!(code, 0, "{stderr}");
    assert_reported(
        &stderr,
        "s/a.md:3:1: warning:",
        "the title is 600 words (3449 characters) long",
    );
    // A long headline of a real newspaper passes in silence.
    let title = "How Lenin won the Bolshevik party to fight for workers’ power, and why it matters to socialists today";
    let text = format!("---\ndate: 2017-04-11\ntitle: {title}\n---\n\nText.\n");
    let (code, stderr) = check(&[("a.md", &text)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("0 errors, 0 warnings"), "{stderr}");
}

#[test]
fn print_settings_that_do_not_fit_together_are_reported_at_their_line() {
    let article = format!("{FRONT}\nText.\n");
    // Right one by one, wrong together: the measure is wider than A5.
    let toml = "title = \"T\"\n\n[print]\npage-size = \"a5\"\n  measure = \"140mm\"\n";
    let (code, stderr, written) = iskra(
        &[("a.md", &article), ("series.toml", toml)],
        &["build", "s", "-o", "out"],
    );
    assert_eq!(code, 1, "{stderr}");
    assert_reported(
        &stderr,
        "s/series.toml:5:3: error:",
        "[print] measure: the measure (140.0 mm) leaves less than 5 mm of margin on a 148.0 mm wide page",
    );
    assert!(written.is_empty(), "{written:?}");
    let (code, stderr) = check(&[("a.md", &article), ("series.toml", toml)]);
    assert_eq!(code, 1, "{stderr}");
    assert_reported(&stderr, "s/series.toml:5:3: error:", "[print] measure");
    assert_eq!(
        stderr.matches("error:").count(),
        2,
        "one error and the count:\n{stderr}"
    );
    // Right in series.toml, wrong with the command line's page size: the
    // measure is still shown where it is written.
    let toml = "title = \"T\"\n\n[print]\npage-size = \"a4\"\nmeasure = \"180mm\"\n";
    let (code, stderr, written) = iskra(
        &[("a.md", &article), ("series.toml", toml)],
        &["build", "s", "-o", "out", "--page-size", "a5"],
    );
    assert_eq!(code, 1, "{stderr}");
    assert_reported(
        &stderr,
        "s/series.toml:5:1: error:",
        "[print] measure: the measure (180.0 mm)",
    );
    assert!(written.is_empty(), "{written:?}");
    // A flag at fault is named as a flag, and is a usage error.
    let (code, stderr, _) = iskra(
        &[("a.md", &article)],
        &["build", "s", "-o", "out", "--measure", "140mm"],
    );
    assert_eq!(code, 2, "{stderr}");
    assert_reported(&stderr, "error: --measure: the measure (140.0 mm)", "");
}
