//! Iskra turns a newspaper's article series — Markdown files with YAML front
//! matter — into a print-ready PDF book and an EPUB 3 collection, and sets
//! single articles as PDFs on demand.
//!
//! The pipeline runs one way, each stage handing the next a plain value:
//!
//! ```text
//! files ──parse──▶ Series ──layout──▶ page::Document ──pdf──▶ bytes
//!                    └─────────────epub (+ page map)──────────▶ bytes
//! ```
//!
//! - [`parse`] reads `series.toml` and the articles into the typed
//!   [`model`], collecting every [`diag::Diagnostic`] on the way;
//! - [`layout`] shapes, hyphenates, breaks lines and paginates, giving a
//!   backend-independent [`page::Document`];
//! - [`pdf`] and [`epub`] write the outputs; [`output`] puts them on disk
//!   atomically; [`files`] reads and writes only regular files;
//! - [`render`] sets one article as PDF bytes with fonts held by the
//!   caller, and [`serve`] serves such PDFs over HTTP.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod archive;
pub mod build;
pub mod cancel;
pub mod cli;
pub mod completions;
pub mod diag;
pub mod epub;
pub mod files;
pub mod fingerprint;
pub mod impose;
pub mod layout;
pub mod model;
pub mod output;
pub mod page;
pub mod parse;
pub mod pdf;
pub mod preview;
pub mod progress;
pub mod raster;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod style;
pub mod units;
pub mod watch;
