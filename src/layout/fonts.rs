//! The font family a book is set in: its faces by role (regular, italic,
//! bold, bold italic, monospace), their metrics, and which face stands in
//! when a face lacks a character.
//!
//! The family comes from the one built into the binary (the files in
//! `fonts/`) or from a folder the user names. Characters the family lacks
//! are taken from fallback faces ([`super::fallback`]): those that ship
//! with Iskra, those the user names, then the system's.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};

use harfrust::Font;
use rayon::prelude::*;
use read_fonts::TableProvider;
use read_fonts::types::NameId;
use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::raw::TableProvider as _;
use skrifa::{GlyphId, MetadataProvider};
use thiserror::Error;

/// Index of a face in its [`FontSet`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FaceId(pub u16);

/// What a face is used for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Running text.
    Regular,
    /// Emphasis, standfirsts, captions.
    Italic,
    /// Strong emphasis, headings.
    Bold,
    /// Emphasis inside strong emphasis.
    BoldItalic,
    /// Code.
    Mono,
}

impl Role {
    const ALL: [Role; 5] = [
        Role::Regular,
        Role::Italic,
        Role::Bold,
        Role::BoldItalic,
        Role::Mono,
    ];

    fn index(self) -> usize {
        self as usize
    }

    /// The faces of the family to try for a character, best first. Text
    /// never borrows from the code face before the fallback faces (a code
    /// face's Arabic or Hebrew is no text face), only after them.
    fn fallbacks(self) -> &'static [Role] {
        use Role::*;
        match self {
            Regular => &[Regular, Italic, Bold, BoldItalic],
            Italic => &[Italic, Regular, BoldItalic, Bold],
            Bold => &[Bold, Regular, BoldItalic, Italic],
            BoldItalic => &[BoldItalic, Bold, Italic, Regular],
            Mono => &[Mono, Regular, Italic, Bold, BoldItalic],
        }
    }

    /// This role with italics switched on.
    pub fn italic(self) -> Role {
        match self {
            Role::Regular | Role::Italic => Role::Italic,
            Role::Bold | Role::BoldItalic => Role::BoldItalic,
            Role::Mono => Role::Mono,
        }
    }

    /// This role with bold switched on.
    pub fn bold(self) -> Role {
        match self {
            Role::Regular | Role::Bold => Role::Bold,
            Role::Italic | Role::BoldItalic => Role::BoldItalic,
            Role::Mono => Role::Mono,
        }
    }
}

/// The bytes of a font file, shared between the shaper and the PDF writer.
pub type FontBytes = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// One font file, parsed, with the metrics layout needs (in ems).
pub struct Face {
    /// The parsed font, for shaping and glyph metrics.
    pub font: Font,
    /// The file's bytes.
    pub data: FontBytes,
    /// Where it came from (file name), for messages.
    pub source: String,
    /// PostScript name, for the PDF.
    pub name: String,
    /// Family name, for people ("Gentium Book Plus").
    pub family: String,
    /// Units per em.
    pub upem: f32,
    /// Ascender above the baseline.
    pub ascender: f32,
    /// Descender below the baseline (positive).
    pub descender: f32,
    /// Height of capitals.
    pub cap_height: f32,
    /// Height of lowercase letters.
    pub x_height: f32,
    /// Advance of the space.
    pub space: f32,
    /// Glyph and advance of the hyphen.
    pub hyphen: (u32, f32),
    /// Weight, 100 to 900.
    pub weight: f32,
    /// True for italic and oblique designs.
    pub italic: bool,
    /// True for fixed-pitch designs.
    pub monospace: bool,
    /// Index of the face in its file (a font collection holds several).
    pub index: u32,
    /// The hash of its file and index, computed on first use.
    fingerprint: OnceLock<[u8; 32]>,
    /// The glyphs of the characters text uses most, looked up once each.
    glyphs: GlyphMemo,
}

/// A face's glyph for each code point below [`GlyphMemo::SIZE`] (Latin,
/// Greek, Cyrillic, general punctuation), filled as characters are asked
/// for: a `cmap` lookup costs some 300 instructions, and layout asks for
/// every character of every word it shapes. Shared by the threads that
/// lay out with the face, so each slot is an atomic (a slot written twice
/// is written with the same value).
#[derive(Default)]
struct GlyphMemo(OnceLock<Box<[AtomicU32]>>);

impl GlyphMemo {
    const SIZE: usize = 0x2100;
    /// Not looked up yet; otherwise a slot holds 0 for "no glyph", or the
    /// glyph id plus one (ids are 16-bit).
    const UNKNOWN: u32 = u32::MAX;

    fn glyph(&self, c: char, lookup: impl FnOnce() -> Option<u32>) -> Option<u32> {
        if c as usize >= Self::SIZE {
            return lookup();
        }
        let slots = self.0.get_or_init(|| {
            (0..Self::SIZE)
                .map(|_| AtomicU32::new(Self::UNKNOWN))
                .collect()
        });
        let slot = &slots[c as usize];
        match slot.load(Ordering::Relaxed) {
            Self::UNKNOWN => {
                let glyph = lookup();
                slot.store(glyph.map_or(0, |g| g + 1), Ordering::Relaxed);
                glyph
            }
            0 => None,
            stored => Some(stored - 1),
        }
    }
}

impl Face {
    /// Parses and checks a font file for a family: it must have Latin
    /// letters and a space.
    fn load(data: FontBytes, source: &str) -> Result<Face, FontError> {
        let face = Face::load_any(data, 0, source)?;
        if !face.covers('a') || !face.covers(' ') {
            return Err(FontError::Malformed(
                source.to_string(),
                "it has no Latin letters or no space".into(),
            ));
        }
        Ok(face)
    }

    /// Parses and checks face `index` of a font file, whatever it covers
    /// (a fallback face may have no Latin at all).
    pub fn load_any(data: FontBytes, index: u32, source: &str) -> Result<Face, FontError> {
        let face = Face::read(data, index, source)?;
        face.check_shapes()?;
        Ok(face)
    }

    /// Parses face `index` of a font file, without shaping a sample: for
    /// the built-in faces, which the tests shape.
    fn read(data: FontBytes, index: u32, source: &str) -> Result<Face, FontError> {
        let malformed = |why: &str| FontError::Malformed(source.to_string(), why.to_string());
        let font =
            Font::new(Arc::clone(&data), index).ok_or_else(|| malformed("not an OpenType font"))?;
        let bytes: &[u8] = (*data).as_ref();
        let table_font =
            read_fonts::FontRef::from_index(bytes, index).map_err(|e| malformed(&e.to_string()))?;
        let charmap = font.charmap();
        let glyph_for = |c: char| charmap.map_unicode(c).map(|g| g.to_u32());
        let metrics = font.metrics();
        let upem = f32::from(metrics.units_per_em.max(16));
        let line = metrics
            .h_line()
            .ok_or_else(|| malformed("no line metrics"))?;
        let em = |v: f32| v / upem;
        let glyph_metrics = font.glyph_metrics();
        let advance = |c: char| glyph_for(c).map(|g| em(glyph_metrics.h_advance(g.into())));
        let hyphen_glyph = glyph_for('-')
            .or_else(|| glyph_for('\u{2010}'))
            .unwrap_or(0);
        let attributes = font.default_attributes();
        let monospace = table_font
            .post()
            .map(|p| p.is_fixed_pitch() != 0)
            .unwrap_or(false);
        let name = font
            .names()
            .get(NameId::POSTSCRIPT_NAME)
            .and_then(|n| n.english_or_first())
            .map(|n| n.name().to_string())
            .unwrap_or_else(|| source.to_string());
        let family = [NameId::TYPOGRAPHIC_FAMILY_NAME, NameId::FAMILY_NAME]
            .iter()
            .find_map(|id| font.names().get(*id).and_then(|n| n.english_or_first()))
            .map(|n| n.name().to_string())
            .unwrap_or_else(|| name.clone());
        let face = Face {
            name,
            family,
            source: source.to_string(),
            upem,
            ascender: em(line.ascender.to_f32()),
            descender: -em(line.descender.to_f32()),
            cap_height: metrics.cap_height.map_or(0.7, |v| em(v.to_f32())),
            x_height: metrics.x_height.map_or(0.45, |v| em(v.to_f32())),
            space: advance(' ').unwrap_or(0.25),
            hyphen: (hyphen_glyph, advance('-').unwrap_or(0.33)),
            weight: attributes.weight.value(),
            italic: !matches!(
                attributes.style,
                read_fonts::model::attribute::Style::Normal
            ),
            monospace,
            index,
            font,
            data,
            fingerprint: OnceLock::new(),
            glyphs: GlyphMemo::default(),
        };
        Ok(face)
    }

    /// What identifies the face: a hash of its file's bytes and its index,
    /// so that a cache key can name the faces a document was set in.
    /// Computed once per face (a CJK collection takes some milliseconds).
    pub fn fingerprint(&self) -> [u8; 32] {
        *self.fingerprint.get_or_init(|| {
            let mut hasher = blake3::Hasher::new();
            hasher.update(&self.index.to_le_bytes());
            hasher.update((*self.data).as_ref());
            *hasher.finalize().as_bytes()
        })
    }

    /// Shapes a sample so that a font that would break the shaper is
    /// refused now, with its name, rather than during layout.
    fn check_shapes(&self) -> Result<(), FontError> {
        let sample = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let shaper = harfrust::ShaperFont::new(&self.font);
            let mut buffer = harfrust::Buffer::new();
            buffer.push_str("Hamburgefonstiv fi ffl “—”");
            buffer.guess_segment_properties();
            harfrust::shape(&shaper, &mut buffer, harfrust::ShapeOptions::new()).is_ok()
        }));
        match sample {
            Ok(true) => Ok(()),
            _ => Err(FontError::Malformed(
                self.source.clone(),
                "it cannot be shaped".into(),
            )),
        }
    }

    /// Reads every glyph's outline, drawing it into nothing, so that a
    /// face with damaged outlines is refused when it is loaded, at its
    /// path (by `check` as by a build), rather than when the PDF writer
    /// subsets it, or never when it is only packed into an e-book. A
    /// glyph without an outline (a colour bitmap) passes.
    pub fn check_outlines(&self) -> Result<(), FontError> {
        let bytes: &[u8] = (*self.data).as_ref();
        let refuse = |why: String| Err(FontError::Malformed(self.source.clone(), why));
        let Ok(font) = skrifa::FontRef::from_index(bytes, self.index) else {
            return refuse("not an OpenType font".into());
        };
        let count = font.maxp().map_or(0, |maxp| maxp.num_glyphs());
        let settings = || DrawSettings::unhinted(Size::unscaled(), LocationRef::default());
        let damaged = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let outlines = font.outline_glyphs();
            (0..count).find_map(|id| {
                let outline = outlines.get(GlyphId::new(u32::from(id)))?;
                let drawn = outline.draw(settings(), &mut NoPen);
                drawn.err().map(|error| (id, error.to_string()))
            })
        }));
        match damaged {
            Ok(None) => Ok(()),
            Ok(Some((id, why))) => refuse(format!("the outline of glyph {id} is damaged: {why}")),
            Err(_) => refuse("its outlines cannot be read".into()),
        }
    }

    /// True when the face has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.glyph(c).is_some()
    }

    /// The face's glyph for `c`, if it has one.
    pub fn glyph(&self, c: char) -> Option<u32> {
        self.glyphs
            .glyph(c, || self.font.charmap().map_unicode(c).map(|g| g.to_u32()))
    }

    /// True when the face draws with outlines (`glyf` or `CFF`), not only
    /// colour bitmaps.
    pub fn has_outlines(&self) -> bool {
        let bytes: &[u8] = (*self.data).as_ref();
        read_fonts::FontRef::from_index(bytes, self.index).is_ok_and(|f| {
            f.table_data(read_fonts::types::Tag::new(b"glyf")).is_some()
                || f.table_data(read_fonts::types::Tag::new(b"CFF ")).is_some()
        })
    }

    /// How far this face's style is from `role`'s: 0 for a match.
    pub fn style_distance(&self, role: Role) -> u32 {
        let (italic, weight) = match role {
            Role::Regular | Role::Mono => (false, 400.0),
            Role::Italic => (true, 400.0),
            Role::Bold => (false, 700.0),
            Role::BoldItalic => (true, 700.0),
        };
        u32::from(self.italic != italic) * 1000 + (self.weight - weight).abs() as u32
    }
}

/// Why a font family cannot be used.
#[derive(Debug, Error)]
pub enum FontError {
    /// The folder cannot be read or holds no font files.
    #[error("no font files (.ttf, .otf) in {0}")]
    NoFonts(PathBuf),
    /// No upright, regular-weight face was found.
    #[error("no regular (upright, normal weight) face among the fonts in {0}")]
    NoRegular(PathBuf),
    /// A file could not be read.
    #[error("cannot read font {0}: {1}")]
    Unreadable(PathBuf, String),
    /// A file is not a usable font.
    #[error("font {0} cannot be used: {1}")]
    Malformed(String, String),
}

/// The faces of one family, assigned to roles, and the fallback faces
/// that stand in for characters the family lacks.
#[derive(Clone)]
pub struct FontSet {
    faces: Vec<Arc<Face>>,
    roles: [FaceId; 5],
    /// Roles that had no face of their own and borrowed one.
    pub substituted: Vec<(Role, FaceId)>,
    /// Faces after the family's, in the order they are tried.
    fallbacks: Vec<FaceId>,
    /// The box printed for a character no face has: its face and glyph.
    placeholder: Option<(FaceId, u32)>,
    /// Where fallback faces may come from.
    pub sources: super::fallback::Sources,
}

/// Largest font file accepted.
const MAX_FONT_BYTES: u64 = 32 << 20;

macro_rules! builtin_font {
    ($file:literal) => {
        (
            $file,
            include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/", $file)).as_slice(),
        )
    };
}
pub(crate) use builtin_font;

/// The family built into the binary, by role.
pub(crate) const BUILTIN: [(&str, &[u8]); 5] = [
    builtin_font!("GentiumBookPlus-Regular.ttf"),
    builtin_font!("GentiumBookPlus-Italic.ttf"),
    builtin_font!("GentiumBookPlus-Bold.ttf"),
    builtin_font!("GentiumBookPlus-BoldItalic.ttf"),
    builtin_font!("DejaVuSansMono.ttf"),
];

/// The `.ttf` and `.otf` files of `dir`, sorted: the files a font folder
/// contributes (and so what a cache of its output depends on).
pub fn font_paths(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "ttf" | "otf"))
        })
        .collect();
    files.sort();
    Ok(files)
}

impl FontSet {
    /// The family shipped with Iskra (Gentium Book Plus, DejaVu Sans Mono).
    pub fn builtin() -> FontSet {
        let faces: Vec<Arc<Face>> = BUILTIN
            .iter()
            .map(|(name, bytes)| {
                let data: FontBytes = Arc::new(*bytes);
                // Not shaped as a check: shipped, they are checked by the
                // tests (`builtin_faces_pass_the_checks`), and a lone
                // article's process is spared the sample.
                let face = Face::read(data, 0, name);
                Arc::new(face.expect("the built-in fonts are valid"))
            })
            .collect();
        FontSet {
            faces,
            roles: [FaceId(0), FaceId(1), FaceId(2), FaceId(3), FaceId(4)],
            substituted: Vec::new(),
            fallbacks: Vec::new(),
            placeholder: None,
            sources: Default::default(),
        }
    }

    /// The family in `dir`: every `.ttf` / `.otf` file there, sorted into
    /// roles by weight, slant and pitch. A role without a face borrows the
    /// nearest one (listed in `substituted`).
    pub fn from_dir(dir: &Path) -> Result<FontSet, FontError> {
        let files = font_paths(dir).map_err(|_| FontError::NoFonts(dir.to_path_buf()))?;
        // Side by side: checking a face's outlines draws every glyph (some
        // 3 ms a face of a few thousand glyphs). The first file in order
        // that fails is reported, as when they were read one by one.
        let loaded: Vec<Result<Arc<Face>, FontError>> =
            files.par_iter().map(|path| load_file(path)).collect();
        let faces = loaded.into_iter().collect::<Result<Vec<_>, _>>()?;
        if faces.is_empty() {
            return Err(FontError::NoFonts(dir.to_path_buf()));
        }
        Self::assign_roles(faces, dir)
    }

    fn assign_roles(faces: Vec<Arc<Face>>, dir: &Path) -> Result<FontSet, FontError> {
        let pick = |italic: bool, target: f32, mono: bool| {
            faces
                .iter()
                .enumerate()
                .filter(|(_, f)| f.italic == italic && f.monospace == mono)
                .filter(|(_, f)| (f.weight >= 600.0) == (target >= 600.0))
                .min_by(|(_, a), (_, b)| {
                    (a.weight - target)
                        .abs()
                        .total_cmp(&(b.weight - target).abs())
                })
                .map(|(i, _)| FaceId(i as u16))
        };
        let regular =
            pick(false, 400.0, false).ok_or_else(|| FontError::NoRegular(dir.to_path_buf()))?;
        let mut substituted = Vec::new();
        let mut or_else = |role: Role, found: Option<FaceId>, stand_in: FaceId| {
            found.unwrap_or_else(|| {
                substituted.push((role, stand_in));
                stand_in
            })
        };
        let italic = or_else(Role::Italic, pick(true, 400.0, false), regular);
        let bold = or_else(Role::Bold, pick(false, 700.0, false), regular);
        let bold_italic_stand_in = if bold != regular { bold } else { italic };
        let bold_italic = or_else(
            Role::BoldItalic,
            pick(true, 700.0, false),
            bold_italic_stand_in,
        );
        let mono = or_else(Role::Mono, pick(false, 400.0, true), regular);
        Ok(FontSet {
            faces,
            roles: [regular, italic, bold, bold_italic, mono],
            substituted,
            fallbacks: Vec::new(),
            placeholder: None,
            sources: Default::default(),
        })
    }

    /// The face of `id`.
    pub fn face(&self, id: FaceId) -> &Face {
        &self.faces[usize::from(id.0)]
    }

    /// The face of `id`, shared.
    pub fn face_arc(&self, id: FaceId) -> &Arc<Face> {
        &self.faces[usize::from(id.0)]
    }

    /// Every face, in id order.
    pub fn faces(&self) -> impl Iterator<Item = (FaceId, &Face)> {
        self.faces
            .iter()
            .enumerate()
            .map(|(i, f)| (FaceId(i as u16), f.as_ref()))
    }

    /// True when `other` has the same faces in the same places, for the
    /// same roles and fallbacks: a word shaped in one is shaped alike in
    /// the other (what a cache of shaped words may be reused under).
    pub fn is_same(&self, other: &FontSet) -> bool {
        self.faces.len() == other.faces.len()
            && self
                .faces
                .iter()
                .zip(&other.faces)
                .all(|(a, b)| Arc::ptr_eq(a, b))
            && self.roles == other.roles
            && self.fallbacks == other.fallbacks
            && self.placeholder == other.placeholder
    }

    /// The faces as the page model's font list, indexed by face id (what
    /// a text run's `font` refers to).
    pub fn files(&self) -> Vec<crate::page::FontFile> {
        self.faces
            .iter()
            .map(|f| crate::page::FontFile {
                data: f.data.clone(),
                index: f.index,
                name: f.name.clone(),
                source: f.source.clone(),
            })
            .collect()
    }

    /// The face that plays `role`.
    pub fn role(&self, role: Role) -> FaceId {
        self.roles[role.index()]
    }

    /// The faces to try for a character wanted in `role`, best first, each once.
    pub fn fallback_chain(&self, role: Role) -> Vec<FaceId> {
        let mut chain = Vec::with_capacity(5);
        for &r in role.fallbacks() {
            let id = self.role(r);
            if !chain.contains(&id) {
                chain.push(id);
            }
        }
        chain
    }

    /// This family with `faces` added as fallbacks, tried in that order,
    /// and the box for characters none has taken from `placeholder` (a
    /// face and its glyph) when given.
    pub fn with_fallbacks(
        &self,
        faces: Vec<Arc<Face>>,
        placeholder: Option<(Arc<Face>, u32)>,
    ) -> FontSet {
        let mut set = self.clone();
        let add = |set: &mut FontSet, face: Arc<Face>| {
            if let Some(i) = set.faces.iter().position(|f| Arc::ptr_eq(f, &face)) {
                return FaceId(i as u16);
            }
            set.faces.push(face);
            FaceId((set.faces.len() - 1) as u16)
        };
        for face in faces {
            let id = add(&mut set, face);
            if !set.fallbacks.contains(&id) {
                set.fallbacks.push(id);
            }
        }
        if let Some((face, glyph)) = placeholder {
            let id = add(&mut set, face);
            set.placeholder = Some((id, glyph));
        }
        set
    }

    /// True when a text face of the family (not the code face) has `c`.
    pub fn family_covers(&self, c: char) -> bool {
        self.roles[..4]
            .iter()
            .any(|&id| self.faces[usize::from(id.0)].covers(c))
    }

    /// True when text can take `c` from the family or a fallback face.
    pub fn text_covers(&self, c: char) -> bool {
        self.family_covers(c) || self.fallback_for(c, Role::Regular, None).is_some()
    }

    /// True when some face, the code face included, has `c`.
    pub fn covers(&self, c: char) -> bool {
        self.text_covers(c) || self.face(self.role(Role::Mono)).covers(c)
    }

    /// The face a character no text face or fallback has is taken from
    /// last: the code face (box drawing, say), for text roles.
    pub fn last_resort(&self, role: Role, c: char) -> Option<FaceId> {
        let mono = self.role(Role::Mono);
        (role != Role::Mono && self.face(mono).covers(c)).then_some(mono)
    }

    /// The fallback face for `c` wanted in `role`: the first fallback that
    /// has it picks the family; of that family's faces that have it, the
    /// one nearest in style; a face made for the language's region (a
    /// CJK face for Japanese, say) goes first.
    pub fn fallback_for(&self, c: char, role: Role, lang: Option<&str>) -> Option<FaceId> {
        let covering = || {
            self.fallbacks
                .iter()
                .copied()
                .filter(move |&id| self.face(id).covers(c))
        };
        let first = covering().next()?;
        let region = lang.and_then(super::fallback::cjk_region);
        let family = match region {
            Some(region) => covering()
                .map(|id| &self.face(id).family)
                .find(|family| family.ends_with(region))
                .unwrap_or(&self.face(first).family),
            None => &self.face(first).family,
        };
        covering()
            .filter(|&id| &self.face(id).family == family)
            .min_by_key(|&id| self.face(id).style_distance(role))
    }

    /// The fallback faces, in the order they are tried.
    pub fn fallback_faces(&self) -> impl Iterator<Item = &Face> {
        self.fallbacks.iter().map(|&id| self.face(id))
    }

    /// The box printed for a character no face has.
    pub fn placeholder(&self) -> Option<(FaceId, u32)> {
        self.placeholder
    }

    /// Roles in the order they are listed to users.
    pub fn roles() -> [Role; 5] {
        Role::ALL
    }
}

/// A pen that draws nothing: reading an outline is the check.
struct NoPen;

impl OutlinePen for NoPen {
    fn move_to(&mut self, _: f32, _: f32) {}
    fn line_to(&mut self, _: f32, _: f32) {}
    fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) {}
    fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, _: f32, _: f32) {}
    fn close(&mut self) {}
}

/// The face in the font file at `path`, its outlines checked.
fn load_file(path: &Path) -> Result<Arc<Face>, FontError> {
    let bytes = crate::files::read_regular(path, MAX_FONT_BYTES)
        .map_err(|e| FontError::Unreadable(path.to_path_buf(), e.to_string()))?;
    let data: FontBytes = Arc::new(bytes);
    let face = Face::load(data, &path.display().to_string())?;
    face.check_outlines()?;
    Ok(Arc::new(face))
}

/// `font` with every seventh byte of its `glyf` table overwritten: it
/// loads and shapes, and only its outlines show the damage.
#[cfg(test)]
pub(crate) fn damaged_outlines(font: &[u8]) -> Vec<u8> {
    let mut damaged = font.to_vec();
    let glyf = read_fonts::FontRef::new(font)
        .unwrap()
        .table_directory
        .table_records()
        .iter()
        .find(|record| record.tag() == read_fonts::types::Tag::new(b"glyf"))
        .map(|record| record.offset() as usize..(record.offset() + record.length()) as usize)
        .unwrap();
    for byte in damaged[glyf].iter_mut().step_by(7) {
        *byte = 0xFF;
    }
    damaged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_faces_pass_the_checks() {
        // `FontSet::builtin` reads them without the shaping check.
        for (name, bytes) in BUILTIN {
            let face = Face::load(Arc::new(bytes), name).unwrap();
            face.check_outlines().unwrap();
        }
    }

    #[test]
    fn builtin_family_covers_the_series_scripts() {
        let fonts = FontSet::builtin();
        for role in [Role::Regular, Role::Italic, Role::Bold, Role::BoldItalic] {
            let face = fonts.face(fonts.role(role));
            for c in "Aa’‘“”—–…ЛенинЖжЯя".chars() {
                assert!(face.covers(c), "{} lacks {c}", face.name);
            }
        }
        let regular = fonts.face(fonts.role(Role::Regular));
        assert!(regular.space > 0.15 && regular.space < 0.35);
        assert!(regular.ascender > 0.6 && regular.descender > 0.1);
        assert!(fonts.face(fonts.role(Role::Italic)).italic);
        assert!(fonts.face(fonts.role(Role::Bold)).weight >= 600.0);
        assert!(fonts.face(fonts.role(Role::Mono)).monospace);
    }

    #[test]
    fn damaged_outlines_are_found_and_sound_ones_pass() {
        for face in &FontSet::builtin().faces {
            face.check_outlines().unwrap();
        }
        let (name, bytes) = BUILTIN[0];
        // It loads and shapes: only its outlines show the damage.
        let face = Face::load(Arc::new(damaged_outlines(bytes)), name).unwrap();
        match face.check_outlines() {
            Err(FontError::Malformed(source, why)) => {
                assert_eq!(source, name);
                assert!(why.starts_with("the outline of glyph "), "{why}");
            }
            other => panic!("{:?}", other.err()),
        }
    }

    #[test]
    fn a_folder_with_three_faces_borrows_the_fourth() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path();
        for (name, bytes) in &BUILTIN[..3] {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
        let fonts = FontSet::from_dir(dir).unwrap();
        assert_eq!(fonts.role(Role::BoldItalic), fonts.role(Role::Bold));
        assert_eq!(fonts.role(Role::Mono), fonts.role(Role::Regular));
        assert_eq!(fonts.substituted.len(), 2);
        assert_eq!(fonts.fallback_chain(Role::BoldItalic).len(), 3);
    }

    #[test]
    fn of_several_unusable_fonts_in_a_folder_the_first_by_name_is_reported() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path();
        let (name, bytes) = BUILTIN[0];
        std::fs::write(dir.join("A-Regular.ttf"), bytes).unwrap();
        std::fs::write(dir.join("B-Damaged.ttf"), damaged_outlines(bytes)).unwrap();
        std::fs::write(dir.join("C-Broken.ttf"), b"\x00\x01\x00\x00garbage").unwrap();
        std::fs::write(dir.join("D-Damaged.ttf"), damaged_outlines(bytes)).unwrap();
        for _ in 0..4 {
            match FontSet::from_dir(dir) {
                Err(FontError::Malformed(source, _)) => {
                    assert!(source.ends_with("B-Damaged.ttf"), "{source} ({name})")
                }
                other => panic!("{:?}", other.err()),
            }
        }
    }

    #[test]
    fn refuses_a_file_that_is_not_a_font() {
        // Removed when dropped, whether the test passes or fails.
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path();
        std::fs::write(
            dir.join("Broken.ttf"),
            b"\x00\x01\x00\x00garbage garbage garbage",
        )
        .unwrap();
        assert!(matches!(
            FontSet::from_dir(dir),
            Err(FontError::Malformed(..))
        ));
        let empty = dir.join("empty");
        std::fs::create_dir_all(&empty).unwrap();
        assert!(matches!(
            FontSet::from_dir(&empty),
            Err(FontError::NoFonts(_))
        ));
    }
}
