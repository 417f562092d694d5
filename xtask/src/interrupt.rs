//! Ctrl-C and SIGTERM while files are being changed.
//!
//! Killed half-way through `apply`, a run would leave staged files and a
//! crate with some modules gone and others not yet in place: exactly what
//! "all or nothing" rules out. So a signal that arrives while files are
//! being changed is held until the change has finished (or been undone),
//! and the process exits then, with 130 as a shell's Ctrl-C does; at any
//! other time it exits at once, having changed nothing.

use std::sync::atomic::{AtomicBool, Ordering};

/// The process's gate, which the handler and [`while_changing`] share.
static GATE: Gate = Gate::new();

/// The exit status of a run stopped by a signal.
const INTERRUPTED: i32 = 130;

/// Installs the handler for the whole process. Without it (another
/// handler is installed, or the platform refuses) a signal stops the run
/// wherever it is, as it would anyway; the next codegen cleans up.
pub fn install() -> Result<(), ctrlc::Error> {
    ctrlc::set_handler(|| {
        if GATE.signal() {
            eprintln!("interrupted: finishing the change of files first");
        } else {
            std::process::exit(INTERRUPTED);
        }
    })
}

/// Runs `change` with signals held, then exits if one came meanwhile.
pub fn while_changing<T>(change: impl FnOnce() -> T) -> T {
    let (out, signalled) = GATE.hold(change);
    if signalled {
        eprintln!("interrupted: the change of files was completed first, then the run stopped");
        std::process::exit(INTERRUPTED);
    }
    out
}

/// Whether files are being changed, and whether a signal came meanwhile.
struct Gate {
    changing: AtomicBool,
    pending: AtomicBool,
}

impl Gate {
    const fn new() -> Gate {
        Gate {
            changing: AtomicBool::new(false),
            pending: AtomicBool::new(false),
        }
    }

    /// A signal came: whether it is held (files are being changed), or
    /// the process should exit now.
    fn signal(&self) -> bool {
        self.pending.store(true, Ordering::SeqCst);
        self.changing.load(Ordering::SeqCst)
    }

    /// `change` with signals held, and whether one came meanwhile.
    fn hold<T>(&self, change: impl FnOnce() -> T) -> (T, bool) {
        self.pending.store(false, Ordering::SeqCst);
        self.changing.store(true, Ordering::SeqCst);
        let out = change();
        self.changing.store(false, Ordering::SeqCst);
        (out, self.pending.load(Ordering::SeqCst))
    }
}

#[cfg(test)]
mod tests {
    use super::Gate;

    #[test]
    fn a_signal_is_held_only_while_files_change() {
        let gate = Gate::new();
        let (held, signalled) = gate.hold(|| gate.signal());
        assert!(
            held && signalled,
            "held during a change, and reported after it"
        );
        let (_, signalled) = gate.hold(|| ());
        assert!(!signalled, "a change without a signal runs to its end");
        assert!(!gate.signal(), "outside a change the process exits at once");
    }
}
