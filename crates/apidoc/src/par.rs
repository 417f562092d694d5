//! Work split over the machine's cores, with results in input order, so
//! that what runs in parallel gives what running in sequence gives.
//!
//! Pages are parsed and read one per item, codegen emits and formats one
//! file per item, and the cache hashes one file per item: independent jobs on a list, for which scoped threads over
//! a shared counter or contiguous chunks are enough (no pool).

use std::sync::atomic::{AtomicUsize, Ordering};

/// `f` of consecutive chunks of `items`, one chunk per core when the list
/// has at least `min` items (fewer are not worth a thread), concatenated
/// in order. A panic in `f` is resumed on the calling thread.
pub fn chunks<T: Sync, R: Send>(
    items: &[T],
    min: usize,
    f: impl Fn(&[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || items.len() < min.max(2) {
        return f(items);
    }
    let size = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> = items
            .chunks(size)
            .map(|chunk| scope.spawn(move || f(chunk)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

/// `f` of each item, in order, on every core when the list has at least
/// `min` items. Each thread takes the next item not yet taken, so one
/// large item (the structures page is a third of the specs) does not hold
/// back a whole chunk of others.
pub fn map<T: Sync, R: Send>(items: &[T], min: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || items.len() < min.max(2) {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break done };
            done.push((i, f(item)));
        }
    };
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (1..threads.min(items.len()))
            .map(|_| scope.spawn(work))
            .collect();
        let mine = work();
        let theirs = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        for (i, r) in mine.into_iter().chain(theirs) {
            slots[i] = Some(r);
        }
    });
    slots
        .into_iter()
        .map(|r| r.expect("every index below the length is taken exactly once"))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_come_back_in_input_order() {
        let items: Vec<u32> = (0..1000).collect();
        for min in [0, 1, 999, 1000, 1001] {
            assert_eq!(
                super::map(&items, min, |i| i * 2),
                items.iter().map(|i| i * 2).collect::<Vec<_>>()
            );
        }
        assert!(super::map(&[] as &[u32], 0, |i| *i).is_empty());
        let sums = super::chunks(&items, 0, |chunk| vec![chunk.iter().sum::<u32>()]);
        assert_eq!(sums.iter().sum::<u32>(), items.iter().sum::<u32>());
    }

    #[test]
    fn a_panic_in_a_job_reaches_the_caller() {
        let items: Vec<u32> = (0..64).collect();
        for at in [0, 63] {
            let caught = std::panic::catch_unwind(|| {
                super::map(&items, 0, |&i| {
                    assert!(i != at, "job {i} fails");
                    i
                })
            });
            assert!(caught.is_err(), "the panic of job {at} was lost");
        }
    }
}
