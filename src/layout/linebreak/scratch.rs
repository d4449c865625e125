//! The breaker's working buffers, kept by each thread from one run to
//! the next: a book breaks some 14,000 paragraphs and trial measures,
//! most of a few dozen items, and growing its nodes, active list and
//! totals afresh for each cost a sixth of the breaking.

use std::cell::Cell;

use super::{Candidate, Node, Sums};

/// Buffers for one run of the breaker, empty between runs.
#[derive(Default)]
pub(super) struct Scratch {
    /// Running totals before each item.
    pub(super) sums: Vec<Sums>,
    /// Every breakpoint reached.
    pub(super) nodes: Vec<Node>,
    /// The nodes a line may still start from.
    pub(super) active: Vec<usize>,
    /// The best ways into one breakpoint.
    pub(super) best: Vec<Candidate>,
}

thread_local! {
    static SCRATCH: Cell<Scratch> = Cell::default();
}

/// Breakpoints a thread's [`Scratch`] keeps room for at most: a longer
/// paragraph's buffers are freed once it is broken.
const KEPT: usize = 1 << 14;

impl Scratch {
    /// This thread's buffers (empty new ones while a run holds them).
    pub(super) fn take() -> Scratch {
        SCRATCH.with(Cell::take)
    }

    /// Gives the buffers back to this thread, emptied, unless one grew
    /// past [`KEPT`].
    pub(super) fn put_back(mut self) {
        if self.nodes.capacity() > KEPT || self.sums.capacity() > 4 * KEPT {
            return;
        }
        self.sums.clear();
        self.nodes.clear();
        self.active.clear();
        self.best.clear();
        SCRATCH.with(|kept| kept.set(self));
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::paragraph;
    use super::super::{Item, Params, Solution, break_lines};
    use super::Scratch;

    /// Each paragraph broken at each measure, with each looseness.
    fn break_all(paragraphs: &[Vec<Item>]) -> Vec<Option<Solution>> {
        let mut found = Vec::new();
        for items in paragraphs {
            for width in [20.0, 45.0, 60.0, 300.0] {
                for looseness in [0, 1] {
                    let params = Params {
                        looseness,
                        ..Params::default()
                    };
                    found.push(break_lines(items, &[width], &params));
                }
            }
        }
        found
    }

    /// A thread keeps its buffers between runs, and what it finds with
    /// them, after paragraphs long and short and runs that found nothing,
    /// is what a fresh thread finds for each paragraph alone.
    #[test]
    fn a_thread_breaks_with_kept_buffers_as_a_fresh_one_does() {
        let words: Vec<f32> = (0..120).map(|i| 6.0 + (i * 7 % 11) as f32).collect();
        let paragraphs = vec![
            paragraph(&words),
            paragraph(&words[..5]),
            paragraph(&[50.0, 10.0, 12.0]),
            paragraph(&words[40..]),
        ];
        let kept = break_all(&paragraphs);
        assert!(kept.iter().any(Option::is_none) && kept.iter().any(Option::is_some));
        let held = Scratch::take();
        assert!(held.nodes.capacity() > 100 && held.sums.capacity() > 200);
        assert!(held.nodes.is_empty() && held.active.is_empty());
        held.put_back();
        for (n, items) in paragraphs.iter().enumerate() {
            let items = items.clone();
            let fresh = std::thread::spawn(move || break_all(&[items]))
                .join()
                .expect("a fresh thread breaks");
            assert_eq!(fresh, kept[n * 8..n * 8 + 8], "paragraph {n}");
        }
    }
}
