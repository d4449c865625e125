//! The `iskra` command: a thin shell over the library's [`iskra::cli`].

use std::process::ExitCode;

use clap::Parser;

/// jemalloc rather than the system allocator: layout allocates many small
/// lists from several threads, where it is faster and fragments less.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = iskra::cli::Cli::parse();
    iskra::cli::run(cli)
}
