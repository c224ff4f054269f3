//! The pass over keys alone, before a file is read in pieces: which key
//! fingerprints occur more than once anywhere in the file.
//!
//! The rule is that the first valid row with a key counts and later ones repeat it.
//! Pieces read on several threads cannot know what an earlier piece holds, so the
//! rows whose key occurs twice (0.1 % of a real export) are set aside by the full
//! pass and judged afterwards, in file order. Every other row has a key of its own
//! and is counted where it is read. This pass reads each row's key and nothing
//! else, with the same reader and the same piece boundaries as the full pass, so a
//! repeated key costs a row set aside rather than a second reading of the file.

use std::path::Path;

use rustc_hash::FxHashSet;

use super::records::{Found, Record, Records, ScanError, field_of};
use super::scan::{KEY_BINS, key_bin, key_fingerprint};

/// The key of a row as read: field `field` of a line or of a parsed record.
pub fn key_of<'a>(
    found: &'a Found<'_>,
    record: &'a Record,
    field: usize,
    delimiter: u8,
) -> &'a [u8] {
    match found {
        Found::Line(_, line) => field_of(line, delimiter, field).unwrap_or_default(),
        Found::Record(_) => record.get(field).unwrap_or_default(),
    }
}

/// Fingerprints of the keys in `from..to`, in [`KEY_BINS`] lists by their top bits.
fn piece_keys(
    path: &Path,
    from: u64,
    to: u64,
    field: usize,
    delimiter: u8,
) -> Result<Vec<Vec<u64>>, ScanError> {
    let io = |e: std::io::Error| ScanError::Io(e.to_string());
    let file = std::fs::File::open(path).map_err(io)?;
    let mut reader = Records::new(file, from, delimiter).map_err(io)?;
    let mut record = Record::default();
    let mut bins: Vec<Vec<u64>> = vec![Vec::new(); KEY_BINS];
    while let Some(found) = reader.read(&mut record).map_err(io)? {
        let place = match &found {
            Found::Line(place, _) | Found::Record(place) => *place,
        };
        if place.byte >= to {
            break;
        }
        let fingerprint = key_fingerprint(key_of(&found, &record, field, delimiter));
        if let Some(bin) = bins.get_mut(key_bin(fingerprint)) {
            bin.push(fingerprint);
        }
    }
    Ok(bins)
}

/// The fingerprints that occur more than once among the keys of the pieces that
/// start at `starts` (the last entry is the end of the file), read on `threads`.
pub fn repeated(
    path: &Path,
    starts: &[u64],
    field: usize,
    delimiter: u8,
    threads: usize,
) -> Result<FxHashSet<u64>, ScanError> {
    let pieces = starts.len().saturating_sub(1);
    let read = |k: usize| {
        let from = starts.get(k).copied().unwrap_or(0);
        let to = starts.get(k + 1).copied().unwrap_or(from);
        piece_keys(path, from, to, field, delimiter)
    };
    let per_piece = super::turns::in_turn(pieces, threads, read)?;
    // Bin by bin on the threads: each bin's fingerprints from every piece, gathered
    // and sorted by the thread that owns the bin.
    let bins: Vec<usize> = (0..KEY_BINS).collect();
    let chunk = KEY_BINS.div_ceil(threads.max(1));
    let per_piece = &per_piece;
    let found: Vec<Result<Vec<u64>, ScanError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = bins
            .chunks(chunk.max(1))
            .map(|owned| {
                scope.spawn(move || {
                    let mut repeated = Vec::new();
                    let mut all = Vec::new();
                    for bin in owned {
                        all.clear();
                        for piece in per_piece {
                            all.extend_from_slice(piece.get(*bin).map_or(&[][..], Vec::as_slice));
                        }
                        all.sort_unstable();
                        for pair in all.windows(2) {
                            if let [a, b] = pair
                                && a == b
                                && repeated.last() != Some(a)
                            {
                                repeated.push(*a);
                            }
                        }
                    }
                    repeated
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().map_err(|_| {
                    ScanError::Io("finding repeated keys stopped unexpectedly".to_owned())
                })
            })
            .collect()
    });
    let mut out = FxHashSet::default();
    for repeated in found {
        out.extend(repeated?);
    }
    Ok(out)
}
