//! The `ErrorCode` enum: its variants and the wire codes they parse from.

use super::Out;
use super::matching::match_items;
use crate::render::code;
use crate::{ChangeKind, Impact};
use apidoc::ir::ErrorCode;

pub(super) fn error_code_changes(old: &[ErrorCode], new: &[ErrorCode], out: &mut Out) {
    let subject = |c: &str| format!("error code {}", code(c));
    let m = match_items(old, new, |e| &e.code, |e| &e.variant);
    for &(i, j) in &m.pairs {
        let o = &old[i];
        let ErrorCode {
            code: wire,
            variant,
            description,
        } = &new[j];
        let s = subject(wire);
        if o.code != *wire {
            out.push(
                ChangeKind::ErrorCodeWireRenamed,
                Impact::Compatible,
                &s,
                format!(
                    "wire spelling changed by case from {} to {}; `ErrorCode::{variant}` is unchanged, but {} now parses as `ErrorCode::Unknown`",
                    code(&o.code),
                    code(wire),
                    code(&o.code)
                ),
            );
        }
        if o.variant != *variant {
            out.push(
                ChangeKind::ErrorVariantRenamed,
                Impact::Breaking,
                &s,
                format!(
                    "variant renamed from `ErrorCode::{}` to `ErrorCode::{variant}`",
                    o.variant
                ),
            );
        }
        if o.description != *description {
            out.push(
                ChangeKind::DocChanged,
                Impact::Documentation,
                &s,
                "description changed",
            );
        }
    }
    for &i in &m.removed {
        let o = &old[i];
        out.push(
            ChangeKind::ErrorCodeRemoved,
            Impact::Breaking,
            &subject(&o.code),
            format!(
                "error code removed: `ErrorCode::{}` no longer exists and {} now parses as `ErrorCode::Unknown`",
                o.variant,
                code(&o.code)
            ),
        );
    }
    for &j in &m.added {
        let n = &new[j];
        // `ErrorCode` is `#[non_exhaustive]`: matches already have a `_` arm.
        out.push(
            ChangeKind::ErrorCodeAdded,
            Impact::Compatible,
            &subject(&n.code),
            format!(
                "new error code: `ErrorCode::{}` (it parsed as `ErrorCode::Unknown` before)",
                n.variant
            ),
        );
    }
}
