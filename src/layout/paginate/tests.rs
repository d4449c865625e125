//! The paginator's rules on small hand-made lists.

use std::cell::RefCell;
use std::collections::HashMap;

use super::plan::{List, Spliced};
use super::retry::{Extent, Groups, NEAREST_SETTABLE, TAKEN_BACK_TOGETHER, candidates, lines_on};
use super::*;
use crate::layout::flow::NoteMark;
use crate::page::{Color, Tag};
use crate::style::Style;
use crate::units::Point;

/// A design whose pages hold `lines` body lines of 13 pt.
fn design(lines: usize) -> Design {
    let mut design = Design::new(&Style::book());
    design.text_height = design.leading * lines as f32;
    design.lines_per_page = lines;
    design
}

/// The lines of a paragraph of `count` lines, numbered for recognition.
fn paragraph(id: usize, count: usize, design: &Design) -> Vec<Flow> {
    (0..count)
        .map(|i| {
            let legal = i == 0 || (i >= 2 && count - i >= 2);
            let mut b = FlowBox::line(
                vec![marker(id * 100 + i)],
                design.leading,
                design.body_depth(),
                if legal { Break::Allowed } else { Break::Avoid },
            );
            b.body_line = true;
            b.para = Some(id);
            Flow::Box(Arc::new(b))
        })
        .collect()
}

/// A floating figure `lines` lines tall, marked `n`.
fn figure(n: usize, lines: f32, design: &Design) -> Flow {
    let mut figure = FlowBox::line(
        vec![marker(n)],
        design.leading * lines,
        design.body_depth(),
        Break::Allowed,
    );
    figure.float = true;
    Flow::Box(Arc::new(figure))
}

/// An item that says which line it is.
fn marker(n: usize) -> Item {
    Item::Rule {
        from: Point::new(Pt(n as f32), Pt::ZERO),
        to: Point::new(Pt(n as f32), Pt::ZERO),
        width: Pt(1.0),
        color: Color::BLACK,
        tag: Tag::Artifact,
    }
}

/// Which lines each page holds (a box's line number is its rule's x).
pub(crate) fn lines_per_page(pages: &[BodyPage]) -> Vec<Vec<usize>> {
    pages
        .iter()
        .map(|p| {
            p.items
                .iter()
                .filter_map(|i| match i {
                    Item::Rule { from, .. } => Some(from.x.0 as usize),
                    _ => None,
                })
                .collect()
        })
        .collect()
}

fn no_reset(_: usize, _: usize, _: Strain) -> Option<Vec<FlowBox>> {
    None
}

/// A one-line subhead marked `n`, with the line of white above it that
/// may open by two more.
fn subhead(n: usize, d: &Design) -> [Flow; 2] {
    let mut heading = FlowBox::line(vec![marker(n)], d.leading, d.body_depth(), Break::Allowed);
    heading.heading = true;
    [
        Flow::Space {
            height: d.leading,
            stretch: d.leading * 2.0,
        },
        Flow::Box(Arc::new(heading)),
    ]
}

/// Two lines, a space that may stretch by `stretch` lines, paragraph 2
/// in `middle` lines, then a heading that keeps its three-line
/// paragraph: a page that must break before the heading.
fn lines_space_then_kept_heading(d: &Design, stretch: f32, middle: usize) -> Vec<Flow> {
    let mut flow = paragraph(1, 2, d);
    flow.push(Flow::Space {
        height: Pt::ZERO,
        stretch: d.leading * stretch,
    });
    flow.extend(paragraph(2, middle, d));
    let heading = FlowBox::line(vec![marker(500)], d.leading, d.body_depth(), Break::Allowed);
    flow.push(Flow::Box(Arc::new(heading)));
    let mut after = paragraph(3, 3, d);
    if let Some(Flow::Box(first)) = after.first_mut() {
        Arc::make_mut(first).break_before = Break::Avoid;
    }
    flow.extend(after);
    flow
}

/// A note of `lines` lines (each marked 900), referred to from line
/// `at` of `flow`.
fn note_at(flow: &mut [Flow], at: usize, lines: usize, d: &Design) -> NoteFlow {
    if let Flow::Box(b) = &mut flow[at] {
        Arc::make_mut(b).marks.push(NoteMark {
            note: 0,
            rect: Rect::new(Pt::ZERO, Pt::ZERO, Pt(5.0), Pt(5.0)),
            link: NodeId(1),
        });
    }
    let line = FlowBox::line(vec![marker(900)], d.leading, d.body_depth(), Break::Allowed);
    NoteFlow {
        lines: (0..lines).map(|_| Arc::new(line.clone())).collect(),
        number: Rect::default(),
        link: NodeId(2),
    }
}

/// The boxes of paragraph `id` set in `count` lines, as a reset gives them.
fn boxes_of(id: usize, count: usize, d: &Design) -> Vec<FlowBox> {
    paragraph(id, count, d)
        .into_iter()
        .filter_map(|f| {
            if let Flow::Box(b) = f {
                Some(Arc::unwrap_or_clone(b))
            } else {
                None
            }
        })
        .collect()
}

#[test]
fn splits_a_paragraph_leaving_two_lines_on_each_side() {
    let d = design(5);
    let mut flow = paragraph(1, 3, &d);
    flow.extend(paragraph(2, 4, &d));
    let pages = paginate(flow, &[], &d, &mut no_reset);
    assert_eq!(
        lines_per_page(&pages),
        [vec![100, 101, 102, 200, 201], vec![202, 203]]
    );
    assert!(pages[0].full && !pages[1].full);
}

#[test]
fn paragraph_gaps_open_when_nothing_else_lets_a_page_end_flush() {
    // Four 2-line paragraphs, then a 3-line one that cannot be split:
    // the page holds 8 of its 9 lines, and its three paragraph gaps
    // open by a third of a line each so that it still ends flush.
    let d = design(9);
    let mut flow = Vec::new();
    for id in 1..=4 {
        flow.extend(paragraph(id, 2, &d));
    }
    flow.extend(paragraph(5, 3, &d));
    let pages = paginate(flow, &[], &d, &mut no_reset);
    assert_eq!(lines_per_page(&pages)[1], [500, 501, 502]);
    let y = |n| y_of(&pages[0], n).expect("line");
    let gap = d.leading + d.leading / 3.0;
    assert!(((y(200) - y(101)) - gap).0.abs() < 0.01, "opened gap");
    assert!(
        ((y(401) - y(400)) - d.leading).0.abs() < 0.01,
        "lines as set"
    );
    assert!(
        ((y(401) - y(100)) - d.leading * 8.0).0.abs() < 0.01,
        "flush"
    );
}

#[test]
fn never_leaves_an_orphan_or_a_widow() {
    // 4 lines, then a 3-line paragraph: its first line would be an
    // orphan, and two would leave a widow, so it goes whole to page 2.
    let d = design(5);
    let mut flow = paragraph(1, 4, &d);
    flow.extend(paragraph(2, 3, &d));
    let pages = paginate(flow, &[], &d, &mut no_reset);
    assert_eq!(
        lines_per_page(&pages),
        [vec![100, 101, 102, 103], vec![200, 201, 202]]
    );
}

#[test]
fn sets_a_paragraph_a_line_longer_to_fill_the_page() {
    // As above, but the first paragraph can be set in five lines: the
    // page then ends full.
    let d = design(5);
    let mut flow = paragraph(1, 4, &d);
    flow.extend(paragraph(2, 3, &d));
    let longer = boxes_of(1, 5, &d);
    let mut reset =
        |id: usize, lines: usize, _: Strain| (id == 1 && lines == 5).then(|| longer.clone());
    let pages = paginate(flow, &[], &d, &mut reset);
    assert_eq!(
        lines_per_page(&pages),
        [vec![100, 101, 102, 103, 104], vec![200, 201, 202]]
    );
}

#[test]
fn sets_a_paragraph_a_line_longer_rather_than_open_a_gap_of_three_lines() {
    // Eight-line pages: two lines, a stretchable space, three lines,
    // then a heading that must keep its three-line paragraph. The page
    // breaks before the heading with three lines to spare, which the
    // space could take; setting the middle paragraph in four lines
    // leaves a gap of two.
    let d = design(8);
    let flow = lines_space_then_kept_heading(&d, 4.0, 3);
    let longer = boxes_of(2, 4, &d);
    let mut reset =
        |id: usize, lines: usize, _: Strain| (id == 2 && lines == 4).then(|| longer.clone());
    let pages = paginate(flow.clone(), &[], &d, &mut reset);
    assert_eq!(
        lines_per_page(&pages)[0],
        [100, 101, 200, 201, 202, 203],
        "the gap is two lines, not three"
    );
    // Without the longer setting the page still ends flush, by the space.
    let pages = paginate(flow, &[], &d, &mut no_reset);
    assert_eq!(lines_per_page(&pages)[0], [100, 101, 200, 201, 202]);
    assert!(pages[0].full);
}

#[test]
fn a_paragraph_begun_on_an_earlier_page_is_not_set_again() {
    // Its lines up there are drawn already: setting it again would
    // lose or repeat words at the page turn.
    let d = design(5);
    let mut flow = paragraph(1, 6, &d);
    flow.extend(paragraph(2, 4, &d));
    let plan = fill(&flow, 3, &Carry::default(), &[], &d);
    let ids = candidates(&flow, 3, &plan);
    assert!(!ids.contains(&1), "{ids:?}");
    assert!(ids.contains(&2), "{ids:?}");
}

/// Where line (or figure) `n` is drawn on `page`.
fn y_of(page: &BodyPage, n: usize) -> Option<Pt> {
    page.items.iter().find_map(|i| match i {
        Item::Rule { from, .. } if from.x.0 as usize == n => Some(from.y),
        _ => None,
    })
}

#[test]
fn a_figure_sent_on_leaves_no_space_behind() {
    let d = design(6);
    let mut flow = paragraph(1, 4, &d);
    flow.push(figure(700, 3.0, &d));
    flow.extend(paragraph(2, 2, &d));
    let pages = paginate(flow, &[], &d, &mut no_reset);
    assert_eq!(
        lines_per_page(&pages),
        [vec![100, 101, 102, 103, 200, 201], vec![700]]
    );
    let gap = y_of(&pages[0], 200).expect("line 200") - y_of(&pages[0], 103).expect("103");
    assert!(
        (gap - d.leading).0.abs() < 0.01,
        "the text closes up where the figure was: {gap:?}"
    );
}

#[test]
fn a_figure_that_fits_stands_between_half_line_spaces() {
    let d = design(9);
    let mut flow = paragraph(1, 2, &d);
    flow.push(figure(700, 3.0, &d));
    flow.extend(paragraph(2, 2, &d));
    let pages = paginate(flow, &[], &d, &mut no_reset);
    assert_eq!(lines_per_page(&pages), [vec![100, 101, 700, 200, 201]]);
    let above = y_of(&pages[0], 700).expect("figure") - y_of(&pages[0], 101).expect("101");
    let below = y_of(&pages[0], 200).expect("200") - y_of(&pages[0], 700).expect("figure");
    assert!((above - d.leading * 1.5).0.abs() < 0.01, "{above:?}");
    assert!((below - d.leading * 3.5).0.abs() < 0.01, "{below:?}");
}

#[test]
fn a_subhead_opens_above_before_it_opens_below() {
    // Nine-line pages: three lines, a subhead, two lines kept with it,
    // then a three-line paragraph that cannot be split. The page ends
    // two lines early: the white above the subhead opens by a line,
    // the white below it by a line only once nothing else is left.
    let d = design(9);
    let mut flow = paragraph(1, 3, &d);
    flow.extend(subhead(900, &d));
    flow.push(Flow::Space {
        height: Pt::ZERO,
        stretch: d.leading * 2.0,
    });
    let mut kept = paragraph(2, 2, &d);
    if let Flow::Box(b) = &mut kept[0] {
        Arc::make_mut(b).break_before = Break::Avoid;
    }
    flow.extend(kept);
    let mut whole = paragraph(3, 3, &d);
    if let Flow::Box(b) = &mut whole[2] {
        Arc::make_mut(b).break_before = Break::Avoid;
    }
    flow.extend(whole);
    let pages = paginate(flow, &[], &d, &mut no_reset);
    assert_eq!(lines_per_page(&pages)[1], [300, 301, 302]);
    let y = |n| y_of(&pages[0], n).expect("line");
    let near = |a: Pt, b: Pt| (a - b).0.abs() < 0.01;
    assert!(near(y(900) - y(102), d.leading * 3.0), "two lines above");
    assert!(near(y(200) - y(900), d.leading * 2.0), "one line below");
    assert!(near(y(201) - y(100), d.leading * 8.0), "flush");
}

#[test]
fn notes_on_an_articles_last_page_follow_its_text() {
    // A two-line article with a one-line note on a nine-line page:
    // the note stands a line below the text, not at the page's foot.
    let d = design(9);
    let mut flow = paragraph(1, 2, &d);
    let notes = vec![note_at(&mut flow, 1, 1, &d)];
    let pages = paginate(flow, &notes, &d, &mut no_reset);
    assert_eq!(pages.len(), 1);
    let y = |n| y_of(&pages[0], n).expect("line");
    assert!(((y(900) - y(101)) - d.leading * 2.0).0.abs() < 0.01);
}

#[test]
fn a_footnote_goes_to_the_page_of_its_reference() {
    // Five-line pages; line 3 refers to a two-line note, which takes
    // three lines' room (separation included): the reference's line
    // must still be on the page that prints the note.
    let d = design(5);
    let mut flow = paragraph(1, 6, &d);
    let notes = vec![note_at(&mut flow, 3, 2, &d)];
    let pages = paginate(flow, &notes, &d, &mut no_reset);
    let layout = lines_per_page(&pages);
    let with_ref = layout
        .iter()
        .position(|p| p.contains(&103))
        .expect("line 3 placed");
    assert!(layout[with_ref].contains(&900), "{layout:?}");
    // The mark links to the note and back.
    let links = pages[with_ref]
        .items
        .iter()
        .filter(|i| matches!(i, Item::Link { .. }))
        .count();
    assert_eq!(links, 2);
}

#[test]
fn a_figure_that_does_not_fit_waits_while_the_text_goes_on() {
    let d = design(6);
    let mut flow = paragraph(1, 4, &d);
    flow.push(figure(700, 3.0, &d));
    flow.extend(paragraph(2, 2, &d));
    let pages = paginate(flow, &[], &d, &mut no_reset);
    assert_eq!(
        lines_per_page(&pages),
        [vec![100, 101, 102, 103, 200, 201], vec![700]]
    );
}

#[test]
fn sets_a_paragraph_a_line_longer_rather_than_open_a_space_at_all() {
    // Eight-line pages: two lines, a stretchable space, five lines,
    // then a heading that keeps its paragraph. The page breaks before
    // the heading a line short, which the space could take (a line of
    // white, once taken as it was); setting the middle paragraph in six
    // lines fills the page with every space as set.
    let d = design(8);
    let flow = lines_space_then_kept_heading(&d, 2.0, 5);
    let longer = boxes_of(2, 6, &d);
    let mut reset =
        |id: usize, lines: usize, _: Strain| (id == 2 && lines == 6).then(|| longer.clone());
    let pages = paginate(flow, &[], &d, &mut reset);
    assert_eq!(
        lines_per_page(&pages)[0],
        [100, 101, 200, 201, 202, 203, 204, 205]
    );
    let y = |n| y_of(&pages[0], n).expect("line");
    assert!(
        ((y(200) - y(101)) - d.leading).0.abs() < 0.01,
        "the space as set"
    );
}

#[test]
fn an_article_runs_a_line_short_rather_than_open_its_paragraph_gaps() {
    // Thirteen-line pages of three-line paragraphs, which cannot be
    // split: four fill twelve lines, so each full page would open its
    // paragraph gaps by a third of a line. On twelve-line pages the
    // same paragraphs end flush, every gap as set.
    let d = design(13);
    let mut flow = Vec::new();
    for id in 1..=8 {
        flow.extend(paragraph(id, 3, &d));
    }
    let opened = paginate(flow.clone(), &[], &d, &mut no_reset);
    let y = |pages: &[BodyPage], n| y_of(&pages[0], n).expect("line");
    assert!((y(&opened, 200) - y(&opened, 102) - d.leading).0 > 1.0);
    let pages = paginate_article(flow, &[], &d, &mut no_reset);
    assert_eq!(lines_per_page(&pages)[0].len(), 12);
    assert!(pages[0].full);
    assert!(((y(&pages, 200) - y(&pages, 102)) - d.leading).0.abs() < 0.01);
    assert!(
        ((y(&pages, 402) - y(&pages, 100)) - d.leading * 11.0)
            .0
            .abs()
            < 0.01
    );
}

#[test]
fn a_figure_heading_a_page_stands_between_half_line_spaces() {
    // The figure does not fit after six lines of an eight-line page;
    // on the next page it stands half a line down, as it would in the
    // text, and the text after it is back on the baseline grid.
    let d = design(8);
    let mut flow = paragraph(1, 6, &d);
    flow.push(figure(700, 3.0, &d));
    flow.extend(paragraph(2, 6, &d));
    let pages = paginate(flow, &[], &d, &mut no_reset);
    assert_eq!(
        lines_per_page(&pages),
        [
            vec![100, 101, 102, 103, 104, 105, 200, 201],
            vec![700, 202, 203, 204, 205]
        ]
    );
    let y = |n| y_of(&pages[1], n).expect("item");
    assert!((y(700) - d.leading * 0.5).0.abs() < 0.01, "{:?}", y(700));
    assert!((y(202) - d.leading * 4.0).0.abs() < 0.01, "{:?}", y(202));
}

/// Seven lines of short paragraphs (ids 1 to 5) with a stretchable space
/// between each two: a page of them ends flush only by opening spaces.
fn short_paragraphs_between_spaces(d: &Design) -> Vec<Flow> {
    let mut flow = Vec::new();
    for (id, lines) in [(1, 1), (2, 1), (3, 1), (4, 2), (5, 2)] {
        if id > 1 {
            flow.push(Flow::Space {
                height: Pt::ZERO,
                stretch: d.leading * 2.0,
            });
        }
        flow.extend(paragraph(id, lines, d));
    }
    flow
}

#[test]
fn an_article_runs_a_line_short_rather_than_open_its_spaces_at_all() {
    // Eight-line pages: seven lines of short paragraphs between four
    // stretchable spaces, then a three-line paragraph that cannot be
    // split. The first page would end flush only by opening each space
    // a quarter of a line (little white, but a page unlike the others);
    // on seven-line pages every space stays as set.
    let d = design(8);
    let mut flow = short_paragraphs_between_spaces(&d);
    flow.extend(paragraph(6, 3, &d));
    flow.extend(paragraph(7, 3, &d));
    let opened = paginate(flow.clone(), &[], &d, &mut no_reset);
    let y = |pages: &[BodyPage], n| y_of(&pages[0], n).expect("line");
    assert!((y(&opened, 501) - y(&opened, 100) - d.leading * 6.0).0 > 1.0);
    let pages = paginate_article(flow, &[], &d, &mut no_reset);
    assert_eq!(lines_per_page(&pages)[0].len(), 7);
    assert!(pages[0].full);
    assert!(
        ((y(&pages, 501) - y(&pages, 100)) - d.leading * 6.0)
            .0
            .abs()
            < 0.01
    );
}

#[test]
fn lengthens_the_paragraph_whose_longer_setting_does_not_end_on_a_word_s_tail() {
    // A page a line short: either paragraph set a line longer fills it,
    // but the second's longer setting breaks a word on its second-last
    // line ("com-/rade."), and the first's does not.
    let d = design(6);
    let mut flow = paragraph(1, 2, &d);
    flow.extend(paragraph(2, 3, &d));
    flow.extend(paragraph(3, 5, &d));
    let first_longer = boxes_of(1, 3, &d);
    let mut second_longer = boxes_of(2, 4, &d);
    Arc::make_mut(&mut second_longer[2].items).push(Item::Text(crate::page::TextRun {
        origin: Point::new(Pt::ZERO, Pt::ZERO),
        font: 0,
        size: Pt(10.0),
        h_scale: 1.0,
        vertical: false,
        right_to_left: false,
        glyphs: Vec::new(),
        text: "the com-".into(),
        color: Color::BLACK,
        tag: Tag::Artifact,
    }));
    let mut reset = |id: usize, lines: usize, _: Strain| match (id, lines) {
        (1, 3) => Some(first_longer.clone()),
        (2, 4) => Some(second_longer.clone()),
        _ => None,
    };
    let pages = paginate(flow, &[], &d, &mut reset);
    assert_eq!(lines_per_page(&pages)[0], [100, 101, 102, 200, 201, 202]);
}

#[test]
fn a_short_article_does_not_end_a_page_on_a_table_row() {
    // As above, but the line that would end the first page of the
    // shorter pages is a table row, whose smaller text stands higher:
    // that page would read as ending two lines short, so the article
    // keeps its full pages and opens its spaces.
    let d = design(8);
    let mut flow = short_paragraphs_between_spaces(&d);
    let header = Arc::new(FlowBox::line(
        vec![marker(700)],
        d.leading,
        d.body_depth(),
        Break::Avoid,
    ));
    if let Some(Flow::Box(row)) = flow.last_mut() {
        Arc::make_mut(row).header = Some(header);
    }
    flow.extend(paragraph(6, 3, &d));
    flow.extend(paragraph(7, 3, &d));
    let pages = paginate_article(flow, &[], &d, &mut no_reset);
    let y = |n| y_of(&pages[0], n).expect("line");
    assert!((y(501) - y(100) - d.leading * 6.0).0 > 1.0);
}

/// A pull quote that heads a page cannot be sent on to the next one: the
/// page that holds it carries the text after it too, not the quote alone
/// with the rest of the page white (EB Garamond seed 7, PDF 24).
#[test]
fn float_heading_a_page_keeps_its_text_under_it() {
    let design = design(10);
    let mut flow = paragraph(1, 10, &design);
    flow.push(figure(900, 3.0, &design));
    flow.extend(paragraph(2, 4, &design));
    flow.extend(paragraph(3, 3, &design));
    flow.extend(paragraph(4, 6, &design));
    let pages = paginate(flow, &[], &design, &mut no_reset);
    let lines = lines_per_page(&pages);
    let with_quote = lines
        .iter()
        .find(|page| page.contains(&900))
        .expect("the quote is set");
    assert!(
        with_quote.iter().any(|&n| n != 900),
        "a page holds only the quote: {lines:?}"
    );
    assert!(with_quote.contains(&200), "{lines:?}");
}

/// A twelve-line paragraph on ten-line pages, and its settings in `longer`
/// lines, as `(lines, boxes)`: the last page holds two of its lines.
fn article_ending_on_two_lines(d: &Design) -> (Vec<Flow>, HashMap<usize, Vec<FlowBox>>) {
    let flow = paragraph(1, 12, d);
    let settings = (10..=15).map(|n| (n, boxes_of(1, n, d))).collect();
    (flow, settings)
}

#[test]
fn an_article_s_last_page_is_filled_a_line_at_a_time() {
    // Two lines left over: only the paragraph set three lines longer
    // leaves the last page five. Each line longer must read as a step
    // nearer (a last page of two lines costing as much as one of four,
    // the paginator took the first change of a round and went back).
    let d = design(10);
    let (flow, settings) = article_ending_on_two_lines(&d);
    let mut reset = |id: usize, lines: usize, _: Strain| {
        (id == 1 && lines > 12).then(|| settings[&lines].clone())
    };
    let pages = paginate(flow, &[], &d, &mut reset);
    let lines = lines_per_page(&pages);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[1].len(), 5, "{lines:?}");
}

#[test]
fn an_article_takes_back_the_line_its_last_page_would_hold() {
    // Two five-line paragraphs fill a ten-line page and a one-line
    // paragraph (a series note, say) would stand alone on the next: set a
    // line shorter, the first lets the article end on its first page.
    let d = design(10);
    let mut flow = paragraph(1, 5, &d);
    flow.extend(paragraph(2, 5, &d));
    flow.extend(paragraph(3, 1, &d));
    let shorter = boxes_of(1, 4, &d);
    let mut reset =
        |id: usize, lines: usize, _: Strain| (id == 1 && lines == 4).then(|| shorter.clone());
    let pages = paginate(flow, &[], &d, &mut reset);
    assert_eq!(
        lines_per_page(&pages).len(),
        1,
        "{:?}",
        lines_per_page(&pages)
    );
}

#[test]
fn an_article_s_last_page_is_not_filled_by_setting_its_own_lines_looser() {
    // A full page, then a last page of four lines: a paragraph that
    // begins there set a line longer would make it five, but only by
    // setting its words looser (a series note's "Part N." alone on its
    // last line), not by bringing any text over.
    let d = design(10);
    let mut flow = paragraph(1, 10, &d);
    flow.extend(paragraph(2, 4, &d));
    let longer = boxes_of(2, 5, &d);
    let mut reset =
        |id: usize, lines: usize, _: Strain| (id == 2 && lines == 5).then(|| longer.clone());
    let pages = paginate(flow, &[], &d, &mut reset);
    assert_eq!(lines_per_page(&pages)[1], [200, 201, 202, 203]);
}

#[test]
fn a_pull_quote_after_a_subhead_follows_the_subhead_s_first_paragraph() {
    let d = design(20);
    let mut flow = paragraph(1, 3, &d);
    let mut heading = FlowBox::line(vec![marker(500)], d.leading, d.body_depth(), Break::Allowed);
    heading.heading = true;
    flow.push(Flow::Box(Arc::new(heading)));
    flow.push(Flow::Space {
        height: Pt::ZERO,
        stretch: d.leading * 2.0,
    });
    let mut quote = figure(700, 3.0, &d);
    if let Flow::Box(b) = &mut quote {
        Arc::make_mut(b).break_before = Break::Avoid;
    }
    flow.push(quote);
    flow.extend(paragraph(2, 3, &d));
    flow.extend(paragraph(3, 2, &d));
    let pages = paginate_article(flow, &[], &d, &mut no_reset);
    assert_eq!(
        lines_per_page(&pages),
        [vec![100, 101, 102, 500, 200, 201, 202, 700, 300, 301]]
    );
    let below = y_of(&pages[0], 200).expect("200") - y_of(&pages[0], 500).expect("subhead");
    assert!(
        (below - d.leading).0.abs() < 0.01,
        "the subhead stands on its text: {below:?}"
    );
}

#[test]
fn a_pull_quote_after_a_page_that_cannot_end_flush_is_brought_onto_it() {
    // Three-line paragraphs (none may be split) fill nine of a page's ten
    // lines; a pull quote of three lines and its half-line spaces stands
    // after the fourth. Set between the first two paragraphs, it lets the
    // page end flush on the second, where its gaps would open otherwise.
    let d = design(10);
    let mut flow = Vec::new();
    for id in 1..=4 {
        flow.extend(paragraph(id, 3, &d));
    }
    flow.push(figure(700, 3.0, &d));
    flow.extend(paragraph(5, 3, &d));
    let pages = paginate(flow, &[], &d, &mut no_reset);
    assert_eq!(
        lines_per_page(&pages),
        [
            vec![100, 101, 102, 700, 200, 201, 202],
            vec![300, 301, 302, 400, 401, 402, 500, 501, 502]
        ]
    );
    let foot = y_of(&pages[0], 202).expect("202") - y_of(&pages[0], 100).expect("100");
    assert!(
        (foot - d.leading * 9.0).0.abs() < 0.01,
        "the page ends flush with its spaces as set: {foot:?}"
    );
}

#[test]
fn an_article_s_last_page_is_filled_from_two_pages_before() {
    // Six-line pages: a two-line paragraph, a seven-line one split 4 | 3
    // and a six-line one split 3 | 3 leave three lines on the last page.
    // Only the first paragraph may be set a line longer; the page before
    // the last has none that may, but set so two pages back, it sends a
    // line on over both page turns.
    let d = design(6);
    let mut flow = paragraph(1, 2, &d);
    flow.extend(paragraph(2, 7, &d));
    flow.extend(paragraph(3, 6, &d));
    let longer = boxes_of(1, 3, &d);
    let mut reset =
        |id: usize, lines: usize, _: Strain| (id == 1 && lines == 3).then(|| longer.clone());
    let pages = paginate(flow, &[], &d, &mut reset);
    assert_eq!(
        lines_per_page(&pages),
        [
            vec![100, 101, 102, 200, 201, 202],
            vec![203, 204, 205, 206, 300, 301],
            vec![302, 303, 304, 305]
        ]
    );
}

#[test]
fn a_strained_setting_is_taken_only_where_no_usual_one_ends_the_page_without_white() {
    // The page of paragraph_gaps_open_when_nothing_else_lets_a_page_end_flush:
    // its first paragraph sets a line longer only with strained lines,
    // which end the page flush with no gap opened.
    let d = design(9);
    let mut flow = Vec::new();
    for id in 1..=4 {
        flow.extend(paragraph(id, 2, &d));
    }
    flow.extend(paragraph(5, 3, &d));
    let longer = boxes_of(1, 3, &d);
    let mut asked = Vec::new();
    let mut reset = |id: usize, lines: usize, strain: Strain| {
        asked.push(strain);
        (id == 1 && lines == 3 && strain == Strain::Strained).then(|| longer.clone())
    };
    let pages = paginate(flow, &[], &d, &mut reset);
    assert_eq!(
        lines_per_page(&pages)[0],
        [100, 101, 102, 200, 201, 300, 301, 400, 401]
    );
    assert_eq!(asked.first(), Some(&Strain::Usual), "usual settings first");
}

/// True when figures (or pull quotes) `a` and `b` stand on one page with
/// no line of text between them.
fn stacked(pages: &[BodyPage], a: usize, b: usize) -> bool {
    lines_per_page(pages)
        .iter()
        .any(|page| page.windows(2).any(|w| w == [a, b] || w == [b, a]))
}

#[test]
fn a_float_is_not_sent_on_where_it_would_stand_stacked_with_another() {
    // The page cannot end flush with the figure on it; sent on, it would
    // take the pull quote after it along (neither fits beside the text
    // that flows up), the two stacked at the next page's head (proof 7:
    // seed 1 PDF 234, a figure over a pull quote).
    let d = design(10);
    let mut flow = paragraph(1, 3, &d);
    flow.push(figure(700, 3.0, &d));
    flow.extend(paragraph(2, 4, &d));
    flow.push(figure(800, 3.0, &d));
    flow.extend(paragraph(3, 6, &d));
    flow.extend(paragraph(4, 6, &d));
    let pages = paginate(flow, &[], &d, &mut no_reset);
    let lines = lines_per_page(&pages);
    assert!(!stacked(&pages, 700, 800), "{lines:?}");
    assert!(lines[0].contains(&700), "{lines:?}");
}

#[test]
fn no_float_is_brought_onto_a_page_headed_by_one_sent_on() {
    // The figure does not fit on the first page and heads the second,
    // which ends a line short; the pull quote after it, brought onto it
    // between two one-line paragraphs, would let it end flush, but two
    // floats would share a page of two lines of text (proof 7: seed 11
    // PDF 52, a figure and a quote on one page, a block quote split to
    // make room).
    let d = design(10);
    let mut flow = paragraph(1, 10, &d);
    flow.push(figure(700, 3.0, &d));
    flow.extend(paragraph(2, 1, &d));
    flow.extend(paragraph(3, 1, &d));
    flow.extend(paragraph(4, 3, &d));
    flow.extend(paragraph(5, 3, &d));
    flow.push(figure(800, 3.0, &d));
    flow.extend(paragraph(6, 3, &d));
    let pages = paginate(flow, &[], &d, &mut no_reset);
    let lines = lines_per_page(&pages);
    let headed = lines
        .iter()
        .find(|page| page.first() == Some(&700))
        .expect("the figure heads a page");
    assert!(!headed.contains(&800), "{lines:?}");
}

/// Paragraphs 1 to 3 of two lines, which cannot be parted, then
/// paragraph 4 of three.
fn three_two_line_paragraphs_then_a_three_line_one(d: &Design) -> Vec<Flow> {
    let mut flow: Vec<Flow> = (1..=3).flat_map(|id| paragraph(id, 2, d)).collect();
    flow.extend(paragraph(4, 3, d));
    flow
}

#[test]
fn an_article_s_last_page_is_filled_by_two_paragraphs_set_a_line_longer_together() {
    // Six-line pages of two-line paragraphs, which cannot be parted: the
    // last page holds three lines. The first two paragraphs each set a
    // line longer; either alone would end the first page a line short,
    // both together send the third on, and the last page holds five.
    let d = design(6);
    let flow = three_two_line_paragraphs_then_a_three_line_one(&d);
    let mut reset = |id: usize, lines: usize, _: Strain| {
        (matches!(id, 1 | 2) && lines == 3).then(|| boxes_of(id, 3, &d))
    };
    let pages = paginate(flow, &[], &d, &mut reset);
    assert_eq!(
        lines_per_page(&pages),
        [
            vec![100, 101, 102, 200, 201, 202],
            vec![300, 301, 400, 401, 402]
        ]
    );
}

#[test]
fn a_strained_setting_is_taken_rather_than_open_the_white_above_a_subhead() {
    // The page of sets_a_paragraph_a_line_longer_rather_than_open_a_space_at_all,
    // its middle paragraph set a line longer only with strained lines:
    // taken, the space keeps its value rather than open a line of white.
    let d = design(8);
    let flow = lines_space_then_kept_heading(&d, 2.0, 5);
    let longer = boxes_of(2, 6, &d);
    let mut reset = |id: usize, lines: usize, strain: Strain| {
        (id == 2 && lines == 6 && strain == Strain::Strained).then(|| longer.clone())
    };
    let pages = paginate(flow, &[], &d, &mut reset);
    assert_eq!(
        lines_per_page(&pages)[0],
        [100, 101, 200, 201, 202, 203, 204, 205]
    );
}

#[test]
fn an_article_s_last_page_is_taken_back_by_three_paragraphs_set_a_line_shorter() {
    // A six-line page of two-line paragraphs, then a three-line one,
    // which cannot be parted, alone on the last page. Each of the first
    // three sets a line shorter; one or two alone would leave the first
    // page short, all three together take the last one back.
    let d = design(6);
    let flow = three_two_line_paragraphs_then_a_three_line_one(&d);
    let mut reset = |id: usize, lines: usize, _: Strain| {
        (matches!(id, 1..=3) && lines == 1).then(|| boxes_of(id, 1, &d))
    };
    let pages = paginate(flow, &[], &d, &mut reset);
    assert_eq!(lines_per_page(&pages), [vec![100, 200, 300, 400, 401, 402]]);
}

#[test]
fn a_page_s_gaps_counted_are_those_listed() {
    // Four 2-line paragraphs and a 3-line one on a page of 9 lines: three
    // paragraph gaps open (see paragraph_gaps_open_when_nothing_else_lets_a_page_end_flush).
    let d = design(9);
    let mut flow = Vec::new();
    for id in 1..=4 {
        flow.extend(paragraph(id, 2, &d));
    }
    flow.extend(paragraph(5, 3, &d));
    let plan = plan::fill(&flow, 0, &Carry::default(), &[], &d);
    let gaps = spacing::paragraph_gaps(&plan.placed);
    assert_eq!(gaps, [2, 4, 6]);
    assert_eq!(spacing::paragraph_gap_count(&plan.placed), gaps.len());
    let opening = spacing::Opening::of(&plan, &d);
    assert_eq!(opening.gaps, gaps, "the gaps that open are listed");
    let cost = plan.cost(&d);
    assert!(cost > ACCEPTABLE, "gaps opened: {cost}");
}

#[test]
fn groups_are_made_in_order_one_at_a_time() {
    let groups: Vec<Vec<usize>> = Groups::new(&[7, 8, 9, 10], 3).collect();
    assert_eq!(
        groups,
        [
            vec![7, 8, 9],
            vec![7, 8, 10],
            vec![7, 9, 10],
            vec![8, 9, 10]
        ]
    );
    assert_eq!(Groups::new(&[7, 8], 3).count(), 0);
    assert_eq!(Groups::new(&(0..10).collect::<Vec<_>>(), 2).count(), 45);
}

#[test]
fn an_article_s_last_page_is_sought_among_the_paragraphs_nearest_it() {
    // Sixty two-line paragraphs, each of which sets a line longer and a
    // line shorter, and a window that no change helps: the groups tried
    // (each plans the window again) are those of the paragraphs nearest
    // the last page, not the thirty-seven thousand of all sixty.
    let d = design(40);
    let mut flow = Vec::new();
    for id in 1..=60 {
        flow.extend(paragraph(id, 2, &d));
    }
    let ids: Vec<usize> = (1..=60).collect();
    let mut reset = |id: usize, lines: usize, _: Strain| {
        (1..=3).contains(&lines).then(|| boxes_of(id, lines, &d))
    };
    let mut settings = Settings {
        reset: &mut reset,
        notes: &[],
        design: &d,
        known: retry::Known::default(),
        strain: Strain::Usual,
    };
    // The paragraphs set again in each window planned.
    let tried: RefCell<Vec<Vec<usize>>> = RefCell::new(Vec::new());
    {
        let window = |candidate: &[Flow]| -> Option<(Vec<Plan>, Plan)> {
            let changed = (1..=60)
                .filter(|&id| {
                    let lines = candidate.iter().filter(|f| f.para() == Some(id)).count();
                    lines != 2
                })
                .collect();
            tried.borrow_mut().push(changed);
            None
        };
        assert!(lines_on(&flow, &ids, TAKEN_BACK_TOGETHER, &window, &mut settings).is_none());
    }
    let tried = tried.into_inner();
    let n = NEAREST_SETTABLE;
    let (pairs, triples) = (n * (n - 1) / 2, n * (n - 1) * (n - 2) / 6);
    // Pairs set longer, then pairs and triples set shorter.
    assert_eq!(tried.len(), pairs * 2 + triples);
    let nearest = 60 - n + 1;
    assert!(
        tried
            .iter()
            .all(|changed| changed.iter().all(|&id| id >= nearest)),
        "a paragraph farther from the last page than the nearest {n} was set again"
    );
}

/// Six lines, a float (a figure when `image`, else a pull quote) that
/// does not fit after them on an eight-line page, two lines, then a
/// subhead and its two-line paragraph on the next page: the white between
/// the float and the subhead, in leadings.
fn white_above_a_subhead_under_a_float_sent_on(image: bool) -> f32 {
    let d = design(8);
    let mut flow = paragraph(1, 6, &d);
    let mut float = figure(700, 3.0, &d);
    if let (true, Flow::Box(b)) = (image, &mut float) {
        Arc::make_mut(&mut Arc::make_mut(b).items).push(Item::Image {
            clip: None,
            image: Arc::new(crate::model::Image {
                path: "picture.png".into(),
                source: "picture.png".into(),
                format: crate::model::ImageFormat::Png,
                width: 1,
                height: 1,
                data: Arc::from(Vec::new()),
            }),
            rect: Rect::new(Pt::ZERO, Pt::ZERO, Pt(10.0), Pt(10.0)),
            tag: Tag::Artifact,
        });
    }
    flow.push(float);
    flow.extend(paragraph(2, 2, &d));
    flow.extend(subhead(900, &d));
    let mut after = paragraph(3, 2, &d);
    if let Flow::Box(first) = &mut after[0] {
        Arc::make_mut(first).break_before = Break::Avoid;
    }
    flow.extend(after);
    let pages = paginate(flow, &[], &d, &mut no_reset);
    assert_eq!(lines_per_page(&pages)[1], [700, 900, 300, 301]);
    let y = |n| y_of(&pages[1], n).expect("item");
    assert!((y(300) - y(900) - d.leading).0.abs() < 0.01);
    (y(900) - y(700) - d.leading * 3.0).0 / d.leading.0
}

#[test]
fn a_subhead_under_a_figure_sent_on_keeps_its_white_above() {
    // Under a figure, the subhead stands a line below the figure's
    // half-line space, as it would below text, not right under the
    // caption; a pull quote's rule parts it from the subhead already.
    let figure = white_above_a_subhead_under_a_float_sent_on(true);
    assert!((figure - 1.5).abs() < 0.01, "{figure}");
    let pull_quote = white_above_a_subhead_under_a_float_sent_on(false);
    assert!((pull_quote - 0.5).abs() < 0.01, "{pull_quote}");
}

/// Each line's top on a page, by its marker.
fn tops(page: &BodyPage, markers: &[usize]) -> Vec<Pt> {
    markers
        .iter()
        .map(|&n| y_of(page, n).expect("line on the page"))
        .collect()
}

#[test]
fn the_leading_never_opens_to_end_a_page_flush() {
    // 10 pt of fixed white, then paragraphs of 3, 1 and 3 lines (which
    // cannot be split) and another of 3 that does not fit: the nine-line
    // page ends 16 pt short with two paragraph gaps. Half a line at each
    // gap is not enough; the lines stay one leading apart (they back up
    // the facing page's) and the gaps make up all of it.
    let d = design(9);
    let mut flow = vec![Flow::Space {
        height: Pt(10.0),
        stretch: Pt::ZERO,
    }];
    flow.extend(paragraph(1, 3, &d));
    flow.extend(paragraph(2, 1, &d));
    flow.extend(paragraph(3, 3, &d));
    flow.extend(paragraph(4, 3, &d));
    let pages = paginate(flow, &[], &d, &mut no_reset);
    assert_eq!(lines_per_page(&pages)[1], [400, 401, 402]);
    for para in [[100, 101, 102], [300, 301, 302]] {
        let y = tops(&pages[0], &para);
        for pair in y.windows(2) {
            assert!(((pair[1] - pair[0]) - d.leading).0.abs() < 0.01, "{y:?}");
        }
    }
    let y = tops(&pages[0], &[102, 200, 300, 302]);
    let gap = (y[1] - y[0]) - d.leading;
    assert!(
        (gap - Pt(8.0)).0.abs() < 0.01,
        "each gap opens by 8 pt: {gap:?}"
    );
    assert!(((y[2] - y[1]) - (y[1] - y[0])).0.abs() < 0.01, "evenly");
    let foot = y[3] + d.leading;
    assert!(
        (foot - Pt(10.0) - d.leading * 7.0 - Pt(16.0)).0.abs() < 0.01,
        "flush"
    );
}

#[test]
fn a_subhead_opens_by_half_a_line_at_most_where_the_paragraph_gaps_open_a_little() {
    // 3 pt of fixed white, three two-line paragraphs, a subhead kept with
    // its three-line paragraph, then another three-line paragraph that
    // does not fit: the twelve-line page ends 10 pt short. The white
    // above the subhead opens by half a line (not by the 10 pt it could
    // take, 36 pt baseline to baseline, which a reader sees beside the
    // facing page's 26), and the two paragraph gaps by 1.75 pt each.
    let d = design(12);
    let mut flow = vec![Flow::Space {
        height: Pt(3.0),
        stretch: Pt::ZERO,
    }];
    for id in 1..=3 {
        flow.extend(paragraph(id, 2, &d));
    }
    flow.extend(subhead(500, &d));
    let mut kept = paragraph(4, 3, &d);
    if let Flow::Box(first) = &mut kept[0] {
        Arc::make_mut(first).break_before = Break::Avoid;
    }
    flow.extend(kept);
    flow.extend(paragraph(5, 3, &d));
    let pages = paginate(flow, &[], &d, &mut no_reset);
    assert_eq!(lines_per_page(&pages)[1], [500, 501, 502]);
    let y = tops(&pages[0], &[101, 200, 201, 300, 301, 500, 400, 402]);
    let above = y[5] - y[4];
    assert!(
        (above - d.leading * 2.5).0.abs() < 0.01,
        "subhead 32.5 pt under the text: {above:?}"
    );
    for (a, b) in [(0, 1), (2, 3)] {
        let gap = (y[b] - y[a]) - d.leading;
        assert!((gap - Pt(1.75)).0.abs() < 0.01, "paragraph gap {gap:?}");
    }
    assert!(
        (y[7] + d.leading - d.leading * 12.0).0.abs() < 0.01,
        "flush"
    );
}

/// An article's closing note (the series note) of `count` lines, marked
/// 900 on: lines of running text that no page parts from the two lines
/// before them, as an article's last lines are kept.
fn closing_note(count: usize, d: &Design) -> Vec<Flow> {
    (0..count)
        .map(|i| {
            let mut b = FlowBox::line(
                vec![marker(900 + i)],
                d.leading,
                d.body_depth(),
                Break::Avoid,
            );
            b.body_line = true;
            b.closing_note_line = true;
            Flow::Box(Arc::new(b))
        })
        .collect()
}

#[test]
fn an_article_s_last_page_of_two_lines_and_its_note_is_filled_with_strained_lines() {
    // Six-line pages of two-line paragraphs, which cannot be parted: the
    // last page holds paragraph 4 and the series note, two lines of text
    // left over. Paragraphs 1 and 2 set a line longer only with strained
    // lines: taken for such a page as for one that would open its white,
    // they send paragraph 3 on, and the last page holds five lines.
    let d = design(6);
    let mut flow: Vec<Flow> = (1..=4).flat_map(|id| paragraph(id, 2, &d)).collect();
    flow.extend(closing_note(1, &d));
    let mut reset = |id: usize, lines: usize, strain: Strain| {
        (matches!(id, 1 | 2) && lines == 3 && strain == Strain::Strained)
            .then(|| boxes_of(id, 3, &d))
    };
    let pages = paginate(flow, &[], &d, &mut reset);
    assert_eq!(
        lines_per_page(&pages),
        [
            vec![100, 101, 102, 200, 201, 202],
            vec![300, 301, 400, 401, 900]
        ]
    );
}

#[test]
fn an_article_s_last_page_of_two_lines_and_a_two_line_note_is_taken_back_by_four_paragraphs() {
    // Eight-line pages of two-line paragraphs, which cannot be parted:
    // the last page holds paragraph 5 and a series note of two lines.
    // Each of the first four sets a line shorter; taking the page back
    // asks all four, one for each of its lines, the note's included.
    let d = design(8);
    let mut flow: Vec<Flow> = (1..=5).flat_map(|id| paragraph(id, 2, &d)).collect();
    flow.extend(closing_note(2, &d));
    let mut reset = |id: usize, lines: usize, _: Strain| {
        (matches!(id, 1..=4) && lines == 1).then(|| boxes_of(id, 1, &d))
    };
    let pages = paginate(flow, &[], &d, &mut reset);
    assert_eq!(
        lines_per_page(&pages),
        [vec![100, 200, 300, 400, 500, 501, 900, 901]]
    );
}

/// Paragraph 1 in `lines` lines, the line of white the flow builder sets
/// above the closing note, and a one-line note.
fn text_white_and_note(lines: usize, d: &Design) -> Vec<Flow> {
    let mut flow = paragraph(1, lines, d);
    flow.push(Flow::Space {
        height: d.leading,
        stretch: Pt::ZERO,
    });
    flow.extend(closing_note(1, d));
    flow
}

#[test]
fn the_white_above_the_closing_note_gives_way_where_the_note_would_not_fit() {
    // Ten-line pages. Eight lines, the white and the note fill the page:
    // the note stands a line below the text.
    let d = design(10);
    let pages = paginate(text_white_and_note(8, &d), &[], &d, &mut no_reset);
    assert_eq!(pages.len(), 1);
    let white = y_of(&pages[0], 900).zip(y_of(&pages[0], 107));
    assert_eq!(white.map(|(note, last)| note - last), Some(d.leading * 2.0));
    // Nine lines: the note fits only set solid under the text, which is
    // taken rather than sending the last lines and the note on.
    let pages = paginate(text_white_and_note(9, &d), &[], &d, &mut no_reset);
    assert_eq!(
        lines_per_page(&pages),
        [vec![100, 101, 102, 103, 104, 105, 106, 107, 108, 900]]
    );
    let solid = y_of(&pages[0], 900).zip(y_of(&pages[0], 108));
    assert_eq!(solid.map(|(note, last)| note - last), Some(d.leading));
}

/// What an element of a list is, for comparing lists: a box's line
/// number, or a space's height.
fn element_key(f: &Flow) -> (bool, f32) {
    match f {
        Flow::Box(b) => (
            true,
            match b.items.first() {
                Some(Item::Rule { from, .. }) => from.x.0,
                _ => -1.0,
            },
        ),
        Flow::Space { height, .. } => (false, height.0),
    }
}

#[test]
fn a_list_read_through_a_splice_is_the_list_spliced() {
    let d = design(6);
    let mut flow = paragraph(1, 3, &d);
    flow.push(Flow::Space {
        height: Pt(4.0),
        stretch: Pt::ZERO,
    });
    flow.extend(paragraph(2, 4, &d));
    flow.extend(paragraph(3, 5, &d));
    // Paragraph 2 (elements 4 to 7) set in five lines, in two and in none.
    for count in [5, 2, 0] {
        let with = paragraph(2, count, &d);
        let view = Spliced {
            base: &flow,
            from: 4,
            to: 8,
            with: &with,
        };
        let mut expected: Vec<Flow> = flow[..4].to_vec();
        expected.extend(with.iter().cloned());
        expected.extend(flow[8..].iter().cloned());
        assert_eq!(List::len(&view), expected.len());
        let keys = |list: &dyn List| -> Vec<(bool, f32)> {
            (0..list.len() + 2)
                .filter_map(|i| list.get(i))
                .map(element_key)
                .collect()
        };
        let want: Vec<(bool, f32)> = expected.iter().map(element_key).collect();
        assert_eq!(keys(&view), want, "{count} lines");
        assert_eq!(
            view.to_vec().iter().map(element_key).collect::<Vec<_>>(),
            want
        );
        // A page planned on the view is the page planned on the copy.
        for start in [0, 3, 4] {
            let on_view = plan::fill(&view, start, &Carry::default(), &[], &d);
            let on_copy = plan::fill(&expected, start, &Carry::default(), &[], &d);
            assert_eq!(on_view.next, on_copy.next);
            assert_eq!(on_view.full, on_copy.full);
            assert_eq!(on_view.placed.len(), on_copy.placed.len());
            assert_eq!(on_view.cost(&d), on_copy.cost(&d));
        }
    }
}

#[test]
fn a_paragraph_s_extent_is_where_its_lines_stand() {
    let d = design(6);
    let mut flow = paragraph(1, 3, &d);
    flow.extend(subhead(500, &d));
    flow.extend(paragraph(2, 4, &d));
    flow.push(figure(600, 2.0, &d));
    flow.extend(paragraph(3, 2, &d));
    let extents = Extent::of_each(&flow, &[3, 9, 1, 2]);
    assert_eq!(
        extents,
        [
            Some(Extent {
                first: 10,
                last: 11,
                lines: 2
            }),
            None,
            Some(Extent {
                first: 0,
                last: 2,
                lines: 3
            }),
            Some(Extent {
                first: 5,
                last: 8,
                lines: 4
            }),
        ]
    );
}

#[test]
fn a_figure_sent_on_waits_a_page_more_where_heading_the_next_would_open_its_gaps() {
    // Ten-line pages. The figure (five lines with its spaces) does not fit
    // after paragraph 1's seven lines and is sent on. At the head of page
    // 2 it leaves room for two two-line paragraphs and no more: the page
    // would end flush only by opening the gap between them by a line.
    // Without it, page 2 ends flush on its text, and the figure heads
    // page 3, the article's last.
    let d = design(10);
    let mut flow = paragraph(1, 7, &d);
    flow.push(figure(900, 4.0, &d));
    for (id, lines) in [(2, 3), (3, 2), (4, 2), (5, 3), (6, 3), (7, 5)] {
        flow.extend(paragraph(id, lines, &d));
    }
    let pages = paginate(flow, &[], &d, &mut no_reset);
    assert_eq!(
        lines_per_page(&pages),
        [
            vec![100, 101, 102, 103, 104, 105, 106, 200, 201, 202],
            vec![300, 301, 400, 401, 500, 501, 502, 600, 601, 602],
            vec![900, 700, 701, 702, 703, 704],
        ]
    );
}
