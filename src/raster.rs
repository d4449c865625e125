//! A raster backend for the page model: draws a page into an RGB image.
//! It exists for what must be a picture rather than a PDF — the EPUB's
//! cover, which e-readers and stores show as an image — so it draws what
//! covers use (fills, rules, text, images) and leaves links and structure
//! aside.

use image::{Rgb, RgbImage};
use skrifa::bitmap::{BitmapData, BitmapGlyph, BitmapStrikes, Origin};
use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::{FontRef, GlyphId, MetadataProvider};
use thiserror::Error;
use zeno::{Command, Mask, Point as ZPoint};

use crate::model::ImageFormat;
use crate::page::{Color, Document, Item, TextRun};
use crate::units::{Point, Rect};

/// Why a page could not be drawn.
#[derive(Debug, Error)]
pub enum RasterError {
    /// The page number is past the end of the document.
    #[error("the document has no page {0}")]
    NoPage(usize),
    /// A font of the document could not be read.
    #[error("font {0} of the document cannot be read")]
    Font(String),
    /// An image on the page could not be decoded.
    #[error("cannot decode image {path}: {reason}")]
    Image {
        /// The image file.
        path: String,
        /// The decoder's complaint.
        reason: String,
    },
}

/// Draws page `index` of `doc` (its trim box) into an image `width`
/// pixels wide, its height in the page's proportions.
pub fn render_page(doc: &Document, index: usize, width: u32) -> Result<RgbImage, RasterError> {
    let page = doc.pages.get(index).ok_or(RasterError::NoPage(index))?;
    let scale = width as f32 / page.size.width.0;
    let height = (page.size.height.0 * scale).round().max(1.0) as u32;
    let mut canvas = Canvas {
        image: RgbImage::from_pixel(width, height, Rgb([255, 255, 255])),
        scale,
    };
    let fonts: Vec<FontRef<'_>> = doc
        .fonts
        .iter()
        .map(|f| {
            FontRef::from_index((*f.data).as_ref(), f.index)
                .map_err(|_| RasterError::Font(f.name.clone()))
        })
        .collect::<Result<_, _>>()?;
    for item in &page.items {
        match item {
            Item::Fill { rect, color, .. } => canvas.fill_rect(*rect, *color),
            Item::Rule {
                from,
                to,
                width,
                color,
                ..
            } => canvas.rule(*from, *to, width.0, *color),
            Item::Text(run) => canvas.text(run, &fonts),
            Item::Image {
                image, rect, clip, ..
            } => canvas.image(image, *rect, clip.unwrap_or(*rect))?,
            Item::Link { .. } => {}
        }
    }
    Ok(canvas.image)
}

/// An image being drawn, with its pixels per point.
struct Canvas {
    image: RgbImage,
    scale: f32,
}

impl Canvas {
    fn px(&self, p: Point) -> ZPoint {
        ZPoint::new(p.x.0 * self.scale, p.y.0 * self.scale)
    }

    fn fill_rect(&mut self, rect: Rect, color: Color) {
        let (a, b) = (
            self.px(rect.origin),
            self.px(Point::new(rect.right(), rect.bottom())),
        );
        let (width, height) = (self.image.width() as f32, self.image.height() as f32);
        if a.x <= 0.0 && a.y <= 0.0 && b.x >= width && b.y >= height {
            // A cover's ground, with its bleed: every pixel covered whole,
            // with no mask of the page's size to make first.
            for pixel in self.image.pixels_mut() {
                *pixel = Rgb([color.0, color.1, color.2]);
            }
            return;
        }
        let path = [
            Command::MoveTo(a),
            Command::LineTo(ZPoint::new(b.x, a.y)),
            Command::LineTo(b),
            Command::LineTo(ZPoint::new(a.x, b.y)),
            Command::Close,
        ];
        self.fill_path(&path, color);
    }

    /// A straight line of `width` points, drawn as the rectangle around it.
    fn rule(&mut self, from: Point, to: Point, width: f32, color: Color) {
        let (a, b) = (self.px(from), self.px(to));
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let length = (dx * dx + dy * dy).sqrt();
        if length == 0.0 {
            return;
        }
        let half = width * self.scale / 2.0;
        let (nx, ny) = (-dy / length * half, dx / length * half);
        let path = [
            Command::MoveTo(ZPoint::new(a.x + nx, a.y + ny)),
            Command::LineTo(ZPoint::new(b.x + nx, b.y + ny)),
            Command::LineTo(ZPoint::new(b.x - nx, b.y - ny)),
            Command::LineTo(ZPoint::new(a.x - nx, a.y - ny)),
            Command::Close,
        ];
        self.fill_path(&path, color);
    }

    /// Glyph outlines along the run's baseline. Spine (vertical) text is
    /// not drawn: no raster page has a spine.
    fn text(&mut self, run: &TextRun, fonts: &[FontRef<'_>]) {
        let Some(font) = fonts.get(usize::from(run.font)) else {
            return;
        };
        if run.vertical {
            return;
        }
        let outlines = font.outline_glyphs();
        let strikes = BitmapStrikes::new(font);
        let upem = font
            .metrics(Size::unscaled(), LocationRef::default())
            .units_per_em;
        let ppem = run.size.0 * self.scale;
        let settings = || DrawSettings::unhinted(Size::new(ppem), LocationRef::default());
        let mut pen_x = run.origin.x.0;
        for glyph in &run.glyphs {
            let x = pen_x + glyph.dx().0 * run.h_scale;
            let y = run.origin.y.0 - glyph.dy().0;
            pen_x += glyph.advance.0 * run.h_scale;
            let id = GlyphId::new(u32::from(glyph.id));
            let Some(outline) = outlines.get(id) else {
                // A colour emoji face has pictures instead of outlines.
                if let Some(bitmap) = strikes.glyph_for_size(Size::new(ppem), id) {
                    let origin = ZPoint::new(x * self.scale, y * self.scale);
                    self.bitmap(&bitmap, origin, ppem, f32::from(upem));
                }
                continue;
            };
            let mut pen = PathPen {
                commands: Vec::new(),
                x: x * self.scale,
                y: y * self.scale,
                h_scale: run.h_scale,
            };
            if outline.draw(settings(), &mut pen).is_ok() && !pen.commands.is_empty() {
                self.fill_path(&pen.commands, run.color);
            }
        }
    }

    /// A bitmap glyph (PNG, as colour emoji faces hold them) of a font
    /// with `upem` units per em, set at `ppem` pixels per em with its
    /// origin at `origin` (pixels), over what is drawn.
    fn bitmap(&mut self, glyph: &BitmapGlyph<'_>, origin: ZPoint, ppem: f32, upem: f32) {
        let BitmapData::Png(data) = glyph.data else {
            return;
        };
        if glyph.ppem_x <= 0.0 || glyph.ppem_y <= 0.0 || upem <= 0.0 {
            return;
        }
        let Ok(picture) = image::load_from_memory_with_format(data, image::ImageFormat::Png) else {
            return;
        };
        let (x_scale, y_scale) = (ppem / glyph.ppem_x, ppem / glyph.ppem_y);
        let width = picture.width() as f32 * x_scale;
        let height = picture.height() as f32 * y_scale;
        let left = origin.x + glyph.bearing_x / upem * ppem + glyph.inner_bearing_x * x_scale;
        let bottom_edge = glyph.bearing_y / upem * ppem + glyph.inner_bearing_y * y_scale;
        let above_baseline = match glyph.placement_origin {
            // The bearing is the bitmap's top edge above the baseline.
            Origin::TopLeft => bottom_edge,
            Origin::BottomLeft => bottom_edge + height,
        };
        let (w, h) = (
            width.round().max(1.0) as u32,
            height.round().max(1.0) as u32,
        );
        let scaled = picture
            .resize_exact(w, h, image::imageops::FilterType::Triangle)
            .to_rgba8();
        let (left, top) = (
            left.round() as i64,
            (origin.y - above_baseline).round() as i64,
        );
        let (canvas_w, canvas_h) = (
            i64::from(self.image.width()),
            i64::from(self.image.height()),
        );
        for (col, row, pixel) in scaled.enumerate_pixels() {
            let (x, y) = (left + i64::from(col), top + i64::from(row));
            if pixel[3] == 0 || !(0..canvas_w).contains(&x) || !(0..canvas_h).contains(&y) {
                continue;
            }
            let below = self.image.get_pixel_mut(x as u32, y as u32);
            *below = blend(*below, Color(pixel[0], pixel[1], pixel[2]), pixel[3]);
        }
    }

    /// The image scaled into `rect`, drawn only inside `clip`.
    fn image(
        &mut self,
        image: &crate::model::Image,
        rect: Rect,
        clip: Rect,
    ) -> Result<(), RasterError> {
        let format = match image.format {
            ImageFormat::Jpeg => image::ImageFormat::Jpeg,
            ImageFormat::Png => image::ImageFormat::Png,
        };
        let decoded = image::load_from_memory_with_format(&image.data, format).map_err(|e| {
            RasterError::Image {
                path: image.path.display().to_string(),
                reason: e.to_string(),
            }
        })?;
        let (w, h) = (
            (rect.size.width.0 * self.scale).round().max(1.0) as u32,
            (rect.size.height.0 * self.scale).round().max(1.0) as u32,
        );
        let scaled = decoded
            .resize_exact(w, h, image::imageops::FilterType::Lanczos3)
            .to_rgb8();
        let left = (rect.origin.x.0 * self.scale).round() as i64;
        let top = (rect.origin.y.0 * self.scale).round() as i64;
        // The visible part: the clip, within the canvas.
        let (from, to) = (
            self.px(clip.origin),
            self.px(Point::new(clip.right(), clip.bottom())),
        );
        let x_range =
            (from.x.floor().max(0.0) as i64)..(to.x.ceil().min(self.image.width() as f32) as i64);
        let y_range =
            (from.y.floor().max(0.0) as i64)..(to.y.ceil().min(self.image.height() as f32) as i64);
        for (x, y, pixel) in scaled.enumerate_pixels() {
            let (px, py) = (left + i64::from(x), top + i64::from(y));
            if x_range.contains(&px) && y_range.contains(&py) {
                self.image.put_pixel(px as u32, py as u32, *pixel);
            }
        }
        Ok(())
    }

    /// Paints the area inside `path` (pixel coordinates, y down) in
    /// `color`, anti-aliased. A cover is mostly large fills: the mask's
    /// rows are clipped to the image once, and a pixel the path covers
    /// whole takes the colour as it is (what [`blend`] gives at 255).
    fn fill_path(&mut self, path: &[Command], color: Color) {
        let (mask, placement) = Mask::new(path).render();
        let (width, height) = (
            i64::from(self.image.width()),
            i64::from(self.image.height()),
        );
        let (left, top) = (i64::from(placement.left), i64::from(placement.top));
        let mask_width = i64::from(placement.width);
        let (x0, x1) = (left.max(0), (left + mask_width).min(width));
        let (y0, y1) = (top.max(0), (top + i64::from(placement.height)).min(height));
        if x0 >= x1 || y0 >= y1 {
            return;
        }
        let solid = [color.0, color.1, color.2];
        let pixels: &mut [u8] = &mut self.image;
        for y in y0..y1 {
            let from = ((y - top) * mask_width + (x0 - left)) as usize;
            let coverage = &mask[from..from + (x1 - x0) as usize];
            let start = ((y * width + x0) * 3) as usize;
            let row = &mut pixels[start..start + coverage.len() * 3];
            for (pixel, &coverage) in row.chunks_exact_mut(3).zip(coverage) {
                match coverage {
                    0 => {}
                    255 => pixel.copy_from_slice(&solid),
                    _ => {
                        let under = Rgb([pixel[0], pixel[1], pixel[2]]);
                        pixel.copy_from_slice(&blend(under, color, coverage).0);
                    }
                }
            }
        }
    }
}

/// `color` over `under` at `coverage` out of 255.
fn blend(under: Rgb<u8>, color: Color, coverage: u8) -> Rgb<u8> {
    let a = u16::from(coverage);
    let mix = |below: u8, above: u8| {
        ((u16::from(above) * a + u16::from(below) * (255 - a) + 127) / 255) as u8
    };
    Rgb([
        mix(under[0], color.0),
        mix(under[1], color.1),
        mix(under[2], color.2),
    ])
}

/// Collects a glyph's outline as a path in pixels: font units come scaled
/// to pixels with y up; they are placed at the glyph's origin, y down.
struct PathPen {
    commands: Vec<Command>,
    x: f32,
    y: f32,
    h_scale: f32,
}

impl PathPen {
    fn at(&self, x: f32, y: f32) -> ZPoint {
        ZPoint::new(self.x + x * self.h_scale, self.y - y)
    }
}

impl OutlinePen for PathPen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.commands.push(Command::MoveTo(self.at(x, y)));
    }

    fn line_to(&mut self, x: f32, y: f32) {
        self.commands.push(Command::LineTo(self.at(x, y)));
    }

    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.commands
            .push(Command::QuadTo(self.at(cx0, cy0), self.at(x, y)));
    }

    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.commands.push(Command::CurveTo(
            self.at(cx0, cy0),
            self.at(cx1, cy1),
            self.at(x, y),
        ));
    }

    fn close(&mut self) {
        self.commands.push(Command::Close);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::fonts::FontSet;
    use crate::page::{DocumentMeta, Glyph, Page, PageLabel, Tag};
    use crate::units::{Pt, Size};

    /// A 100 × 50 pt page: a red left half, and "H" in black on the right.
    fn sample() -> Document {
        let fonts = FontSet::builtin();
        let (id, face) = fonts.faces().next().expect("a face");
        let glyph = FontRef::new((*face.data).as_ref())
            .expect("a font")
            .charmap()
            .map('H')
            .expect("an H");
        Document {
            pages: vec![Page {
                size: Size::new(Pt(100.0), Pt(50.0)),
                bleed: Pt::ZERO,
                slug: Pt::ZERO,
                label: PageLabel::Cover,
                article: None,
                items: vec![
                    Item::Fill {
                        rect: Rect::new(Pt(0.0), Pt(0.0), Pt(50.0), Pt(50.0)),
                        color: Color(200, 0, 0),
                        tag: Tag::Artifact,
                    },
                    Item::Text(TextRun {
                        origin: Point::new(Pt(60.0), Pt(40.0)),
                        font: id.0,
                        size: Pt(36.0),
                        h_scale: 1.0,
                        vertical: false,
                        right_to_left: false,
                        glyphs: vec![Glyph::new(
                            u16::try_from(glyph.to_u32()).expect("16-bit glyph id"),
                            Pt(20.0),
                            Pt::ZERO,
                            Pt::ZERO,
                            0..1,
                            "H",
                        )],
                        text: "H".into(),
                        color: Color::BLACK,
                        tag: Tag::Artifact,
                    }),
                ],
            }],
            fonts: fonts.files(),
            outline: Vec::new(),
            meta: DocumentMeta::default(),
            structure: Vec::new(),
            page_starts: Vec::new(),
        }
    }

    #[test]
    fn fills_and_glyphs_land_where_the_page_puts_them() {
        let image = render_page(&sample(), 0, 200).expect("drawn");
        assert_eq!((image.width(), image.height()), (200, 100));
        assert_eq!(
            image.get_pixel(20, 50),
            &Rgb([200, 0, 0]),
            "inside the fill"
        );
        assert_eq!(image.get_pixel(198, 2), &Rgb([255, 255, 255]), "paper");
        // The H stands on the baseline at y = 40 pt (80 px), from x = 60 pt
        // (120 px), 36 pt tall type: its stems are dark somewhere in there.
        let dark = (120..170)
            .flat_map(|x| (30..80).map(move |y| (x, y)))
            .filter(|&(x, y)| image.get_pixel(x, y)[0] < 60)
            .count();
        assert!(dark > 200, "{dark} dark pixels where the H is");
        let above = (120..170)
            .filter(|&x| image.get_pixel(x, 10)[0] < 200)
            .count();
        assert_eq!(above, 0, "nothing above the cap height");
    }

    #[test]
    fn a_ground_over_the_bleed_paints_every_pixel_and_the_type_stays_on_it() {
        let mut doc = sample();
        let ground = Item::Fill {
            rect: Rect::new(Pt(-3.0), Pt(-3.0), Pt(106.0), Pt(56.0)),
            color: Color(0, 90, 40),
            tag: Tag::Artifact,
        };
        doc.pages[0].items.insert(0, ground);
        doc.pages[0].items.remove(1); // the red half
        let image = render_page(&doc, 0, 200).expect("drawn");
        // Left of the H (x < 60 pt) every pixel is the ground's colour.
        let off_ground = (0..120)
            .flat_map(|x| (0..100).map(move |y| (x, y)))
            .filter(|&(x, y)| image.get_pixel(x, y) != &Rgb([0, 90, 40]))
            .count();
        assert_eq!(off_ground, 0, "pixels of the ground left unpainted");
        assert_eq!(
            image.get_pixel(199, 99),
            &Rgb([0, 90, 40]),
            "the far corner"
        );
        let dark = (120..170)
            .flat_map(|x| (30..80).map(move |y| (x, y)))
            .filter(|&(x, y)| image.get_pixel(x, y)[1] < 60)
            .count();
        assert!(dark > 200, "{dark} dark pixels where the H is");
    }

    #[test]
    fn a_missing_page_is_an_error() {
        assert!(matches!(
            render_page(&sample(), 3, 10),
            Err(RasterError::NoPage(3))
        ));
    }
}
