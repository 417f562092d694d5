//! Objects and arrays: one loop for both, so that every separator repair
//! (trailing, missing or full-width commas, unclosed brackets, elided
//! items) behaves the same in each.

use std::ops::Range;

use serde_json::{Map, Value};

use super::{FULLWIDTH_COLON, LEFT_DOUBLE_QUOTE, Parser};
use crate::{Failure, RepairKind};

/// Deepest nesting accepted. `serde_json` stops at 127 levels, so this keeps
/// every strict document `serde_json` accepts while bounding the stack.
const MAX_DEPTH: usize = 128;

/// What the container loop saw last, to tell a separator from a stray comma.
#[derive(Clone, PartialEq)]
enum Last {
    Open,
    Item,
    Comma(Range<usize>),
}

impl Parser<'_> {
    /// Objects and arrays share one loop so that every separator repair
    /// behaves the same in both.
    pub(super) fn parse_container(&mut self, is_object: bool) -> Result<Value, Failure> {
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
}
