//! Rows excluded from a dataset, as a scan finds them: counted by kind, with the
//! first few of each kept as examples, their values made safe to show.

use super::records::Place;
use super::{IssueKind, RowIssue as Issue};

/// Rows excluded, by kind, with the first few of each.
#[derive(Debug, Clone, Default)]
pub struct Quality {
    pub counts: [u64; IssueKind::ALL.len()],
    pub examples: Vec<Issue>,
}

/// The first rows of each kind kept as examples.
pub const EXAMPLES: usize = 5;

impl Issue {
    pub(super) fn new(
        kind: IssueKind,
        at: Place,
        column: u64,
        field: Option<&str>,
        value: &[u8],
        reason: String,
    ) -> Issue {
        Issue {
            kind,
            line: at.line,
            byte: at.byte,
            column,
            len: value.len() as u64,
            field: field.map(str::to_owned),
            value: visible(&String::from_utf8_lossy(value)),
            reason,
        }
    }
}

impl Quality {
    pub(super) fn note(&mut self, issue: Issue) {
        let kind = issue.kind as usize;
        if let Some(c) = self.counts.get_mut(kind) {
            *c += 1;
            if *c <= EXAMPLES as u64 {
                self.examples.push(issue);
            }
        }
    }

    /// Adds another scan of the file (a later piece, or the rows set aside): the
    /// examples kept are the first of each kind in the file, whatever the order.
    pub fn merge(&mut self, other: Quality) {
        for (mine, n) in self.counts.iter_mut().zip(other.counts) {
            *mine += n;
        }
        self.examples.extend(other.examples);
        self.examples
            .sort_by_key(|i| (i.kind as usize, i.line, i.column));
        let mut kept = [0usize; IssueKind::ALL.len()];
        self.examples.retain(|i| {
            let slot = kept.get_mut(i.kind as usize);
            match slot {
                Some(n) if *n < EXAMPLES => {
                    *n += 1;
                    true
                }
                _ => false,
            }
        });
    }
}

/// A value as a report shows it: at most 160 characters, line breaks and other
/// control characters escaped so that they cannot break the report's layout.
pub(super) fn visible(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().take(160) {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}
