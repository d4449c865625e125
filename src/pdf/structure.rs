//! The tagged structure: the document's structure nodes as PDF structure
//! elements, each holding its marked content and link annotations (its
//! leaves) and its child elements in the order they were drawn, and the
//! parent tree by which a reader finds the element of a piece of content.

use pdf_writer::types::{ListNumbering, TableHeaderScope};
use pdf_writer::{Chunk, Finish, Name, Ref, Str, TextStr};
use rayon::prelude::*;

use crate::page::{Document, ListMarks, NodeId, StructKind};

/// A piece of a structure element's content.
#[derive(Clone, Copy)]
pub(super) enum Leaf {
    /// Marked content `mcid` on page `page`.
    Content { page: usize, mcid: u32 },
    /// A link annotation on page `page`.
    Annotation { page: usize, annotation: Ref },
}

/// Structure elements a thread writes at a time: enough that joining the
/// runs costs little beside writing them.
const ELEMENTS_PER_RUN: usize = 512;

/// What the writer learns about the structure while it writes the pages.
pub(super) struct Tagging {
    /// Each node's leaves, with their place in drawing order.
    leaves: Vec<Vec<(u64, Leaf)>>,
    sequence: u64,
    /// The node of each marked-content sequence of each page, by MCID.
    page_nodes: Vec<Vec<NodeId>>,
    /// The node of each link annotation, by its struct parent key less the
    /// number of pages.
    annotation_nodes: Vec<NodeId>,
}

impl Tagging {
    pub fn new(doc: &Document) -> Tagging {
        Tagging {
            leaves: vec![Vec::new(); doc.structure.len()],
            sequence: 0,
            page_nodes: vec![Vec::new(); doc.pages.len()],
            annotation_nodes: Vec::new(),
        }
    }

    /// Whether `node` is a node of the structure (content of another is
    /// marked as an artifact).
    pub fn knows(&self, node: NodeId) -> bool {
        (node.0 as usize) < self.leaves.len()
    }

    /// Numbers the next marked-content sequence of page `page` for `node`.
    pub fn content(&mut self, node: NodeId, page: usize) -> u32 {
        let nodes = &mut self.page_nodes[page];
        let mcid = nodes.len() as u32;
        nodes.push(node);
        self.push(node, Leaf::Content { page, mcid });
        mcid
    }

    /// Records a link annotation of `node`; gives its struct parent key.
    pub fn annotation(&mut self, node: NodeId, page: usize, annotation: Ref) -> i32 {
        let key = (self.page_nodes.len() + self.annotation_nodes.len()) as i32;
        self.annotation_nodes.push(node);
        self.push(node, Leaf::Annotation { page, annotation });
        key
    }

    fn push(&mut self, node: NodeId, leaf: Leaf) {
        self.sequence += 1;
        self.leaves[node.0 as usize].push((self.sequence, leaf));
    }

    /// Writes the structure tree root, every element with content, and the
    /// parent tree; returns the root.
    pub fn write(
        self,
        chunk: &mut Chunk,
        doc: &Document,
        pages: &[Ref],
        next: &mut impl FnMut() -> Ref,
    ) -> Ref {
        let root = next();
        let count = doc.structure.len();
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (index, node) in doc.structure.iter().enumerate().skip(1) {
            // A node without a parent hangs from the root.
            let parent = node.parent.map_or(0, |p| p.0 as usize);
            if parent < count && parent != index {
                children[parent].push(index);
            }
        }
        // Each node's first drawing position, if it or a descendant has any.
        let mut first: Vec<Option<u64>> = vec![None; count];
        if count > 0 {
            first_drawn(0, &children, &self.leaves, &mut first);
        }
        let mut refs: Vec<Option<Ref>> = vec![None; count];
        let mut order = Vec::new();
        if count > 0 {
            number(0, &children, &first, &mut refs, &mut order, next);
        }
        let lookup = Lookup {
            refs: &refs,
            first: &first,
            pages,
        };
        let parent_of = |index: usize| match index {
            0 => root,
            _ => doc.structure[index]
                .parent
                .and_then(|p| refs.get(p.0 as usize).copied().flatten())
                .unwrap_or(refs[0].unwrap_or(root)),
        };
        // The elements are written side by side, a run of them a chunk,
        // and the chunks joined in order: the same bytes as one after
        // another, and no thread idle while the other writes a book's
        // thousands of elements at the end of its PDF.
        let write_run = |run: &[usize]| {
            let mut part = Chunk::with_settings(super::direct::SETTINGS);
            for &index in run {
                let place = (index, parent_of(index));
                let (kids, leaves) = (&children[index], &self.leaves[index]);
                write_element(&mut part, doc, place, kids, leaves, &lookup);
            }
            part
        };
        // A lone article's elements make one run, written here: asking
        // rayon would start its threads only to wait for this one.
        let runs: Vec<Chunk> = if order.len() <= ELEMENTS_PER_RUN {
            vec![write_run(&order)]
        } else {
            order.par_chunks(ELEMENTS_PER_RUN).map(write_run).collect()
        };
        for run in &runs {
            chunk.extend(run);
        }
        let element = |node: NodeId| {
            refs.get(node.0 as usize)
                .copied()
                .flatten()
                .or(refs.first().copied().flatten())
                .unwrap_or(root)
        };
        let mut tree = chunk.indirect(root).dict();
        tree.pair(Name(b"Type"), Name(b"StructTreeRoot"));
        if let Some(top) = refs.first().copied().flatten() {
            tree.insert(Name(b"K")).array().item(top);
        }
        let keys = self.page_nodes.len() + self.annotation_nodes.len();
        let mut parent_tree = tree.insert(Name(b"ParentTree")).dict();
        let mut nums = parent_tree.insert(Name(b"Nums")).array();
        for (page, nodes) in self.page_nodes.iter().enumerate() {
            if nodes.is_empty() {
                continue;
            }
            nums.item(page as i32);
            nums.push().array().items(nodes.iter().map(|&n| element(n)));
        }
        for (i, &node) in self.annotation_nodes.iter().enumerate() {
            nums.item((self.page_nodes.len() + i) as i32);
            nums.item(element(node));
        }
        nums.finish();
        parent_tree.finish();
        tree.pair(Name(b"ParentTreeNextKey"), keys as i32);
        tree.finish();
        root
    }
}

/// Fills `first` for `index` and its descendants; gives the node's.
fn first_drawn(
    index: usize,
    children: &[Vec<usize>],
    leaves: &[Vec<(u64, Leaf)>],
    first: &mut [Option<u64>],
) -> Option<u64> {
    let mut earliest = leaves[index].first().map(|(seq, _)| *seq);
    for &child in &children[index] {
        if let Some(seq) = first_drawn(child, children, leaves, first) {
            earliest = Some(earliest.map_or(seq, |e| e.min(seq)));
        }
    }
    first[index] = earliest;
    earliest
}

/// Gives an object to every node with content, parents before children.
fn number(
    index: usize,
    children: &[Vec<usize>],
    first: &[Option<u64>],
    refs: &mut [Option<Ref>],
    order: &mut Vec<usize>,
    next: &mut impl FnMut() -> Ref,
) {
    if first[index].is_none() {
        return;
    }
    refs[index] = Some(next());
    order.push(index);
    for &child in &children[index] {
        number(child, children, first, refs, order, next);
    }
}

/// What every element's writing looks up: each node's object and first
/// drawing position, and the pages' objects.
struct Lookup<'a> {
    refs: &'a [Option<Ref>],
    first: &'a [Option<u64>],
    pages: &'a [Ref],
}

/// One structure element: its role and attributes, then its leaves and
/// child elements in drawing order.
fn write_element(
    chunk: &mut Chunk,
    doc: &Document,
    (index, parent): (usize, Ref),
    children: &[usize],
    leaves: &[(u64, Leaf)],
    lookup: &Lookup<'_>,
) {
    let Lookup { refs, first, pages } = *lookup;
    let Some(id) = refs[index] else { return };
    let node = &doc.structure[index];
    let mut element = chunk.struct_element(id);
    element.custom_kind(Name(role(node.kind, index == 0).as_bytes()));
    element.parent(parent);
    // The page of the element's first marked content; the rest name theirs.
    let home = leaves.iter().find_map(|(_, leaf)| match leaf {
        Leaf::Content { page, .. } => Some(*page),
        Leaf::Annotation { .. } => None,
    });
    if let Some(page) = home {
        element.page(pages[page]);
    }
    match node.kind {
        StructKind::Heading(_) => {
            if let Some(title) = node.alt.as_deref().filter(|t| !t.is_empty()) {
                element.title(TextStr(title));
            }
        }
        StructKind::Figure => {
            let alt = node.alt.as_deref().filter(|a| !a.is_empty());
            element.alt(TextStr(alt.unwrap_or("Picture")));
        }
        StructKind::Note => {
            element.id(Str(format!("note-{index}").as_bytes()));
        }
        StructKind::List(marks) => {
            element
                .attributes()
                .push()
                .list()
                .list_numbering(match marks {
                    ListMarks::Numbers => ListNumbering::Decimal,
                    ListMarks::Bullets => ListNumbering::Disc,
                    ListMarks::Checkboxes => ListNumbering::None,
                });
        }
        StructKind::TableHeader => {
            element
                .attributes()
                .push()
                .table()
                .scope(TableHeaderScope::Column);
        }
        _ => {}
    }
    let lang = match index {
        0 => Some(doc.meta.language.as_str()).filter(|l| !l.is_empty()),
        _ => node.lang.as_deref(),
    };
    if let Some(lang) = lang {
        element.lang(TextStr(lang));
    }
    let mut parts: Vec<(u64, Part)> = leaves
        .iter()
        .map(|&(seq, leaf)| (seq, Part::Leaf(leaf)))
        .collect();
    for &child in children {
        if let (Some(seq), Some(child)) = (first[child], refs[child]) {
            parts.push((seq, Part::Element(child)));
        }
    }
    parts.sort_by_key(|(seq, _)| *seq);
    let mut kids = element.children();
    for (_, part) in parts {
        match part {
            Part::Element(child) => {
                kids.struct_element(child);
            }
            Part::Leaf(Leaf::Content { page, mcid }) if Some(page) == home => {
                kids.marked_content_id(mcid as i32);
            }
            Part::Leaf(Leaf::Content { page, mcid }) => {
                kids.marked_content_ref()
                    .marked_content_id(mcid as i32)
                    .page(pages[page]);
            }
            Part::Leaf(Leaf::Annotation { page, annotation }) => {
                kids.object_ref().object(annotation).page(pages[page]);
            }
        }
    }
}

/// A child of a structure element.
enum Part {
    Leaf(Leaf),
    Element(Ref),
}

/// The standard structure type of a node (the root is the document).
pub(super) fn role(kind: StructKind, root: bool) -> &'static str {
    match kind {
        StructKind::Document if root => "Document",
        StructKind::Document | StructKind::Section => "Sect",
        StructKind::Heading(level) => match level {
            0 | 1 => "H1",
            2 => "H2",
            3 => "H3",
            4 => "H4",
            5 => "H5",
            _ => "H6",
        },
        StructKind::Paragraph => "P",
        StructKind::Quote => "BlockQuote",
        StructKind::List(_) => "L",
        StructKind::ListItem => "LI",
        StructKind::Label => "Lbl",
        StructKind::ListBody => "LBody",
        StructKind::Table => "Table",
        StructKind::TableRow => "TR",
        StructKind::TableHeader => "TH",
        StructKind::TableData => "TD",
        StructKind::Figure => "Figure",
        StructKind::Caption => "Caption",
        StructKind::Note => "Note",
        StructKind::Link => "Link",
        StructKind::Toc => "TOC",
        StructKind::TocItem => "TOCI",
        StructKind::Span => "Span",
        StructKind::Code => "Code",
    }
}
