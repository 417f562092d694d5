//! The serde side of the body: a request's `Serialize` impl drives these
//! serializers, and only a struct or a map becomes members; every other
//! shape is refused, naming what it would have been in JSON.

use serde::Serialize;
use serde::ser::{self, Impossible};

use super::{Body, BodyError, Reserved, json_error, write_value};

/// Serializes the request itself: only a struct or a map becomes members;
/// every other shape is refused, naming what it would have been in JSON.
pub(super) struct TopLevel<'a> {
    pub(super) body: &'a mut Body,
    pub(super) reserved: Reserved<'a>,
}

/// Serializes the members of a top-level struct or map.
pub(super) struct MemberWriter<'a> {
    body: &'a mut Body,
    reserved: Reserved<'a>,
    /// A map key waiting for its value.
    key: Option<String>,
}

fn not_an_object(what: &str) -> BodyError {
    BodyError(format!(
        "the request must serialize to a JSON object, not {what}"
    ))
}

impl<'a> ser::Serializer for TopLevel<'a> {
    type Ok = ();
    type Error = BodyError;
    type SerializeSeq = Impossible<(), BodyError>;
    type SerializeTuple = Impossible<(), BodyError>;
    type SerializeTupleStruct = Impossible<(), BodyError>;
    type SerializeTupleVariant = Impossible<(), BodyError>;
    type SerializeMap = MemberWriter<'a>;
    type SerializeStruct = MemberWriter<'a>;
    type SerializeStructVariant = Impossible<(), BodyError>;

    fn serialize_bool(self, _: bool) -> Result<(), BodyError> {
        Err(not_an_object("a boolean"))
    }
    fn serialize_i8(self, _: i8) -> Result<(), BodyError> {
        Err(not_an_object("a number"))
    }
    fn serialize_i16(self, _: i16) -> Result<(), BodyError> {
        Err(not_an_object("a number"))
    }
    fn serialize_i32(self, _: i32) -> Result<(), BodyError> {
        Err(not_an_object("a number"))
    }
    fn serialize_i64(self, _: i64) -> Result<(), BodyError> {
        Err(not_an_object("a number"))
    }
    fn serialize_i128(self, _: i128) -> Result<(), BodyError> {
        Err(not_an_object("a number"))
    }
    fn serialize_u8(self, _: u8) -> Result<(), BodyError> {
        Err(not_an_object("a number"))
    }
    fn serialize_u16(self, _: u16) -> Result<(), BodyError> {
        Err(not_an_object("a number"))
    }
    fn serialize_u32(self, _: u32) -> Result<(), BodyError> {
        Err(not_an_object("a number"))
    }
    fn serialize_u64(self, _: u64) -> Result<(), BodyError> {
        Err(not_an_object("a number"))
    }
    fn serialize_u128(self, _: u128) -> Result<(), BodyError> {
        Err(not_an_object("a number"))
    }
    fn serialize_f32(self, _: f32) -> Result<(), BodyError> {
        Err(not_an_object("a number"))
    }
    fn serialize_f64(self, _: f64) -> Result<(), BodyError> {
        Err(not_an_object("a number"))
    }
    fn serialize_char(self, _: char) -> Result<(), BodyError> {
        Err(not_an_object("a string"))
    }
    fn serialize_str(self, _: &str) -> Result<(), BodyError> {
        Err(not_an_object("a string"))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), BodyError> {
        Err(not_an_object("an array"))
    }
    fn serialize_none(self) -> Result<(), BodyError> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), BodyError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), BodyError> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), BodyError> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<(), BodyError> {
        Err(not_an_object("a string"))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), BodyError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), BodyError> {
        // serde_json's `{"Variant": value}`.
        self.body
            .push_request_member(self.reserved, variant.into(), write_value(value))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, BodyError> {
        Err(not_an_object("an array"))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, BodyError> {
        Err(not_an_object("an array"))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, BodyError> {
        Err(not_an_object("an array"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, BodyError> {
        Err(not_an_object("an enum variant"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<MemberWriter<'a>, BodyError> {
        Ok(MemberWriter {
            body: self.body,
            reserved: self.reserved,
            key: None,
        })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<MemberWriter<'a>, BodyError> {
        Ok(MemberWriter {
            body: self.body,
            reserved: self.reserved,
            key: None,
        })
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, BodyError> {
        Err(not_an_object("an enum variant"))
    }
}

impl ser::SerializeStruct for MemberWriter<'_> {
    type Ok = ();
    type Error = BodyError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), BodyError> {
        self.body
            .push_request_member(self.reserved, key.into(), write_value(value))
    }

    fn end(self) -> Result<(), BodyError> {
        Ok(())
    }
}

impl ser::SerializeMap for MemberWriter<'_> {
    type Ok = ();
    type Error = BodyError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), BodyError> {
        // The key is written as JSON and read back, which gives serde_json's
        // rules for map keys (strings, and numbers and booleans as their
        // text) without building a `Value`.
        let text = serde_json::to_vec(key).map_err(json_error)?;
        let key = match text.first() {
            Some(b'"') => serde_json::from_slice::<String>(&text).map_err(json_error)?,
            // serde_json writes UTF-8, so nothing is lost.
            Some(b'-' | b'0'..=b'9' | b't' | b'f') => String::from_utf8_lossy(&text).into_owned(),
            _ => {
                return Err(BodyError(
                    "the request could not be serialized: a map key must be a string".into(),
                ));
            }
        };
        self.key = Some(key);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), BodyError> {
        let key = self.key.take().ok_or_else(|| {
            BodyError("the request could not be serialized: a map value without a key".into())
        })?;
        self.body
            .push_request_member(self.reserved, key.into(), write_value(value))
    }

    fn end(self) -> Result<(), BodyError> {
        Ok(())
    }
}
