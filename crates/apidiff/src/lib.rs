//! What changed between two versions of the API, seen from the code that
//! uses the generated crate.
//!
//! [`diff`] compares two IRs (not two folders of text): the IR is what the
//! generated crate is made from, so every difference in it maps onto a
//! difference in the crate's public API or in what its calls send and
//! receive. Each [`Change`] says what changed, how it affects callers
//! ([`Impact`]) and in a sentence why; the [`Report`] sums them up as a
//! semver [`Bump`] and renders as text (for maintainers), Markdown (for
//! `CHANGELOG.md`) or JSON (for tools).
//!
//! The classification follows the public contract of the generated crate
//! (`docs/CONTRACT.md`, sections 1 and 3): requests are `#[non_exhaustive]`
//! with `new(required...)` and `with_*` setters, responses and structures
//! have only `Option` fields, and `ErrorCode` is a `#[non_exhaustive]` enum
//! with `Unknown(String)`. So adding an optional input, an output, a structure
//! field or an error code is compatible, while anything that changes
//! `new`'s parameters or removes a name is breaking.

#![deny(missing_docs)]

mod compare;
mod render;

pub use compare::diff;
use serde::Serialize;

/// Every change between two IRs, sorted, with the semver bump they need.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Sorted by subject, then kind, then detail, so that the same two IRs
    /// always give the same report (and the same CHANGELOG text).
    pub changes: Vec<Change>,
    /// The largest bump any change needs.
    pub bump: Bump,
}

/// One difference, classified.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Change {
    /// What changed.
    pub kind: ChangeKind,
    /// How it affects code that uses the generated crate.
    pub impact: Impact,
    /// What it is about: `AppGetProducts`, ``AppGetProducts input `DeviceIds` ``,
    /// ``structure `DeviceInfo` field `Alias` ``, ``error code `FailedOperation` ``
    /// or `crate`.
    pub subject: String,
    /// A sentence for humans: what changed and what it means for callers.
    pub detail: String,
}

/// How a change affects users of the generated crate.
///
/// The order is the order of the report's sections: the most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// Code that compiled may stop compiling, or calls that worked may now
    /// behave differently (another URL, other credentials, another wire
    /// shape).
    Breaking,
    /// Existing code keeps compiling and behaving; something was added, or
    /// only a wire spelling changed under an unchanged Rust name.
    Compatible,
    /// Only the generated docs change.
    Documentation,
}

impl Impact {
    /// The bump a change of this impact needs on its own.
    pub fn bump(self) -> Bump {
        match self {
            Impact::Breaking => Bump::Major,
            Impact::Compatible => Bump::Minor,
            Impact::Documentation => Bump::Patch,
        }
    }

    /// Section heading in the rendered report.
    pub fn heading(self) -> &'static str {
        match self {
            Impact::Breaking => "Breaking changes",
            Impact::Compatible => "Compatible changes",
            Impact::Documentation => "Documentation changes",
        }
    }
}

/// What kind of difference a [`Change`] records.
///
/// Field kinds are shared by request inputs, response outputs and
/// structure fields: the [`Change::subject`] says which, and the
/// [`Impact`] depends on it (a new required input breaks `new`, a new
/// output does not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Crate-level: the package name changed.
    CrateRenamed,
    /// Crate-level: the default base URL changed.
    BaseUrlChanged,
    /// Crate-level: a cargo feature (action group) was added or removed.
    FeatureChanged,
    /// The action moved to another cargo feature (action group).
    GroupChanged,
    /// A new action (client method, request and response types).
    ActionAdded,
    /// An action disappeared.
    ActionRemoved,
    /// Same method, different `Action` value on the wire.
    ActionWireRenamed,
    /// Same method, different request and response type names.
    ActionTypesRenamed,
    /// The constant sub-command parameter was added, removed or changed.
    SubCommandChanged,
    /// The action is sent to another endpoint.
    EndpointChanged,
    /// The action needs other credentials.
    AuthChanged,
    /// Replies are read from, or no longer from, a `Data` object.
    ReplyWrappingChanged,
    /// The action started, stopped or changed paging (its `_pages` walker).
    PaginationChanged,
    /// The error codes listed in the action's docs changed.
    ErrorListChanged,
    /// A structure started or stopped being used in requests, which
    /// decides whether its required fields are `Option`.
    StructUsageChanged,
    /// `Login`, the client's own login, was added, removed or changed.
    SessionChanged,
    /// The WebSocket channel (`Client::device_changes`) was added, removed
    /// or changed: its URL, heartbeat or the value lists of its changes.
    ChannelChanged,
    /// A field was added.
    FieldAdded,
    /// A field was removed.
    FieldRemoved,
    /// A field's type changed.
    FieldRetyped,
    /// An input (or a structure field, in the docs only) became required.
    FieldMadeRequired,
    /// An input (or a structure field, in the docs only) became optional.
    FieldMadeOptional,
    /// A field's wire name changed by case only; its Rust name did not.
    FieldWireRenamed,
    /// A field's Rust name changed under the same wire name.
    FieldRustRenamed,
    /// A field's value is now, or no longer, redacted in `Debug`.
    FieldRedactionChanged,
    /// The required inputs (the parameters of `new`) changed order.
    InputsReordered,
    /// A new structure.
    StructAdded,
    /// A structure disappeared.
    StructRemoved,
    /// A new error code (and `ErrorCode` variant).
    ErrorCodeAdded,
    /// An error code (and its variant) disappeared.
    ErrorCodeRemoved,
    /// An error code's wire spelling changed by case only; its variant did not.
    ErrorCodeWireRenamed,
    /// The same code maps to a differently named variant.
    ErrorVariantRenamed,
    /// A description changed: action, field, structure, error code or crate.
    DocChanged,
}

/// A semver bump, ordered from none to major so that the report's bump is
/// the maximum over its changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    /// Nothing changed.
    None,
    /// Documentation only.
    Patch,
    /// Compatible additions.
    Minor,
    /// Breaking changes.
    Major,
}

impl Bump {
    /// The version after this bump, from a plain `MAJOR.MINOR.PATCH`.
    ///
    /// Below 1.0.0 this follows cargo, whose `^0.y.z` requirement treats
    /// `0.y` as the major version: a breaking change bumps the minor
    /// (0.1.0 -> 0.2.0) and a compatible or documentation change bumps the
    /// patch (0.1.0 -> 0.1.1). The same rule applies to 0.0.z, where cargo
    /// considers even a patch bump incompatible, which errs on the safe
    /// side. [`Bump::None`] returns the version unchanged (still checked).
    ///
    /// Pre-release and build suffixes (`1.0.0-rc.1`, `1.0.0+abc`) are
    /// rejected rather than guessed at: what follows a pre-release is a
    /// release decision, not something a diff can compute.
    pub fn apply(&self, version: &str) -> Result<String, String> {
        let (major, minor, patch) = parse_version(version)?;
        let overflow =
            || format!("version `{version}` cannot be bumped: a component would overflow");
        let inc = |n: u64| n.checked_add(1).ok_or_else(overflow);
        let (major, minor, patch) = match (self, major) {
            (Bump::None, _) => (major, minor, patch),
            (Bump::Major, 0) => (0, inc(minor)?, 0),
            (Bump::Minor | Bump::Patch, 0) => (0, minor, inc(patch)?),
            (Bump::Major, _) => (inc(major)?, 0, 0),
            (Bump::Minor, _) => (major, inc(minor)?, 0),
            (Bump::Patch, _) => (major, minor, inc(patch)?),
        };
        Ok(format!("{major}.{minor}.{patch}"))
    }

    /// Lower-case name: `none`, `patch`, `minor`, `major`.
    pub fn label(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// `MAJOR.MINOR.PATCH` as semver spells it: decimal digits, no leading
/// zeros, nothing around it.
fn parse_version(version: &str) -> Result<(u64, u64, u64), String> {
    if version.contains(['-', '+']) {
        return Err(format!(
            "version `{version}` has a pre-release or build suffix; only plain MAJOR.MINOR.PATCH can be bumped"
        ));
    }
    let parts: Vec<&str> = version.split('.').collect();
    let [major, minor, patch] = parts.as_slice() else {
        return Err(format!("version `{version}` is not MAJOR.MINOR.PATCH"));
    };
    let number = |part: &str| -> Result<u64, String> {
        let digits = !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if !digits || (part.len() > 1 && part.starts_with('0')) {
            return Err(format!(
                "version `{version}`: `{part}` is not a semver number"
            ));
        }
        part.parse()
            .map_err(|_| format!("version `{version}`: `{part}` is too large"))
    };
    Ok((number(major)?, number(minor)?, number(patch)?))
}

impl Report {
    /// A report from changes in any order: sorts them and computes the bump.
    pub fn from_changes(mut changes: Vec<Change>) -> Report {
        changes.sort_by(|a, b| {
            (&a.subject, a.kind, a.impact, &a.detail)
                .cmp(&(&b.subject, b.kind, b.impact, &b.detail))
        });
        changes.dedup();
        let bump = changes
            .iter()
            .map(|c| c.impact.bump())
            .max()
            .unwrap_or(Bump::None);
        Report { changes, bump }
    }

    /// Whether the two IRs are the same as far as the crate is concerned.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Plain text for a terminal: one section per impact with a count, then
    /// a `Semver: ...` line; `no API changes` when there is nothing.
    pub fn render_text(&self) -> String {
        render::text(self)
    }

    /// Markdown sections (`### Breaking changes`, ...) to paste under a
    /// version heading of `CHANGELOG.md`.
    pub fn render_markdown(&self) -> String {
        render::markdown(self)
    }

    /// Pretty-printed JSON: `{"changes": [{"kind", "impact", "subject",
    /// "detail"}], "bump"}` with snake_case enum values.
    pub fn to_json(&self) -> String {
        // Strings and unit enums only: serialization cannot fail.
        serde_json::to_string_pretty(self).expect("a report serializes to JSON")
    }
}
