//! What an editor meets: each problem reported at its own line and column,
//! every one of them in one run.

use std::path::Path;
use std::process::Command;

const FRONT: &str = "---\ntitle: A title\ndate: 2017-04-11\n---\n";

/// `iskra check` of a series folder holding `files`; its exit code and
/// standard error.
fn check(files: &[(&str, &str)]) -> (i32, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let series = dir.path().join("s");
    std::fs::create_dir_all(&series).expect("dir");
    for (name, text) in files {
        std::fs::write(series.join(name), text).expect("write");
    }
    let output = Command::new(env!("CARGO_BIN_EXE_iskra"))
        .arg("check")
        .arg(Path::new("s"))
        .current_dir(dir.path())
        .output()
        .expect("run iskra");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
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
