use super::super::search;
use super::super::tests::paragraph;
use super::*;

/// The line counts of every setting the search with `params` found.
fn found_line_counts(items: &[Item], width: f32, params: &Params) -> Vec<usize> {
    let Some(found) = search(items, &[width], params) else {
        return Vec::new();
    };
    let end = items.len();
    found
        .active
        .iter()
        .map(|&i| &found.nodes[i])
        .filter(|n| n.position + 1 == end || n.position == end)
        .map(|n| n.line)
        .collect()
}

fn loose(tolerance: f32) -> Params {
    Params {
        tolerance,
        looseness: 1,
        ..Params::default()
    }
}

#[test]
fn a_paragraph_that_sets_only_one_way_has_its_count_for_both_bounds() {
    // Two words and a space fill the measure of 23 exactly; three never
    // fit, and one alone is far too loose.
    let items = paragraph(&[10.0; 6]);
    assert_eq!(line_count_bounds(&items, 23.0, &loose(200.0)), Some((3, 3)));
    assert_eq!(found_line_counts(&items, 23.0, &loose(200.0)), vec![3]);
}

#[test]
fn the_bounds_hold_every_setting_the_search_finds() {
    // Words of pseudo-random widths on measures and tolerances across
    // the range: every line count found lies within the bounds, and the
    // bounds are near it (they tell most requests apart).
    let mut seed = 7u32;
    let mut next = || {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        (seed >> 16) % 1000
    };
    let mut spread = 0;
    let mut cases = 0;
    for _ in 0..60 {
        let count = 5 + next() as usize % 120;
        let words: Vec<f32> = (0..count).map(|_| 8.0 + next() as f32 / 25.0).collect();
        let items = paragraph(&words);
        for width in [60.0, 120.0, 240.0, 330.0] {
            for tolerance in [200.0, 400.0, 1000.0, 5000.0] {
                let params = loose(tolerance);
                let found = found_line_counts(&items, width, &params);
                let Some((fewest, most)) = line_count_bounds(&items, width, &params) else {
                    assert!(found.is_empty(), "no bounds, yet settings {found:?}");
                    continue;
                };
                for &lines in &found {
                    assert!(
                        (fewest..=most).contains(&lines),
                        "{lines} lines outside {fewest}..={most} ({count} words at {width}, tolerance {tolerance})"
                    );
                }
                if !found.is_empty() {
                    cases += 1;
                    spread += most - fewest;
                }
            }
        }
    }
    assert!(cases > 200, "the search found settings in {cases} cases");
    assert!(
        spread < cases,
        "bounds {spread} lines wide over {cases} cases"
    );
}

#[test]
fn an_unlimited_tolerance_bounds_only_the_fewest_lines() {
    let items = paragraph(&[10.0; 6]);
    let params = loose(NEVER);
    assert_eq!(
        line_count_bounds(&items, 23.0, &params),
        Some((3, usize::MAX))
    );
}

#[test]
fn a_word_wider_than_the_measure_gives_no_bounds() {
    let items = paragraph(&[10.0, 90.0, 10.0]);
    assert_eq!(line_count_bounds(&items, 40.0, &loose(200.0)), None);
}

#[test]
fn a_glue_that_narrows_its_line_gives_no_bounds() {
    let mut items = paragraph(&[10.0; 4]);
    items[1] = Item::glue(-1.0, 1.0, 0.0);
    assert_eq!(line_count_bounds(&items, 23.0, &loose(200.0)), None);
}
