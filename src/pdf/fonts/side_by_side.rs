//! Making a document's font programs side by side: subsetting and
//! compressing its faces is a fifth of a lone article's render.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Face, PdfError, Program};

/// Each face's [`Face::program_to_embed`], in order. Where two faces or
/// more subset their fonts afresh (the command line's documents; not the
/// server's, whose faces draw on presets made once, and whose renders
/// already keep every core busy in a burst), a second thread makes
/// programs beside this one, each thread taking the next face not yet
/// taken. A scoped thread of its own, not rayon's pool: a lone article's
/// process starts no pool, and starting one costs more than this thread.
pub(in crate::pdf) fn programs(faces: &[&Face]) -> Vec<Option<Result<Program, PdfError>>> {
    let afresh = |f: &&&Face| f.is_used() && !f.bitmap && f.preset.is_none();
    if faces.iter().filter(afresh).count() < 2 {
        return faces.iter().map(|f| f.program_to_embed()).collect();
    }
    let next = AtomicUsize::new(0);
    // The faces one thread took, by index, and their programs.
    let take = || {
        let mut taken = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(face) = faces.get(i) else {
                return taken;
            };
            taken.push((i, face.program_to_embed()));
        }
    };
    let (here, there) = std::thread::scope(|scope| {
        let helper = std::thread::Builder::new().spawn_scoped(scope, take);
        let here = take();
        let there = match helper {
            Ok(helper) => helper
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread to be had: this one took every face.
            Err(_) => Vec::new(),
        };
        (here, there)
    });
    let mut programs: Vec<_> = faces.iter().map(|_| None).collect();
    for (i, program) in here.into_iter().chain(there) {
        programs[i] = program;
    }
    programs
}

#[cfg(test)]
mod tests {
    use pdf_writer::Ref;
    use skrifa::MetadataProvider;

    use super::super::tests::gentium;
    use super::*;

    /// A face of Gentium drawing the glyphs of `text`, used by a page.
    fn drawing(text: &str) -> Face {
        let font = gentium();
        let charmap = skrifa::FontRef::new(font.data.as_ref().as_ref())
            .expect("a font")
            .charmap();
        let mut face = Face::new(&font).expect("face");
        for c in text.chars() {
            face.cid(charmap.map(c).expect("mapped").to_u32() as u16);
        }
        face.set_reference(0, Ref::new(1));
        face
    }

    #[test]
    fn programs_made_side_by_side_are_those_made_one_after_another() {
        let faces = [
            drawing("The quick brown fox"),
            Face::new(&gentium()).expect("an unused face"),
            drawing("jumps over"),
            drawing("the lazy dog: 0123456789"),
            drawing("Żółć"),
        ];
        let faces: Vec<&Face> = faces.iter().collect();
        let made = programs(&faces);
        assert_eq!(made.len(), faces.len());
        for (face, made) in faces.iter().zip(made) {
            let alone = face.program_to_embed();
            match (made, alone) {
                (None, None) => assert!(!face.is_used()),
                (Some(Ok(made)), Some(Ok(alone))) => {
                    assert_eq!(made.tag, alone.tag);
                    assert_eq!(made.packed, alone.packed);
                    assert_eq!(made.length, alone.length);
                    assert!(!made.packed.is_empty());
                }
                _ => panic!("made side by side and alone differ"),
            }
        }
    }
}
