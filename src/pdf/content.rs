//! A page's content stream: the PDF drawing operators for text runs,
//! rules, fills and images, in the page model's own coordinates (from the
//! trim's top-left corner, y down), with the marked content that ties
//! them to the structure tree.
//!
//! Text is written as `TJ` arrays straight from the shaped glyphs: each
//! glyph is its one-byte code in its piece's font (see
//! [`Face::piece`]), and a number moves the pen only
//! where layout placed a glyph elsewhere than the font's own advance would
//! (kerning, word spaces, offsets). Positions are kept to a thousandth of
//! an em without drift, since each adjustment is computed from where the
//! reader's pen really is. pdf-writer's content builder is not used: it
//! writes a string of codes below 32 with an escape of four characters
//! per byte, where this writes the bytes themselves.

use std::borrow::Cow;
use std::ops::Range;

use crate::page::{Color, Glyph, TextRun};
use crate::units::{Point, Rect};

use super::fonts::{Face, PlainLookup};

/// A content stream being written.
pub(super) struct Content {
    buf: Vec<u8>,
    /// Inside `BT … ET`.
    in_text: bool,
    /// The font resource (face and piece) and size set in the current
    /// text object.
    font: Option<(u16, u16, f32)>,
    /// The font resources named, as face and piece, in order of first use.
    fonts: Vec<(u16, u16)>,
    fill: Option<Color>,
    stroke: Option<Color>,
    line_width: Option<f32>,
    /// Inside a `TJ` array, and inside a string in it.
    in_array: bool,
    in_string: bool,
}

impl Content {
    /// A page whose media box is `offset` larger than its trim on every
    /// side and `media_height` tall: the coordinates that follow are the
    /// page model's.
    pub fn new(offset: f32, media_height: f32) -> Content {
        let mut content = Content {
            buf: Vec::with_capacity(16 * 1024),
            in_text: false,
            font: None,
            fonts: Vec::new(),
            fill: None,
            stroke: None,
            line_width: None,
            in_array: false,
            in_string: false,
        };
        content.numbers(&[1.0, 0.0, 0.0, -1.0, offset, media_height - offset]);
        content.op("cm");
        content
    }

    /// The font resources the page names (face and piece), in order of
    /// first use: `/F<face>` for a face's first piece, `/F<face>.<piece>`
    /// for the others.
    pub fn fonts(&self) -> &[(u16, u16)] {
        &self.fonts
    }

    /// The operators written, the page done.
    pub fn finish(mut self) -> Vec<u8> {
        self.end_text();
        self.buf
    }

    /// Starts content belonging to a structure element of type `tag`,
    /// numbered `mcid` on its page.
    pub fn begin_tagged(&mut self, tag: &str, mcid: u32) {
        self.end_text();
        self.buf.push(b'/');
        self.buf.extend_from_slice(tag.as_bytes());
        self.buf.extend_from_slice(b"<</MCID ");
        self.integer(i64::from(mcid));
        self.buf.extend_from_slice(b">>BDC\n");
    }

    /// Starts content that is not part of the document's text (page
    /// furniture, decoration, printer's marks).
    pub fn begin_artifact(&mut self) {
        self.end_text();
        self.buf.extend_from_slice(b"/Artifact BMC\n");
    }

    /// Ends what [`begin_tagged`](Self::begin_tagged) or
    /// [`begin_artifact`](Self::begin_artifact) started.
    pub fn end_marked(&mut self) {
        self.end_text();
        self.buf.extend_from_slice(b"EMC\n");
    }

    /// A straight line.
    pub fn rule(&mut self, from: Point, to: Point, width: f32, color: Color) {
        self.end_text();
        if self.line_width != Some(width) {
            self.number(width);
            self.op("w");
            self.line_width = Some(width);
        }
        if self.stroke != Some(color) {
            self.color(color);
            self.op("RG");
            self.stroke = Some(color);
        }
        self.numbers(&[from.x.0, from.y.0]);
        self.op("m");
        self.numbers(&[to.x.0, to.y.0]);
        self.op("l");
        self.op("S");
    }

    /// A filled rectangle.
    pub fn fill(&mut self, rect: Rect, color: Color) {
        self.end_text();
        self.set_fill(color);
        self.rect(rect);
        self.op("f");
    }

    /// The image resource `/Im<index>` scaled into `rect`, seen only
    /// inside `clip`.
    pub fn image(&mut self, index: usize, rect: Rect, clip: Option<Rect>) {
        self.end_text();
        self.op("q");
        if let Some(clip) = clip {
            self.rect(clip);
            self.op("W");
            self.op("n");
        }
        let (x, y) = (rect.origin.x.0, rect.origin.y.0);
        let (w, h) = (rect.size.width.0, rect.size.height.0);
        // Image space has y up: its top row goes at the rectangle's top.
        self.numbers(&[w, 0.0, 0.0, -h, x, y + h]);
        self.op("cm");
        self.buf.extend_from_slice(b"/Im");
        self.integer(index as i64);
        self.buf.extend_from_slice(b" Do\n");
        self.op("Q");
    }

    /// A run of glyphs in `face`, the font resource `/F<font>`. Returns the
    /// text of the first cluster drawn with `.notdef`, if any.
    pub fn text(&mut self, run: &TextRun, font: u16, face: &mut Face) -> Option<String> {
        let size = run.size.0;
        if run.glyphs.is_empty() || size <= 0.0 {
            self.use_font(font, 0);
            return None;
        }
        let piece = Face::piece(face.cid(run.glyphs[0].id));
        self.use_font(font, piece);
        if !self.in_text {
            self.buf.extend_from_slice(b"BT\n");
            self.in_text = true;
            self.font = None;
        }
        if self.font != Some((font, piece, size)) {
            self.select_font(font, piece, size);
        }
        self.set_fill(run.color);
        let (x, y) = (run.origin.x.0, run.origin.y.0);
        if run.vertical {
            // Turned a quarter clockwise: the pen runs down the page.
            self.numbers(&[0.0, 1.0, 1.0, 0.0, x, y]);
        } else if run.h_scale == 1.0 {
            // Most runs: what `numbers` writes for 1, 0, 0, -1, spelt out.
            self.buf.extend_from_slice(b"1 0 0 -1 ");
            self.numbers(&[x, y]);
        } else {
            self.numbers(&[run.h_scale, 0.0, 0.0, -1.0, x, y]);
        }
        self.op("Tm");
        self.glyphs(run, face, 1000.0 / size)
    }

    fn use_font(&mut self, font: u16, piece: u16) {
        if !self.fonts.contains(&(font, piece)) {
            self.fonts.push((font, piece));
        }
    }

    fn select_font(&mut self, font: u16, piece: u16, size: f32) {
        self.buf.extend_from_slice(b"/F");
        self.integer(i64::from(font));
        if piece != 0 {
            self.buf.push(b'.');
            self.integer(i64::from(piece));
        }
        self.buf.push(b' ');
        self.number(size);
        self.op("Tf");
        self.font = Some((font, piece, size));
    }

    /// The `TJ` arrays of a run, `per_pt` text units (thousandths of an
    /// em) to the point. Not inlined: on its own the loop keeps more of
    /// its state in registers (measured, callgrind).
    #[inline(never)]
    fn glyphs(&mut self, run: &TextRun, face: &mut Face, per_pt: f32) -> Option<String> {
        // The text of the first cluster drawn with `.notdef`.
        let mut notdef = None;
        let mut pens = Pens::default();
        // Room for every glyph's code, escaped, and a pen move, so that
        // the buffer does not grow glyph by glyph.
        self.buf.reserve(run.glyphs.len() * 8 + 16);
        let glyphs = &run.glyphs;
        let text = run.text.as_bytes();
        let mut start = 0;
        while start < glyphs.len() {
            if !run.right_to_left {
                start =
                    self.plain_glyphs(glyphs, text, face.plain_lookup(), per_pt, &mut pens, start);
                // The glyph it stopped at, if plain, is in another piece
                // or raised.
                if let Some(cid) = plain_cid(glyphs, text, start, face.plain_lookup()) {
                    self.switch_piece(Face::piece(cid));
                    self.place(&glyphs[start], cid, face.width(cid), per_pt, &mut pens);
                    start += 1;
                    continue;
                }
                if start == glyphs.len() {
                    break;
                }
            }
            let glyph = &glyphs[start];
            let range = glyph.text();
            let end = start
                + 1
                + glyphs[start + 1..]
                    .iter()
                    .take_while(|g| g.text() == range)
                    .count();
            // Most glyphs stand alone for text they were seen to stand for
            // before: drawn straight away, without the text as a `str`.
            let cid = face.cid(glyph.id);
            let bytes = run.text.as_bytes().get(range.clone()).unwrap_or_default();
            let plain = end == start + 1
                && !run.right_to_left
                && (bytes.is_empty() || face.known_to_mean(cid, bytes) == Some(true));
            if plain {
                if cid == 0 {
                    first_notdef(&mut notdef, range);
                }
                self.switch_piece(Face::piece(cid));
                self.place(glyph, cid, face.width(cid), per_pt, &mut pens);
            } else {
                let cluster = &glyphs[start..end];
                self.cluster(run, cluster, face, per_pt, &mut pens, &mut notdef);
            }
            start = end;
        }
        self.end_array();
        notdef.map(|range| run.text.get(range).unwrap_or("").to_string())
    }

    /// Draws the glyphs of a left-to-right run from `start` on while each
    /// is plain (see [`plain_cid`]), in the current piece's font and on
    /// the baseline: most glyphs of running text, drawn as
    /// [`place`](Self::place) would draw them, in a loop of their own
    /// whose state stays in registers. Returns the first glyph left.
    #[inline(never)]
    fn plain_glyphs(
        &mut self,
        glyphs: &[Glyph],
        text: &[u8],
        lookup: PlainLookup,
        per_pt: f32,
        pens: &mut Pens,
        start: usize,
    ) -> usize {
        let Some((_, piece, _)) = self.font else {
            return start;
        };
        // Locals, not fields: the loop keeps them in registers.
        let mut buf = std::mem::take(&mut self.buf);
        let (mut in_array, mut in_string) = (self.in_array, self.in_string);
        let mut out = Tj {
            buf: &mut buf,
            in_array: &mut in_array,
            in_string: &mut in_string,
        };
        let mut local = *pens;
        let mut at = start;
        while let Some(cid) = plain_cid(glyphs, text, at, lookup) {
            let glyph = &glyphs[at];
            if Face::piece(cid) != piece || glyph.dy().0 != 0.0 {
                break;
            }
            let Some(width) = lookup.width(cid) else {
                break;
            };
            if let Some(tenths) = local.move_to(glyph, per_pt) {
                out.adjust(tenths);
            }
            out.glyph(cid);
            local.advance(glyph, width, per_pt);
            at += 1;
        }
        (self.buf, self.in_array, self.in_string) = (buf, in_array, in_string);
        *pens = local;
        at
    }

    /// Draws a cluster of glyphs, with its text attached where copying the
    /// glyphs would not give it.
    fn cluster(
        &mut self,
        run: &TextRun,
        cluster: &[Glyph],
        face: &mut Face,
        per_pt: f32,
        pens: &mut Pens,
        notdef: &mut Option<Range<usize>>,
    ) {
        let range = cluster[0].text();
        let text = run.text.get(range.clone()).unwrap_or("");
        let meaning = in_drawing_order(text, run.right_to_left);
        let first = face.cid(cluster[0].id);
        let actual = needs_actual_text(cluster, first, &meaning, face);
        if actual {
            self.end_array();
            self.buf.extend_from_slice(b"/Span<</ActualText");
            self.utf16_string(&meaning);
            self.buf.extend_from_slice(b">>BDC\n");
        }
        for glyph in cluster {
            let cid = face.cid(glyph.id);
            if cid == 0 {
                first_notdef(notdef, range.clone());
            }
            self.switch_piece(Face::piece(cid));
            self.place(glyph, cid, face.width(cid), per_pt, pens);
        }
        if actual {
            self.end_array();
            self.buf.extend_from_slice(b"EMC\n");
        }
    }

    /// Draws `glyph` as `cid`, whose advance in the font is `width` text
    /// units: first moves the reader's pen to where layout placed the
    /// glyph, if it is not there already, to a tenth of a text unit.
    #[inline(always)]
    fn place(&mut self, glyph: &Glyph, cid: u16, width: f32, per_pt: f32, pens: &mut Pens) {
        if let Some(tenths) = pens.move_to(glyph, per_pt) {
            self.adjust(tenths);
        }
        let rise = glyph.dy().0;
        if rise != 0.0 {
            self.end_array();
            self.number(rise);
            self.op("Ts");
        }
        self.glyph(cid);
        if rise != 0.0 {
            self.end_array();
            self.buf.extend_from_slice(b"0 Ts\n");
        }
        pens.advance(glyph, width, per_pt);
    }

    /// Selects the font of `piece` of the current face, if another is set.
    /// In line: it runs for every glyph, and a call cost more than the test.
    #[inline(always)]
    fn switch_piece(&mut self, piece: u16) {
        if let Some((font, current, size)) = self.font
            && current != piece
        {
            self.end_array();
            self.select_font(font, piece, size);
            self.use_font(font, piece);
        }
    }

    /// The code of `cid` in its piece's font (see [`Tj::glyph`]).
    #[inline(always)]
    fn glyph(&mut self, cid: u16) {
        self.tj().glyph(cid);
    }

    /// Moves the pen back by `tenths` tenths of a text unit.
    fn adjust(&mut self, tenths: i64) {
        self.tj().adjust(tenths);
    }

    /// The `TJ` array being written.
    #[inline(always)]
    fn tj(&mut self) -> Tj<'_> {
        Tj {
            buf: &mut self.buf,
            in_array: &mut self.in_array,
            in_string: &mut self.in_string,
        }
    }

    fn end_array(&mut self) {
        if self.in_string {
            self.buf.push(b')');
            self.in_string = false;
        }
        if self.in_array {
            self.buf.extend_from_slice(b"]TJ\n");
            self.in_array = false;
        }
    }

    fn end_text(&mut self) {
        if self.in_text {
            self.end_array();
            self.buf.extend_from_slice(b"ET\n");
            self.in_text = false;
        }
    }

    fn set_fill(&mut self, color: Color) {
        if self.fill != Some(color) {
            self.color(color);
            self.op("rg");
            self.fill = Some(color);
        }
    }

    fn rect(&mut self, rect: Rect) {
        self.numbers(&[
            rect.origin.x.0,
            rect.origin.y.0,
            rect.size.width.0,
            rect.size.height.0,
        ]);
        self.op("re");
    }

    fn color(&mut self, color: Color) {
        for channel in [color.0, color.1, color.2] {
            self.number(f32::from(channel) / 255.0);
        }
    }

    fn op(&mut self, operator: &str) {
        self.buf.extend_from_slice(operator.as_bytes());
        self.buf.push(b'\n');
    }

    fn numbers(&mut self, values: &[f32]) {
        for &v in values {
            self.number(v);
        }
    }

    /// `value` to a thousandth, without trailing zeros, then a space.
    fn number(&mut self, value: f32) {
        let thousandths = round(f64::from(value) * 1000.0) as i64;
        if thousandths < 0 {
            self.buf.push(b'-');
        }
        let magnitude = thousandths.unsigned_abs();
        push_whole(&mut self.buf, magnitude / 1000);
        let fraction = magnitude % 1000;
        // Its digits but the trailing zeros.
        if fraction != 0 {
            self.buf.push(b'.');
            self.buf.push(b'0' + (fraction / 100) as u8);
            if !fraction.is_multiple_of(100) {
                self.buf.push(b'0' + (fraction / 10 % 10) as u8);
                if !fraction.is_multiple_of(10) {
                    self.buf.push(b'0' + (fraction % 10) as u8);
                }
            }
        }
        self.buf.push(b' ');
    }

    fn integer(&mut self, value: i64) {
        self.buf
            .extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
    }

    fn hex_u16(&mut self, value: u16) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        for shift in [12, 8, 4, 0] {
            self.buf.push(HEX[usize::from((value >> shift) & 0xF)]);
        }
    }

    /// A text string in UTF-16BE with its byte order mark, as hex.
    fn utf16_string(&mut self, text: &str) {
        self.buf.extend_from_slice(b"<FEFF");
        for unit in text.encode_utf16() {
            self.hex_u16(unit);
        }
        self.buf.push(b'>');
    }
}

/// A `TJ` array being written: the stream's bytes, and whether the array
/// and a string in it are open.
struct Tj<'a> {
    buf: &'a mut Vec<u8>,
    in_array: &'a mut bool,
    in_string: &'a mut bool,
}

impl Tj<'_> {
    /// The code of `cid` in its piece's font: the CID's low byte.
    #[inline(always)]
    fn glyph(&mut self, cid: u16) {
        if !*self.in_array {
            self.buf.push(b'[');
            *self.in_array = true;
        }
        if !*self.in_string {
            self.buf.push(b'(');
            *self.in_string = true;
        }
        let byte = cid as u8;
        match byte {
            // Delimiters are escaped, and so are line ends: a carriage
            // return would be read as a line feed, and Ghostscript 10.0
            // reads two line feeds in a row as one.
            b'(' | b')' | b'\\' => self.buf.extend_from_slice(&[b'\\', byte]),
            b'\r' => self.buf.extend_from_slice(b"\\r"),
            b'\n' => self.buf.extend_from_slice(b"\\n"),
            _ => self.buf.push(byte),
        }
    }

    /// Moves the pen back by `tenths` tenths of a text unit.
    #[inline(always)]
    fn adjust(&mut self, tenths: i64) {
        if !*self.in_array {
            self.buf.push(b'[');
            *self.in_array = true;
        }
        if *self.in_string {
            self.buf.push(b')');
            *self.in_string = false;
        } else if self.buf.last().is_some_and(u8::is_ascii_digit) {
            self.buf.push(b' ');
        }
        if tenths < 0 {
            self.buf.push(b'-');
        }
        let magnitude = tenths.unsigned_abs();
        push_whole(self.buf, magnitude / 10);
        if !magnitude.is_multiple_of(10) {
            self.buf.push(b'.');
            self.buf.push(b'0' + (magnitude % 10) as u8);
        }
    }
}

/// `value` in decimal digits: those below 1000 (most pen moves) pushed
/// one by one, without a formatter's buffer and a copy.
#[inline(always)]
fn push_whole(buf: &mut Vec<u8>, value: u64) {
    if value >= 1000 {
        buf.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
        return;
    }
    if value >= 100 {
        buf.push(b'0' + (value / 100) as u8);
    }
    if value >= 10 {
        buf.push(b'0' + (value / 10 % 10) as u8);
    }
    buf.push(b'0' + (value % 10) as u8);
}

/// The CID of glyph `at` of a left-to-right run whose text is `text`,
/// if the glyph is plain: alone in its cluster, for one byte of text
/// that it was drawn for before (see [`PlainLookup::cid`]).
#[inline(always)]
fn plain_cid(glyphs: &[Glyph], text: &[u8], at: usize, lookup: PlainLookup) -> Option<u16> {
    let glyph = glyphs.get(at)?;
    let range = glyph.text();
    let alone = glyphs.get(at + 1).is_none_or(|next| next.text() != range);
    if !alone || range.len() != 1 {
        return None;
    }
    lookup.cid(glyph.id, *text.get(range.start)?)
}

/// Keeps `range` as the text of the first `.notdef` glyph of a run, unless
/// one was kept before. Cold: the glyph loop then branches around it
/// rather than updating the `Option` on every glyph.
#[cold]
fn first_notdef(notdef: &mut Option<Range<usize>>, range: Range<usize>) {
    notdef.get_or_insert(range);
}

/// Where the pen is in a run, in text units from its start: the reader's
/// (which moves by the font's advances and the `TJ` numbers) and layout's
/// (which moves by the advances layout set).
#[derive(Clone, Copy, Default)]
struct Pens {
    reader: f32,
    layout: f32,
}

impl Pens {
    /// The move, in tenths of a text unit (a ten-thousandth of an em),
    /// that takes the reader's pen to where layout places `glyph`, the
    /// reader's pen moved by it; `None` where it is off by less than half
    /// a tenth (most glyphs), which rounds to no move.
    #[inline(always)]
    fn move_to(&mut self, glyph: &Glyph, per_pt: f32) -> Option<i64> {
        let target = self.layout + glyph.dx().0 * per_pt;
        let off = (self.reader - target) * 10.0;
        if off.is_nan() || off.abs() >= 0.5 {
            let tenths = round_f32(off);
            self.reader -= tenths / 10.0;
            return Some(tenths as i64);
        }
        None
    }

    /// Moves both pens past `glyph`, the reader's by the font's `width`.
    #[inline(always)]
    fn advance(&mut self, glyph: &Glyph, width: f32, per_pt: f32) {
        self.reader += width;
        self.layout += glyph.advance.0 * per_pt;
    }
}

/// Whether copying a cluster's glyphs would not give its text, so that the
/// text must be attached (`/ActualText`): several glyphs for one piece of
/// text, or a glyph (`cid`, the cluster's first) that stands for other
/// text elsewhere.
fn needs_actual_text(cluster: &[Glyph], cid: u16, text: &str, face: &mut Face) -> bool {
    if text.is_empty() {
        return false;
    }
    if cluster.len() == 1 {
        return !face.means(cid, text);
    }
    // Each glyph still needs some meaning of its own (PDF/UA and PDF/A-2u
    // ask it of every glyph): the cluster's text stands in for a glyph
    // neither seen alone nor in the font's character map.
    for glyph in cluster {
        let cid = face.cid(glyph.id);
        face.suggest(cid, text);
    }
    true
}

/// [`round`] for an `f32`, in `f32` and `i32` (cheaper by a few
/// instructions, once per glyph).
#[inline]
fn round_f32(value: f32) -> f32 {
    // From 2^23 on every f32 is whole; NaN and the infinities stay.
    if value.is_nan() || value.abs() >= 8_388_608.0 {
        return value;
    }
    let whole = value as i32 as f32;
    let rest = value - whole;
    let rounded = if rest >= 0.5 {
        whole + 1.0
    } else if rest <= -0.5 {
        whole - 1.0
    } else {
        whole
    };
    rounded.copysign(value)
}

/// `value` rounded half away from zero, as `f64::round` gives it, but
/// without the call into libm that x86-64's baseline (no SSE4.1) makes of
/// that: this runs for every glyph.
#[inline]
fn round(value: f64) -> f64 {
    // From 2^52 on every f64 is whole; NaN and the infinities stay.
    if value.is_nan() || value.abs() >= 4_503_599_627_370_496.0 {
        return value;
    }
    let whole = value as i64 as f64;
    let rest = value - whole;
    let rounded = if rest >= 0.5 {
        whole + 1.0
    } else if rest <= -0.5 {
        whole - 1.0
    } else {
        whole
    };
    rounded.copysign(value)
}

/// A cluster's text in the order its glyphs are drawn. Text extractors
/// (poppler, PDFium, MuPDF) read right-to-left text as drawn, in visual
/// order, and reverse it into logical order; they reverse the characters a
/// cluster's `/ActualText` (or a glyph's map) gives along with the rest. So
/// a cluster of right-to-left text carries its characters backwards, to be
/// read forwards: a Hebrew letter with its points, an Arabic one with its
/// vowel marks.
fn in_drawing_order(text: &str, right_to_left: bool) -> Cow<'_, str> {
    if right_to_left && text.chars().nth(1).is_some() {
        Cow::Owned(text.chars().rev().collect())
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::Pt;

    fn written(f: impl FnOnce(&mut Content)) -> String {
        let mut content = Content::new(0.0, 100.0);
        f(&mut content);
        String::from_utf8(content.finish()).expect("ASCII")
    }

    #[test]
    fn round_agrees_with_std_round() {
        let mut values = vec![
            0.5,
            -0.5,
            1.5,
            -2.5,
            0.49999999999999994,
            -0.49999999999999994,
            0.0,
            -0.0,
            -0.3,
            4_503_599_627_370_495.5,
            4_503_599_627_370_497.0,
            1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        // Every f32 tenth a pen moves by, and thousandths of a point.
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..100_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let unit = (seed >> 11) as f64 / (1u64 << 53) as f64;
            values.push(f64::from(((unit - 0.5) * 20_000.0) as f32));
            values.push((unit - 0.5) * 2e6);
        }
        values.extend((-2000..2000).map(|k| f64::from(k) + 0.5));
        for v in values {
            let (ours, std) = (round(v), v.round());
            assert_eq!(ours.to_bits(), std.to_bits(), "{v}: {ours} against {std}");
            let v = v as f32;
            let (ours, std) = (round_f32(v), v.round());
            assert_eq!(ours.to_bits(), std.to_bits(), "{v}: {ours} against {std}");
        }
        assert!(round(f64::NAN).is_nan() && round_f32(f32::NAN).is_nan());
        for v in [
            8_388_607.5_f32,
            8_388_609.0,
            0.499_999_97,
            -0.499_999_97,
            f32::MAX,
        ] {
            assert_eq!(round_f32(v).to_bits(), v.round().to_bits(), "{v}");
        }
    }

    #[test]
    fn numbers_are_kept_to_a_thousandth_without_trailing_zeros() {
        let text = written(|c| c.numbers(&[0.0, 1.5, -2.25, 60.944885, 0.0004, -0.0006, 10.05]));
        assert!(
            text.ends_with("0 1.5 -2.25 60.945 0 -0.001 10.05 "),
            "{text}"
        );
        let text = written(|c| c.numbers(&[0.005, -0.05, 100.0, 1234.5, -98765.125]));
        assert!(
            text.ends_with("0.005 -0.05 100 1234.5 -98765.125 "),
            "{text}"
        );
    }

    #[test]
    fn an_unscaled_run_is_placed_as_numbers_would_write_it() {
        assert_eq!(written(|c| c.numbers(&[1.0, 0.0, 0.0, -1.0])), {
            let mut content = Content::new(0.0, 100.0);
            content.buf.extend_from_slice(b"1 0 0 -1 ");
            String::from_utf8(content.finish()).expect("ASCII")
        });
    }

    #[test]
    fn the_page_model_is_flipped_into_pdf_space() {
        let text = written(|_| {});
        assert_eq!(text, "1 0 0 -1 0 100 cm\n");
    }

    #[test]
    fn a_right_to_left_cluster_carries_its_characters_in_drawing_order() {
        // Shin with qamats and shin dot, as drawn left to right.
        assert_eq!(
            in_drawing_order("\u{5E9}\u{5B8}\u{5C1}", true),
            "\u{5C1}\u{5B8}\u{5E9}"
        );
        assert_eq!(in_drawing_order("\u{5E9}", true), "\u{5E9}");
        assert_eq!(in_drawing_order("ffi", false), "ffi");
    }

    /// The `TJ` arrays `content` wrote after its last `Tm`.
    fn last_array(content: Content) -> String {
        let text = String::from_utf8(content.finish()).expect("ASCII");
        let (_, array) = text.rsplit_once(" Tm\n").expect("a run");
        array.to_string()
    }

    #[test]
    fn a_run_drawn_again_from_known_glyphs_writes_what_it_wrote_first() {
        let font = crate::pdf::fonts::tests::gentium();
        let read = read_fonts::FontRef::new((*font.data).as_ref()).expect("font");
        let cmap = read_fonts::TableProvider::cmap(&read).expect("cmap");
        let text = "Tavern";
        // Kerned, one glyph raised, one moved by over a hundred units.
        let moves = [
            (0.0, 0.0),
            (-0.4, 0.0),
            (0.0, 0.0),
            (0.0, 2.0),
            (12.0, 0.0),
            (0.0, 0.0),
        ];
        let glyphs = text
            .char_indices()
            .zip(moves)
            .map(|((at, c), (dx, dy))| {
                let gid = cmap.map_codepoint(c).expect("mapped").to_u32() as u16;
                let at = at as u32;
                Glyph::new(gid, Pt(5.0), Pt(dx), Pt(dy), at..at + 1, text)
            })
            .collect();
        let run = TextRun {
            origin: Point::new(Pt(10.0), Pt(20.0)),
            font: 0,
            size: Pt(10.0),
            h_scale: 1.0,
            vertical: false,
            right_to_left: false,
            glyphs,
            text: text.to_string(),
            color: Color::BLACK,
            tag: crate::page::Tag::Artifact,
        };
        let mut face = Face::new(&font).expect("face");
        let mut first = Content::new(0.0, 100.0);
        first.text(&run, 0, &mut face);
        // Now every glyph is known to mean its letter: drawn as plain.
        let mut again = Content::new(0.0, 100.0);
        again.text(&run, 0, &mut face);
        let (first, again) = (last_array(first), last_array(again));
        assert_eq!(again, first);
        assert!(first.contains(" Ts\n") && first.contains("-12"), "{first}");
    }

    #[test]
    fn glyph_codes_are_bytes_with_delimiters_escaped() {
        let mut content = Content::new(0.0, 100.0);
        for cid in [1, 40, 41, 92, 13, 10, 127, 128, 300] {
            content.glyph(cid);
        }
        content.adjust(-125);
        content.glyph(2);
        content.end_array();
        let bytes = content.finish();
        assert_eq!(
            bytes
                .strip_prefix(b"1 0 0 -1 0 100 cm\n")
                .expect("the flip first"),
            b"[(\x01\\(\\)\\\\\\r\\n\x7f\x80,)-12.5(\x02)]TJ\n"
        );
    }
}
