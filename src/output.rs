//! Writing outputs atomically: to a temporary file beside the target, then
//! renamed over it, so that a reader never sees half a PDF and a failed run
//! leaves nothing behind. Only regular files are replaced: a device, a
//! FIFO, a folder or a symbolic link in an output's place is refused
//! (writing through it, as `cp` does, could not be atomic, and as root
//! `-o /dev/null` would replace the device).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

pub use crate::files::OutputError;
use crate::files::check_output;

/// Writes `bytes` to `path` atomically, creating the parent folder.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    write_all_or_none(&[(path.to_path_buf(), bytes)])
}

/// Writes every output, or none: each is checked and written to its
/// temporary file first, and only when all are written are they renamed
/// into place. Should a rename fail, the outputs already renamed are
/// removed, so that no file of a failed run is left behind.
pub fn write_all_or_none<B: AsRef<[u8]>>(outputs: &[(PathBuf, B)]) -> Result<(), OutputError> {
    for (path, _) in outputs {
        check_output(path)?;
    }
    let staged = outputs
        .iter()
        .map(|(path, bytes)| Staged::write(path, bytes.as_ref()))
        .collect::<Result<Vec<Staged>, OutputError>>()?;
    commit(staged)
}

/// An output written to a temporary sibling of its place and synced to
/// disk, not yet in its place: [`commit`] renames outputs into place
/// together. One dropped before that is removed, so that a run that fails
/// after writing some of its outputs leaves none of them behind.
pub struct Staged {
    temp: PathBuf,
    path: PathBuf,
    /// Renamed into place.
    placed: bool,
}

impl Staged {
    /// Checks that `path` may be replaced (see the module's note) and
    /// writes `bytes` beside it, so that a build can write each output as
    /// soon as it is made and rename them all once all are made.
    pub fn write(path: &Path, bytes: &[u8]) -> Result<Staged, OutputError> {
        check_output(path)?;
        Ok(Staged {
            temp: stage(path, bytes)?,
            path: path.to_path_buf(),
            placed: false,
        })
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.placed {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// Renames every staged output into place, or none: should a rename fail,
/// the outputs already renamed are removed, and the others' temporary
/// files.
pub fn commit(mut staged: Vec<Staged>) -> Result<(), OutputError> {
    for n in 0..staged.len() {
        if let Err(source) = fs::rename(&staged[n].temp, &staged[n].path) {
            for done in &staged[..n] {
                let _ = fs::remove_file(&done.path);
            }
            return Err(OutputError::Io {
                path: staged[n].path.clone(),
                source,
            });
        }
        staged[n].placed = true;
    }
    Ok(())
}

/// Writes `bytes` to a temporary sibling of `path` (creating the folder),
/// synced to disk; gives its name.
fn stage(path: &Path, bytes: &[u8]) -> Result<PathBuf, OutputError> {
    let io = |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(io)?;
    let temp = temp_path(path);
    let written = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&temp);
        return Err(io(e));
    }
    Ok(temp)
}

/// A hidden sibling name unique to this process.
fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("sub/book.pdf");
        write_atomically(&target, b"one").unwrap();
        write_atomically(&target, b"two").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"two");
        let leftovers: Vec<_> = fs::read_dir(target.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left");
    }

    #[test]
    fn a_staged_output_is_placed_on_commit_and_removed_if_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("book.pdf");
        let placed = Staged::write(&pdf, b"pdf").unwrap();
        assert!(!pdf.exists(), "not in place before the commit");
        commit(vec![placed]).unwrap();
        assert_eq!(fs::read(&pdf).unwrap(), b"pdf");
        drop(Staged::write(&pdf, b"other").unwrap());
        assert_eq!(fs::read(&pdf).unwrap(), b"pdf");
        let files: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(files.len(), 1, "the dropped output's file is removed");
    }

    #[test]
    fn one_output_refused_writes_none() {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("book.pdf");
        let epub = dir.path().join("book.epub");
        fs::create_dir(&epub).unwrap();
        let outputs = [(pdf.clone(), b"pdf".to_vec()), (epub, b"epub".to_vec())];
        assert!(write_all_or_none(&outputs).is_err());
        assert!(!pdf.exists());
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "only the folder"
        );
    }
}
