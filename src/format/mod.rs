//! `slac fmt`: one canonical layout for `.sla` files. Text in, text out, beside the
//! stages: it reads the agreement's text line by line and changes only whitespace —
//! never a token, a string or a comment's text — so the formatted file says exactly
//! what the original said (tests compare the syntax trees). A file that does not
//! parse is never formatted.
//!
//! The layout:
//! - two spaces of indentation per open `{` or `(`; a line starting with a closing
//!   bracket sits at its opener's depth; a line that does not start a clause of its
//!   block (the rest of a long `metric` definition) is indented one more level;
//! - one space between tokens that were apart, none added between tokens that
//!   touched, except one space on each side of `=`, `==`, `!=`, `>=` and `<=`;
//! - at most one blank line in a row, none after an opening brace, before a closing
//!   one, or at the start and end of the file; lines end in `\n`, without trailing
//!   blanks;
//! - comments keep their text: a comment on its own line is indented like code, one
//!   after code follows it after one space;
//! - in a run of `input`s or `let`s the `=` signs line up, in a run of `metric`s the
//!   descriptions, in a dataset the `column` types, and in a `bands` block the
//!   conditions and the remedies.

mod align;
mod line;

use crate::Compiled;
use crate::diagnostic::Kind;

pub use line::{Line, read as read_line};

/// The file in canonical layout; `None` when it does not parse (or cannot be
/// read), since a layout of a file slac cannot read could change what it says.
pub fn format(compiled: &Compiled) -> Option<String> {
    let unreadable = compiled
        .diagnostics
        .iter()
        .any(|d| matches!(d.kind, Kind::Source(_) | Kind::Syntax(_)));
    if unreadable || compiled.agreement.is_none() {
        return None;
    }
    Some(format_text(&compiled.file.text))
}

/// The canonical layout of text that parses (callers check that first).
pub fn format_text(text: &str) -> String {
    let mut lines: Vec<Line> = Vec::new();
    // Each open block: the first word of the line that opened it (to know a
    // `bands { … }` block) and the depth of its content — one more than that line,
    // which may itself be indented as the continuation of a clause.
    let mut open: Vec<(String, usize)> = Vec::new();
    for raw in text.lines() {
        let parsed = line::read(raw);
        let closing_first = parsed.leading_closers().min(open.len());
        let enclosing = open.len() - closing_first;
        let (block, content) = enclosing
            .checked_sub(1)
            .and_then(|i| open.get(i))
            .cloned()
            .unwrap_or_default();
        // A line that does not start a clause continues the one before it.
        let continues = !parsed.is_blank()
            && !parsed.pieces.is_empty()
            && closing_first == 0
            && !starts_clause(&block, parsed.first_word());
        // A line that starts by closing blocks sits where the line that opened the
        // outermost of them did.
        let own_depth = if closing_first > 0 {
            open.get(enclosing).map_or(0, |(_, d)| d.saturating_sub(1))
        } else {
            content + usize::from(continues)
        };
        let mut opened = own_depth;
        for delta in parsed.brackets() {
            match delta {
                line::Bracket::Brace => {
                    opened += 1;
                    open.push((parsed.first_word().to_owned(), opened));
                }
                line::Bracket::Paren => {
                    opened += 1;
                    open.push(("(".to_owned(), opened));
                }
                line::Bracket::Close => {
                    if let Some((_, d)) = open.pop() {
                        opened = d.saturating_sub(1);
                    }
                }
            }
        }
        lines.push(Line {
            depth: own_depth,
            block,
            ..parsed
        });
    }
    align::align(&mut lines);
    render(&lines)
}

/// The words a clause can start with in a block opened by a line starting with
/// `opener`; `None` where every line is a clause of its own (a `bands`, `per` or
/// `segment` block, a bracketed group, the top level).
fn clause_words(opener: &str) -> Option<&'static [&'static str]> {
    Some(match opener {
        "agreement" => &[
            "obligation",
            "metric",
            "input",
            "let",
            "party",
            "remedy",
            "tier",
            "segment",
            "summary",
            "kind",
            "period",
            "effective",
            "cap",
            "terminate",
            "calendar",
            "consequences",
            "dataset",
        ],
        "party" => &["contact"],
        "dataset" => &["column", "key", "owner", "expect", "zone", "delimiter"],
        "obligation" => &[
            "summary", "by", "for", "tier", "requires", "promise", "deliver", "bands", "per",
            "remedy",
        ],
        "remedy" => &["action", "responsible", "strike", "credit"],
        "calendar" => &["zone", "hours", "holiday"],
        _ => return None,
    })
}

/// Whether a line whose first word is `word` starts a clause in its block.
fn starts_clause(opener: &str, word: &str) -> bool {
    clause_words(opener).is_none_or(|words| words.contains(&word))
}

/// Lines to text: indentation, blank lines kept to one where they separate things.
fn render(lines: &[Line]) -> String {
    let mut out = String::with_capacity(lines.len() * 40);
    let mut blank_pending = false;
    let mut previous_opens = true; // the start of the file acts as an opener
    for l in lines {
        if l.is_blank() {
            blank_pending = true;
            continue;
        }
        let closes = l.leading_closers() > 0;
        if blank_pending && !previous_opens && !closes {
            out.push('\n');
        }
        blank_pending = false;
        for _ in 0..l.depth {
            out.push_str("  ");
        }
        out.push_str(&l.text());
        out.push('\n');
        previous_opens = l.ends_open();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::format_text;

    #[test]
    fn whitespace_becomes_canonical_and_tokens_stay() {
        let messy = "\n\n// head\nagreement \"A  b\" {\r\n\n\tsummary   \"x  y\"   // keep  this\n  party a{contact \"A\" <a@example.com>}\n\n\n\n  input q=5000 EUR\n  input share   =   100%\n  metric mqls: count \"Leads\"\n  metric follow_up_time: duration \"Time\"\n  obligation o {\n\n    promise mqls>=q\n    bands {\n      met when mqls >= q\n      at_risk when mqls >= 90% * q remedy review\n      missed remedy strike\n    }\n\n  }\n}\n\n\n";
        let expected = "// head\nagreement \"A  b\" {\n  summary \"x  y\" // keep  this\n  party a{contact \"A\" <a@example.com>}\n\n  input q     = 5000 EUR\n  input share = 100%\n  metric mqls: count              \"Leads\"\n  metric follow_up_time: duration \"Time\"\n  obligation o {\n    promise mqls >= q\n    bands {\n      met     when mqls >= q\n      at_risk when mqls >= 90% * q remedy review\n      missed                       remedy strike\n    }\n  }\n}\n";
        let once = format_text(messy);
        assert_eq!(once, expected);
        assert_eq!(format_text(&once), once);
    }

    #[test]
    fn a_contact_address_is_kept_as_written() {
        let text = "agreement \"A\" {\n  party p { contact \"N\" <=x@example.com> }\n}\n";
        assert_eq!(format_text(text), text);
    }

    #[test]
    fn a_block_opened_by_a_continuation_line_is_indented_under_it() {
        let messy = "agreement \"A\" {\nobligation o {\npromise every leads from a to b\nwithin per segment {\nexecutive: 30min\nmanager: 1d\n}\nat least 80%\n}\n}\n";
        let expected = "agreement \"A\" {\n  obligation o {\n    promise every leads from a to b\n      within per segment {\n        executive: 30min\n        manager: 1d\n      }\n      at least 80%\n  }\n}\n";
        let once = format_text(messy);
        assert_eq!(once, expected);
        assert_eq!(format_text(&once), once);
    }
}
