//! Names the commit the binary is built from, for `iskra --version`:
//! `git rev-parse` where the source is a git checkout, else the
//! `ISKRA_COMMIT` variable, else "unknown commit".

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=ISKRA_COMMIT");
    let commit = std::env::var("ISKRA_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .or_else(|| git(&["rev-parse", "--short=12", "HEAD"]))
        .map(|c| format!("commit {c}"))
        .unwrap_or_else(|| "unknown commit".to_string());
    println!("cargo:rustc-env=ISKRA_COMMIT={commit}");
    // Build again when HEAD moves: the files that say where it points.
    if let Some(file) = git(&["rev-parse", "--git-path", "HEAD"])
        && std::path::Path::new(&file).exists()
    {
        println!("cargo:rerun-if-changed={file}");
    }
    if let Some(head) = git(&["symbolic-ref", "-q", "HEAD"])
        && let Some(file) = git(&["rev-parse", "--git-path", &head])
        && std::path::Path::new(&file).exists()
    {
        println!("cargo:rerun-if-changed={file}");
    }
}

/// The trimmed output of a git command, if it succeeds.
fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}
