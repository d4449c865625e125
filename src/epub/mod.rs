//! The EPUB backend (being written).

use thiserror::Error;

use crate::model::Series;

/// Why an EPUB could not be written.
#[derive(Debug, Error)]
pub enum EpubError {
    /// Not implemented yet.
    #[error("EPUB output is not implemented yet")]
    Unimplemented,
}

/// Writes `series` as EPUB bytes.
pub fn write_epub(_series: &Series) -> Result<Vec<u8>, EpubError> {
    Err(EpubError::Unimplemented)
}
