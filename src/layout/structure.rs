//! The logical structure built during layout (headings, paragraphs, lists,
//! figures…), which tagged PDF exposes to screen readers.

use crate::page::{NodeId, StructKind, StructNode, Tag};

/// A structure tree under construction; node 0 is the document.
#[derive(Clone, Debug)]
pub struct Tree {
    /// Nodes in creation order (parents before children).
    pub nodes: Vec<StructNode>,
}

impl Tree {
    /// A tree holding only the document node.
    pub fn new() -> Tree {
        Tree {
            nodes: vec![StructNode {
                kind: StructKind::Document,
                parent: None,
                alt: None,
                lang: None,
            }],
        }
    }

    /// The document node.
    pub fn root(&self) -> NodeId {
        NodeId(0)
    }

    /// Adds a node under `parent`.
    pub fn add(&mut self, kind: StructKind, parent: Option<NodeId>) -> NodeId {
        self.nodes.push(StructNode {
            kind,
            parent,
            alt: None,
            lang: None,
        });
        NodeId((self.nodes.len() - 1) as u32)
    }

    /// Adds a heading under `parent`; its text is its title in the tagged
    /// PDF, which PDF/UA requires of every heading.
    pub fn heading(&mut self, level: u8, text: &str, parent: NodeId) -> NodeId {
        let node = self.add(StructKind::Heading(level), Some(parent));
        self.set_alt(node, text);
        node
    }

    /// Sets the alternative text of a node (figures).
    pub fn set_alt(&mut self, node: NodeId, alt: &str) {
        self.nodes[node.0 as usize].alt = Some(alt.to_string());
    }

    /// Appends `part`, a tree built apart (an article laid out on another
    /// thread), under this tree's root; gives the new id of each of its
    /// nodes.
    pub fn graft(&mut self, part: Tree) -> Graft {
        let offset = self.nodes.len() as u32 - 1;
        let graft = Graft { offset };
        self.nodes
            .extend(part.nodes.into_iter().skip(1).map(|mut node| {
                node.parent = node.parent.map(|p| graft.id(p));
                node
            }));
        graft
    }

    /// Sets the language of a node that differs from the document's.
    pub fn set_lang(&mut self, node: NodeId, lang: &str) {
        self.nodes[node.0 as usize].lang = Some(lang.to_string());
    }
}

/// Where a grafted tree's nodes went: its root is the document's root,
/// every other node moved up by the same offset.
#[derive(Clone, Copy, Debug)]
pub struct Graft {
    offset: u32,
}

impl Graft {
    /// The new id of node `id` of the grafted tree.
    pub fn id(self, id: NodeId) -> NodeId {
        if id.0 == 0 {
            id
        } else {
            NodeId(id.0 + self.offset)
        }
    }

    /// The tag with its node renumbered.
    pub fn tag(self, tag: Tag) -> Tag {
        match tag {
            Tag::Node(id) => Tag::Node(self.id(id)),
            Tag::Artifact => Tag::Artifact,
        }
    }
}

impl Default for Tree {
    fn default() -> Tree {
        Tree::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grafted_tree_keeps_its_shape_under_the_root() {
        let mut main = Tree::new();
        let front = main.add(StructKind::Section, Some(main.root()));
        let mut part = Tree::new();
        let section = part.add(StructKind::Section, Some(part.root()));
        let heading = part.heading(1, "Title", section);
        let graft = main.graft(part);
        assert_eq!(main.nodes.len(), 4);
        assert_eq!(graft.id(section), NodeId(front.0 + 1));
        assert_eq!(graft.id(heading), NodeId(front.0 + 2));
        assert_eq!(
            main.nodes[graft.id(heading).0 as usize].parent,
            Some(graft.id(section))
        );
        assert_eq!(
            main.nodes[graft.id(section).0 as usize].parent,
            Some(main.root())
        );
        assert_eq!(graft.tag(Tag::Artifact), Tag::Artifact);
    }
}
