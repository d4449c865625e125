//! Progress on a terminal: one line per stage of a build (parse, layout,
//! PDF, EPUB) with its count, drawn by indicatif on standard error — only
//! when standard error is a terminal and the run is not `--quiet`, so that
//! logs and pipes get the diagnostics alone.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Where a build shows its stages, if anywhere.
#[derive(Clone)]
pub struct Progress {
    bars: Option<MultiProgress>,
}

impl Progress {
    /// Bars on standard error when it is a terminal and `quiet` is false;
    /// none otherwise.
    pub fn on_stderr(quiet: bool) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress::hidden();
        }
        Progress {
            bars: Some(MultiProgress::with_draw_target(ProgressDrawTarget::stderr())),
        }
    }

    /// No bars at all.
    pub fn hidden() -> Progress {
        Progress { bars: None }
    }

    /// A new line for the stage `label` of `series`: a bar of `total`
    /// steps, or a spinner when the count is not known.
    pub fn stage(&self, series: &str, label: &str, total: Option<u64>) -> Stage {
        let Some(bars) = &self.bars else {
            return Stage(ProgressBar::hidden());
        };
        let bar = match total {
            Some(total) => ProgressBar::new(total).with_style(
                ProgressStyle::with_template("{prefix:>24} {msg:7} [{bar:30}] {pos}/{len}")
                    .expect("a valid template")
                    .progress_chars("=> "),
            ),
            None => {
                let spinner = ProgressBar::new_spinner().with_style(
                    ProgressStyle::with_template("{prefix:>24} {msg:7} {spinner} {elapsed}")
                        .expect("a valid template"),
                );
                spinner.enable_steady_tick(Duration::from_millis(100));
                spinner
            }
        };
        let bar = bars.add(
            bar.with_prefix(series.to_string())
                .with_message(label.to_string()),
        );
        bar.tick();
        Stage(bar)
    }

    /// Removes every line drawn, before the run prints its results.
    pub fn clear(&self) {
        if let Some(bars) = &self.bars {
            let _ = bars.clear();
        }
    }
}

/// One stage's line; cheap to clone and to step from several threads.
#[derive(Clone)]
pub struct Stage(ProgressBar);

impl Stage {
    /// One more step done.
    pub fn step(&self) {
        self.0.inc(1);
    }

    /// The stage is over: its line shows the final count.
    pub fn done(&self) {
        self.0.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_runs_draw_nothing() {
        let progress = Progress::on_stderr(true);
        assert!(progress.bars.is_none());
        let stage = progress.stage("s", "layout", Some(3));
        stage.step();
        assert!(stage.0.is_hidden());
    }
}
