//! Faces that draw with bitmaps instead of outlines (colour emoji in
//! `CBDT` or `sbix`, monochrome `EBDT`) as Type 3 fonts: each glyph is a
//! small drawing (its `CharProc`) that places the glyph's bitmap as an
//! image, in its own colours (`d0`).
//!
//! A Type 3 font is a simple font, with one-byte codes: each piece of
//! the face (256 CIDs, see [`Face::piece`]) is its own Type 3 font, whose
//! code for a CID is the CID's low byte.

use pdf_writer::types::FontFlags;
use pdf_writer::{Chunk, Content, Filter, Finish, Name, Rect, Ref};
use read_fonts::TableProvider;
use skrifa::bitmap::{BitmapData, BitmapGlyph, BitmapStrikes, Origin};
use skrifa::instance::Size;

use super::{Face, PdfError, font_error, font_ref};
use crate::pdf::deflate::deflate;
use crate::pdf::images::Images;

/// A glyph's bitmap placed in glyph space: thousandths of an em, y up
/// from the baseline at the pen.
struct Placed {
    left: f32,
    bottom: f32,
    width: f32,
    height: f32,
    image: Ref,
}

impl Face {
    /// Writes the face's used pieces as Type 3 fonts, each with its glyph
    /// drawings, their images, a descriptor and a ToUnicode map.
    pub(super) fn write_type3(
        &mut self,
        chunk: &mut Chunk,
        images: &mut Images,
        next: &mut impl FnMut() -> Ref,
    ) -> Result<(), PdfError> {
        let file = self.file.clone();
        let font = font_ref(&file)?;
        let skrifa_font = skrifa::FontRef::from_index(file.data.as_ref().as_ref(), file.index)
            .map_err(|e| font_error(&file, e))?;
        let strikes = BitmapStrikes::new(&skrifa_font);
        let em = 1000.0 / self.upem;
        let hhea = font.hhea().ok();
        let ascent = hhea
            .as_ref()
            .map_or(800.0, |h| f32::from(h.ascender().to_i16()) * em);
        let descent = hhea
            .as_ref()
            .map_or(-200.0, |h| f32::from(h.descender().to_i16()) * em);
        for piece in 0..self.references.len() {
            let Some(id) = self.references[piece] else {
                continue;
            };
            let cids = self.cids(piece as u16);
            let placed: Vec<Option<Placed>> = cids
                .clone()
                .map(|cid| {
                    let glyph = strikes.glyph_for_size(
                        Size::unscaled(),
                        skrifa::GlyphId::new(u32::from(self.gids[cid])),
                    )?;
                    place(&glyph, em, images, chunk, next)
                })
                .collect();
            let procs: Vec<Ref> = cids
                .clone()
                .zip(&placed)
                .enumerate()
                .map(|(code, (cid, placed))| {
                    let proc_ref = next();
                    let drawing = char_proc(self.widths[cid], placed.as_ref().map(|p| (p, code)));
                    chunk.stream(proc_ref, &drawing);
                    proc_ref
                })
                .collect();
            let bbox = placed.iter().flatten().fold(None, |bbox: Option<Rect>, p| {
                let (x1, y1) = (p.left + p.width, p.bottom + p.height);
                Some(match bbox {
                    None => Rect::new(p.left, p.bottom, x1, y1),
                    Some(b) => Rect::new(
                        b.x1.min(p.left),
                        b.y1.min(p.bottom),
                        b.x2.max(x1),
                        b.y2.max(y1),
                    ),
                })
            });
            let bbox = bbox.unwrap_or(Rect::new(0.0, descent, 0.0, ascent));
            let name = format!(
                "{}{}",
                file.name,
                if piece == 0 {
                    String::new()
                } else {
                    format!("-{piece}")
                }
            );
            let name = Name(name.as_bytes());
            let (descriptor_ref, cmap_ref) = (next(), next());

            let mut type3 = chunk.type3_font(id);
            type3
                .name(name)
                .bbox(bbox)
                .matrix([0.001, 0.0, 0.0, 0.001, 0.0, 0.0])
                .first_char(0)
                .last_char((cids.len().max(1) - 1) as u8)
                .widths(cids.clone().map(|cid| self.widths[cid]))
                .font_descriptor(descriptor_ref)
                .to_unicode(cmap_ref);
            let names: Vec<String> = (0..cids.len()).map(|code| format!("g{code}")).collect();
            type3
                .encoding_custom()
                .differences()
                .consecutive(0, names.iter().map(|n| Name(n.as_bytes())));
            let mut char_procs = type3.char_procs();
            for (name, proc_ref) in names.iter().zip(&procs) {
                char_procs.pair(Name(name.as_bytes()), *proc_ref);
            }
            char_procs.finish();
            let mut resources = type3.resources();
            let mut objects = resources.x_objects();
            for (code, placed) in placed.iter().enumerate() {
                if let Some(placed) = placed {
                    objects.pair(Name(format!("I{code}").as_bytes()), placed.image);
                }
            }
            objects.finish();
            resources.finish();
            type3.finish();

            chunk
                .font_descriptor(descriptor_ref)
                .name(name)
                .flags(FontFlags::SYMBOLIC)
                .bbox(bbox)
                .italic_angle(0.0)
                .ascent(ascent)
                .descent(descent);

            let cmap = self.to_unicode(piece as u16);
            chunk
                .stream(cmap_ref, &deflate(&cmap))
                .filter(Filter::FlateDecode);
        }
        Ok(())
    }
}

/// Writes `glyph`'s bitmap as an image and places it in glyph space, `em`
/// thousandths of an em to the font unit; `None` for a bitmap that cannot
/// be read (the glyph then draws nothing, rather than failing the book).
fn place(
    glyph: &BitmapGlyph<'_>,
    em: f32,
    images: &mut Images,
    chunk: &mut Chunk,
    next: &mut impl FnMut() -> Ref,
) -> Option<Placed> {
    let (columns, rows) = (glyph.width, glyph.height);
    if columns == 0 || rows == 0 || glyph.ppem_x <= 0.0 || glyph.ppem_y <= 0.0 {
        return None;
    }
    let pixels = columns as usize * rows as usize;
    let image = match &glyph.data {
        BitmapData::Png(data) => images.write_png(data, chunk, next).ok()?,
        BitmapData::Bgra(data) => {
            let bgra = data.get(..pixels * 4)?;
            images.write_rgba(columns, rows, unpremultiplied(bgra), chunk, next)
        }
        BitmapData::Mask(mask) => {
            let coverage = mask.decode(columns, rows).ok()?;
            let rgba = coverage.iter().flat_map(|&a| [0, 0, 0, a]).collect();
            images.write_rgba(columns, rows, rgba, chunk, next)
        }
    };
    let (x_scale, y_scale) = (1000.0 / glyph.ppem_x, 1000.0 / glyph.ppem_y);
    let width = columns as f32 * x_scale;
    let height = rows as f32 * y_scale;
    let left = glyph.bearing_x * em + glyph.inner_bearing_x * x_scale;
    let bottom = match glyph.placement_origin {
        // The bearing is the bitmap's top edge above the baseline.
        Origin::TopLeft => glyph.bearing_y * em + glyph.inner_bearing_y * y_scale - height,
        Origin::BottomLeft => glyph.bearing_y * em + glyph.inner_bearing_y * y_scale,
    };
    Some(Placed {
        left,
        bottom,
        width,
        height,
        image,
    })
}

/// A glyph's drawing: its advance (`d0`: a coloured glyph), then its
/// bitmap, if any (the image resource `/I<code>`), scaled into place.
fn char_proc(advance: f32, placed: Option<(&Placed, usize)>) -> Vec<u8> {
    let mut content = Content::new();
    content.start_color_glyph(advance);
    if let Some((p, code)) = placed {
        content.save_state();
        content.transform([p.width, 0.0, 0.0, p.height, p.left, p.bottom]);
        content.x_object(Name(format!("I{code}").as_bytes()));
        content.restore_state();
    }
    content.finish().into_vec()
}

/// Premultiplied BGRA pixels as straight RGBA.
fn unpremultiplied(bgra: &[u8]) -> Vec<u8> {
    let mut rgba = Vec::with_capacity(bgra.len());
    for pixel in bgra.chunks_exact(4) {
        let alpha = pixel[3];
        let straight = |c: u8| {
            if alpha == 0 {
                0
            } else {
                ((u16::from(c) * 255 + u16::from(alpha) / 2) / u16::from(alpha)).min(255) as u8
            }
        };
        rgba.extend_from_slice(&[
            straight(pixel[2]),
            straight(pixel[1]),
            straight(pixel[0]),
            alpha,
        ]);
    }
    rgba
}
