//! The report people read: each diagnostic rendered by miette, then one line a file.

use crate::Compiled;
use crate::diagnostic::{HumanRenderer, Severity};
use crate::syntax::ast::Item;

/// All diagnostics of one file, rendered.
pub fn diagnostics(compiled: &Compiled, renderer: &HumanRenderer) -> String {
    compiled
        .diagnostics
        .iter()
        .map(|d| renderer.render(d, &compiled.file))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One line saying whether the file is valid and what it holds.
pub fn summary(compiled: &Compiled) -> String {
    let errors = compiled.count(Severity::Error);
    let warnings = compiled.count(Severity::Warning);
    let name = &compiled.file.name;
    let warnings_text = match warnings {
        0 => String::new(),
        1 => ", 1 warning".to_owned(),
        n => format!(", {n} warnings"),
    };
    if compiled.is_valid() {
        let contents = compiled
            .agreement
            .as_ref()
            .map(|a| {
                let count = |f: fn(&Item) -> bool| a.items.iter().filter(|i| f(i)).count();
                format!(
                    " ({}, {}, {})",
                    plural(count(|i| matches!(i, Item::Obligation(_))), "obligation"),
                    plural(count(|i| matches!(i, Item::Party(_))), "party"),
                    plural(count(|i| matches!(i, Item::Metric(_))), "metric"),
                )
            })
            .unwrap_or_default();
        format!("ok: {name} is valid{contents}{warnings_text}")
    } else {
        let errors_text = plural(errors, "error");
        format!("failed: {name} has {errors_text}{warnings_text}")
    }
}

fn plural(n: usize, word: &str) -> String {
    match (n, word) {
        (1, _) => format!("1 {word}"),
        (_, "party") => format!("{n} parties"),
        _ => format!("{n} {word}s"),
    }
}
