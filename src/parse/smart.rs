//! Smart punctuation for front-matter strings (titles, standfirsts,
//! captions), matching what pulldown-cmark does for the body: straight quotes
//! become curly, `--` an en dash, `---` an em dash, `...` an ellipsis.

/// Typographic punctuation for plain text.
pub fn smarten(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = if i == 0 { None } else { Some(chars[i - 1]) };
        let next = chars.get(i + 1).copied();
        match c {
            '-' if next == Some('-') => {
                if chars.get(i + 2) == Some(&'-') {
                    out.push('—');
                    i += 3;
                } else {
                    out.push('–');
                    i += 2;
                }
                continue;
            }
            '.' if next == Some('.') && chars.get(i + 2) == Some(&'.') => {
                out.push('…');
                i += 3;
                continue;
            }
            '"' => out.push(if opens(prev) { '“' } else { '”' }),
            '\'' => {
                let between_letters = prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric);
                out.push(if !between_letters && opens(prev) {
                    '‘'
                } else {
                    '’'
                });
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// A quote opens when it starts the text or follows a space, an opening
/// bracket, a dash or another opening quote.
fn opens(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(p) => p.is_whitespace() || matches!(p, '(' | '[' | '{' | '—' | '–' | '“' | '‘' | '/'),
    }
}

#[cfg(test)]
mod tests {
    use super::smarten;

    #[test]
    fn curls_quotes_and_dashes() {
        assert_eq!(
            smarten(
                r#"How Lenin won the party's "loyal opposition" -- then... 1917---and 'after'"#
            ),
            "How Lenin won the party’s “loyal opposition” – then… 1917—and ‘after’"
        );
        assert_eq!(smarten("'90s"), "‘90s");
        assert_eq!(smarten("workers' power"), "workers’ power");
        assert_eq!(smarten("already “curly”"), "already “curly”");
    }
}
