//! `slac report`: one self-contained HTML page both teams look at — where every
//! obligation stands in a period, the period's progress against its pro-rata goal
//! line, each obligation period by period, the per-row promises' worst rows, and the
//! whole history as a grid. One more emitter over the same evaluation as `check`'s:
//! the page holds no script and fetches nothing (a Content-Security-Policy says so),
//! so it opens offline, in a mail attachment, and prints.

mod charts;
mod page;
mod sections;
mod weeks;

use std::io::{self, Write};

use super::{Emitter, Run};
use crate::model::period::Period;

/// What to show.
#[derive(Debug, Clone, Default)]
pub struct Html {
    /// The period the overview and progress charts are about; `None` for the one
    /// containing `--as-of`, else the last one judged.
    pub period: Option<Period>,
    /// Only what this party owes and is owed.
    pub party: Option<String>,
}

impl Emitter for Html {
    /// The page to `stdout`; nothing to `stderr`: the page itself counts the data's
    /// warnings, and `slac check` with the same data tells them.
    fn emit(&self, run: Run<'_>, stdout: &mut dyn Write, _: &mut dyn Write) -> io::Result<()> {
        let Run::Evaluated {
            compiled,
            evaluated,
        } = run
        else {
            return Ok(());
        };
        let (Some(model), Some(evaluation)) = (compiled.model(), &evaluated.evaluation) else {
            return Ok(());
        };
        let page = render(&page::Page {
            model,
            evaluation,
            files: &evaluated.data,
            period: self.period,
            party: self.party.as_deref(),
        });
        stdout.write_all(page.as_bytes())
    }
}

/// The page, section by section, in the order people read it.
fn render(page: &page::Page<'_>) -> String {
    let mut out = String::with_capacity(64 << 10);
    page::head(page, &mut out);
    out.push_str("<main>\n");
    sections::overview(page, &mut out);
    sections::progress(page, &mut out);
    weeks::weeks(page, &mut out);
    sections::trends(page, &mut out);
    sections::rows(page, &mut out);
    sections::history(page, &mut out);
    page::about(page, &mut out);
    out.push_str("</main>\n");
    page::foot(page, &mut out);
    out
}
