//! Numbers: the grammar is checked here, the value is `serde_json`'s.

use serde_json::Value;

use super::Parser;
use crate::Failure;

impl Parser<'_> {
    /// Checks the JSON number grammar here and leaves the conversion to
    /// `serde_json`, so numbers come out exactly as in strict parsing.
    pub(super) fn parse_number(&mut self) -> Result<Value, Failure> {
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
