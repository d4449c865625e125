//! The list's own rules.

use super::*;
use crate::model::ListItem;

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
