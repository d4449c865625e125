//! Fonts for the server: the built-in family, loaded once at startup, and
//! the families that series name with `font-dir` in `series.toml`, each
//! loaded once (and again only when one of its files changes), only from
//! inside the articles folder. Renders share them; none re-reads a font.
//!
//! Fallback fonts follow the series' `[print]` settings as `iskra pdf`
//! does: the files `fallback-fonts` names (loaded like families, only
//! from inside the articles folder) and the system's fonts unless
//! `system-fonts = false` or the service runs with `--ignore-system-fonts`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use thiserror::Error;

use super::cache::Dependency;
use super::resolve::ArticleRoot;
use crate::layout::fallback::Sources;
use crate::layout::fonts::{Face, FontError, FontSet};
use crate::style::PrintOptions;

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
    /// A fallback font leads outside the articles folder.
    #[error("fallback font `{0}` leads outside the articles folder")]
    FallbackOutside(String),
    /// A fallback font cannot be read.
    #[error("cannot read fallback font `{0}`: {1}")]
    FallbackUnreadable(String, String),
    /// The fonts are not usable.
    #[error(transparent)]
    Font(#[from] FontError),
}

/// The built-in family and the series' own families and fallback fonts.
pub struct FontLibrary {
    builtin: Family,
    loaded: Mutex<HashMap<PathBuf, Family>>,
    /// Fallback font files by real path, with their stamp and hash.
    fallbacks: Mutex<HashMap<PathBuf, Fallback>>,
    /// False under `--ignore-system-fonts`: no series may use them.
    system: bool,
}

/// The faces of one fallback font file, as loaded.
#[derive(Clone)]
struct Fallback {
    faces: Vec<Arc<Face>>,
    hash: blake3::Hash,
    dep: Dependency,
}

// Renders on several threads share one library.
const _: () = {
    const fn shared<T: Send + Sync>() {}
    shared::<FontLibrary>();
    shared::<FontSet>();
};

impl FontLibrary {
    /// Loads the built-in family; `system` says whether the system's
    /// fonts may stand in for characters no other font has.
    pub fn new(system: bool) -> FontLibrary {
        FontLibrary {
            builtin: Family {
                set: Arc::new(FontSet::builtin()),
                hash: blake3::hash(b"iskra built-in fonts"),
                deps: Vec::new(),
            },
            loaded: Mutex::new(HashMap::new()),
            fallbacks: Mutex::new(HashMap::new()),
            system,
        }
    }

    /// The built-in family, which series use unless they name their own.
    pub fn builtin(&self) -> &Family {
        &self.builtin
    }

    /// The fonts for a series in `series_dir` with print settings `print`:
    /// its family (`font-dir`, relative to the series folder, or the
    /// built-in one) with the fallback fonts it names and, unless turned
    /// off there or for the service, the system's fonts.
    pub fn fonts(
        &self,
        root: &ArticleRoot,
        series_dir: &Path,
        print: &PrintOptions,
    ) -> Result<Family, FamilyError> {
        let family = self.family(root, series_dir, print.font_dir.as_deref())?;
        let system = self.system && print.system_fonts.unwrap_or(true);
        let named = print.fallback_fonts.as_deref().unwrap_or_default();
        if system && named.is_empty() {
            return Ok(family);
        }
        let mut hasher = blake3::Hasher::new();
        hasher.update(family.hash.as_bytes());
        hasher.update(&[u8::from(system)]);
        let mut deps = family.deps;
        let mut files = Vec::new();
        for path in named {
            for fallback in self.fallback(root, series_dir, path)? {
                hasher.update(fallback.hash.as_bytes());
                files.extend(fallback.faces);
                deps.push(fallback.dep);
            }
        }
        let mut set = FontSet::clone(&family.set);
        set.sources = Sources { files, system };
        Ok(Family {
            set: Arc::new(set),
            hash: hasher.finalize(),
            deps,
        })
    }

    /// The fallback font file or folder `path` (relative to the series
    /// folder) names, each file loaded once and again when it changes.
    fn fallback(
        &self,
        root: &ArticleRoot,
        series_dir: &Path,
        path: &Path,
    ) -> Result<Vec<Fallback>, FamilyError> {
        let shown = path.display().to_string();
        let unreadable = |e: String| FamilyError::FallbackUnreadable(shown.clone(), e);
        let real = series_dir
            .join(path)
            .canonicalize()
            .map_err(|e| unreadable(e.to_string()))?;
        if !root.contains(&real) {
            return Err(FamilyError::FallbackOutside(shown));
        }
        let files = if real.is_dir() {
            font_files(&real).map_err(unreadable)?
        } else {
            vec![Dependency::now(real)]
        };
        if files.iter().any(|f| !root.contains(&f.path)) {
            return Err(FamilyError::FallbackOutside(shown));
        }
        let mut loaded = self
            .fallbacks
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let mut found = Vec::new();
        for file in files {
            match loaded.get(&file.path) {
                Some(known) if same_file(&known.dep, &file) => found.push(known.clone()),
                _ => {
                    let faces =
                        crate::layout::fallback::load_files(std::slice::from_ref(&file.path))?;
                    let hash = faces.first().map_or_else(
                        || blake3::hash(b""),
                        |f| blake3::Hash::from(f.fingerprint()),
                    );
                    let fallback = Fallback {
                        faces,
                        hash,
                        dep: file,
                    };
                    loaded.insert(fallback.dep.path.clone(), fallback.clone());
                    found.push(fallback);
                }
            }
        }
        Ok(found)
    }

    /// The family for a series in `series_dir` whose `series.toml` names
    /// `font_dir` (relative to the series folder), or the built-in one.
    fn family(
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
        FontLibrary::new(true)
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
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_file(x, y))
}

fn same_file(a: &Dependency, b: &Dependency) -> bool {
    a.path == b.path && a.stamp == b.stamp
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
