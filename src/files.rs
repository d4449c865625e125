//! Reading and writing the files a run is given, refusing anything that is
//! not a plain file: a FIFO named `x.md` would hang a build waiting for a
//! writer, a link to `/dev/zero` would read gigabytes, and an output
//! written over a device or a symbolic link would replace it.

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::Path;

use thiserror::Error;

/// Why an input file could not be read.
#[derive(Debug, Error)]
pub enum ReadError {
    /// A FIFO, device, socket or folder where a file was expected.
    #[error("is {0}, not a regular file")]
    NotAFile(&'static str),
    /// Larger than the caller's limit.
    #[error("file is {} KB; the limit is {} KB", .size >> 10, .limit >> 10)]
    TooLarge {
        /// Its size in bytes (at least, for one that grows while read).
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The system refused.
    #[error("cannot read file: {0}")]
    Io(#[from] std::io::Error),
}

/// What a file system entry is, in words, when it is not a regular file.
pub fn not_a_file(meta: &Metadata) -> Option<&'static str> {
    let kind = meta.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if kind.is_char_device() {
            return Some("a character device");
        }
        if kind.is_block_device() {
            return Some("a block device");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

/// Reads `path` (following symbolic links) if it is a regular file of at
/// most `limit` bytes. The type is checked before opening (opening a FIFO
/// would block) and again on the open file, and at most `limit` bytes are
/// read even from a file that grows meanwhile.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let checked = |meta: &Metadata| -> Result<u64, ReadError> {
        if let Some(kind) = not_a_file(meta) {
            return Err(ReadError::NotAFile(kind));
        }
        if meta.len() > limit {
            return Err(ReadError::TooLarge {
                size: meta.len(),
                limit,
            });
        }
        Ok(meta.len())
    };
    checked(&std::fs::metadata(path)?)?;
    let file = File::open(path)?;
    let size = checked(&file.metadata()?)?;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// Why an output path cannot be written.
#[derive(Debug, Error)]
pub enum OutputError {
    /// Something other than a regular file or a new name is there.
    #[error(
        "{} is {kind}; outputs replace only regular files or take new names",
        .path.display()
    )]
    NotAFile {
        /// The output path.
        path: std::path::PathBuf,
        /// What is there.
        kind: &'static str,
    },
    /// The system refused.
    #[error("cannot write {}: {source}", .path.display())]
    Io {
        /// The output path.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Checks that `path` is new or a regular file (not followed if it is a
/// symbolic link: writing would replace the link, not what it names).
pub fn check_output(path: &Path) -> Result<(), OutputError> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(OutputError::Io {
            path: path.to_path_buf(),
            source,
        }),
        Ok(meta) if meta.file_type().is_symlink() => Err(OutputError::NotAFile {
            path: path.to_path_buf(),
            kind: "a symbolic link",
        }),
        Ok(meta) => match not_a_file(&meta) {
            None => Ok(()),
            Some(kind) => Err(OutputError::NotAFile {
                path: path.to_path_buf(),
                kind,
            }),
        },
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn refuses_devices_folders_and_oversized_files() {
        assert!(matches!(
            read_regular(Path::new("/dev/zero"), 10),
            Err(ReadError::NotAFile("a character device"))
        ));
        assert!(matches!(
            read_regular(Path::new("/"), 10),
            Err(ReadError::NotAFile("a folder"))
        ));
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, b"0123456789").unwrap();
        assert_eq!(read_regular(&file, 10).unwrap().len(), 10);
        assert!(matches!(
            read_regular(&file, 9),
            Err(ReadError::TooLarge { size: 10, limit: 9 })
        ));
    }

    #[test]
    fn outputs_may_be_new_or_regular_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.pdf");
        assert!(check_output(&file).is_ok());
        std::fs::write(&file, b"x").unwrap();
        assert!(check_output(&file).is_ok());
        let link = dir.path().join("b.pdf");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        assert!(check_output(&link).is_err());
        assert!(check_output(Path::new("/dev/null")).is_err());
        assert!(check_output(dir.path()).is_err());
    }
}
