//! Hyphenation points from TeX's Liang patterns (the `hyphenation` crate,
//! every language embedded), chosen by the article's language, with the
//! book's minimum of letters before and after a break (three and three by
//! default, as book typography asks; TeX's own are two and three).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

use hyphenation::{Hyphenator as _, Language, Load, Standard};
use unicode_script::{Script, UnicodeScript};

/// A hash map with a fast hasher, for caches keyed by words: nothing
/// iterates them, so their order cannot reach the output.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

/// Every point the patterns give each run of letters met in a language.
type RunPoints = FastMap<Box<str>, Vec<usize>>;

/// Fewest letters a hyphen may leave before and after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HyphenMin {
    /// Letters left on the line before the hyphen.
    pub left: usize,
    /// Letters carried to the next line.
    pub right: usize,
}

impl Default for HyphenMin {
    /// Three and three: no "re-" or "-ed" fragments.
    fn default() -> HyphenMin {
        HyphenMin { left: 3, right: 3 }
    }
}

/// Finds hyphenation points, loading each language's patterns once.
#[derive(Default)]
pub struct Hyphenator {
    /// The patterns by language tag, each asked for once: a book has a
    /// language or two, found faster in a list than hashed.
    dictionaries: Vec<(String, Option<Arc<Standard>>)>,
    /// Every point the patterns give, by language and run of letters
    /// (minimums are applied on the way out).
    cache: Vec<(String, RunPoints)>,
    /// The answers of [`Hyphenator::word_points`], by language, minimums
    /// and word: a paragraph set again (to balance it, or to fit a page)
    /// asks for the same words again, and a common word comes back on
    /// every page.
    words: Vec<WordPoints>,
    /// The words' points found by the hyphenators working beside this
    /// one, if any.
    shared: Option<Arc<SharedPoints>>,
}

/// Break points found by any of the hyphenators that lay out one book
/// side by side (one a thread): a hyphenator asks here for a word its own
/// cache lacks before it looks the word up in the patterns, and adds what
/// it finds, so that a book looks each word up once, not once a thread.
/// The points are the same whoever found them.
#[derive(Default)]
pub struct SharedPoints(Mutex<SharedWordPoints>);

#[derive(Default)]
struct SharedWordPoints {
    words: Vec<WordPoints>,
    /// Number of words held, kept below [`MAX_SHARED_WORDS`].
    count: usize,
}

/// Words a [`SharedPoints`] holds at most: past them, hyphenators keep
/// what they find to themselves, so that a book of unique words cannot
/// grow it without limit.
const MAX_SHARED_WORDS: usize = 200_000;

/// The break points of the words met in one language at one setting of
/// the minimums.
struct WordPoints {
    lang: String,
    min: HyphenMin,
    points: FastMap<Box<str>, Box<[usize]>>,
}

impl Hyphenator {
    /// A hyphenator with nothing loaded yet.
    pub fn new() -> Hyphenator {
        Hyphenator::default()
    }

    /// A hyphenator with nothing loaded yet that draws on, and adds to,
    /// `shared`.
    pub fn sharing(shared: &Arc<SharedPoints>) -> Hyphenator {
        Hyphenator {
            shared: Some(Arc::clone(shared)),
            ..Hyphenator::default()
        }
    }

    /// Number of runs of letters and words whose points are remembered.
    pub fn cached_words(&self) -> usize {
        let runs: usize = self.cache.iter().map(|(_, runs)| runs.len()).sum();
        let words: usize = self.words.iter().map(|w| w.points.len()).sum();
        runs + words
    }

    /// Forgets the words' points (keeping the patterns), to bound the
    /// memory a long-running process gives them.
    pub fn forget_words(&mut self) {
        self.cache.clear();
        self.words.clear();
    }

    /// True when patterns exist for the BCP 47 tag `lang`.
    pub fn supports(&mut self, lang: &str) -> bool {
        self.dictionary(lang).is_some()
    }

    /// Byte offsets in `word` where it may be broken with a hyphen, leaving
    /// at least `min` letters on each side. `word` is a run of letters;
    /// capitalised words are hyphenated (the line breaker takes their
    /// points only as a last resort), words in capitals (acronyms) are not.
    pub fn points(&mut self, lang: &str, word: &str, min: HyphenMin) -> Vec<usize> {
        let letters = word.chars().count();
        if letters < min.left + min.right
            || !word.chars().all(char::is_alphabetic)
            || word.chars().all(|c| !c.is_lowercase())
        {
            return Vec::new();
        }
        let keep = |points: &[usize]| -> Vec<usize> {
            points
                .iter()
                .copied()
                .filter(|&at| {
                    let before = word[..at].chars().count();
                    before >= min.left && letters - before >= min.right
                })
                .collect()
        };
        let runs = self.runs(lang);
        if let Some(points) = self.cache[runs].1.get(word) {
            return keep(points);
        }
        let points = match self.dictionary(lang) {
            Some(dictionary) => {
                let lower = word.to_lowercase();
                if lower.len() != word.len() {
                    Vec::new() // case folding changed lengths: offsets would not match
                } else {
                    dictionary.hyphenate(&lower).breaks
                }
            }
            None => Vec::new(),
        };
        let kept = keep(&points);
        self.cache[runs].1.insert(word.into(), points);
        kept
    }

    /// The number of the table of runs of letters in `lang`, made if new.
    fn runs(&mut self, lang: &str) -> usize {
        if let Some(at) = self.cache.iter().position(|(tag, _)| tag == lang) {
            return at;
        }
        self.cache.push((lang.to_string(), FastMap::default()));
        self.cache.len() - 1
    }

    /// Byte offsets in `word`, a run of text without spaces, where it may
    /// be broken with a hyphen: the points of each run of letters of a
    /// script with patterns (Latin, Greek, Cyrillic, Armenian, Georgian),
    /// and none in a URL or in a compound that has its own hyphen (which
    /// breaks only there, as in TeX and Chicago 7.42). The print layout
    /// and the e-book's soft hyphens both ask this, so they agree.
    pub fn word_points(&mut self, lang: &str, word: &str, min: HyphenMin) -> Vec<usize> {
        if word.len() < min.left + min.right {
            // Fewer bytes than the minimums' letters: no run of letters in
            // it is long enough to break, and nothing is worth keeping.
            return Vec::new();
        }
        let known = WordPoints::table(&mut self.words, lang, min);
        if let Some(points) = known.get(word) {
            return points.to_vec();
        }
        let points: Box<[usize]> = match self.shared_points(lang, word, min) {
            Some(points) => points,
            None => {
                let points: Box<[usize]> = self.find_word_points(lang, word, min).into();
                self.share(lang, word, min, &points);
                points
            }
        };
        let found = points.to_vec();
        WordPoints::table(&mut self.words, lang, min).insert(word.into(), points);
        found
    }

    /// The word's points as a hyphenator beside this one found them.
    fn shared_points(&self, lang: &str, word: &str, min: HyphenMin) -> Option<Box<[usize]>> {
        let mut shared = self.shared.as_ref()?.words();
        WordPoints::table(&mut shared.words, lang, min)
            .get(word)
            .cloned()
    }

    /// Offers a word's points to the hyphenators beside this one.
    fn share(&self, lang: &str, word: &str, min: HyphenMin, points: &[usize]) {
        let Some(shared) = &self.shared else {
            return;
        };
        let mut shared = shared.words();
        if shared.count >= MAX_SHARED_WORDS {
            return;
        }
        shared.count += 1;
        WordPoints::table(&mut shared.words, lang, min).insert(word.into(), points.into());
    }

    /// [`Hyphenator::word_points`] without its cache of words.
    fn find_word_points(&mut self, lang: &str, word: &str, min: HyphenMin) -> Vec<usize> {
        // A colon first: a search for "://" costs more to set up than a
        // short word takes to scan.
        let url = (word.contains(':') && word.contains("://")) || word.starts_with("www.");
        if url || word.contains(['-', '\u{2010}']) {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut start = None;
        for (i, c) in word
            .char_indices()
            .chain(std::iter::once((word.len(), ' ')))
        {
            if is_hyphenatable(c) {
                start.get_or_insert(i);
            } else if let Some(from) = start.take() {
                out.extend(
                    self.points(lang, &word[from..i], min)
                        .into_iter()
                        .map(|p| from + p),
                );
            }
        }
        out
    }

    fn dictionary(&mut self, lang: &str) -> Option<&Standard> {
        let known = self.dictionaries.iter().position(|(tag, _)| tag == lang);
        let at = known.unwrap_or_else(|| {
            self.dictionaries
                .push((lang.to_string(), shared_dictionary(lang)));
            self.dictionaries.len() - 1
        });
        self.dictionaries[at].1.as_deref()
    }
}

impl SharedPoints {
    fn words(&self) -> std::sync::MutexGuard<'_, SharedWordPoints> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl WordPoints {
    /// The words' points in `lang` at `min`, added empty if new.
    fn table<'a>(
        tables: &'a mut Vec<WordPoints>,
        lang: &str,
        min: HyphenMin,
    ) -> &'a mut FastMap<Box<str>, Box<[usize]>> {
        let known = tables.iter().position(|w| w.min == min && w.lang == lang);
        let at = known.unwrap_or_else(|| {
            tables.push(WordPoints {
                lang: lang.to_string(),
                min,
                points: FastMap::default(),
            });
            tables.len() - 1
        });
        &mut tables[at].points
    }
}

/// Letters of the scripts that hyphenation patterns exist for; others
/// (CJK, Arabic, Hebrew, Indic scripts) are never hyphenated.
fn is_hyphenatable(c: char) -> bool {
    c.is_ascii_alphabetic()
        || (c.is_alphabetic()
            && matches!(
                c.script(),
                Script::Latin
                    | Script::Greek
                    | Script::Cyrillic
                    | Script::Armenian
                    | Script::Georgian
            ))
}

/// Loads the patterns for `lang` on a thread of its own, for a process
/// that will hyphenate in `lang` soon but has other work first (`iskra
/// pdf` of one article parses, loads its fonts and shapes its title
/// before it breaks a line): a hyphenator that asks for them meanwhile
/// waits for this load rather than starting its own, and gets the same
/// patterns either way. The thread may be left to finish on its own.
pub fn load_in_background(lang: &str) -> std::thread::JoinHandle<()> {
    let lang = lang.to_string();
    std::thread::spawn(move || {
        shared_dictionary(&lang);
    })
}

/// Patterns loaded so far, by tag: each language is loaded once per
/// process, however many hyphenators (one per layout thread) ask.
static DICTIONARIES: Mutex<BTreeMap<String, Option<Arc<Standard>>>> = Mutex::new(BTreeMap::new());

fn shared_dictionary(lang: &str) -> Option<Arc<Standard>> {
    let mut loaded = DICTIONARIES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    loaded
        .entry(lang.to_string())
        .or_insert_with(|| {
            patterns_for(lang).and_then(|language| {
                // Every point the patterns allow: the book's minimums are
                // applied per call.
                let mut dictionary = Standard::from_embedded(language).ok()?;
                dictionary.minima = (1, 1);
                Some(Arc::new(dictionary))
            })
        })
        .clone()
}

/// The pattern set for a BCP 47 tag: its own, or the usual one for the
/// bare language (`en` → US English, `de` → reformed German).
fn patterns_for(tag: &str) -> Option<Language> {
    let lower = tag.to_ascii_lowercase();
    if let Some(language) = Language::try_from_code(&lower) {
        return Some(language);
    }
    let primary = lower.split('-').next().unwrap_or("");
    let usual = match (primary, lower.as_str()) {
        ("en", "en-gb" | "en-au" | "en-nz" | "en-ie" | "en-za" | "en-in") => "en-gb",
        ("en", _) => "en-us",
        ("de", _) => "de-1996",
        ("no", _) => "nb",
        ("el", _) => "el-monoton",
        ("sr", _) => "sr-cyrl",
        ("mn", _) => "mn-cyrl",
        ("zh", _) => "zh-latn-pinyin",
        (other, _) => other,
    };
    Language::try_from_code(usual)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hyphenated(h: &mut Hyphenator, lang: &str, word: &str, min: HyphenMin) -> String {
        let points = h.points(lang, word, min);
        let mut out = String::new();
        let mut last = 0;
        for p in points {
            out.push_str(&word[last..p]);
            out.push('-');
            last = p;
        }
        out.push_str(&word[last..]);
        out
    }

    const TEX: HyphenMin = HyphenMin { left: 2, right: 3 };

    #[test]
    fn english_and_russian() {
        let mut h = Hyphenator::new();
        assert_eq!(
            hyphenated(&mut h, "en", "revolutionary", TEX),
            "rev-o-lu-tion-ary"
        );
        assert_eq!(hyphenated(&mut h, "en-US", "Bolshevik", TEX), "Bol-she-vik");
        assert_eq!(
            hyphenated(&mut h, "ru", "революционный", TEX),
            "ре-во-лю-ци-он-ный"
        );
        assert!(h.supports("en-GB"));
    }

    #[test]
    fn the_book_minimums_leave_three_letters_on_each_side() {
        let mut h = Hyphenator::new();
        let book = HyphenMin::default();
        assert_eq!(book, HyphenMin { left: 3, right: 3 });
        assert_eq!(
            hyphenated(&mut h, "en", "revolutionary", book),
            "rev-o-lu-tion-ary"
        );
        // TeX's two letters allow "be-"; three do not.
        assert_eq!(hyphenated(&mut h, "en", "became", TEX), "be-came");
        assert_eq!(hyphenated(&mut h, "en", "became", book), "became");
        let wide = HyphenMin { left: 4, right: 4 };
        assert_eq!(
            hyphenated(&mut h, "en", "revolutionary", wide),
            "revo-lu-tionary"
        );
    }

    #[test]
    fn words_break_in_their_runs_of_letters_but_not_urls_or_compounds() {
        let mut h = Hyphenator::new();
        let word = "“revolutionary”,";
        let points = h.word_points("en", word, TEX);
        let start = "“".len();
        assert_eq!(
            points,
            h.points("en", "revolutionary", TEX)
                .iter()
                .map(|p| start + p)
                .collect::<Vec<_>>()
        );
        assert!(h.word_points("en", "anti-imperialist", TEX).is_empty());
        assert!(
            h.word_points("en", "https://socialistworker.co.uk", TEX)
                .is_empty()
        );
        assert!(h.word_points("en", "www.marxists.org", TEX).is_empty());
    }

    #[test]
    fn a_word_asked_again_or_beside_gets_the_same_points() {
        let shared = Arc::new(SharedPoints::default());
        let mut first = Hyphenator::sharing(&shared);
        let mut second = Hyphenator::sharing(&shared);
        let book = HyphenMin::default();
        let word = "“revolutionary”,";
        let fresh = Hyphenator::new().word_points("en", word, book);
        assert!(!fresh.is_empty());
        assert_eq!(first.word_points("en", word, book), fresh);
        assert_eq!(first.word_points("en", word, book), fresh);
        // The second takes the first's answer, with no patterns loaded.
        assert_eq!(second.word_points("en", word, book), fresh);
        assert!(second.dictionaries.is_empty());
        // Other minimums and languages are other questions.
        let tex = second.word_points("en", word, TEX);
        assert_eq!(tex, Hyphenator::new().word_points("en", word, TEX));
        assert!(second.word_points("xx", word, book).is_empty());
        second.forget_words();
        assert_eq!(second.cached_words(), 0);
    }

    #[test]
    fn patterns_loaded_in_the_background_are_those_a_hyphenator_uses() {
        // A tag no other test asks for, so that this thread loads it.
        let tag = "en-NZ";
        load_in_background(tag).join().unwrap();
        let loaded = DICTIONARIES
            .lock()
            .unwrap()
            .get(tag)
            .cloned()
            .flatten()
            .expect("loaded");
        let mut h = Hyphenator::new();
        assert!(h.supports(tag));
        // The hyphenator takes the patterns already loaded, not a copy.
        assert!(std::ptr::eq(h.dictionary(tag).unwrap(), &*loaded));
        assert_eq!(
            hyphenated(&mut h, tag, "revolutionary", TEX),
            hyphenated(&mut Hyphenator::new(), "en-GB", "revolutionary", TEX)
        );
        // A tag without patterns is remembered as such.
        load_in_background("xx-unknown").join().unwrap();
        assert!(matches!(
            DICTIONARIES.lock().unwrap().get("xx-unknown"),
            Some(None)
        ));
    }

    #[test]
    fn respects_minimums_and_skips_acronyms() {
        let mut h = Hyphenator::new();
        for word in ["argued", "represented", "imperialist"] {
            let points = h.points("en", word, TEX);
            assert!(
                points.iter().all(|&p| p >= 2 && word.len() - p >= 3),
                "{word}: {points:?}"
            );
        }
        assert!(h.points("en", "NATO", TEX).is_empty());
        assert!(h.points("en", "USSR", TEX).is_empty());
        assert!(h.points("en", "war", TEX).is_empty());
        assert!(h.points("xx", "revolutionary", TEX).is_empty());
    }
}
