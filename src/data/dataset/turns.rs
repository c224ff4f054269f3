//! Pieces of work taken in turn by a few threads: each thread takes the next piece
//! when it finishes one, so a thread on a busy core holds up the end by one small
//! piece, not by its whole share. Results come back in piece order, so that nothing
//! depends on which thread did what.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::records::ScanError;

/// `work(k)` for each piece `k` in `0..pieces`, on up to `threads` threads; the
/// results in piece order. A thread that stopped unexpectedly is an error.
pub fn in_turn<T: Send>(
    pieces: usize,
    threads: usize,
    work: impl Fn(usize) -> Result<T, ScanError> + Sync,
) -> Result<Vec<T>, ScanError> {
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, Result<T, ScanError>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads.clamp(1, pieces.max(1)))
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        if k >= pieces {
                            return done;
                        }
                        done.push((k, work(k)));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join().unwrap_or_else(|_| {
                    vec![(
                        usize::MAX,
                        Err(ScanError::Io("reading stopped unexpectedly".to_owned())),
                    )]
                })
            })
            .collect()
    });
    results.sort_by_key(|(k, _)| *k);
    results.into_iter().map(|(_, r)| r).collect()
}
