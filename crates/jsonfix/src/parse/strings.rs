//! Strings: quoted, in full-width quotes, or with unescaped inner quotes
//! told apart by what follows them, each body decoded here so that a bad
//! escape is reported at its own span.

use serde_json::Value;

use super::{FULLWIDTH_COMMA, LEFT_DOUBLE_QUOTE, Parser, RIGHT_DOUBLE_QUOTE, find};
use crate::{Failure, RepairKind};

/// How a string body ends.
#[derive(Clone, Copy)]
enum Stop {
    /// At the first unescaped `"`.
    Quote,
    /// At this byte offset; unescaped `"` before it are content.
    At(usize),
}

impl Parser<'_> {
    /// A value inside an object or array, where a string with unescaped
    /// inner quotes can be recognised by what follows it.
    pub(super) fn parse_item_value(&mut self, in_object: bool) -> Result<Value, Failure> {
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

    pub(super) fn parse_string(&mut self) -> Result<String, Failure> {
        let open = self.pos;
        let (value, quote) = self.decode_string(open, open + 1, Stop::Quote)?;
        self.pos = quote + 1;
        Ok(value)
    }

    /// A string delimited by `“` and `”`, which Chinese input methods produce
    /// in place of `"`. Outside a string these characters cannot mean
    /// anything else, so the first `”` on the line closes it.
    pub(super) fn parse_fullwidth_string(&mut self) -> Result<String, Failure> {
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
}
