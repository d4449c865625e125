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
    let mut staged: Vec<(PathBuf, &Path)> = Vec::new();
    let staging = outputs.iter().try_for_each(|(path, bytes)| {
        let temp = stage(path, bytes.as_ref())?;
        staged.push((temp, path));
        Ok(())
    });
    if let Err(e) = staging {
        for (temp, _) in &staged {
            let _ = fs::remove_file(temp);
        }
        return Err(e);
    }
    for (n, (temp, path)) in staged.iter().enumerate() {
        if let Err(source) = fs::rename(temp, path) {
            for (_, done) in &staged[..n] {
                let _ = fs::remove_file(done);
            }
            for (left, _) in &staged[n..] {
                let _ = fs::remove_file(left);
            }
            return Err(OutputError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
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
