//! Book furniture: the title page, the table of contents, running heads
//! and folios.

use std::collections::HashMap;
use std::sync::Arc;

use crate::model::{Inline, Series};
use crate::page::{Item, LinkTarget, NodeId, StructKind, Tag};
use crate::units::{Point, Pt, Rect};

use super::Engine;
use super::design::Design;
use super::flow::{Break, Flow, FlowBox, FlowBuilder, line_items};
use super::fonts::Role;
use super::hyphenate::HyphenMin;
use super::paragraph::{Align, ParaStyle, SetParagraph, set_balanced, set_paragraph};
use super::shape::LangId;
use super::structure::Tree;

/// One line of the table of contents.
pub struct TocEntry<'t> {
    /// Article title, as [`contents_title_lines`] set it.
    pub title: &'t SetParagraph,
    /// Its part in the series, if it has one.
    pub part: Option<u32>,
    /// Printed page number of its opening.
    pub folio: String,
    /// Page index of its opening in the document.
    pub page: usize,
}

/// The title page's content, relative to the text block.
pub fn title_page(
    engine: &mut Engine<'_>,
    design: &Design,
    tree: &mut Tree,
    series: &Series,
) -> Vec<Item> {
    let lang = series.meta.language.clone();
    let node = tree.add(StructKind::Section, Some(tree.root()));
    let mut items = Vec::new();
    let mut y = design.text_height * 0.22;
    let title_size = design.title_size * 1.35;
    let title_node = tree.heading(1, &series.meta.title, node);
    let title = FlowBuilder::new(engine, design, tree, &lang).lines(
        &[Inline::Text(series.meta.title.clone())],
        Role::Bold,
        title_size,
        title_size * 1.2,
        Align::Center,
        title_node,
    );
    y = place(&mut items, title, y);
    if let Some(subtitle) = &series.meta.subtitle {
        y += design.leading;
        let sub_node = tree.add(StructKind::Paragraph, Some(node));
        let sub = FlowBuilder::new(engine, design, tree, &lang).lines(
            &[Inline::Text(subtitle.clone())],
            Role::Italic,
            design.standfirst_size,
            design.standfirst_leading,
            Align::Center,
            sub_node,
        );
        place(&mut items, sub, y);
    }
    if let Some(publisher) = &series.meta.publisher {
        let pub_node = tree.add(StructKind::Paragraph, Some(node));
        let lines = FlowBuilder::new(engine, design, tree, &lang).lines(
            &[Inline::Text(publisher.clone())],
            Role::Regular,
            design.small_size * 1.1,
            design.leading,
            Align::Center,
            pub_node,
        );
        place(&mut items, lines, design.text_height - design.leading * 2.0);
    }
    items
}

/// The imprint on the back of the title page: what the book is, who
/// published it, when its articles first appeared, what it is set in.
pub fn imprint(
    engine: &mut Engine<'_>,
    design: &Design,
    tree: &mut Tree,
    series: &Series,
) -> Vec<Item> {
    let lang = series.meta.language.clone();
    let node = tree.add(StructKind::Section, Some(tree.root()));
    let mut lines = Vec::new();
    lines.push(match &series.meta.subtitle {
        Some(subtitle) => format!("{}: {subtitle}", series.meta.title),
        None => series.meta.title.clone(),
    });
    if let Some(publisher) = &series.meta.publisher {
        lines.push(format!("Published by {publisher}."));
    }
    let first = series.articles.iter().map(|a| a.meta.date).min();
    let last = series.articles.iter().map(|a| a.meta.date).max();
    match (first, last) {
        (Some(a), Some(b)) if a != b => lines.push(format!(
            "The articles first appeared between {} and {}.",
            a.long(),
            b.long()
        )),
        (Some(a), _) if series.articles.len() == 1 => {
            lines.push(format!("The article first appeared on {}.", a.long()))
        }
        (Some(a), _) => lines.push(format!("The articles first appeared on {}.", a.long())),
        _ => {}
    }
    let family = engine
        .fonts
        .face(engine.fonts.role(Role::Regular))
        .family
        .clone();
    lines.push(format!("Set in {family} with Iskra."));
    let mut flows = Vec::new();
    for line in lines {
        let p = tree.add(StructKind::Paragraph, Some(node));
        flows.extend(FlowBuilder::new(engine, design, tree, &lang).lines(
            &[Inline::Text(line)],
            Role::Regular,
            design.small_size,
            design.small_leading,
            Align::Left,
            p,
        ));
        flows.push(Flow::Space {
            height: design.small_leading * 0.4,
            stretch: Pt::ZERO,
        });
    }
    let height: Pt = flows
        .iter()
        .map(|f| match f {
            Flow::Space { height, .. } => *height,
            Flow::Box(b) => b.height,
        })
        .sum();
    let mut items = Vec::new();
    place(&mut items, flows, design.text_height - height);
    items
}

/// Places a flow's boxes one under the other from `y`; gives the new `y`.
fn place(items: &mut Vec<Item>, flow: Vec<Flow>, mut y: Pt) -> Pt {
    for f in flow {
        match f {
            Flow::Space { height, .. } => y += height,
            Flow::Box(b) => {
                let height = b.height;
                items.extend(
                    b.into_items()
                        .into_iter()
                        .map(|i| super::paginate::translate(i, y)),
                );
                y += height;
            }
        }
    }
    y
}

/// The table of contents as a vertical list: a heading, then one entry per
/// article with its page number flush right, each a link to the article.
pub fn contents(
    engine: &mut Engine<'_>,
    design: &Design,
    tree: &mut Tree,
    lang: &str,
    entries: &[TocEntry<'_>],
) -> Vec<Flow> {
    // PDF/UA lets a TOC hold only its items: the heading stands beside it.
    let section = tree.add(StructKind::Section, Some(tree.root()));
    let heading = tree.heading(1, contents_title(lang), section);
    let toc = tree.add(StructKind::Toc, Some(section));
    let mut flow = vec![Flow::Space {
        height: design.leading * 3.0,
        stretch: Pt::ZERO,
    }];
    flow.extend(FlowBuilder::new(engine, design, tree, lang).lines(
        &[Inline::Text(contents_title(lang).to_string())],
        Role::Bold,
        design.title_size,
        design.title_leading,
        Align::Left,
        heading,
    ));
    flow.push(Flow::Space {
        height: design.leading,
        stretch: Pt::ZERO,
    });
    // Each entry: the part number flush right in a narrow column, the
    // title ragged beside it (wrapped lines hang under its first word), and
    // the page number flush right on the title's last line.
    let (part_width, title_x) = contents_columns(design);
    let baseline = design.leading * design.baseline_ratio;
    for entry in entries {
        let item = tree.add(StructKind::TocItem, Some(toc));
        let link = tree.add(StructKind::Link, Some(item));
        let set = entry.title;
        let count = set.lines.len();
        for (i, line) in set.lines.iter().enumerate() {
            let mut items = Vec::new();
            if let (0, Some(part)) = (i, entry.part) {
                items.extend(flush_right_items(
                    engine,
                    design,
                    tree,
                    lang,
                    &part.to_string(),
                    part_width,
                    baseline,
                    link,
                ));
            }
            items.extend(line_items(line, title_x, baseline, link, tree).0);
            if i + 1 == count {
                items.extend(flush_right_items(
                    engine,
                    design,
                    tree,
                    lang,
                    &entry.folio,
                    design.measure,
                    baseline,
                    link,
                ));
            }
            items.push(Item::Link {
                rect: Rect::new(Pt::ZERO, Pt::ZERO, design.measure, design.leading),
                target: LinkTarget::Page {
                    page: entry.page,
                    y: Pt::ZERO,
                },
                tag: Tag::Node(link),
            });
            let break_before = if i == 0 { Break::Allowed } else { Break::Avoid };
            flow.push(Flow::Box(Arc::new(FlowBox::line(
                items,
                design.leading,
                design.body_depth(),
                break_before,
            ))));
        }
        // The space between entries opens a little on a full page, so that
        // every page of the contents ends on the same line.
        flow.push(Flow::Space {
            height: design.leading * 0.25,
            stretch: design.leading * 0.25,
        });
    }
    flow
}

/// An article's title set as its entry in the table of contents: once a
/// book, however many times the contents are laid out to settle their
/// page count.
pub fn contents_title_lines(
    engine: &mut Engine<'_>,
    design: &Design,
    lang: &str,
    title: &str,
) -> SetParagraph {
    let (_, title_x) = contents_columns(design);
    let folio_room = design.body_size * 3.0;
    let lang_id = engine.shaper.language(lang);
    let style = plain_style(
        (Role::Regular, design.body_size),
        design.measure - title_x - folio_room,
        Align::Left,
        (lang_id, lang),
    );
    // A title that wraps is balanced, so that no line holds one word.
    let (set, _) = set_balanced(engine, &[Inline::Text(title.to_string())], &style, &|i| {
        (i + 1).to_string()
    });
    set
}

/// The style of a line of furniture (a contents title, a folio, a running
/// head): one face and size, no indent, no hyphens, nothing hung into the
/// margin or expanded.
fn plain_style(
    (role, size): (Role, Pt),
    width: Pt,
    align: Align,
    (lang, lang_tag): (LangId, &str),
) -> ParaStyle {
    ParaStyle {
        role,
        size,
        width,
        indent: Pt::ZERO,
        align,
        hyphenate: false,
        hyphen_min: HyphenMin::default(),
        lang,
        lang_tag: lang_tag.to_string(),
        protrusion: false,
        expansion: 0.0,
        looseness: 0,
    }
}

/// The contents' column of part numbers: its width, and where the titles
/// beside it start.
fn contents_columns(design: &Design) -> (Pt, Pt) {
    let part_width = design.body_size * 1.6;
    (part_width, part_width + design.body_size)
}

/// "Contents" in the book's language.
fn contents_title(lang: &str) -> &'static str {
    match lang.split('-').next().unwrap_or("") {
        "ru" => "Содержание",
        "de" => "Inhalt",
        "fr" => "Table des matières",
        "es" => "Índice",
        _ => "Contents",
    }
}

/// A number set flush right, ending at `right`.
#[allow(clippy::too_many_arguments)]
fn flush_right_items(
    engine: &mut Engine<'_>,
    design: &Design,
    tree: &mut Tree,
    lang: &str,
    text: &str,
    right: Pt,
    baseline: Pt,
    node: NodeId,
) -> Vec<Item> {
    let lang_id = engine.shaper.language(lang);
    let style = plain_style(
        (Role::Regular, design.body_size),
        design.body_size * 4.0,
        Align::Right,
        (lang_id, lang),
    );
    let set = set_paragraph(engine, &[Inline::Text(text.to_string())], &style, &|i| {
        (i + 1).to_string()
    });
    let x = right - style.width;
    set.lines
        .first()
        .map(|l| line_items(l, x, baseline, node, tree).0)
        .unwrap_or_default()
}

/// Running heads as set, by language and text, for one book's design: a
/// head stands on every other page of its article and the series title
/// on the rest, and each is set once.
#[derive(Default)]
pub struct RunningHeads(HashMap<(String, String), SetParagraph>);

/// Running head (centred above the text block) and folio (centred below
/// it), both artifacts; positions are page coordinates. The head is set
/// once a book (`heads`).
pub fn head_and_folio(
    engine: &mut Engine<'_>,
    design: &Design,
    lang: &str,
    heads: &mut RunningHeads,
    head: Option<&str>,
    folio: Option<&str>,
) -> Vec<Item> {
    let mut items = Vec::new();
    let lang_id = engine.shaper.language(lang);
    let mut tree = Tree::new();
    let style = |role: Role| {
        plain_style(
            (role, design.small_size),
            design.measure,
            Align::Center,
            (lang_id, lang),
        )
    };
    let mut centred = |set: &SetParagraph, baseline: Pt, items: &mut Vec<Item>| {
        if let Some(line) = set.lines.first() {
            let root = tree.root();
            for item in line_items(line, design.margin_left, baseline, root, &mut tree).0 {
                items.push(as_artifact(item));
            }
        }
    };
    if let Some(head) = head {
        let key = (lang.to_string(), head.to_string());
        if !heads.0.contains_key(&key) {
            let set = one_line(engine, &style(Role::Italic), head);
            heads.0.insert(key.clone(), set);
        }
        centred(
            &heads.0[&key],
            design.margin_top - design.leading * 1.2,
            &mut items,
        );
    }
    if let Some(folio) = folio {
        centred(
            &one_line(engine, &style(Role::Regular), folio),
            design.margin_top + design.text_height + design.leading * 1.8,
            &mut items,
        );
    }
    items
}

/// `text` set on one line: whole if it fits; else, as a designer shortens
/// a long title in a running head, its main title (the part before a
/// colon, a spaced dash or a question mark) if that fits; else cut after
/// the last word that leaves room for an ellipsis.
fn one_line(engine: &mut Engine<'_>, style: &ParaStyle, text: &str) -> SetParagraph {
    let set = |engine: &mut Engine<'_>, text: String| {
        set_paragraph(engine, &[Inline::Text(text)], style, &|i| {
            (i + 1).to_string()
        })
    };
    let whole = set(engine, text.to_string());
    if whole.lines.len() <= 1 {
        return whole;
    }
    for main in main_titles(text) {
        let shortened = set(engine, main.to_string());
        if shortened.lines.len() <= 1 {
            return shortened;
        }
    }
    // Start from the words the first line holds: at most a few tries.
    let fit = whole.lines.first().map_or(0, |line| {
        let text: String = line.runs.iter().map(|r| r.text.as_str()).collect();
        text.split_whitespace().count()
    });
    let words: Vec<&str> = text.split_whitespace().collect();
    for keep in (1..=fit.min(words.len())).rev() {
        let joined = words[..keep].join(" ");
        let cut = joined.trim_end_matches(|c: char| c.is_whitespace() || ",;:.—–-".contains(c));
        if cut.is_empty() {
            continue;
        }
        let shortened = set(engine, format!("{cut}…"));
        if shortened.lines.len() <= 1 {
            return shortened;
        }
    }
    whole
}

/// The parts of a title that can stand for it alone, longest first: what
/// comes before each colon, spaced dash or question mark (the mark kept).
fn main_titles(title: &str) -> Vec<&str> {
    let mut ends: Vec<usize> = Vec::new();
    for (at, c) in title.char_indices() {
        let before = &title[..at];
        let spaced = title[at + c.len_utf8()..].starts_with(' ');
        match c {
            ':' if spaced => ends.push(at),
            '?' | '!' if spaced => ends.push(at + c.len_utf8()),
            '—' | '–' if spaced && before.ends_with(' ') => ends.push(at),
            _ => {}
        }
    }
    ends.iter()
        .rev()
        .map(|&end| title[..end].trim_end())
        .filter(|main| main.chars().any(char::is_alphanumeric))
        .collect()
}

/// The item marked as page furniture.
fn as_artifact(item: Item) -> Item {
    match item {
        Item::Text(mut run) => {
            run.tag = Tag::Artifact;
            Item::Text(run)
        }
        Item::Rule {
            from,
            to,
            width,
            color,
            ..
        } => Item::Rule {
            from,
            to,
            width,
            color,
            tag: Tag::Artifact,
        },
        other => other,
    }
}

/// A point in page coordinates from text-block coordinates.
pub fn to_page(design: &Design, p: Point) -> Point {
    Point::new(p.x + design.margin_left, p.y + design.margin_top)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::fonts::FontSet;
    use crate::style::Style;

    fn head_text(items: &[Item]) -> Vec<(String, Pt, Pt)> {
        items
            .iter()
            .filter_map(|item| match item {
                Item::Text(run) => Some((
                    run.text.clone(),
                    run.origin.x,
                    run.origin.x + run.glyphs.iter().map(|g| g.advance).sum::<Pt>(),
                )),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_running_head_too_long_for_the_measure_is_cut_at_a_colon_or_with_an_ellipsis() {
        let fonts = FontSet::builtin();
        let mut engine = Engine::new(&fonts);
        let design = Design::new(&Style::book());
        let mut heads = RunningHeads::default();
        let long = "From Nizhny Novgorod to Odessa: how the railway workers of the \
                    empire organised the fight for the eight-hour day and for bread";
        let items = head_and_folio(&mut engine, &design, "en", &mut heads, Some(long), None);
        let runs = head_text(&items);
        assert_eq!(runs.len(), 1, "one line: {runs:?}");
        let (text, left, right) = &runs[0];
        assert_eq!(text, "From Nizhny Novgorod to Odessa", "cut at the colon");
        assert!(*left >= design.margin_left && *right <= design.margin_left + design.measure);
        // With no colon, dash or question mark, an ellipsis.
        let long = long.replace(':', "");
        let items = head_and_folio(&mut engine, &design, "en", &mut heads, Some(&long), None);
        let runs = head_text(&items);
        let (text, left, right) = &runs[0];
        assert!(
            text.ends_with('…') && long.starts_with(text.trim_end_matches('…')),
            "{text}"
        );
        assert!(*left >= design.margin_left && *right <= design.margin_left + design.measure);
        // Cut after a spaced dash, neither the dash nor its space is kept.
        let dashed = "Lenin and the man who argued — for all power to the soviets \
                      against the whole of the old party leadership in April";
        let items = head_and_folio(&mut engine, &design, "en", &mut heads, Some(dashed), None);
        assert_eq!(head_text(&items)[0].0, "Lenin and the man who argued");
        let asked = "Why did the workers of Petrograd take power? The soviets, \
                     the factory committees and the party in the summer of 1917";
        let items = head_and_folio(&mut engine, &design, "en", &mut heads, Some(asked), None);
        assert_eq!(
            head_text(&items)[0].0,
            "Why did the workers of Petrograd take power?"
        );
        // A head that fits is left whole.
        let items = head_and_folio(&mut engine, &design, "en", &mut heads, Some("Lenin"), None);
        assert_eq!(head_text(&items)[0].0, "Lenin");
    }
}
