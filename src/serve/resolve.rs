//! From a request's `{series}/{slug}.pdf` to an article file, safely: each
//! name is checked on its own (letters, digits, `.`, `_`, `-`, no leading
//! dot), then the file's real path (symbolic links followed) must lie under
//! the real articles folder. Anything else is "not found", whatever the
//! spelling of the attempt.

use std::path::{Path, PathBuf};

use thiserror::Error;

/// Longest series or slug name accepted.
const MAX_NAME: usize = 200;

/// Why a request names no servable article (always answered 404).
#[derive(Debug, Error, PartialEq, Eq)]
pub enum NotFound {
    /// The last segment does not end in `.pdf`.
    #[error("not a PDF name")]
    NotPdf,
    /// A name with characters outside `[A-Za-z0-9._-]`, a leading dot, or
    /// too long.
    #[error("not a valid name")]
    BadName,
    /// `README` is a folder's notes, not an article.
    #[error("not an article")]
    NotArticle,
    /// No such file, or it is not a regular file.
    #[error("no such article")]
    Missing,
    /// The real path leads outside the articles folder.
    #[error("outside the articles folder")]
    Outside,
}

/// The articles folder, by its real path.
#[derive(Clone, Debug)]
pub struct ArticleRoot {
    dir: PathBuf,
}

impl ArticleRoot {
    /// The folder `dir`, resolved once to its real path.
    pub fn new(dir: &Path) -> std::io::Result<ArticleRoot> {
        let dir = dir.canonicalize()?;
        if !dir.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotADirectory,
                format!("{} is not a folder", dir.display()),
            ));
        }
        Ok(ArticleRoot { dir })
    }

    /// The real path of the folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// True when `path` (a real path) lies inside the folder.
    pub fn contains(&self, path: &Path) -> bool {
        path.starts_with(&self.dir) && path != self.dir
    }

    /// The folder of series `series`, if the name is valid and the folder
    /// (after symbolic links) lies inside.
    pub fn series(&self, series: &str) -> Result<PathBuf, NotFound> {
        check_name(series)?;
        let folder = self.dir.join(series);
        let meta = folder.symlink_metadata().map_err(|_| NotFound::Missing)?;
        if meta.is_dir() {
            return Ok(folder);
        }
        let real = folder.canonicalize().map_err(|_| NotFound::Missing)?;
        if !self.contains(&real) {
            return Err(NotFound::Outside);
        }
        if !real.is_dir() {
            return Err(NotFound::Missing);
        }
        Ok(real)
    }

    /// The real path of the article that `series` and `file` (as decoded
    /// from the URL, e.g. `02-april-theses.pdf`) name.
    pub fn article(&self, series: &str, file: &str) -> Result<PathBuf, NotFound> {
        let slug = file.strip_suffix(".pdf").ok_or(NotFound::NotPdf)?;
        check_name(series)?;
        check_name(slug)?;
        if slug.eq_ignore_ascii_case("readme") {
            return Err(NotFound::NotArticle);
        }
        let folder = self.dir.join(series);
        let written = folder.join(format!("{slug}.md"));
        // The common case in two `lstat`s: neither name is a link, so the
        // written path, under the real root, is itself real.
        let plain = |path: &Path| path.symlink_metadata().map(|m| !m.file_type().is_symlink());
        match (plain(&folder), written.symlink_metadata()) {
            (Ok(true), Ok(meta)) if meta.file_type().is_file() => return Ok(written),
            (Ok(true), Ok(meta)) if !meta.file_type().is_symlink() => {
                return Err(NotFound::Missing);
            }
            (Err(_), _) | (_, Err(_)) => return Err(NotFound::Missing),
            _ => {}
        }
        // A link on the way: where it really leads must be inside.
        let real = written.canonicalize().map_err(|_| NotFound::Missing)?;
        if !self.contains(&real) {
            return Err(NotFound::Outside);
        }
        if !real.is_file() || real.extension().is_none_or(|e| e != "md") {
            return Err(NotFound::Missing);
        }
        Ok(real)
    }
}

/// One path segment: `[A-Za-z0-9._-]+`, not starting with a dot.
fn check_name(name: &str) -> Result<(), NotFound> {
    let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-');
    let ok = !name.is_empty()
        && name.len() <= MAX_NAME
        && !name.starts_with('.')
        && name.bytes().all(allowed);
    if ok { Ok(()) } else { Err(NotFound::BadName) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for good in ["russian-revolution", "02-april-theses", "a.b_c", "A1"] {
            assert_eq!(check_name(good), Ok(()), "{good}");
        }
        for bad in [
            "", ".", "..", ".hidden", "a/b", "a\\b", "a b", "a%2e", "a\0", "ä", "a:b",
        ] {
            assert_eq!(check_name(bad), Err(NotFound::BadName), "{bad:?}");
        }
        assert_eq!(check_name(&"a".repeat(201)), Err(NotFound::BadName));
    }

    #[test]
    fn resolves_only_inside() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("articles");
        std::fs::create_dir_all(root.join("s")).unwrap();
        std::fs::write(root.join("s/one.md"), "x").unwrap();
        std::fs::write(dir.path().join("secret.md"), "x").unwrap();
        let root = ArticleRoot::new(&root).unwrap();
        assert!(root.article("s", "one.pdf").is_ok());
        assert_eq!(root.article("s", "one.md"), Err(NotFound::NotPdf));
        assert_eq!(root.article("s", "two.pdf"), Err(NotFound::Missing));
        assert_eq!(root.article("..", "secret.pdf"), Err(NotFound::BadName));
        assert_eq!(root.article("s", "README.pdf"), Err(NotFound::NotArticle));
        assert_eq!(root.series("s"), Ok(root.dir().join("s")));
        assert_eq!(root.series(".."), Err(NotFound::BadName));
        assert_eq!(root.series("none"), Err(NotFound::Missing));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.md"), root.dir().join("s/out.md"))
                .unwrap();
            assert_eq!(root.article("s", "out.pdf"), Err(NotFound::Outside));
            std::os::unix::fs::symlink(dir.path(), root.dir().join("up")).unwrap();
            assert_eq!(root.series("up"), Err(NotFound::Outside));
        }
    }
}
