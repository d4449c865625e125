//! Shell completions and the manual page, generated from the command
//! definitions (clap_complete, clap_mangen), so that they never disagree
//! with what `iskra` accepts.

use std::io::Write;

/// The shells completions are written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    /// GNU Bash.
    Bash,
    /// Z shell.
    Zsh,
    /// fish.
    Fish,
}

/// Writes the completion script of `shell` for `command` to `out`.
pub fn write_completions(shell: Shell, command: &mut clap::Command, out: &mut dyn Write) {
    let generator = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    let name = command.get_name().to_string();
    clap_complete::generate(generator, command, name, out);
}

/// Writes the manual page of `command` (section 1, roff) to `out`.
pub fn write_man_page(command: clap::Command, out: &mut dyn Write) -> std::io::Result<()> {
    clap_mangen::Man::new(command).render(out)
}

/// Writes the manual page of `command` and one for each of its
/// subcommands (`iskra-build.1`, …) into `dir`.
pub fn write_man_pages(command: clap::Command, dir: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    clap_mangen::generate_to(command, dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;

    fn completions(shell: Shell) -> String {
        let mut out = Vec::new();
        write_completions(shell, &mut Cli::command(), &mut out);
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn each_shell_gets_a_script_naming_the_commands() {
        let bash = completions(Shell::Bash);
        assert!(bash.contains("complete -F _iskra"), "{bash}");
        let zsh = completions(Shell::Zsh);
        assert!(zsh.starts_with("#compdef iskra"), "{zsh}");
        let fish = completions(Shell::Fish);
        assert!(fish.contains("complete -c iskra"), "{fish}");
        for script in [&bash, &zsh, &fish] {
            for command in ["build", "watch", "pdf", "new", "completions", "serve"] {
                assert!(script.contains(command), "no {command} in {script}");
            }
            assert!(script.contains("preview"), "watch's options are completed");
        }
    }

    #[test]
    fn the_manual_page_is_roff_with_the_version() {
        let mut out = Vec::new();
        write_man_page(Cli::command(), &mut out).expect("written");
        let page = String::from_utf8(out).expect("UTF-8");
        assert!(page.starts_with(".ie"), "{}", &page[..80.min(page.len())]);
        assert!(page.contains(".TH iskra 1"), "{page}");
        assert!(page.contains(crate::cli::VERSION), "{page}");
        assert!(page.contains("watch"), "{page}");
    }

    #[test]
    fn each_command_gets_its_own_page() {
        let dir = tempfile::tempdir().unwrap();
        write_man_pages(Cli::command(), dir.path()).expect("written");
        let watch = std::fs::read_to_string(dir.path().join("iskra-watch.1")).expect("a page");
        assert!(watch.contains("preview"), "{watch}");
        assert!(dir.path().join("iskra.1").is_file());
        assert!(dir.path().join("iskra-new-article.1").is_file());
    }
}
