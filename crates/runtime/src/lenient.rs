//! Tolerant decoding of scalar response fields.
//!
//! The server is not consistent about scalar types: the same field arrives
//! as `12` from one action and `"12"` from another, booleans arrive as `0`
//! and `1`. The generator puts [`option`] on every scalar response field:
//!
//! ```
//! #[derive(serde::Deserialize)]
//! struct Out {
//!     #[serde(rename = "Count", default, deserialize_with = "::iot_explorer_runtime::lenient::option")]
//!     count: Option<i64>,
//! }
//! let out: Out = serde_json::from_str(r#"{"Count": "12"}"#).unwrap();
//! assert_eq!(out.count, Some(12));
//! assert!(serde_json::from_str::<Out>(r#"{"Count": "12a"}"#).is_err());
//! ```
//!
//! Tolerance stops where data would be lost: `"12a"` or `1.5` for an
//! integer, `-1` for an unsigned one, a value out of range, or an integer a
//! float cannot hold exactly are errors, never a truncation or a default.
//! `null` and a missing field are `None`; an empty string is `None` for
//! numbers and booleans (it carries no value) but `Some("")` for strings.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserializer;
use serde::de::{self, Unexpected, Visitor};

/// A field type [`option`] can decode. Implemented for `i64`, `u64`, `f64`,
/// `bool` and `String`.
pub trait Lenient: Sized + sealed::Sealed {
    /// What the field expects, for error messages.
    #[doc(hidden)]
    const EXPECTING: &'static str;
    #[doc(hidden)]
    fn from_scalar<E: de::Error>(s: Scalar<'_>) -> Result<Option<Self>, E>;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for i64 {}
    impl Sealed for u64 {}
    impl Sealed for f64 {}
    impl Sealed for bool {}
    impl Sealed for String {}
}

/// A JSON scalar as the deserializer reported it.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum Scalar<'a> {
    Signed(i64),
    Unsigned(u64),
    Float(f64),
    Str(&'a str),
    Bool(bool),
}

impl Scalar<'_> {
    fn unexpected(&self) -> Unexpected<'_> {
        match *self {
            Scalar::Signed(v) => Unexpected::Signed(v),
            Scalar::Unsigned(v) => Unexpected::Unsigned(v),
            Scalar::Float(v) => Unexpected::Float(v),
            Scalar::Str(v) => Unexpected::Str(v),
            Scalar::Bool(v) => Unexpected::Bool(v),
        }
    }
}

/// Deserializes an optional scalar, accepting the other JSON spellings of
/// the same value; use with `#[serde(default, deserialize_with = "...")]`.
pub fn option<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Lenient,
{
    d.deserialize_any(LenientVisitor::<T>(PhantomData))
}

struct LenientVisitor<T>(PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for LenientVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        T::from_scalar(Scalar::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        T::from_scalar(Scalar::Signed(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        T::from_scalar(Scalar::Unsigned(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Self::Value, E> {
        match (i64::try_from(v), u64::try_from(v)) {
            (Ok(v), _) => self.visit_i64(v),
            (_, Ok(v)) => self.visit_u64(v),
            _ => Err(E::custom(format_args!(
                "integer {v} is out of range, expected {}",
                T::EXPECTING
            ))),
        }
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Self::Value, E> {
        match u64::try_from(v) {
            Ok(v) => self.visit_u64(v),
            Err(_) => Err(E::custom(format_args!(
                "integer {v} is out of range, expected {}",
                T::EXPECTING
            ))),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        T::from_scalar(Scalar::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        T::from_scalar(Scalar::Str(v))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    // A list or an object is never a scalar. It is read to its end before
    // the error, so that the error's position is the end of the value it
    // is about, which is how a decode error finds its path.
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Err(de::Error::invalid_type(Unexpected::Seq, &self))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map
            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
            .is_some()
        {}
        Err(de::Error::invalid_type(Unexpected::Map, &self))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

fn invalid<T: Lenient, E: de::Error>(s: Scalar<'_>) -> E {
    E::invalid_value(s.unexpected(), &T::EXPECTING)
}

fn wrong_type<T: Lenient, E: de::Error>(s: Scalar<'_>) -> E {
    E::invalid_type(s.unexpected(), &T::EXPECTING)
}

/// Whether `v` is an integer that `i64` holds exactly.
fn float_as_i64(v: f64) -> Option<i64> {
    // 2^63 is exactly representable; everything below it that has no
    // fraction converts without rounding.
    (v.fract() == 0.0 && (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&v))
        .then_some(v as i64)
}

fn float_as_u64(v: f64) -> Option<u64> {
    (v.fract() == 0.0 && (0.0..18_446_744_073_709_551_616.0).contains(&v)).then_some(v as u64)
}

impl Lenient for i64 {
    const EXPECTING: &'static str = "an integer in the i64 range, or a string holding one";

    fn from_scalar<E: de::Error>(s: Scalar<'_>) -> Result<Option<Self>, E> {
        match s {
            Scalar::Signed(v) => Ok(Some(v)),
            Scalar::Unsigned(v) => i64::try_from(v)
                .map(Some)
                .map_err(|_| invalid::<Self, E>(s)),
            Scalar::Float(v) => float_as_i64(v)
                .map(Some)
                .ok_or_else(|| invalid::<Self, E>(s)),
            Scalar::Str("") => Ok(None),
            Scalar::Str(v) => v.parse().map(Some).map_err(|_| invalid::<Self, E>(s)),
            Scalar::Bool(_) => Err(wrong_type::<Self, E>(s)),
        }
    }
}

impl Lenient for u64 {
    const EXPECTING: &'static str =
        "a non-negative integer in the u64 range, or a string holding one";

    fn from_scalar<E: de::Error>(s: Scalar<'_>) -> Result<Option<Self>, E> {
        match s {
            Scalar::Signed(v) => u64::try_from(v)
                .map(Some)
                .map_err(|_| invalid::<Self, E>(s)),
            Scalar::Unsigned(v) => Ok(Some(v)),
            Scalar::Float(v) => float_as_u64(v)
                .map(Some)
                .ok_or_else(|| invalid::<Self, E>(s)),
            Scalar::Str("") => Ok(None),
            // `str::parse::<u64>` accepts a leading `+` but never `-`.
            Scalar::Str(v) => v.parse().map(Some).map_err(|_| invalid::<Self, E>(s)),
            Scalar::Bool(_) => Err(wrong_type::<Self, E>(s)),
        }
    }
}

impl Lenient for f64 {
    const EXPECTING: &'static str = "a finite number, or a string holding one";

    fn from_scalar<E: de::Error>(s: Scalar<'_>) -> Result<Option<Self>, E> {
        match s {
            // An integer beyond 2^53 may not survive the trip to f64.
            Scalar::Signed(v) => {
                let f = v as f64;
                (f as i128 == i128::from(v))
                    .then_some(Some(f))
                    .ok_or_else(|| invalid::<Self, E>(s))
            }
            Scalar::Unsigned(v) => {
                let f = v as f64;
                (f as u128 == u128::from(v))
                    .then_some(Some(f))
                    .ok_or_else(|| invalid::<Self, E>(s))
            }
            Scalar::Float(v) => Ok(Some(v)),
            Scalar::Str("") => Ok(None),
            Scalar::Str(v) => match v.parse::<f64>() {
                // Rejects "NaN", "inf" and overflow to infinity ("1e400").
                Ok(f) if f.is_finite() => Ok(Some(f)),
                _ => Err(invalid::<Self, E>(s)),
            },
            Scalar::Bool(_) => Err(wrong_type::<Self, E>(s)),
        }
    }
}

impl Lenient for bool {
    const EXPECTING: &'static str = "a boolean, 0 or 1, or a string holding one of those";

    fn from_scalar<E: de::Error>(s: Scalar<'_>) -> Result<Option<Self>, E> {
        match s {
            Scalar::Bool(v) => Ok(Some(v)),
            Scalar::Signed(0) | Scalar::Unsigned(0) => Ok(Some(false)),
            Scalar::Signed(1) | Scalar::Unsigned(1) => Ok(Some(true)),
            Scalar::Signed(_) | Scalar::Unsigned(_) => Err(invalid::<Self, E>(s)),
            Scalar::Float(_) => Err(wrong_type::<Self, E>(s)),
            Scalar::Str("") => Ok(None),
            Scalar::Str("true" | "True" | "TRUE" | "1") => Ok(Some(true)),
            Scalar::Str("false" | "False" | "FALSE" | "0") => Ok(Some(false)),
            Scalar::Str(_) => Err(invalid::<Self, E>(s)),
        }
    }
}

impl Lenient for String {
    const EXPECTING: &'static str = "a string, or a number or boolean to keep as text";

    fn from_scalar<E: de::Error>(s: Scalar<'_>) -> Result<Option<Self>, E> {
        Ok(Some(match s {
            Scalar::Str(v) => v.to_owned(),
            Scalar::Signed(v) => v.to_string(),
            Scalar::Unsigned(v) => v.to_string(),
            // The JSON spelling (shortest round-trip form), as the server
            // would have written it in a string.
            Scalar::Float(v) => match serde_json::Number::from_f64(v) {
                Some(n) => n.to_string(),
                None => return Err(invalid::<Self, E>(s)),
            },
            Scalar::Bool(v) => v.to_string(),
        }))
    }
}
