//! The logical structure built during layout (headings, paragraphs, lists,
//! figures…), which tagged PDF exposes to screen readers.

use crate::page::{NodeId, StructKind, StructNode};

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

    /// Sets the language of a node that differs from the document's.
    pub fn set_lang(&mut self, node: NodeId, lang: &str) {
        self.nodes[node.0 as usize].lang = Some(lang.to_string());
    }
}

impl Default for Tree {
    fn default() -> Tree {
        Tree::new()
    }
}
