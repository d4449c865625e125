//! Passages in another language: `[Вся власть Советам!]{lang=ru}`, the
//! bracketed span with an attribute that pandoc and djot users know.
//! CommonMark has no such syntax, so pulldown-cmark hands the brackets
//! over as text; this pass finds them among a run of inlines and wraps
//! what they enclose (text, emphasis, links) in [`Inline::Lang`].

use crate::model::Inline;

/// `inlines` with each `[…]{lang=xx}` made a language span. Text without
/// `]{` (nearly all) is returned as it is.
pub fn apply(inlines: Vec<Inline>) -> Vec<Inline> {
    let marked = inlines
        .iter()
        .any(|i| matches!(i, Inline::Text(t) if t.contains("]{")));
    if !marked {
        return inlines;
    }
    let mut out: Vec<Inline> = Vec::new();
    // Where the innermost open `[` is: index in `out`, byte in that text.
    let mut opens: Vec<(usize, usize)> = Vec::new();
    for inline in inlines {
        let Inline::Text(mut text) = inline else {
            out.push(inline);
            continue;
        };
        loop {
            let close = text.find("]{").and_then(|at| {
                let (lang, len) = attribute(&text[at + 2..])?;
                Some((at, lang, at + 2 + len))
            });
            let open_here = text.find('[');
            match close {
                Some((at, lang, end)) if open_here.is_none_or(|o| o > at) => {
                    let Some((item, byte)) = opens.pop() else {
                        // A `]{lang=…}` with no `[`: kept as written.
                        out.push(Inline::Text(text[..end].to_string()));
                        text = text[end..].to_string();
                        continue;
                    };
                    let mut content = out.split_off(item);
                    if let Some(Inline::Text(first)) = content.first_mut() {
                        let before = first[..byte].to_string();
                        *first = first[byte + 1..].to_string();
                        if !before.is_empty() {
                            out.push(Inline::Text(before));
                        }
                    }
                    if !text[..at].is_empty() {
                        content.push(Inline::Text(text[..at].to_string()));
                    }
                    content.retain(|i| !matches!(i, Inline::Text(t) if t.is_empty()));
                    out.push(Inline::Lang { lang, content });
                    text = text[end..].to_string();
                }
                _ => match open_here {
                    Some(o) => {
                        // Everything up to the `[` is plain; the `[` starts
                        // a new text item so that a span can begin there.
                        if o > 0 {
                            out.push(Inline::Text(text[..o].to_string()));
                        }
                        opens.push((out.len(), 0));
                        out.push(Inline::Text(text[o..o + 1].to_string()));
                        text = text[o + 1..].to_string();
                        if let Some(Inline::Text(bracket)) = out.last_mut()
                            && !text.contains('[')
                            && !text.contains("]{")
                        {
                            bracket.push_str(&text);
                            text.clear();
                        }
                    }
                    None => {
                        if !text.is_empty() {
                            out.push(Inline::Text(text));
                        }
                        break;
                    }
                },
            }
            if text.is_empty() {
                break;
            }
        }
    }
    merge_texts(out)
}

/// The language of an attribute block `lang=ru}` (the `{` already read),
/// quoted or not, and the bytes it takes with its `}`.
fn attribute(after: &str) -> Option<(String, usize)> {
    let end = after.find('}')?;
    let inside = after[..end].trim();
    let value = inside.strip_prefix("lang=")?;
    let value = value.trim_matches(['"', '\'', '“', '”', '‘', '’']);
    crate::parse::front_matter::is_language_tag(value).then(|| (value.to_string(), end + 1))
}

/// Joins neighbouring text items again.
fn merge_texts(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    for inline in inlines {
        match (out.last_mut(), inline) {
            (Some(Inline::Text(last)), Inline::Text(text)) => last.push_str(&text),
            (_, Inline::Text(text)) if text.is_empty() => {}
            (_, other) => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    #[test]
    fn a_bracketed_span_with_a_language_becomes_a_lang_inline() {
        let out = apply(vec![text(
            "From Moscow [Вся власть Советам!]{lang=ru}, and more.",
        )]);
        assert_eq!(
            out,
            [
                text("From Moscow "),
                Inline::Lang {
                    lang: "ru".into(),
                    content: vec![text("Вся власть Советам!")]
                },
                text(", and more.")
            ]
        );
    }

    #[test]
    fn spans_may_hold_emphasis_and_quotes_may_wrap_the_tag() {
        let out = apply(vec![
            text("a ["),
            Inline::Emph(vec![text("Solidarność")]),
            text(" z nami]{lang=“pl”} b"),
        ]);
        assert_eq!(
            out,
            [
                text("a "),
                Inline::Lang {
                    lang: "pl".into(),
                    content: vec![Inline::Emph(vec![text("Solidarność")]), text(" z nami")]
                },
                text(" b")
            ]
        );
    }

    #[test]
    fn brackets_without_a_language_are_text() {
        for plain in [
            "[sic] and {x}",
            "a]{lang=ru} b",
            "[x]{lang=not a tag}",
            "[x]{class=y}",
        ] {
            assert_eq!(apply(vec![text(plain)]), [text(plain)], "{plain}");
        }
        let two = apply(vec![text("[a]{lang=ar} and [b]{lang=he}")]);
        assert_eq!(two.len(), 3, "{two:?}");
    }
}
