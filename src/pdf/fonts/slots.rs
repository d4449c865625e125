//! What the glyph loop reads of a face for each glyph it draws: a slot
//! per glyph id, looked up in one load.

/// What the glyph loop asks of a glyph each time it is drawn, in one
/// load: its CID, whether it was drawn, and the one byte of text it is
/// known to stand for, if its meaning is one byte (most glyphs of running
/// text).
#[derive(Clone, Copy, Default)]
pub(super) struct Slot {
    /// The CID the glyph is drawn with in the face's font.
    pub cid: u16,
    /// The CID's meaning, where [`ONE_BYTE`] is set.
    pub byte: u8,
    /// [`DRAWN`] and [`ONE_BYTE`].
    pub flags: u8,
}

/// What the glyph loop asks of a face for a plain glyph (see
/// [`PlainLookup::cid`]) and its width, the tables borrowed once for a
/// stretch of such glyphs.
#[derive(Clone, Copy)]
pub(in crate::pdf) struct PlainLookup<'a> {
    /// One slot per glyph id of the face, by glyph id.
    pub(super) slots: &'a [Slot],
    /// The width of each CID, as [`Face::width`](super::Face::width) gives it.
    pub(super) widths: &'a [f32],
}

impl PlainLookup<'_> {
    /// The CID of glyph `gid` if it was drawn before and is known to
    /// stand for exactly the text `byte`: what
    /// [`Face::cid`](super::Face::cid) and
    /// [`Face::known_to_mean`](super::Face::known_to_mean) would say of
    /// it, in one look (this runs for most glyphs drawn).
    #[inline(always)]
    pub fn cid(self, gid: u16, byte: u8) -> Option<u16> {
        let slot = *self.slots.get(usize::from(gid))?;
        (slot.flags == DRAWN | ONE_BYTE && slot.byte == byte).then_some(slot.cid)
    }

    /// [`Face::width`](super::Face::width), `None` for a CID the face
    /// does not have.
    #[inline(always)]
    pub fn width(self, cid: u16) -> Option<f32> {
        self.widths.get(usize::from(cid)).copied()
    }
}

/// A [`Slot`]'s glyph was drawn in the document.
pub(super) const DRAWN: u8 = 1;
/// A [`Slot`]'s CID stands for the one byte of text in it.
pub(super) const ONE_BYTE: u8 = 2;
