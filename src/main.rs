//! The `iskra` command: a thin shell over the library's [`iskra::cli`].

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = iskra::cli::Cli::parse();
    iskra::cli::run(cli)
}
