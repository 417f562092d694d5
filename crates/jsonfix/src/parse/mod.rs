//! The tolerant recursive-descent parser behind [`crate::parse_lenient`].
//!
//! It works on bytes and only ever stops or slices at ASCII bytes or at the
//! start of a known multi-byte character, so every offset it produces is a
//! char boundary of the input.

mod containers;
mod number;
mod strings;

use std::ops::Range;

use serde_json::Value;

use crate::{Failure, Repair, RepairKind, Repaired};

const FULLWIDTH_COMMA: &[u8] = "\u{ff0c}".as_bytes();
const FULLWIDTH_COLON: &[u8] = "\u{ff1a}".as_bytes();
const LEFT_DOUBLE_QUOTE: &[u8] = "\u{201c}".as_bytes();
const RIGHT_DOUBLE_QUOTE: &[u8] = "\u{201d}".as_bytes();
const HORIZONTAL_ELLIPSIS: &[u8] = "\u{2026}".as_bytes();

pub(crate) fn parse(text: &str) -> Result<Repaired, Failure> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        repairs: Vec::new(),
        depth: 0,
    };
    parser.skip_trivia()?;
    let value = parser.parse_value()?;
    parser.finish_top_level();
    let mut repairs = parser.repairs;
    // Unclosed brackets are only noticed at the end, but readers expect the
    // list in text order.
    repairs.sort_by_key(|r| (r.span.start, r.span.end));
    Ok(Repaired { value, repairs })
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    repairs: Vec<Repair>,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn at(&self, i: usize, what: &[u8]) -> bool {
        self.bytes
            .get(i..)
            .is_some_and(|rest| rest.starts_with(what))
    }

    fn repair(&mut self, span: Range<usize>, kind: RepairKind) {
        self.repairs.push(Repair { span, kind });
    }

    fn fail(span: Range<usize>, message: impl Into<String>) -> Failure {
        Failure {
            span,
            message: message.into(),
        }
    }

    /// A failure naming what was found at the current position, so the
    /// message shows the offending word rather than only its first byte.
    fn unexpected(&self, expected: &str) -> Failure {
        let start = self.pos;
        let Some(rest) = self.text.get(start..) else {
            return Self::fail(start..start, format!("{expected}, found end of input"));
        };
        let Some(first) = rest.chars().next() else {
            return Self::fail(start..start, format!("{expected}, found end of input"));
        };
        let len = if first.is_ascii_alphanumeric() || first == '_' {
            rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len())
        } else {
            first.len_utf8()
        };
        // Only control characters are escaped: quotes read better as they are.
        let found: String = rest[..len]
            .chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_debug().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect();
        Self::fail(start..start + len, format!("{expected}, found `{found}`"))
    }

    /// Skips whitespace and comments, recording each comment. Returns whether
    /// anything was skipped, because a missing comma is only assumed where
    /// the items were visibly apart.
    fn skip_trivia(&mut self) -> Result<bool, Failure> {
        let start = self.pos;
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
                Some(b'/') if self.at(self.pos + 1, b"/") => {
                    let from = self.pos;
                    let end = self.line_end(from);
                    self.pos = end;
                    self.repair(from..end, RepairKind::LineComment);
                }
                Some(b'/') if self.at(self.pos + 1, b"*") => {
                    let from = self.pos;
                    let close = find(self.bytes, from + 2, b"*/").ok_or_else(|| {
                        Self::fail(from..from + 2, "block comment is never closed")
                    })?;
                    self.pos = close + 2;
                    self.repair(from..self.pos, RepairKind::BlockComment);
                }
                _ => break,
            }
        }
        Ok(self.pos > start)
    }

    /// Offset of the `\n` or `\r` ending the line that contains `from`.
    fn line_end(&self, from: usize) -> usize {
        self.bytes
            .get(from..)
            .and_then(|rest| rest.iter().position(|&b| b == b'\n' || b == b'\r'))
            .map_or(self.bytes.len(), |n| from + n)
    }

    fn finish_top_level(&mut self) {
        // An unclosed comment after the value is just more trailing text; the
        // failed skip stops at its `/*` and keeps the comments before it.
        let _ = self.skip_trivia();
        if self.pos < self.bytes.len() {
            let mut end = self.bytes.len();
            while end > self.pos && self.bytes[end - 1].is_ascii_whitespace() {
                end -= 1;
            }
            self.repair(self.pos..end, RepairKind::TrailingText);
        }
    }

    /// Length of a `...` (three or more dots) or `…` placeholder at `i`.
    fn ellipsis_len(&self, i: usize) -> Option<usize> {
        let rest = self.bytes.get(i..)?;
        let dots = rest.iter().take_while(|&&b| b == b'.').count();
        if dots >= 3 {
            return Some(dots);
        }
        let mut len = 0;
        while rest[len..].starts_with(HORIZONTAL_ELLIPSIS) {
            len += HORIZONTAL_ELLIPSIS.len();
        }
        (len > 0).then_some(len)
    }

    /// Length of a comma at `i` and whether it is the full-width one.
    fn comma_len(&self, i: usize) -> Option<(usize, bool)> {
        if self.bytes.get(i) == Some(&b',') {
            Some((1, false))
        } else if self.at(i, FULLWIDTH_COMMA) {
            Some((FULLWIDTH_COMMA.len(), true))
        } else {
            None
        }
    }

    /// Whether an object member (`in_object`) or an array element can start
    /// at `i`; used to decide that a comma is missing rather than the text
    /// being garbage.
    fn starts_item(&self, i: usize, in_object: bool) -> bool {
        let Some(&b) = self.bytes.get(i) else {
            return false;
        };
        if b == b'"' || self.at(i, LEFT_DOUBLE_QUOTE) || self.ellipsis_len(i).is_some() {
            return true;
        }
        !in_object && matches!(b, b'{' | b'[' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n')
    }

    fn parse_value(&mut self) -> Result<Value, Failure> {
        match self.peek() {
            None => Err(self.unexpected("expected a JSON value")),
            Some(b'{') => self.parse_container(true),
            Some(b'[') => self.parse_container(false),
            Some(b'"') => self.parse_string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.parse_number(),
            Some(b't') if self.at(self.pos, b"true") => self.literal(4, Value::Bool(true)),
            Some(b'f') if self.at(self.pos, b"false") => self.literal(5, Value::Bool(false)),
            Some(b'n') if self.at(self.pos, b"null") => self.literal(4, Value::Null),
            _ if self.at(self.pos, LEFT_DOUBLE_QUOTE) => {
                self.parse_fullwidth_string().map(Value::String)
            }
            _ => match self.ellipsis_len(self.pos) {
                Some(len) => {
                    self.repair(self.pos..self.pos + len, RepairKind::Ellipsis);
                    self.pos += len;
                    Ok(Value::Null)
                }
                None => Err(self.unexpected("expected a JSON value")),
            },
        }
    }

    fn literal(&mut self, len: usize, value: Value) -> Result<Value, Failure> {
        self.pos += len;
        Ok(value)
    }
}

/// Offset of the first `needle` in `bytes` at or after `from`.
fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|n| from + n)
}
