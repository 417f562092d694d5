//! The tolerant recursive-descent parser behind [`crate::parse_lenient`].
//!
//! It works on bytes and only ever stops or slices at ASCII bytes or at the
//! start of a known multi-byte character, so every offset it produces is a
//! char boundary of the input.

use std::ops::Range;

use serde_json::{Map, Value};

use crate::{Failure, Repair, RepairKind, Repaired};

/// Deepest nesting accepted. `serde_json` stops at 127 levels, so this keeps
/// every strict document `serde_json` accepts while bounding the stack.
const MAX_DEPTH: usize = 128;

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

/// What the container loop saw last, to tell a separator from a stray comma.
#[derive(Clone, PartialEq)]
enum Last {
    Open,
    Item,
    Comma(Range<usize>),
}

/// How a string body ends.
#[derive(Clone, Copy)]
enum Stop {
    /// At the first unescaped `"`.
    Quote,
    /// At this byte offset; unescaped `"` before it are content.
    At(usize),
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

    /// Objects and arrays share one loop so that every separator repair
    /// behaves the same in both.
    fn parse_container(&mut self, is_object: bool) -> Result<Value, Failure> {
        let open = self.pos;
        if self.depth >= MAX_DEPTH {
            return Err(Self::fail(
                open..open + 1,
                format!("nesting deeper than {MAX_DEPTH} levels"),
            ));
        }
        self.depth += 1;
        self.pos += 1;
        let close = if is_object { b'}' } else { b']' };
        let mut members = Map::new();
        let mut elements = Vec::new();
        let mut last = Last::Open;
        loop {
            let gap = self.pos;
            let spaced = self.skip_trivia()?;
            let at_end = self.pos >= self.bytes.len();
            if at_end || self.peek() == Some(close) {
                if let Last::Comma(comma) = last {
                    self.repair(comma, RepairKind::TrailingComma);
                }
                if at_end {
                    self.repair(open..open + 1, RepairKind::UnclosedBracket);
                } else {
                    self.pos += 1;
                }
                break;
            }
            if let Some((len, fullwidth)) = self.comma_len(self.pos) {
                if last != Last::Item {
                    return Err(self.unexpected(if is_object {
                        "expected an object member or `}`"
                    } else {
                        "expected an array element or `]`"
                    }));
                }
                let comma = self.pos..self.pos + len;
                if fullwidth {
                    self.repair(comma.clone(), RepairKind::FullWidthPunctuation);
                }
                self.pos += len;
                last = Last::Comma(comma);
                continue;
            }
            if last == Last::Item {
                if spaced && self.starts_item(self.pos, is_object) {
                    self.repair(gap..gap, RepairKind::MissingComma);
                } else {
                    return Err(self.unexpected(if is_object {
                        "expected `,` or `}` after an object member"
                    } else {
                        "expected `,` or `]` after an array element"
                    }));
                }
            }
            last = Last::Item;
            if let Some(len) = self.ellipsis_len(self.pos) {
                // Elided members or elements contribute nothing: the rest of
                // the container is still read.
                self.repair(self.pos..self.pos + len, RepairKind::Ellipsis);
                self.pos += len;
            } else if is_object {
                let (key, value) = self.parse_member()?;
                members.insert(key, value);
            } else {
                elements.push(self.parse_item_value(false)?);
            }
        }
        self.depth -= 1;
        Ok(if is_object {
            Value::Object(members)
        } else {
            Value::Array(elements)
        })
    }

    fn parse_member(&mut self) -> Result<(String, Value), Failure> {
        let key = if self.peek() == Some(b'"') {
            self.parse_string()?
        } else if self.at(self.pos, LEFT_DOUBLE_QUOTE) {
            self.parse_fullwidth_string()?
        } else {
            return Err(self.unexpected("expected a member name in double quotes"));
        };
        self.skip_trivia()?;
        if self.peek() == Some(b':') {
            self.pos += 1;
        } else if self.at(self.pos, FULLWIDTH_COLON) {
            let colon = self.pos..self.pos + FULLWIDTH_COLON.len();
            self.pos = colon.end;
            self.repair(colon, RepairKind::FullWidthPunctuation);
        } else {
            return Err(self.unexpected("expected `:` after the member name"));
        }
        self.skip_trivia()?;
        let value = self.parse_item_value(true)?;
        Ok((key, value))
    }

    /// A value inside an object or array, where a string with unescaped
    /// inner quotes can be recognised by what follows it.
    fn parse_item_value(&mut self, in_object: bool) -> Result<Value, Failure> {
        if self.peek() != Some(b'"') {
            return self.parse_value();
        }
        let open = self.pos;
        let (value, quote) = self.decode_string(open, open + 1, Stop::Quote)?;
        if self.quoted_reading_fits(quote + 1, in_object) {
            self.pos = quote + 1;
            return Ok(Value::String(value));
        }
        match self.unescaped_quote_closer(open, quote) {
            Some(closer) => {
                let (value, _) = self.decode_string(open, open + 1, Stop::At(closer))?;
                self.pos = closer + 1;
                self.repair(open..self.pos, RepairKind::UnescapedQuote);
                Ok(Value::String(value))
            }
            None => {
                // Not clear enough to repair; the container reports the
                // unexpected text after the string.
                self.pos = quote + 1;
                Ok(Value::String(value))
            }
        }
    }

    /// Whether the text after a string that ended at `end` is what may follow
    /// an item: a separator, a closer, a comment, the end of the line, or
    /// (after a gap) another item with its comma missing.
    fn quoted_reading_fits(&self, end: usize, in_object: bool) -> bool {
        let mut i = end;
        while matches!(self.bytes.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        match self.bytes.get(i) {
            None | Some(b'\n' | b'\r' | b',' | b'}' | b']' | b'/') => true,
            _ if self.at(i, FULLWIDTH_COMMA) => true,
            _ => i > end && self.starts_item(i, in_object),
        }
    }

    /// The closing quote of a string value whose inner quotes were not
    /// escaped, if the line makes it unambiguous: the last unescaped `"` on
    /// the line, past the first reading's closer, followed only by optional
    /// spaces and then a separator, a closer or the end of the line.
    fn unescaped_quote_closer(&self, open: usize, first_closer: usize) -> Option<usize> {
        let line_end = self.line_end(open);
        let mut closer = None;
        let mut i = open + 1;
        while i < line_end {
            match self.bytes[i] {
                b'\\' => i += 2,
                b'"' => {
                    closer = Some(i);
                    i += 1;
                }
                _ => i += 1,
            }
        }
        let closer = closer.filter(|&c| c > first_closer)?;
        let mut after = closer + 1;
        while matches!(self.bytes.get(after), Some(b' ' | b'\t')) {
            after += 1;
        }
        let fits = after >= line_end
            || matches!(self.bytes[after], b',' | b'}' | b']')
            || self.at(after, FULLWIDTH_COMMA);
        // A comment after the value may itself contain quotes, and then the
        // last quote on the line is not the string's; `://` is a URL.
        let inner = &self.bytes[open + 1..closer];
        let comment = inner
            .windows(2)
            .enumerate()
            .any(|(k, w)| w == b"/*" || (w == b"//" && (k == 0 || inner[k - 1] != b':')));
        (fits && !comment).then_some(closer)
    }

    fn parse_string(&mut self) -> Result<String, Failure> {
        let open = self.pos;
        let (value, quote) = self.decode_string(open, open + 1, Stop::Quote)?;
        self.pos = quote + 1;
        Ok(value)
    }

    /// A string delimited by `“` and `”`, which Chinese input methods produce
    /// in place of `"`. Outside a string these characters cannot mean
    /// anything else, so the first `”` on the line closes it.
    fn parse_fullwidth_string(&mut self) -> Result<String, Failure> {
        let open = self.pos;
        let body = open + LEFT_DOUBLE_QUOTE.len();
        let line_end = self.line_end(open);
        let closer = find(&self.bytes[..line_end], body, RIGHT_DOUBLE_QUOTE).ok_or_else(|| {
            Self::fail(
                open..line_end,
                "string opened with `“` is not closed with `”` on its line",
            )
        })?;
        let (value, _) = self.decode_string(open, body, Stop::At(closer))?;
        self.pos = closer + RIGHT_DOUBLE_QUOTE.len();
        self.repair(open..body, RepairKind::FullWidthPunctuation);
        self.repair(closer..self.pos, RepairKind::FullWidthPunctuation);
        Ok(value)
    }

    /// Decodes a string body starting at `body`, returning it and the offset
    /// of the closing delimiter. Decoding here, rather than through
    /// `serde_json`, lets a bad escape be reported at its own span.
    fn decode_string(
        &self,
        open: usize,
        body: usize,
        stop: Stop,
    ) -> Result<(String, usize), Failure> {
        let mut out = String::new();
        let mut run = body;
        let mut i = body;
        loop {
            if let Stop::At(closer) = stop {
                if i == closer {
                    out.push_str(&self.text[run..closer]);
                    return Ok((out, closer));
                }
                if i > closer {
                    // Only a malformed escape can step over the closer.
                    return Err(Self::fail(
                        open..i,
                        "escape runs past the end of the string",
                    ));
                }
            }
            let Some(&b) = self.bytes.get(i) else {
                return Err(Self::fail(open..i, "string is never closed"));
            };
            match b {
                b'"' if matches!(stop, Stop::Quote) => {
                    out.push_str(&self.text[run..i]);
                    return Ok((out, i));
                }
                b'\\' => {
                    out.push_str(&self.text[run..i]);
                    i = self.decode_escape(i, &mut out)?;
                    run = i;
                }
                b'\n' | b'\r' => {
                    return Err(Self::fail(
                        open..i,
                        "string is not closed before the end of its line",
                    ));
                }
                0..=0x1f => {
                    return Err(Self::fail(
                        i..i + 1,
                        "control character in string must be escaped",
                    ));
                }
                _ => i += 1,
            }
        }
    }

    /// Decodes the escape at `i` (a `\`) into `out`; returns the offset after it.
    fn decode_escape(&self, i: usize, out: &mut String) -> Result<usize, Failure> {
        let simple = match self.bytes.get(i + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.decode_unicode_escape(i, out),
            _ => {
                let len = self
                    .text
                    .get(i + 1..)
                    .and_then(|s| s.chars().next())
                    .map_or(0, char::len_utf8);
                return Err(Self::fail(i..i + 1 + len, "invalid escape in string"));
            }
        };
        out.push(simple);
        Ok(i + 2)
    }

    fn decode_unicode_escape(&self, i: usize, out: &mut String) -> Result<usize, Failure> {
        let high = self.hex4(i)?;
        if (0xDC00..0xE000).contains(&high) {
            return Err(Self::fail(i..i + 6, "unpaired surrogate in unicode escape"));
        }
        if !(0xD800..0xDC00).contains(&high) {
            // Outside the surrogate ranges every code point is a char.
            out.extend(char::from_u32(high));
            return Ok(i + 6);
        }
        let low = if self.at(i + 6, b"\\u") {
            self.hex4(i + 6)?
        } else {
            0
        };
        if !(0xDC00..0xE000).contains(&low) {
            return Err(Self::fail(i..i + 6, "unpaired surrogate in unicode escape"));
        }
        let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
        out.extend(char::from_u32(code));
        Ok(i + 12)
    }

    /// The four hex digits of the `\u` escape at `i`.
    fn hex4(&self, i: usize) -> Result<u32, Failure> {
        let digits = self
            .bytes
            .get(i + 2..i + 6)
            .filter(|d| d.iter().all(u8::is_ascii_hexdigit));
        let bad = || Self::fail(i..i + 2, "`\\u` must be followed by four hex digits");
        let digits = std::str::from_utf8(digits.ok_or_else(bad)?).map_err(|_| bad())?;
        u32::from_str_radix(digits, 16).map_err(|_| bad())
    }

    /// Checks the JSON number grammar here and leaves the conversion to
    /// `serde_json`, so numbers come out exactly as in strict parsing.
    fn parse_number(&mut self) -> Result<Value, Failure> {
        let start = self.pos;
        let digits = |p: &mut Self| {
            let from = p.pos;
            while matches!(p.peek(), Some(b'0'..=b'9')) {
                p.pos += 1;
            }
            p.pos > from
        };
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err(self.unexpected("expected a digit in the number")),
        }
        if self.peek() == Some(b'.') && matches!(self.bytes.get(self.pos + 1), Some(b'0'..=b'9')) {
            self.pos += 1;
            digits(self);
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !digits(self) {
                return Err(self.unexpected("expected a digit in the exponent"));
            }
        }
        let lexeme = &self.text[start..self.pos];
        serde_json::from_str::<Value>(lexeme).map_err(|_| {
            Self::fail(
                start..self.pos,
                format!("number `{lexeme}` is out of range"),
            )
        })
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
