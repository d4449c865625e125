//! Font fallback: where a character the family lacks is drawn from, and
//! what is said about one that no font has.
//!
//! The order is documented in the README: the family, then the faces that
//! ship with Iskra ([`BUNDLED`]), then the files the user names
//! (`fallback-fonts`, `--fallback-font`), then the system's fonts (found
//! through fontconfig's folders), unless `--ignore-system-fonts`. A text
//! that the family covers never looks further: the family check is a cmap
//! lookup per distinct character, and nothing else is loaded.
//!
//! A character no face has is drawn as a box (U+25A1 from DejaVu Sans
//! Mono) that stands for the real character in the page model, so that
//! the PDF's text layer keeps it, and is reported as a warning at its line.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use unicode_script::{Script, UnicodeScript};

use super::fonts::{Face, FontBytes, FontSet, builtin_font};
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::model::{Article, Series};

/// Where fallback faces may come from besides the bundled ones.
#[derive(Clone, Debug)]
pub struct Sources {
    /// Faces the user named, in the order named.
    pub files: Vec<Arc<Face>>,
    /// Look in the system's fonts (off for reproducible builds).
    pub system: bool,
}

impl Default for Sources {
    fn default() -> Sources {
        Sources {
            files: Vec::new(),
            system: true,
        }
    }
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face")
            .field("source", &self.source)
            .finish()
    }
}

/// Fallback faces built into the binary, in the order they are tried.
/// Chosen for the readers they serve per byte (README, "Fonts"): Arabic,
/// Hebrew and Devanagari in book styles that sit with Gentium, and a large
/// set of symbols. CJK and emoji faces are tens of megabytes and come from
/// the system.
const BUNDLED: [(&str, &[u8]); 4] = [
    builtin_font!("NotoNaskhArabic-Regular.ttf"),
    builtin_font!("NotoSerifHebrew-Regular.ttf"),
    builtin_font!("NotoSerifDevanagari-Regular.ttf"),
    builtin_font!("NotoSansSymbols2-Regular.ttf"),
];

/// The character drawn for one that no face has.
const PLACEHOLDER: char = '\u{25A1}';

/// The bundled fallback faces, parsed once per process on first need.
fn bundled() -> &'static [Arc<Face>] {
    static FACES: OnceLock<Vec<Arc<Face>>> = OnceLock::new();
    FACES.get_or_init(|| {
        BUNDLED
            .iter()
            .map(|(name, bytes)| {
                let data: FontBytes = Arc::new(*bytes);
                Arc::new(Face::load_any(data, 0, name).expect("the bundled fonts are valid"))
            })
            .collect()
    })
}

/// The face the placeholder box comes from when the family has none.
fn placeholder_face() -> &'static Arc<Face> {
    static FACE: OnceLock<Arc<Face>> = OnceLock::new();
    FACE.get_or_init(|| {
        let (name, bytes) = super::fonts::BUILTIN[4];
        let data: FontBytes = Arc::new(bytes);
        Arc::new(Face::load_any(data, 0, name).expect("the built-in fonts are valid"))
    })
}

/// Characters that need no glyph: spaces, controls and the format
/// characters that only steer shaping or direction.
pub fn is_ignorable(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'..='\u{1160}'
                | '\u{17B4}'..='\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

/// `fonts` with the fallback faces that `chars` need, or `fonts` itself
/// when its family covers them all (the common case, which costs one
/// cmap lookup per distinct character).
pub fn extend<'f>(fonts: &'f FontSet, chars: &BTreeSet<char>) -> Cow<'f, FontSet> {
    let mut needed: Vec<char> = chars
        .iter()
        .copied()
        .filter(|&c| !is_ignorable(c) && !fonts.text_covers(c))
        .collect();
    if needed.is_empty() {
        return Cow::Borrowed(fonts);
    }
    let mut chosen: Vec<Arc<Face>> = Vec::new();
    let mut take_covering = |faces: &[Arc<Face>], needed: &mut Vec<char>| {
        for face in faces {
            if needed.iter().any(|&c| face.covers(c)) {
                needed.retain(|&c| !face.covers(c));
                chosen.push(Arc::clone(face));
            }
        }
    };
    // Emoji want the system's emoji face first: the bundled symbols draw
    // a few of them, but without skin tones or sequences.
    if fonts.sources.system && needed.iter().any(|&c| is_emoji(c)) {
        let emoji: Vec<char> = needed.iter().copied().filter(|&c| is_emoji(c)).collect();
        take_covering(&system().faces_for(&emoji), &mut needed);
    }
    take_covering(bundled(), &mut needed);
    take_covering(&fonts.sources.files, &mut needed);
    if fonts.sources.system && !needed.is_empty() {
        let found = system().faces_for(&needed);
        needed.retain(|&c| !found.iter().any(|f| f.covers(c)));
        chosen.extend(found);
    }
    needed.retain(|&c| !fonts.covers(c));
    let placeholder = (!needed.is_empty()).then(|| placeholder_for(fonts));
    Cow::Owned(fonts.with_fallbacks(chosen, placeholder))
}

/// `fonts` with the fallback faces that `articles` of `series` need: the
/// characters of their files and of the series' own title, subtitle and
/// publisher.
pub fn for_articles<'f>(
    fonts: &'f FontSet,
    series: &Series,
    articles: &[Article],
) -> Cow<'f, FontSet> {
    let mut chars: BTreeSet<char> = BTreeSet::new();
    for article in articles {
        chars.extend(article.characters.iter().map(|(c, _)| *c));
    }
    let meta = &series.meta;
    for text in [
        Some(&meta.title),
        meta.subtitle.as_ref(),
        meta.publisher.as_ref(),
    ]
    .into_iter()
    .flatten()
    {
        chars.extend(text.chars());
    }
    extend(fonts, &chars)
}

/// A warning for each character of `articles` that no face of `fonts`
/// has, at its first place: the same for `check` (a cmap lookup) and for
/// a build (where it prints as a box).
pub fn report_missing(fonts: &FontSet, articles: &[Article], diags: &mut Diagnostics) {
    for article in articles {
        for &(c, span) in &article.characters {
            if !is_ignorable(c) && !fonts.covers(c) {
                diags.push(missing_warning(&article.path, span, c));
            }
        }
    }
}

/// A warning at series.toml for each character of the printed title,
/// subtitle or publisher that no face of `fonts` has, at its place there:
/// what `check` says of the characters a build sets as boxes on the title
/// page and covers.
pub fn report_missing_in_series(fonts: &FontSet, series: &Series, diags: &mut Diagnostics) {
    let toml = series.dir.join("series.toml");
    for &(c, span) in &series.meta.characters {
        if !is_ignorable(c) && !fonts.covers(c) {
            diags.push(missing_warning(&toml, span, c));
        }
    }
}

/// The family's own face with a box glyph, else DejaVu Sans Mono's.
fn placeholder_for(fonts: &FontSet) -> (Arc<Face>, u32) {
    let own = FontSet::roles()
        .into_iter()
        .rev()
        .map(|role| fonts.face_arc(fonts.role(role)))
        .find_map(|face| Some((Arc::clone(face), face.glyph(PLACEHOLDER)?)));
    own.unwrap_or_else(|| {
        let face = placeholder_face();
        let glyph = face.glyph(PLACEHOLDER).unwrap_or(0);
        (Arc::clone(face), glyph)
    })
}

/// The region code a CJK face names itself by (`Noto Serif CJK JP`) for
/// a language, so that Japanese gets Japanese glyph forms and Chinese
/// Chinese ones.
pub fn cjk_region(lang: &str) -> Option<&'static str> {
    let lower = lang.to_ascii_lowercase();
    let primary = lower.split(['-', '_']).next().unwrap_or("");
    match primary {
        "ja" => Some("JP"),
        "ko" => Some("KR"),
        "zh" if lower.contains("hant") || lower.ends_with("-tw") => Some("TC"),
        "zh" if lower.ends_with("-hk") || lower.ends_with("-mo") => Some("HK"),
        "zh" => Some("SC"),
        _ => None,
    }
}

/// A warning for a character that no font has, at its first place.
pub fn missing_warning(path: &Path, span: Span, c: char) -> Diagnostic {
    Diagnostic::warning(path, span, missing_message(c)).hint(font_hint(c))
}

/// What is said of a character that no font has: its code, name and
/// itself.
pub fn missing_message(c: char) -> String {
    let name = unicode_names2::name(c)
        .map(|n| n.to_string())
        .unwrap_or_else(|| "(unnamed)".into());
    format!(
        "U+{:04X} {name} ({c}) is in no available font; printed as a box",
        c as u32
    )
}

/// Which font to install for `c`: the Debian package of a Noto face
/// that covers its script.
fn font_hint(c: char) -> String {
    let (package, family) = match script_key(c) {
        "CJK" => ("fonts-noto-cjk", "Noto Serif CJK".to_string()),
        "Emoji" => ("fonts-noto-color-emoji", "Noto Color Emoji".to_string()),
        "Common" | "Inherited" | "Unknown" => (
            "fonts-noto-core",
            "Noto Sans Symbols or Noto Sans Math".to_string(),
        ),
        script => (
            "fonts-noto-core",
            format!("Noto Sans {}", script.replace('_', " ")),
        ),
    };
    format!(
        "install a font that has it, e.g. {family} (Debian: apt-get install {package}), \
         or name one with --fallback-font or `fallback-fonts` in series.toml"
    )
}

/// The word a font family made for `c`'s script has in its name.
fn script_key(c: char) -> &'static str {
    if is_emoji(c) {
        return "Emoji";
    }
    if matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}') {
        return "CJK";
    }
    match c.script() {
        Script::Han | Script::Hiragana | Script::Katakana | Script::Hangul | Script::Bopomofo => {
            "CJK"
        }
        script => script.full_name(),
    }
}

/// Emoji and their modifiers, which want an emoji face.
fn is_emoji(c: char) -> bool {
    matches!(c, '\u{1F000}'..='\u{1FAFF}' | '\u{2600}'..='\u{27BF}' | '\u{2B50}' | '\u{2B55}')
}

/// The system's fonts, listed once per process on first need.
fn system() -> &'static SystemFonts {
    static FONTS: OnceLock<SystemFonts> = OnceLock::new();
    FONTS.get_or_init(SystemFonts::load)
}

/// The system's font families and what has been read of them.
struct SystemFonts {
    db: fontdb::Database,
    /// Face ids of each family, by family name (sorted, for a stable order).
    families: BTreeMap<String, Vec<fontdb::ID>>,
    /// Faces read so far, by family: every process reads a file once.
    loaded: Mutex<HashMap<String, Vec<Arc<Face>>>>,
    /// The family chosen for each character asked about.
    chosen: Mutex<HashMap<char, Option<String>>>,
}

impl SystemFonts {
    fn load() -> SystemFonts {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        let mut families: BTreeMap<String, Vec<fontdb::ID>> = BTreeMap::new();
        for face in db.faces() {
            let usable = face.stretch == fontdb::Stretch::Normal
                && matches!(face.source, fontdb::Source::File(_));
            if let (true, Some((family, _))) = (usable, face.families.first()) {
                families.entry(family.clone()).or_default().push(face.id);
            }
        }
        SystemFonts {
            db,
            families,
            loaded: Mutex::new(HashMap::new()),
            chosen: Mutex::new(HashMap::new()),
        }
    }

    /// Faces of the families that cover `chars` (each character the
    /// family best suited to its script that has it), with the other
    /// regions of a CJK family chosen.
    fn faces_for(&self, chars: &[char]) -> Vec<Arc<Face>> {
        let mut families: BTreeSet<String> = BTreeSet::new();
        let mut chosen = self.chosen.lock().unwrap_or_else(PoisonError::into_inner);
        let mut by_script: BTreeMap<&'static str, Vec<char>> = BTreeMap::new();
        for &c in chars {
            match chosen.get(&c) {
                Some(family) => families.extend(family.clone()),
                None => by_script.entry(script_key(c)).or_default().push(c),
            }
        }
        for (script, mut left) in by_script {
            for family in self.ranked(script) {
                if left.is_empty() {
                    break;
                }
                let covered = self.covered(family, &left);
                if covered.is_empty() {
                    continue;
                }
                left.retain(|c| !covered.contains(c));
                for c in covered {
                    chosen.insert(c, Some(family.clone()));
                }
                families.insert(family.clone());
            }
            for c in left {
                chosen.insert(c, None);
            }
        }
        drop(chosen);
        let mut with_regions: Vec<String> = Vec::new();
        for family in families.iter().flat_map(|family| self.regions_of(family)) {
            if !with_regions.contains(&family) {
                with_regions.push(family);
            }
        }
        with_regions
            .iter()
            .flat_map(|family| self.family_faces(family))
            .collect()
    }

    /// Family names, best first for `script`: those made for it, then
    /// serif Noto faces (which sit with a book face), sans Noto faces,
    /// others; UI variants last; by name within each rank.
    fn ranked(&self, script: &str) -> Vec<&String> {
        let mut names: Vec<&String> = self.families.keys().collect();
        names.sort_by_key(|name| {
            let prefix = if name.starts_with("Noto Serif") {
                0
            } else if name.starts_with("Noto Sans") {
                1
            } else {
                2
            };
            let region_first = !name.ends_with(" SC");
            (
                !name.contains(script),
                name.contains(" UI"),
                prefix,
                region_first,
            )
        });
        names
    }

    /// The characters of `chars` that `family`'s upright regular face has.
    fn covered(&self, family: &str, chars: &[char]) -> Vec<char> {
        let Some(id) = self.representative(family) else {
            return Vec::new();
        };
        self.db
            .with_face_data(id, |data, index| {
                let Ok(font) = read_fonts::FontRef::from_index(data, index) else {
                    return Vec::new();
                };
                let Ok(cmap) = read_fonts::TableProvider::cmap(&font) else {
                    return Vec::new();
                };
                chars
                    .iter()
                    .copied()
                    .filter(|&c| cmap.map_codepoint(c).is_some_and(|g| g.to_u32() != 0))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The face of `family` nearest upright regular.
    fn representative(&self, family: &str) -> Option<fontdb::ID> {
        self.families
            .get(family)?
            .iter()
            .copied()
            .min_by_key(|&id| {
                self.db.face(id).map_or(u32::MAX, |f| {
                    u32::from(f.style != fontdb::Style::Normal) * 1000
                        + u32::from(f.weight.0.abs_diff(400))
                })
            })
    }

    /// `family` and, for a CJK family named by region, its other regions,
    /// Simplified Chinese first (for Han text of no marked language).
    fn regions_of(&self, family: &str) -> Vec<String> {
        const REGIONS: [&str; 5] = ["SC", "TC", "HK", "JP", "KR"];
        let Some(stem) = REGIONS.iter().find_map(|r| family.strip_suffix(r)) else {
            return vec![family.to_string()];
        };
        REGIONS
            .iter()
            .map(|r| format!("{stem}{r}"))
            .filter(|f| self.families.contains_key(f))
            .collect()
    }

    /// The regular, italic, bold and bold italic faces of `family` (each
    /// the nearest there is, once), read on first use.
    fn family_faces(&self, family: &str) -> Vec<Arc<Face>> {
        let mut loaded = self.loaded.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(faces) = loaded.get(family) {
            return faces.clone();
        }
        let ids = self.families.get(family).cloned().unwrap_or_default();
        let mut picked: Vec<fontdb::ID> = Vec::new();
        for (italic, weight) in [(false, 400), (true, 400), (false, 700), (true, 700)] {
            let best = ids.iter().copied().min_by_key(|&id| {
                self.db.face(id).map_or(u32::MAX, |f| {
                    u32::from((f.style != fontdb::Style::Normal) != italic) * 1000
                        + u32::from(f.weight.0.abs_diff(weight))
                })
            });
            if let Some(id) = best.filter(|id| !picked.contains(id)) {
                picked.push(id);
            }
        }
        let faces: Vec<Arc<Face>> = picked
            .into_iter()
            .filter_map(|id| self.read_face(id))
            .collect();
        loaded.insert(family.to_string(), faces.clone());
        faces
    }

    fn read_face(&self, id: fontdb::ID) -> Option<Arc<Face>> {
        let info = self.db.face(id)?;
        let fontdb::Source::File(path) = &info.source else {
            return None;
        };
        let data = read_file(path)?;
        Face::load_any(data, info.index, &path.display().to_string())
            .ok()
            .map(Arc::new)
    }
}

/// A font file's bytes, read once per process and shared by its faces.
fn read_file(path: &Path) -> Option<FontBytes> {
    static FILES: OnceLock<Mutex<HashMap<PathBuf, FontBytes>>> = OnceLock::new();
    let files = FILES.get_or_init(Default::default);
    let mut files = files.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(data) = files.get(path) {
        return Some(Arc::clone(data));
    }
    let data: FontBytes = Arc::new(std::fs::read(path).ok()?);
    files.insert(path.to_path_buf(), Arc::clone(&data));
    Some(data)
}

/// Loads the fallback fonts the user names: font files, or folders whose
/// `.ttf`, `.otf` and `.ttc` files are taken in name order.
pub fn load_files(paths: &[PathBuf]) -> Result<Vec<Arc<Face>>, super::fonts::FontError> {
    use super::fonts::FontError;
    let mut faces = Vec::new();
    for path in paths {
        let files = if path.is_dir() {
            super::fonts::font_paths(path).map_err(|_| FontError::NoFonts(path.clone()))?
        } else {
            vec![path.clone()]
        };
        for file in files {
            let data = std::fs::read(&file)
                .map_err(|e| FontError::Unreadable(file.clone(), e.to_string()))?;
            let data: FontBytes = Arc::new(data);
            let count = read_fonts::FileRef::new((*data).as_ref())
                .map(|f| f.fonts().count() as u32)
                .unwrap_or(1);
            // A single face may be packed whole into an e-book, so its
            // outlines are read now. A collection's faces never are (the
            // e-book leaves them to the reader's fonts, the PDF writer
            // reads the outlines it uses), and reading all of Noto Serif
            // CJK's would take 1.5 s.
            let single = read_fonts::FontRef::new((*data).as_ref()).is_ok();
            for index in 0..count.max(1) {
                let face = Face::load_any(Arc::clone(&data), index, &file.display().to_string())?;
                if single {
                    face.check_outlines()?;
                }
                faces.push(Arc::new(face));
            }
        }
    }
    Ok(faces)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::fonts::Role;

    #[test]
    fn a_named_fallback_font_with_damaged_outlines_is_refused() {
        use crate::layout::fonts::{BUILTIN, FontError, damaged_outlines};
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("Damaged.ttf");
        std::fs::write(&file, damaged_outlines(BUILTIN[0].1)).unwrap();
        match load_files(std::slice::from_ref(&file)) {
            Err(FontError::Malformed(source, why)) => {
                assert_eq!(source, file.display().to_string());
                assert!(why.starts_with("the outline of glyph "), "{why}");
            }
            other => panic!("{:?}", other.err()),
        }
        std::fs::write(&file, BUILTIN[0].1).unwrap();
        assert_eq!(load_files(&[file]).unwrap().len(), 1);
    }

    fn offline() -> FontSet {
        let mut fonts = FontSet::builtin();
        fonts.sources.system = false;
        fonts
    }

    #[test]
    fn latin_text_loads_nothing() {
        let fonts = offline();
        let chars: BTreeSet<char> = "Lenin’s “April Theses” — 1917 ₽ € ≤ ≠ ∞ Łódź İstanbul Việt"
            .chars()
            .collect();
        assert!(matches!(extend(&fonts, &chars), Cow::Borrowed(_)));
    }

    #[test]
    fn bundled_faces_cover_arabic_hebrew_devanagari_and_a_box_stands_in_for_the_rest() {
        let fonts = offline();
        let chars: BTreeSet<char> = "سلام שלום नमस्ते ♔ 全🏽".chars().collect();
        let extended = extend(&fonts, &chars);
        for c in "سلامשלוםनमस्ते♔".chars() {
            let face = extended.fallback_for(c, Role::Regular, None);
            assert!(face.is_some(), "{c} has no face");
        }
        assert!(!extended.covers('全') && !extended.covers('🏽'));
        let (face, glyph) = extended.placeholder().expect("a box");
        assert_ne!(glyph, 0, "never .notdef");
        assert_eq!(extended.face(face).glyph(PLACEHOLDER), Some(glyph));
    }

    #[test]
    fn the_warning_names_the_character_and_a_font_to_install() {
        let d = missing_warning(Path::new("a.md"), Span::new(3, 9), '👍');
        let text = d.to_string();
        assert!(
            text.starts_with(
                "a.md:3:9: warning: U+1F44D THUMBS UP SIGN (👍) is in no available font; printed as a box"
            ),
            "{text}"
        );
        assert!(text.contains("fonts-noto-color-emoji"), "{text}");
        assert!(font_hint('全').contains("fonts-noto-cjk"));
        assert!(font_hint('ა').contains("Noto Sans Georgian"));
    }

    #[test]
    fn regions_follow_the_language() {
        assert_eq!(cjk_region("ja"), Some("JP"));
        assert_eq!(cjk_region("zh-Hans"), Some("SC"));
        assert_eq!(cjk_region("zh-Hant-TW"), Some("TC"));
        assert_eq!(cjk_region("ko-KR"), Some("KR"));
        assert_eq!(cjk_region("en"), None);
    }
}
