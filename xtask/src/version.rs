//! The generated crate's version: the `version = "…"` line of
//! `service.toml`, and the `CHANGELOG.md` next to the generated crate.
//! Text in, text out; the callers read and write the files.

/// `service.toml` with its top-level `version` value replaced and every
/// other byte kept; `None` if it has no such line.
pub fn set_version(service_toml: &str, version: &str) -> Option<String> {
    let mut out = String::with_capacity(service_toml.len());
    let mut done = false;
    let mut top_level = true;
    for line in service_toml.split_inclusive('\n') {
        let trimmed = line.trim_start();
        top_level &= !trimmed.starts_with('[');
        match value_range(line).filter(|_| top_level && !done) {
            Some(range) => {
                out.push_str(&line[..range.start]);
                out.push_str(version);
                out.push_str(&line[range.end..]);
                done = true;
            }
            None => out.push_str(line),
        }
    }
    done.then_some(out)
}

/// Byte range of the quoted value in a `version = "…"` line.
fn value_range(line: &str) -> Option<std::ops::Range<usize>> {
    let rest = line.trim_start().strip_prefix("version")?;
    let rest = rest.trim_start().strip_prefix('=')?;
    let value = rest.trim_start();
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let start = line.len() - value.len() + 1;
    let len = line[start..].find(quote)?;
    Some(start..start + len)
}

/// `CHANGELOG.md` with an entry for `version` on top of the older ones:
/// before the first `## ` heading, after the title and any introduction.
/// A missing file starts with a `# Changelog` title.
pub fn add_changelog_entry(existing: Option<&str>, version: &str, body: &str) -> String {
    let entry = format!("## {version}\n\n{}\n", body.trim_end());
    let existing = existing.unwrap_or("# Changelog\n");
    let first_entry = existing.split_inclusive('\n').scan(0, |at, line| {
        let start = *at;
        *at += line.len();
        Some((start, line))
    });
    match first_entry
        .filter(|(_, line)| line.starts_with("## "))
        .map(|(at, _)| at)
        .next()
    {
        Some(at) => format!("{}{entry}\n{}", &existing[..at], &existing[at..]),
        None => {
            let head = existing.trim_end();
            format!("{head}\n\n{entry}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_top_level_version_changes() {
        let toml = "# v\ncrate-name = \"x\"\nversion = \"0.1.0\"  # kept\r\n[endpoints]\nversion = \"9\"\n";
        assert_eq!(
            set_version(toml, "0.2.0").unwrap(),
            "# v\ncrate-name = \"x\"\nversion = \"0.2.0\"  # kept\r\n[endpoints]\nversion = \"9\"\n"
        );
        assert_eq!(
            set_version("version='1.0.0'", "2.0.0").unwrap(),
            "version='2.0.0'"
        );
        assert_eq!(set_version("versions = \"1\"\n", "2"), None);
        assert_eq!(set_version("[t]\nversion = \"1\"\n", "2"), None);
    }

    #[test]
    fn changelog_entries_go_on_top() {
        assert_eq!(
            add_changelog_entry(None, "0.2.0", "### A\n\n- x\n"),
            "# Changelog\n\n## 0.2.0\n\n### A\n\n- x\n"
        );
        let old = "# Changelog\n\nAll changes.\n\n## 0.1.1\n\n- y\n";
        assert_eq!(
            add_changelog_entry(Some(old), "0.2.0", "- x\n"),
            "# Changelog\n\nAll changes.\n\n## 0.2.0\n\n- x\n\n## 0.1.1\n\n- y\n"
        );
    }
}
