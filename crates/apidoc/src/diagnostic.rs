//! One diagnostic type for every stage, rendered rustc-style at the edge.
//!
//! Stages never stop at the first problem: they push into a [`Diagnostics`]
//! sink and carry on where they can, and the caller decides whether errors
//! stop the run.

use crate::source::{SourceDb, Span};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use std::fmt::Write as _;

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Severity {
    /// The docs cannot be turned into code: generation stops.
    Error,
    /// A defect the generator routes around; worth fixing in the docs or
    /// in `overrides.toml`.
    Warning,
    /// Information, such as a file that was skipped.
    Note,
}

/// A problem found in the docs, pointing at where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// A short, stable category used for the summary line (`unknown-type`).
    pub kind: &'static str,
    /// What is wrong and what was expected.
    pub message: String,
    /// Where; `None` for problems with no place (an empty folder).
    pub span: Option<Span>,
    /// Label under the marked span.
    pub label: Option<String>,
    /// Other places that matter (the other page of a duplicated action).
    pub related: Vec<(Span, String)>,
    /// Extra lines: what was done about it, how to fix it.
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// A new error.
    pub fn error(kind: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Error, kind, message)
    }

    /// A new warning.
    pub fn warning(kind: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Warning, kind, message)
    }

    /// A new note.
    pub fn note(kind: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Note, kind, message)
    }

    fn new(severity: Severity, kind: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity,
            kind,
            message: message.into(),
            span: None,
            label: None,
            related: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Sets the primary place.
    pub fn at(mut self, span: Span) -> Diagnostic {
        self.span = Some(span);
        self
    }

    /// Sets the label under the primary place.
    pub fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    /// Adds a secondary place.
    pub fn related(mut self, span: Span, label: impl Into<String>) -> Diagnostic {
        self.related.push((span, label.into()));
        self
    }

    /// Adds a note line.
    pub fn note_line(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    /// Renders the diagnostic like rustc does: a title, `--> file:line:col`,
    /// the source line with the span marked, then the notes.
    pub fn render(&self, db: &SourceDb, renderer: &Renderer) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Note => Level::NOTE,
        };
        let title = format!("{} [{}]", self.message, self.kind);
        let mut group = Group::with_title(level.primary_title(title.as_str()));
        // Primary and related places in the same file share one snippet so the
        // reader sees them together; other files get their own snippet.
        let mut places: Vec<(&Span, &str, bool)> = Vec::new();
        if let Some(span) = &self.span {
            places.push((span, self.label.as_deref().unwrap_or(""), true));
        }
        for (span, label) in &self.related {
            places.push((span, label, false));
        }
        let mut files: Vec<_> = places.iter().map(|p| p.0.file).collect();
        files.dedup();
        let mut seen = Vec::new();
        for file in files {
            if seen.contains(&file) {
                continue;
            }
            seen.push(file);
            let src = db.get(file);
            let here: Vec<_> = places.iter().filter(|p| p.0.file == file).collect();
            let ranges: Vec<_> = here
                .iter()
                .map(|p| clamp(&src.text, p.0.range.clone()))
                .collect();
            // Only the lines from the first place's to the last place's go
            // to the renderer, which reads every line of its source: a page
            // is rendered once per warning on it.
            let window = lines_around(&src.text, &ranges);
            let (line, _) = src.line_col(window.start);
            let mut snippet = Snippet::source(&src.text[window.clone()])
                .line_start(line)
                .path(src.path.as_str())
                .fold(true);
            for ((_, label, primary), range) in here.iter().zip(ranges) {
                let kind = if *primary {
                    AnnotationKind::Primary
                } else {
                    AnnotationKind::Context
                };
                let range = range.start - window.start..range.end - window.start;
                snippet = snippet.annotation(kind.span(range).label(*label));
            }
            group = group.element(snippet);
        }
        let mut report: Vec<Group> = vec![group];
        for note in &self.notes {
            report.push(Group::with_title(
                Level::NOTE.secondary_title(note.as_str()),
            ));
        }
        renderer.render(&report)
    }
}

/// The whole lines of `text` that `ranges` (inside it, on character
/// boundaries) touch, from the first one's line to the last one's.
/// A place at the very end of a file that ends with a newline is shown at
/// the end of the last line, as the renderer shows it given the whole file.
fn lines_around(text: &str, ranges: &[std::ops::Range<usize>]) -> std::ops::Range<usize> {
    let lo = ranges.iter().map(|r| r.start).min().unwrap_or(0);
    let hi = ranges.iter().map(|r| r.end).max().unwrap_or(0);
    let from = if lo == text.len() && text.ends_with('\n') {
        lo - 1
    } else {
        lo
    };
    let start = text[..from].rfind('\n').map_or(0, |i| i + 1);
    let end = text[hi..].find('\n').map_or(text.len(), |i| hi + i + 1);
    start..end
}

/// Keeps a span inside the text and on character boundaries, so that a
/// span from a bug elsewhere can never make rendering panic.
fn clamp(text: &str, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let mut start = range.start.min(text.len());
    let mut end = range.end.clamp(start, text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// Where diagnostics go.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// True if any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// All diagnostics, sorted by file, place, severity, for stable output.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<_> = self.items.iter().collect();
        v.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                (
                    d.span.as_ref().map(|s| (s.file, s.range.start)),
                    d.severity,
                    d.message.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
        v
    }

    /// Number of diagnostics.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True if nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Renders every diagnostic in order, separated by blank lines.
    pub fn render(&self, db: &SourceDb, renderer: &Renderer) -> String {
        let mut out = String::new();
        for d in self.sorted() {
            out.push_str(&d.render(db, renderer));
            out.push_str("\n\n");
        }
        out
    }

    /// One line: counts by severity, then by kind.
    pub fn summary(&self) -> String {
        let count = |s| self.items.iter().filter(|d| d.severity == s).count();
        let mut kinds = std::collections::BTreeMap::<(Severity, &str), usize>::new();
        for d in &self.items {
            *kinds.entry((d.severity, d.kind)).or_default() += 1;
        }
        let mut out = format!(
            "{} error(s), {} warning(s), {} note(s)",
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Note)
        );
        if !kinds.is_empty() {
            out.push(':');
            for ((sev, kind), n) in kinds {
                let sev = match sev {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Note => "note",
                };
                let _ = write!(out, " {sev}[{kind}]={n}");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    /// What the renderer prints for places in a whole file, given only the
    /// lines they are on: the same lines, numbered as in the file.
    #[test]
    fn places_are_shown_on_their_own_lines_of_the_file() {
        let mut db = SourceDb::default();
        let text = "# Page\n\none two\n\n| a | b |\nlast line, no newline";
        let file = db.add(SourceFile::new("page.md", text));
        let at = |needle: &str| {
            let start = text.find(needle).expect("in the text");
            Span::new(file, start..start + needle.len())
        };
        let d = Diagnostic::warning("kind", "message")
            .at(at("two"))
            .related(at("newline"), "here")
            .related(Span::new(file, text.len()..text.len()), "the end");
        let out = d.render(&db, &Renderer::plain());
        assert!(out.contains("--> page.md:3:5"), "{out}");
        assert!(out.contains("3 | one two"), "{out}");
        assert!(out.contains("6 | last line, no newline"), "{out}");
        assert!(
            !out.contains("| a | b |"),
            "unrelated lines are folded away: {out}"
        );
        assert!(out.contains("here") && out.contains("the end"), "{out}");
    }

    /// A truncated page's warning sits at the end of the file; after a
    /// final newline it is shown at the end of the last line, not on a
    /// line the file does not have.
    #[test]
    fn a_place_after_the_final_newline_is_shown_on_the_last_line() {
        let mut db = SourceDb::default();
        let text = "# Page\n\n```json\n{\n  \"Response\":\n";
        let file = db.add(SourceFile::new("page.md", text));
        let d = Diagnostic::warning("kind", "message")
            .at(Span::new(file, text.len()..text.len()))
            .label("the example ends here");
        let out = d.render(&db, &Renderer::plain());
        assert!(out.contains("--> page.md:5:"), "{out}");
        assert!(out.contains("5 |   \"Response\":"), "{out}");
        assert!(!out.contains("6 |"), "{out}");
    }
}
