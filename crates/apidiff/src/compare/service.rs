//! The crate as a whole: its name, features, default base URL and
//! description, which every dependent sees before any action.

use super::Out;
use crate::render::code;
use crate::{ChangeKind, Impact};
use apidoc::ir::Service;

pub(super) fn service_changes(old: &Service, new: &Service, out: &mut Out) {
    // `version` is what the report's bump computes. `common_parameters`
    // only reaches the API through the inputs it removes, and those are
    // compared field by field (an input that becomes common is a removed
    // input).
    let Service {
        crate_name,
        version: _,
        description,
        default_base_url,
        common_parameters: _,
        groups,
    } = new;
    let subject = "crate";
    // A removed feature breaks every dependent that enables it by name; a
    // new one is on by default, so nobody notices.
    for g in &old.groups {
        if !groups.contains(g) {
            out.push(
                ChangeKind::FeatureChanged,
                Impact::Breaking,
                subject,
                format!(
                    "feature {} removed: dependents that enable it no longer build",
                    code(g)
                ),
            );
        }
    }
    for g in groups {
        if !old.groups.contains(g) {
            out.push(
                ChangeKind::FeatureChanged,
                Impact::Compatible,
                subject,
                format!("feature {} added (on by default)", code(g)),
            );
        }
    }
    if old.crate_name != *crate_name {
        out.push(
            ChangeKind::CrateRenamed,
            Impact::Breaking,
            subject,
            format!(
                "package renamed from {} to {}: dependents must change their `Cargo.toml` and paths",
                code(&old.crate_name),
                code(crate_name)
            ),
        );
    }
    if old.default_base_url != *default_base_url {
        // Clients built without `base_url(...)` now talk to another host.
        out.push(
            ChangeKind::BaseUrlChanged,
            Impact::Breaking,
            subject,
            format!(
                "default base URL changed from {} to {}: clients that do not set `base_url` call another server",
                code(&old.default_base_url),
                code(default_base_url)
            ),
        );
    }
    if old.description != *description {
        out.push(
            ChangeKind::DocChanged,
            Impact::Documentation,
            subject,
            "crate description changed",
        );
    }
}
