//! Alignment, as gofmt does it: in a run of lines of one kind at one depth (no
//! blank line between), a column is padded so that it starts at the same place on
//! every line — the `=` of `input`s and `let`s, the description of `metric`s, the
//! type of a dataset's `column`s, and a band's condition and remedy in a `bands`
//! block.

use super::line::Line;

/// Which run a line belongs to, if any.
fn kind(line: &Line) -> Option<&'static str> {
    match line.first_word() {
        _ if line.pieces.is_empty() => None,
        "input" => Some("input"),
        "let" => Some("let"),
        "metric" => Some("metric"),
        "column" => Some("column"),
        _ if line.block == "bands" && !line.pieces.first().is_some_and(|p| p.starts_with('}')) => {
            Some("band")
        }
        _ => None,
    }
}

/// The columns of a line as pieces indices where each column after the first
/// starts, by the kind of line; `None` for a line with nothing to align.
fn columns(line: &Line, kind: &str) -> Vec<Option<usize>> {
    let find = |pred: &dyn Fn(&str) -> bool| line.pieces.iter().position(|p| pred(p));
    match kind {
        "input" | "let" => vec![find(&|p| p == "=")],
        "metric" => vec![find(&|p| p.starts_with('"'))],
        // `column NAME: TYPE …`: the types line up.
        "column" => vec![line.pieces.get(1).filter(|p| p.ends_with(':')).map(|_| 2)],
        // `NAME [as STATUS] [when COND] [remedy …]`: the condition, the remedy.
        _ => {
            let remedy = find(&|p| p == "remedy");
            let cond = find(&|p| p == "when");
            vec![
                cond.or(remedy),
                remedy.filter(|_| cond.is_some()).or(remedy),
            ]
        }
    }
}

/// Pads each run's columns to line up.
pub fn align(lines: &mut [Line]) {
    let mut start = 0;
    while let Some(first) = lines.get(start) {
        let Some(k) = kind(first) else {
            start += 1;
            continue;
        };
        let depth = first.depth;
        let same = |l: &Line| kind(l) == Some(k) && l.depth == depth;
        let len = lines
            .get(start..)
            .map_or(0, |rest| rest.iter().take_while(|l| same(l)).count());
        if let Some(run) = lines.get_mut(start..start + len) {
            align_run(run, k);
        }
        start += len.max(1);
    }
}

/// Width of the text of pieces `from..to`, one space apart.
fn width(pieces: &[String], from: usize, to: usize) -> usize {
    let taken = pieces.get(from..to).unwrap_or_default();
    taken.iter().map(|p| p.chars().count()).sum::<usize>() + taken.len().saturating_sub(1)
}

fn align_run(run: &mut [Line], kind: &str) {
    if run.len() < 2 {
        return;
    }
    let cols: Vec<Vec<Option<usize>>> = run.iter().map(|l| columns(l, kind)).collect();
    let count = cols.first().map_or(0, Vec::len);
    // Column by column: where each line's column starts, counted in characters,
    // given the padding already added before it.
    for c in 0..count {
        let starts: Vec<Option<usize>> = run
            .iter()
            .zip(&cols)
            .map(|(line, cols)| {
                let at = (*cols.get(c)?)?;
                let before = width(&line.pieces, 0, at) + 1;
                let padded: usize = line.pad.iter().map(|(_, n)| n).sum();
                Some(before + padded)
            })
            .collect();
        let Some(target) = starts.iter().flatten().max().copied() else {
            continue;
        };
        for ((line, cols), start) in run.iter_mut().zip(&cols).zip(&starts) {
            if let (Some(Some(at)), Some(start)) = (cols.get(c), start)
                && *start < target
            {
                line.pad.push((*at, target - start));
            }
        }
    }
}
