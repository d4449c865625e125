//! Display lines (titles on the openings and in the contents, the series
//! note) break where a designer breaks them by hand: a line does not end
//! on an article, a preposition or a conjunction, and does not split a
//! name, where another break keeps the line count.

use std::collections::BTreeMap;

use iskra::layout::Engine;
use iskra::layout::design::Design;
use iskra::layout::fonts::{FontSet, Role};
use iskra::layout::paragraph::{
    Align, ParaStyle, SetLine, set_balanced, set_balanced_title, set_paragraph,
};
use iskra::model::Inline;
use iskra::page::{Document, Item, Tag};
use iskra::style::Style;
use iskra::units::Pt;

mod common;
use common::text::paragraphs;

/// Words a display line must not end on, in these tests' titles.
const LEADING: &[&str] = &["the", "and", "for", "of", "to", "how", "that"];

/// Titles of the c100 corpus that the contents or the openings broke
/// after a function word or inside a name.
const TITLES: &[&str] = &[
    "“Who holds power?” — the Provisional Government and the old order",
    "From Moscow to Galicia: how the soldiers transformed the general strike",
    "The army and the battle for socialism",
    "The soviets and the battle for the future",
    "Why the Provisional Government shook the party",
    "The dangerous May that turned against dual power",
];

/// Where a line ends badly: its last word leads into the next line's
/// ("and the / battle"), or it and the next line's first word are both
/// capitalised ("Provisional / Government").
fn bad_break(line: &str, next: &str) -> bool {
    let last = line.split_whitespace().last().unwrap_or("");
    let first = next.split_whitespace().next().unwrap_or("");
    let bare = last.trim_start_matches(['“', '‘']);
    let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    LEADING.contains(&bare.to_lowercase().as_str())
        || capital(bare) && capital(first) && !last.ends_with([':', ',', '”', '?'])
}

fn bad_breaks(lines: &[String]) -> Vec<String> {
    lines
        .windows(2)
        .filter(|pair| bad_break(&pair[0], &pair[1]))
        .map(|pair| format!("{} / {}", pair[0], pair[1]))
        .collect()
}

fn text_of(line: &SetLine) -> String {
    line.runs.iter().map(|r| r.text.as_str()).collect()
}

/// An opening's title style at `width`.
fn title_style(engine: &mut Engine<'_>, width: Pt) -> ParaStyle {
    let design = Design::new(&Style::book());
    ParaStyle {
        role: Role::Bold,
        size: design.title_size,
        width,
        indent: Pt::ZERO,
        align: Align::Left,
        hyphenate: false,
        hyphen_min: design.hyphen_min,
        lang: engine.shaper.language("en"),
        lang_tag: "en".into(),
        protrusion: design.protrusion,
        expansion: 0.0,
        looseness: 0,
    }
}

#[test]
fn a_title_keeps_the_and_of_with_the_next_word_on_the_book_s_measure() {
    let fonts = FontSet::builtin();
    let mut engine = Engine::new(&fonts);
    let measure = Design::new(&Style::book()).measure;
    let mut bad = Vec::new();
    for title in TITLES {
        let content = [Inline::Text(title.to_string())];
        for step in 0..=2 {
            let width = measure * (0.96 + 0.02 * step as f32);
            let style = title_style(&mut engine, width);
            let free = set_paragraph(&mut engine, &content, &style, &|i| (i + 1).to_string());
            let (set, _) = set_balanced(&mut engine, &content, &style, &|i| (i + 1).to_string());
            let lines: Vec<String> = set.lines.iter().map(text_of).collect();
            assert_eq!(
                set.lines.len(),
                free.lines.len(),
                "no line gained at {width:?}: {lines:?}"
            );
            bad.extend(
                bad_breaks(&lines)
                    .into_iter()
                    .map(|b| format!("{width:?}: {b}")),
            );
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

/// Lines of a page by baseline: type size and text, furniture left out.
fn page_lines(doc: &Document, page: usize) -> Vec<(f32, String)> {
    let mut by_y: BTreeMap<i64, (f32, Vec<(f32, String)>)> = BTreeMap::new();
    for item in &doc.pages[page].items {
        if let Item::Text(run) = item
            && run.tag != Tag::Artifact
        {
            let line = by_y
                .entry((run.origin.y.0 * 10.0).round() as i64)
                .or_insert((run.size.0, Vec::new()));
            line.1.push((run.origin.x.0, run.text.clone()));
        }
    }
    by_y.into_values()
        .map(|(size, mut runs)| {
            runs.sort_by(|a, b| a.0.total_cmp(&b.0));
            (
                size,
                runs.into_iter().map(|r| r.1).collect::<Vec<_>>().join(" "),
            )
        })
        .collect()
}

/// The series note of the c100 corpus that justified ends on "Part N."
/// alone.
const LONG_NOTE: &str = "the year that shook the world";

/// A book of one article per title, each closed by a series note on
/// `subject`, laid out with the defaults.
fn book(titles: &[&str], subject: &str) -> Document {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path().join("display");
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(
        dir.join("series.toml"),
        "title = \"Display fixture\"\nlanguage = \"en\"\n",
    )
    .expect("series.toml");
    for (i, title) in titles.iter().enumerate() {
        let part = i + 1;
        let text = format!(
            "---\ntitle: \"{title}\"\ndate: 2017-03-{part:02}\npart: {part}\n---\n\n{}\n\n\
             *This is part of a series of weekly articles on {subject}. Part {part}.*\n",
            paragraphs(part, 6)
        );
        std::fs::write(dir.join(format!("{part:02}.md")), text).expect("article");
    }
    common::lay_out_series(&dir)
}

#[test]
fn titles_on_the_openings_and_in_the_contents_break_at_sense_breaks() {
    let doc = book(TITLES, LONG_NOTE);
    let design = Design::new(&Style::book());
    let mut bad = Vec::new();
    let mut openings = 0;
    let mut contents_entries = Vec::new();
    for page in 0..doc.pages.len() {
        let lines = page_lines(&doc, page);
        let title: Vec<String> = lines
            .iter()
            .filter(|(size, text)| (*size - design.title_size.0).abs() < 0.01 && text != "Contents")
            .map(|(_, text)| text.clone())
            .collect();
        if !title.is_empty() && lines.iter().all(|(_, text)| text != "Contents") {
            openings += 1;
            bad.extend(bad_breaks(&title));
        }
        if lines.iter().any(|(_, text)| text == "Contents") {
            // An entry starts with its part number; its other lines
            // hang under its title.
            for (_, text) in lines
                .iter()
                .filter(|(s, _)| (*s - design.body_size.0).abs() < 0.01)
            {
                let (head, rest) = text.split_once(' ').unwrap_or((text, ""));
                if head.parse::<usize>().is_ok() {
                    contents_entries.push(vec![rest.to_string()]);
                } else if let Some(entry) = contents_entries.last_mut() {
                    entry.push(text.clone());
                }
            }
        }
    }
    assert_eq!(openings, TITLES.len());
    assert_eq!(contents_entries.len(), TITLES.len(), "{contents_entries:?}");
    assert!(
        contents_entries.iter().any(|e| e.len() > 1),
        "some contents titles wrap: {contents_entries:?}"
    );
    for entry in &contents_entries {
        // The page number ends the entry's last line.
        let mut entry = entry.clone();
        if let Some(last) = entry.last_mut() {
            *last = last
                .trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ')
                .to_string();
        }
        bad.extend(
            bad_breaks(&entry)
                .into_iter()
                .map(|b| format!("contents: {b}")),
        );
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

/// The lines of each series note in `doc`.
fn series_notes(doc: &Document) -> Vec<Vec<String>> {
    let mut notes = Vec::new();
    for page in 0..doc.pages.len() {
        let lines: Vec<String> = page_lines(doc, page).into_iter().map(|(_, t)| t).collect();
        for (i, line) in lines.iter().enumerate() {
            if line.starts_with("This is part of a series") {
                let end = (i..lines.len())
                    .find(|&j| lines[j].trim_end().ends_with('.') && lines[j].contains("Part "))
                    .expect("the note's last line");
                notes.push(lines[i..=end].to_vec());
            }
        }
    }
    notes
}

#[test]
fn the_series_note_does_not_end_on_part_n_alone() {
    let notes = series_notes(&book(TITLES, LONG_NOTE));
    assert_eq!(notes.len(), TITLES.len());
    for note in &notes {
        let last = note.last().expect("a line");
        assert!(last.split_whitespace().count() > 2, "{note:?}");
    }
}

#[test]
fn a_series_note_that_justified_fits_one_line_keeps_to_it() {
    // Set ragged, without the justified line's shrink, it would take two.
    let notes = series_notes(&book(TITLES, "the Russian Revolution"));
    assert_eq!(notes.len(), TITLES.len());
    for note in &notes {
        assert_eq!(note.len(), 1, "{note:?}");
    }
}

#[test]
fn a_title_with_no_sense_break_ends_no_line_on_an_article() {
    // The drawn cover read "The / Iskra Handbook": every break of it splits
    // a name, and the one after "The" also ends a line on an article.
    let fonts = FontSet::builtin();
    let mut engine = Engine::new(&fonts);
    let content = [Inline::Text("The Iskra Handbook".into())];
    let mut two_lines = 0;
    for width in (200..=420).step_by(10) {
        let mut style = title_style(&mut engine, Pt(width as f32));
        style.size = Pt(36.0);
        let (set, _) = set_balanced(&mut engine, &content, &style, &|i| (i + 1).to_string());
        let lines: Vec<String> = set.lines.iter().map(text_of).collect();
        if lines.len() == 2 {
            two_lines += 1;
            assert_eq!(lines[1].trim(), "Handbook", "at {width} pt: {lines:?}");
        }
    }
    assert!(two_lines > 0, "some measure breaks the title");
}

#[test]
fn the_title_page_breaks_after_the_colon() {
    // "1917: The / Russian Revolution": the sense break makes a short first
    // line, beyond the breaker's tolerance, so only a break without sense
    // was tried.
    let fonts = FontSet::builtin();
    let mut engine = Engine::new(&fonts);
    let design = Design::new(&Style::book());
    let content = [Inline::Text("1917: The Russian Revolution".into())];
    let mut style = title_style(&mut engine, design.measure);
    style.size = design.title_size * 1.35;
    style.align = Align::Center;
    let (set, _) = set_balanced(&mut engine, &content, &style, &|i| (i + 1).to_string());
    let lines: Vec<String> = set
        .lines
        .iter()
        .map(|l| text_of(l).replace('\u{a0}', " "))
        .collect();
    assert_eq!(lines, ["1917:", "The Russian Revolution"]);
}

#[test]
fn an_opening_title_takes_a_third_line_rather_than_end_one_on_the() {
    // c100 seed 1 set "From Vyborg to Zurich: how the / revolution divided
    // the ruling class": its sense breaks need three lines on the measure.
    let fonts = FontSet::builtin();
    let mut engine = Engine::new(&fonts);
    let design = Design::new(&Style::book());
    let title = "From Vyborg to Zurich: how the revolution divided the ruling class";
    let content = [Inline::Text(title.into())];
    let style = title_style(&mut engine, design.measure);
    let label = |i: usize| (i + 1).to_string();
    let (two, _) = set_balanced(&mut engine, &content, &style, &label);
    assert_eq!(two.lines.len(), 2, "a contents entry keeps its two lines");
    let (set, _) = set_balanced_title(&mut engine, &content, &style, &label);
    let lines: Vec<String> = set.lines.iter().map(text_of).collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(bad_breaks(&lines).is_empty(), "{lines:?}");
}
