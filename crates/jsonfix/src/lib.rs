//! Lenient JSON for the hand-written examples in the interface docs.
//!
//! The request and response examples in the docs are typed by hand, and many
//! of them are not valid JSON: commas are missing or left over, comments
//! explain fields, full-width punctuation slips in from Chinese prose, `{...}`
//! stands for content the author left out, and a JSON document stored in a
//! string keeps its quotes unescaped. The generator still wants the value the
//! author meant, and the maintainer wants to know what was assumed, so
//! [`parse_lenient`] repairs what it can and reports every repair with the byte
//! range it applies to. Anything it cannot read without guessing is a
//! [`Failure`] with a span, never a best-effort value.
//!
//! Strict JSON is accepted exactly as `serde_json` accepts it, with no repairs.

#![deny(missing_docs)]

use std::fmt;
use std::ops::Range;

mod parse;

/// What was wrong at one place and what was done about it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Repair {
    /// Byte range in the input text that the repair is about.
    ///
    /// Insertions ([`RepairKind::MissingComma`]) have an empty range at the
    /// insertion point; an [`RepairKind::UnclosedBracket`] points at the
    /// bracket that was never closed, since that is what a reader must find.
    pub span: Range<usize>,
    /// Which repair was made.
    pub kind: RepairKind,
}

/// The kinds of mistakes that [`parse_lenient`] repairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum RepairKind {
    /// A `,` directly before `}` or `]` (or before the end of an unclosed
    /// object or array) was dropped.
    TrailingComma,
    /// Two members or elements separated only by whitespace or comments were
    /// read as if a `,` stood between them.
    MissingComma,
    /// A `// ...` comment was skipped.
    LineComment,
    /// A `/* ... */` comment was skipped.
    BlockComment,
    /// `，`, `：` or `“` `”` outside a string were read as `,`, `:` or `"`.
    FullWidthPunctuation,
    /// Text after the end of the top-level value was ignored.
    TrailingText,
    /// An object or array that was still open at the end of the input was
    /// closed there.
    UnclosedBracket,
    /// A string value containing unescaped `"` was read up to the last quote
    /// on its line, with the inner quotes kept as content.
    UnescapedQuote,
    /// A `...` or `…` placeholder was read as elided content: left out of an
    /// object or array, or `null` where a single value was expected.
    Ellipsis,
}

impl RepairKind {
    /// A short English sentence fragment saying what was done, for messages
    /// such as "line 3: trailing comma removed".
    pub fn describe(&self) -> &'static str {
        match self {
            RepairKind::TrailingComma => "trailing comma removed",
            RepairKind::MissingComma => "missing comma inserted",
            RepairKind::LineComment => "line comment removed",
            RepairKind::BlockComment => "block comment removed",
            RepairKind::FullWidthPunctuation => "full-width punctuation read as ASCII",
            RepairKind::TrailingText => "text after the JSON value ignored",
            RepairKind::UnclosedBracket => "unclosed bracket closed at end of input",
            RepairKind::UnescapedQuote => "unescaped quotes inside a string kept as content",
            RepairKind::Ellipsis => "`...` placeholder read as elided content",
        }
    }
}

impl fmt::Display for RepairKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

impl fmt::Display for Repair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at bytes {}..{}",
            self.kind, self.span.start, self.span.end
        )
    }
}

/// A value read from possibly broken JSON, with the repairs that were needed.
#[derive(Debug, Clone, PartialEq)]
pub struct Repaired {
    /// The value the text most plausibly means.
    pub value: serde_json::Value,
    /// Every repair that was made, ordered by position in the input. Empty
    /// exactly when the input was strict JSON.
    pub repairs: Vec<Repair>,
}

/// Where and why the text could not be read, even leniently.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Failure {
    /// Byte range in the input text where reading stopped. Empty when the
    /// problem is the end of the input.
    pub span: Range<usize>,
    /// What was expected or what was wrong, as a lowercase sentence fragment.
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at bytes {}..{}",
            self.message, self.span.start, self.span.end
        )
    }
}

impl std::error::Error for Failure {}

/// Reads `text` as JSON, repairing the mistakes that hand-written examples
/// commonly contain.
///
/// The whole text must be the value, apart from whitespace, comments and
/// ignored trailing text; use [`find_json_start`] first to skip an HTTP
/// request line and headers. Nesting deeper than 128 levels is a failure.
pub fn parse_lenient(text: &str) -> Result<Repaired, Failure> {
    parse::parse(text)
}

/// Where a JSON value starts in text that may have a prefix, such as an HTTP
/// request line and headers before the JSON body.
///
/// Returns the byte offset of the first `{` or `[` that begins a line (after
/// optional indentation). Only line starts count because a request line or
/// header value may itself contain brackets (an IPv6 host, a template).
pub fn find_json_start(text: &str) -> Option<usize> {
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_start_matches([' ', '\t', '\r', '\u{feff}']);
        if body.starts_with(['{', '[']) {
            return Some(line_start + line.len() - body.len());
        }
        line_start += line.len();
    }
    None
}
