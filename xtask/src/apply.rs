//! Making checked changes and saying how it went: the last step of both
//! `codegen` and `import`, so that both report a failed write the same way.

/// Makes `prepared`'s changes; on failure prints why and, when every file
/// was put back, `undone` (what the user may rely on), and returns false.
/// Backups that could not be removed afterwards are only warned about:
/// the changes themselves were made.
///
/// A Ctrl-C meanwhile is held until the change is made or undone (see
/// [`crate::interrupt`]).
pub fn apply(prepared: &disk::Prepared, fs: &mut dyn disk::Fs, undone: &str) -> bool {
    match crate::interrupt::while_changing(|| prepared.apply(fs)) {
        Ok(applied) => {
            for (path, e) in &applied.leftovers {
                eprintln!(
                    "warning: could not remove the backup {}: {e}",
                    path.display()
                );
            }
            true
        }
        Err(failed) => {
            eprintln!("error: {failed}");
            if failed.unrestored.is_empty() {
                eprintln!("error: {undone}");
            }
            false
        }
    }
}
