//! The list's own rules.

use super::*;
use crate::model::ListItem;
use crate::model::test_builders::{article, block};

fn list(start: Option<u64>, checked: &[Option<bool>]) -> List {
    List {
        start,
        items: checked
            .iter()
            .map(|&checked| ListItem {
                blocks: Vec::new(),
                checked,
            })
            .collect(),
    }
}

#[test]
fn a_list_is_tagged_with_the_marks_its_labels_show() {
    assert_eq!(
        list_marks(&list(Some(1), &[None, None])),
        ListMarks::Numbers
    );
    assert_eq!(list_marks(&list(None, &[None, None])), ListMarks::Bullets);
    let tasks = [Some(true), Some(false)];
    assert_eq!(list_marks(&list(None, &tasks)), ListMarks::Checkboxes);
    assert_eq!(list_marks(&list(Some(1), &tasks)), ListMarks::Checkboxes);
    // One ordinary item among tasks shows a bullet or number.
    assert_eq!(
        list_marks(&list(None, &[Some(true), None])),
        ListMarks::Bullets
    );
}

#[test]
fn the_closing_note_s_lines_are_marked_as_such() {
    // Running text, then the series note in italic: the paginator tells
    // the note's lines from the text's (a last page of two lines and the
    // note is a page left over), though both are body lines.
    let text = "The text of the article runs on for a while, long enough to take \
                more than one line of the measure, so that it sets in two or three.";
    let note = "This is part of a series of weekly articles on the year that shook \
                the world. Part 16.";
    let body = vec![
        block(BlockKind::Paragraph(vec![Inline::Text(text.into())])),
        block(BlockKind::Paragraph(vec![Inline::Emph(vec![
            Inline::Text(note.into()),
        ])])),
    ];
    let fonts = crate::layout::fonts::FontSet::builtin();
    let mut engine = Engine::new(&fonts);
    let design = Design::new(&crate::style::Style::book());
    let mut tree = Tree::new();
    let section = tree.root();
    let flow = FlowBuilder::new(&mut engine, &design, &mut tree, "en")
        .article(&article("a", "Closing", body), None, None, section)
        .flow;
    let body_lines: Vec<&FlowBox> = flow
        .iter()
        .filter_map(|f| match f {
            Flow::Box(b) if b.body_line => Some(b.as_ref()),
            _ => None,
        })
        .collect();
    let marked = body_lines.iter().filter(|b| b.closing_note_line).count();
    assert!(marked >= 1, "the note's lines are marked");
    assert!(body_lines.len() > marked, "the text's lines are not");
    // The note's lines are the last ones, and none is the text's.
    assert!(
        body_lines[body_lines.len() - marked..]
            .iter()
            .all(|b| b.closing_note_line && b.para.is_none()),
        "the marked lines are the note's"
    );
    assert!(
        body_lines[..body_lines.len() - marked]
            .iter()
            .all(|b| b.para.is_some())
    );
}
