//! What each generated file is made from, so that a caller can tell that a
//! file has not changed without generating it.
//!
//! Every file's emitter is handed exactly the [`Inputs`] listed here: the
//! file's own action or structure, and an `Api` whose other parts are empty
//! (a "view"), its actions without their prose ([`without_docs`]) unless
//! the file lists [`Parts::action_docs`]. So the file is a function of its
//! inputs and the generator,
//! by construction rather than by reading the emitters: an emitter that
//! starts reading a part its file does not list sees that part empty, and
//! the test at the end of this module, which compares every file made from
//! its view with the file made from the whole IR, fails and names it.

use apidoc::ir::{Action, Api, Struct};
use std::sync::OnceLock;

/// Which parts of the `Api` a file's emitter is handed. The `service` part
/// (`service.toml`'s settings) comes with every view, even to an emitter
/// that takes no `Api` today, so that one that starts to read it is still
/// covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts {
    /// `api.actions`, every action.
    pub actions: bool,
    /// With `actions`: their prose too (the description and the doc of
    /// each field). Files that list the actions leave it out, so that
    /// editing one action's text regenerates that action's file alone;
    /// without it the view holds [`without_docs`] of each action.
    pub action_docs: bool,
    /// `api.structs`, every structure.
    pub structs: bool,
    /// `api.error_codes`, every error code.
    pub error_codes: bool,
    /// `api.session`, the client's own login.
    pub session: bool,
    /// `api.channel`, the WebSocket channel.
    pub channel: bool,
}

impl Parts {
    /// `service` alone.
    pub const SERVICE: Parts = Parts {
        actions: false,
        action_docs: false,
        structs: false,
        error_codes: false,
        session: false,
        channel: false,
    };
    /// The whole `Api`.
    pub const ALL: Parts = Parts {
        actions: true,
        action_docs: true,
        structs: true,
        error_codes: true,
        session: true,
        channel: true,
    };

    /// A different number below [`VIEWS`] for each combination of parts.
    fn index(self) -> usize {
        usize::from(self.actions)
            | usize::from(self.structs) << 1
            | usize::from(self.error_codes) << 2
            | usize::from(self.session) << 3
            | usize::from(self.channel) << 4
            | usize::from(self.action_docs) << 5
    }
}

/// An action without its prose: its description and every field's doc
/// emptied. What a view without [`Parts::action_docs`] holds, and what a
/// cache must key such a view by.
pub fn without_docs(action: &Action) -> Action {
    let strip = |fields: &[apidoc::ir::Field]| {
        fields
            .iter()
            .map(|f| apidoc::ir::Field {
                doc: String::new(),
                ..f.clone()
            })
            .collect()
    };
    Action {
        doc: String::new(),
        inputs: strip(&action.inputs),
        outputs: strip(&action.outputs),
        ..action.clone()
    }
}

/// The action or structure a file is about, beyond its view.
#[derive(Debug, Clone, Copy)]
pub enum Item<'a> {
    /// A file about the whole crate (or about nothing: a fixed file).
    None,
    /// `src/actions/<method>.rs`.
    Action(&'a Action),
    /// `src/structs/<module>.rs` (the module name is in the path).
    Struct(&'a Struct),
}

/// Everything one generated file is made from, besides the generator
/// itself and the caller's [`crate::Options`] (which every file may read).
#[derive(Debug, Clone)]
pub struct Inputs<'a> {
    /// The file's path, which also says what kind of file it is.
    pub path: String,
    /// The view its emitter is handed.
    pub parts: Parts,
    /// Its own action or structure.
    pub item: Item<'a>,
}

/// The inputs of every file [`crate::generate`] makes, sorted by path.
pub fn inputs(api: &Api) -> Vec<Inputs<'_>> {
    let mut all: Vec<_> = crate::jobs(api)
        .iter()
        .map(|j| Inputs {
            path: j.path(),
            parts: j.parts(),
            item: j.item(),
        })
        .collect();
    all.sort_by(|a, b| a.path.cmp(&b.path));
    all
}

/// How many different views there can be: one per combination of the six
/// flags of [`Parts`] ([`Parts::index`]).
const VIEWS: usize = 1 << 6;

/// The views of one `Api`, each made once, when a file first needs it.
pub(crate) struct Views<'a> {
    api: &'a Api,
    made: [OnceLock<Api>; VIEWS],
}

impl<'a> Views<'a> {
    pub(crate) fn new(api: &'a Api) -> Views<'a> {
        Views {
            api,
            made: std::array::from_fn(|_| OnceLock::new()),
        }
    }

    /// `api` with only `parts` (and the service) filled in.
    pub(crate) fn get(&self, parts: Parts) -> &Api {
        if parts == Parts::ALL {
            return self.api;
        }
        // No `..`: a new part of the IR does not compile until it is given
        // to the views that need it.
        let Api {
            service,
            actions,
            structs,
            error_codes,
            session,
            channel,
        } = self.api;
        self.made[parts.index()].get_or_init(|| Api {
            service: service.clone(),
            actions: match (parts.actions, parts.action_docs) {
                (true, true) => actions.clone(),
                (true, false) => actions.iter().map(without_docs).collect(),
                (false, _) => Vec::new(),
            },
            structs: if parts.structs {
                structs.clone()
            } else {
                Vec::new()
            },
            error_codes: if parts.error_codes {
                error_codes.clone()
            } else {
                Vec::new()
            },
            session: session.clone().filter(|_| parts.session),
            channel: channel.clone().filter(|_| parts.channel),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Emitted, Options, jobs};

    fn text(e: Emitted) -> String {
        match e {
            Emitted::Rust(tokens) => tokens.to_string(),
            Emitted::Text(text) => text,
        }
    }

    /// Each file made from its declared inputs is the file made from the
    /// whole IR: no emitter reads a part its file does not list. If this
    /// fails, add the part to the file's `Job::parts` in `lib.rs`.
    #[test]
    fn every_file_is_made_from_its_declared_inputs_only() {
        let specs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs");
        let loaded = apidoc::load_dir(&specs).expect("the project's specs");
        let api = &loaded.api;
        assert!(!api.actions.is_empty() && !api.structs.is_empty() && !api.error_codes.is_empty());
        let options = Options {
            runtime_path: "../crates/runtime".into(),
            standalone: false,
            readme_doctests: Some("../../README.md".into()),
        };
        let views = Views::new(api);
        let mut scoped = 0;
        for job in jobs(api) {
            let from_view = text(job.emit(&views, &options));
            let from_whole = text(job.emit_with(api, &options));
            assert!(
                from_view == from_whole,
                "{} reads more of the IR than its inputs ({:?}) say",
                job.path(),
                job.parts()
            );
            scoped += usize::from(job.parts() != Parts::ALL);
        }
        assert!(scoped > api.actions.len(), "{scoped}");
    }

    #[test]
    fn inputs_list_every_generated_file() {
        let specs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs");
        let loaded = apidoc::load_dir(&specs).expect("the project's specs");
        let options = Options {
            runtime_path: "/runtime".into(),
            standalone: true,
            readme_doctests: None,
        };
        let files = crate::generate(&loaded.api, &options).unwrap();
        let paths: Vec<_> = inputs(&loaded.api).into_iter().map(|i| i.path).collect();
        let generated: Vec<_> = files.iter().map(|f| f.path.clone()).collect();
        assert_eq!(paths, generated);
        // Half the files, by path: exactly those come back.
        let wanted = |p: &str| p.len().is_multiple_of(2);
        let some = crate::generate_only(&loaded.api, &options, &wanted).unwrap();
        let expected: Vec<_> = files.into_iter().filter(|f| wanted(&f.path)).collect();
        assert!(some == expected);
    }
}
