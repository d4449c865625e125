//! Fonts for the server: the built-in family, loaded once at startup, and
//! the families that series name with `font-dir` in `series.toml`, each
//! loaded once (and again only when one of its files changes), only from
//! inside the articles folder. Renders share them; none re-reads a font.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use thiserror::Error;

use super::cache::Dependency;
use super::resolve::ArticleRoot;
use crate::layout::fonts::{FontError, FontSet};

/// A font family ready for rendering, with what identifies it in a key.
#[derive(Clone)]
pub struct Family {
    /// The faces.
    pub set: Arc<FontSet>,
    /// Hash of the font files' bytes (the built-in family: a fixed tag,
    /// the binary being part of the engine's identity).
    pub hash: blake3::Hash,
    /// The font files, for the memo.
    pub deps: Vec<Dependency>,
}

/// Why a series' font folder cannot be used.
#[derive(Debug, Error)]
pub enum FamilyError {
    /// `font-dir` or one of its files leads outside the articles folder.
    #[error("font-dir `{0}` leads outside the articles folder")]
    Outside(String),
    /// The folder cannot be read.
    #[error("cannot read font-dir `{0}`: {1}")]
    Unreadable(String, String),
    /// The fonts are not usable.
    #[error(transparent)]
    Font(#[from] FontError),
}

/// The built-in family and the series' own families.
pub struct FontLibrary {
    builtin: Family,
    loaded: Mutex<HashMap<PathBuf, Family>>,
}

// Renders on several threads share one library.
const _: () = {
    const fn shared<T: Send + Sync>() {}
    shared::<FontLibrary>();
    shared::<FontSet>();
};

impl FontLibrary {
    /// Loads the built-in family.
    pub fn new() -> FontLibrary {
        FontLibrary {
            builtin: Family {
                set: Arc::new(FontSet::builtin()),
                hash: blake3::hash(b"iskra built-in fonts"),
                deps: Vec::new(),
            },
            loaded: Mutex::new(HashMap::new()),
        }
    }

    /// The family for a series in `series_dir` whose `series.toml` names
    /// `font_dir` (relative to the series folder), or the built-in one.
    pub fn family(
        &self,
        root: &ArticleRoot,
        series_dir: &Path,
        font_dir: Option<&Path>,
    ) -> Result<Family, FamilyError> {
        let Some(font_dir) = font_dir else {
            return Ok(self.builtin.clone());
        };
        let shown = font_dir.display().to_string();
        let dir = series_dir
            .join(font_dir)
            .canonicalize()
            .map_err(|e| FamilyError::Unreadable(shown.clone(), e.to_string()))?;
        if !root.contains(&dir) {
            return Err(FamilyError::Outside(shown));
        }
        let files = font_files(&dir).map_err(|e| FamilyError::Unreadable(shown.clone(), e))?;
        if files.iter().any(|f| !root.contains(&f.path)) {
            return Err(FamilyError::Outside(shown));
        }
        let mut loaded = self.loaded.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(family) = loaded.get(&dir)
            && same_files(&family.deps, &files)
        {
            return Ok(family.clone());
        }
        let family = load(&dir, files)?;
        loaded.insert(dir, family.clone());
        Ok(family)
    }
}

impl Default for FontLibrary {
    fn default() -> Self {
        FontLibrary::new()
    }
}

/// The `.ttf` / `.otf` files of `dir` by real path, with their stamps.
fn font_files(dir: &Path) -> Result<Vec<Dependency>, String> {
    let mut files: Vec<Dependency> = crate::layout::fonts::font_paths(dir)
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|p| Dependency::now(p.canonicalize().unwrap_or(p)))
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

fn same_files(a: &[Dependency], b: &[Dependency]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.path == y.path && x.stamp == y.stamp)
}

/// Loads the family in `dir` and hashes its files.
fn load(dir: &Path, files: Vec<Dependency>) -> Result<Family, FamilyError> {
    let set = FontSet::from_dir(dir)?;
    let mut hasher = blake3::Hasher::new();
    for (_, face) in set.faces() {
        let bytes: &[u8] = (*face.data).as_ref();
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    }
    Ok(Family {
        set: Arc::new(set),
        hash: hasher.finalize(),
        deps: files,
    })
}
