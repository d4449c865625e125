//! `iskra new`: a series folder with its `series.toml`, and the next
//! article of a series — the file named from the title, with the next
//! part number, today's date (or `SOURCE_DATE_EPOCH`'s) and the keys the
//! format requires, so that `iskra check` accepts it as it is.

use std::io::Write;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::model::{Date, Timestamp};
use crate::parse::images::ImageLoader;

/// Why nothing was written.
#[derive(Debug, Error)]
pub enum ScaffoldError {
    /// The file to write is there already.
    #[error("{0} already exists; nothing was written")]
    Exists(PathBuf),
    /// The series folder is not there.
    #[error("{0} is not a folder; start one with `iskra new series {0} --title \"…\"`")]
    NoFolder(PathBuf),
    /// The title gives no letters or digits to name the file with.
    #[error("the title `{0}` has no letters or digits to name the file with")]
    EmptyTitle(String),
    /// `SOURCE_DATE_EPOCH` is not a usable number of seconds.
    #[error("SOURCE_DATE_EPOCH `{0}` is not a number of seconds since 1970")]
    BadEpoch(String),
    /// The file system refused.
    #[error("cannot write {0}: {1}")]
    Io(PathBuf, std::io::Error),
}

/// What `series.toml` starts with.
#[derive(Clone, Debug)]
pub struct SeriesFields {
    /// The series' title.
    pub title: String,
    /// A line under the title.
    pub subtitle: Option<String>,
    /// Who publishes it.
    pub publisher: Option<String>,
    /// BCP 47 language tag.
    pub language: String,
}

/// Makes `dir` (and its parents) and writes its `series.toml`; the file
/// written.
pub fn new_series(dir: &Path, fields: &SeriesFields) -> Result<PathBuf, ScaffoldError> {
    let path = dir.join("series.toml");
    std::fs::create_dir_all(dir).map_err(|e| ScaffoldError::Io(dir.to_path_buf(), e))?;
    let mut text = format!("title = {}\n", toml_string(&fields.title));
    if let Some(subtitle) = &fields.subtitle {
        text.push_str(&format!("subtitle = {}\n", toml_string(subtitle)));
    }
    if let Some(publisher) = &fields.publisher {
        text.push_str(&format!("publisher = {}\n", toml_string(publisher)));
    }
    text.push_str(&format!("language = {}\n", toml_string(&fields.language)));
    text.push_str(
        "\n# Print settings (every key optional); the command line wins.\n\
         [print]\n\
         # page-size = \"a5\"\n\
         # openings = \"right\"\n",
    );
    write_new(&path, &text)?;
    Ok(path)
}

/// Writes the next article of the series in `dir`; the file written.
pub fn new_article(
    dir: &Path,
    title: &str,
    author: Option<&str>,
) -> Result<PathBuf, ScaffoldError> {
    if !dir.is_dir() {
        return Err(ScaffoldError::NoFolder(dir.to_path_buf()));
    }
    let slug = slug(title);
    if slug.is_empty() {
        return Err(ScaffoldError::EmptyTitle(title.to_string()));
    }
    let part = last_part(dir) + 1;
    let date = today()?;
    let path = dir.join(format!("{part:02}-{slug}.md"));
    let series = dir
        .canonicalize()
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let mut text = String::from("---\n");
    text.push_str(&format!("title: {}\n", yaml_string(title)));
    text.push_str(&format!("date: {date}\n"));
    if let Some(author) = author {
        text.push_str(&format!("author: {}\n", yaml_string(author)));
    }
    if !series.is_empty() {
        text.push_str(&format!("series: {}\n", yaml_string(&series)));
    }
    text.push_str(&format!("part: {part}\n"));
    text.push_str(
        "# standfirst: One or two sentences that sell the article.\n\
         # image: images/lead.jpg\n\
         # caption: What the lead image shows.\n\
         # tags: [one, two]\n\
         ---\n\n\
         The first paragraph of the article.\n",
    );
    write_new(&path, &text)?;
    Ok(path)
}

/// The highest `part` among the series' articles that parse (0 if none).
fn last_part(dir: &Path) -> u32 {
    let loader = ImageLoader::new(dir);
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| crate::parse::is_article_file(path))
        .filter_map(|path| crate::parse::parse_article(&path, &loader).0)
        .filter_map(|article| article.meta.part)
        .max()
        .unwrap_or(0)
}

/// `SOURCE_DATE_EPOCH`'s day if set, else today's (UTC).
fn today() -> Result<Date, ScaffoldError> {
    if let Some(stamp) = Timestamp::source_date_epoch().map_err(ScaffoldError::BadEpoch)? {
        return Ok(stamp.date);
    }
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Ok(
        Date::from_days_since_epoch((seconds / 86_400) as i64).unwrap_or(Date {
            year: 1970,
            month: 1,
            day: 1,
        }),
    )
}

/// A file name from a title: lower-case letters and digits, words joined
/// by hyphens, at most 60 characters ("Lenin’s April Theses" →
/// "lenins-april-theses").
pub fn slug(title: &str) -> String {
    let mut slug = String::new();
    let mut gap = false;
    for c in title.chars() {
        if c.is_alphanumeric() {
            if gap && !slug.is_empty() {
                slug.push('-');
            }
            gap = false;
            slug.extend(c.to_lowercase());
        } else if !matches!(c, '\'' | '’' | '‘') {
            gap = true;
        }
        if slug.chars().count() >= 60 {
            break;
        }
    }
    slug
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// A YAML double-quoted string (JSON's escapes are YAML's).
fn yaml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes `text` to `path`, which must not exist yet.
fn write_new(path: &Path, text: &str) -> Result<(), ScaffoldError> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => ScaffoldError::Exists(path.to_path_buf()),
            _ => ScaffoldError::Io(path.to_path_buf(), e),
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| ScaffoldError::Io(path.to_path_buf(), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_letters_and_digits() {
        assert_eq!(slug("Lenin’s April Theses"), "lenins-april-theses");
        assert_eq!(
            slug("  1917: “All power to the soviets!” "),
            "1917-all-power-to-the-soviets"
        );
        assert_eq!(slug("Кто такие большевики?"), "кто-такие-большевики");
        assert_eq!(slug("?!"), "");
    }

    #[test]
    fn strings_are_quoted_for_their_format() {
        assert_eq!(
            yaml_string("A \"quote\" \\ here"),
            r#""A \"quote\" \\ here""#
        );
        for title in ["A \"b\"", "It's \\ 'odd'", "Line\nbreak"] {
            let table: toml::Table =
                toml::from_str(&format!("title = {}", toml_string(title))).expect("valid TOML");
            assert_eq!(table["title"].as_str(), Some(title));
        }
    }
}
