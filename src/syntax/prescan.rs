//! A linear scan before parsing: bracket balance, nesting depth and unterminated
//! strings. The PEG parser recurses once per open bracket, so depth must be bounded
//! before it runs; and a missing `}` is best explained by pointing at the block that
//! lost it, which the scan can do with indentation while the parser cannot.

use miette::SourceSpan;

use super::error::SyntaxError;

/// More than any agreement needs (an obligation's bands sit at depth three).
pub const MAX_NESTING: usize = 64;

struct Open {
    delimiter: u8,
    at: usize,
    indent: usize,
}

/// What the scan found.
pub struct Scan {
    /// Structural problems; when empty, the parser may run.
    pub errors: Vec<SyntaxError>,
    /// Where lines of the form `obligation NAME {` start at the top level of the
    /// agreement: places where a large file can be cut into pieces parsed apart.
    pub obligation_starts: Vec<usize>,
}

pub fn scan(text: &str) -> Scan {
    let mut obligation_starts = Vec::new();
    let errors = scan_into(text, &mut obligation_starts);
    Scan {
        errors,
        obligation_starts,
    }
}

fn scan_into(text: &str, obligation_starts: &mut Vec<usize>) -> Vec<SyntaxError> {
    let bytes = text.as_bytes();
    let mut errors = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    // The first block whose `}` sits at another indentation than its opening line:
    // the likeliest place for a forgotten brace.
    let mut suspect: Option<usize> = None;
    // The first `}` at another indentation than the line that opened its block, with
    // that opening: when a later `}` has nothing to close, this is the likely extra.
    let mut early_close: Option<(usize, usize)> = None;
    // Tracked as the scan goes, so that a file of one huge line stays linear.
    let mut line_start = 0;
    let mut only_blanks_so_far = true;
    let mut indent = 0;
    // Once the outermost block closes, later text is outside the agreement.
    let mut top_closed = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let first_on_line = only_blanks_so_far;
        match b {
            b'\n' => {
                line_start = i + 1;
                only_blanks_so_far = true;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            _ => {
                if only_blanks_so_far {
                    indent = i - line_start;
                    let in_agreement_body = !top_closed
                        && stack.len() == 1
                        && stack.first().is_some_and(|o| o.delimiter == b'{');
                    if b == b'o' && in_agreement_body && opens_obligation(bytes, i) {
                        obligation_starts.push(line_start);
                    }
                }
                only_blanks_so_far = false;
            }
        }
        match b {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = line_end(bytes, i);
                continue;
            }
            b'"' => {
                let end = line_end(bytes, i + 1);
                match bytes
                    .get(i + 1..end)
                    .and_then(|s| s.iter().position(|&c| c == b'"'))
                {
                    Some(close) => i += close + 2,
                    None => {
                        errors.push(SyntaxError::UnterminatedString {
                            span: span(i, end.saturating_sub(i).max(1)),
                        });
                        i = end;
                    }
                }
                continue;
            }
            b'{' | b'(' => {
                if stack.len() >= MAX_NESTING {
                    errors.push(SyntaxError::NestingTooDeep {
                        limit: MAX_NESTING,
                        span: span(i, 1),
                    });
                    return errors;
                }
                stack.push(Open {
                    delimiter: b,
                    at: i,
                    indent,
                });
            }
            b'}' | b')' => match stack.pop() {
                None => errors.push(match early_close.take() {
                    Some((close, opened)) if b == b'}' => SyntaxError::EarlyClosing {
                        span: span(close, 1),
                        stray: span(i, 1),
                        opened: span(opened, 1),
                    },
                    _ => SyntaxError::UnexpectedClosing {
                        delimiter: char::from(b),
                        span: span(i, 1),
                    },
                }),
                Some(open) if closer(open.delimiter) != b => {
                    errors.push(SyntaxError::Mismatched {
                        open: char::from(open.delimiter),
                        close: char::from(b),
                        expected: char::from(closer(open.delimiter)),
                        open_span: span(open.at, 1),
                        span: span(i, 1),
                    });
                    return errors;
                }
                Some(open) => {
                    top_closed |= stack.is_empty();
                    if b == b'}' && first_on_line && indent != open.indent {
                        suspect = suspect.or(Some(open.at));
                        early_close = early_close.or(Some((i, open.at)));
                    }
                }
            },
            _ => {}
        }
        i += 1;
    }
    if let Some(open) = stack.last() {
        let delimiter = char::from(open.delimiter);
        let (at, help) = match suspect {
            Some(at) if open.delimiter == b'{' => (
                at,
                "add the missing `}` where this block ends; the indentation suggests it is \
                 this one"
                    .to_owned(),
            ),
            _ => (
                open.at,
                format!(
                    "add `{}` where this part ends",
                    char::from(closer(open.delimiter))
                ),
            ),
        };
        errors.push(SyntaxError::Unclosed {
            delimiter,
            span: span(at, 1),
            help,
        });
    }
    errors
}

fn closer(open: u8) -> u8 {
    if open == b'(' { b')' } else { b'}' }
}

fn span(at: usize, len: usize) -> SourceSpan {
    SourceSpan::new(at.into(), len)
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes
        .get(from..)
        .and_then(|rest| rest.iter().position(|&c| c == b'\n'))
        .map_or(bytes.len(), |p| from + p)
}

/// Whether `obligation NAME {` starts at `at`. No other item can continue onto such a
/// line, which makes its start a safe place to cut.
fn opens_obligation(bytes: &[u8], at: usize) -> bool {
    let Some(rest) = bytes.get(at..).and_then(|r| r.strip_prefix(b"obligation")) else {
        return false;
    };
    let blanks = |s: &[u8]| s.iter().take_while(|&&c| c == b' ' || c == b'\t').count();
    let gap = blanks(rest);
    let Some(rest) = rest.get(gap..).filter(|_| gap > 0) else {
        return false;
    };
    let name = rest
        .iter()
        .take_while(|&&c| c.is_ascii_alphanumeric() || c == b'_')
        .count();
    let Some(rest) = rest.get(name..).filter(|_| name > 0) else {
        return false;
    };
    rest.get(blanks(rest)) == Some(&b'{')
}
