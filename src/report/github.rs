//! `--format github`: GitHub Actions workflow commands, one per diagnostic, so that
//! each problem shows on its line of the pull request's diff (an agreement's line,
//! or a metrics or dataset file's row). Then, as the log's plain text, the same
//! summary or table the human format prints on stdout.

use std::io::{self, Write};

use super::{Emitter, Located, Run, located};
use crate::diagnostic::Severity;

/// Workflow commands on stdout; nothing on stderr (Actions reads commands from
/// stdout, and mixing streams would reorder them in the log).
pub struct Github;

impl Emitter for Github {
    fn emit(&self, run: Run<'_>, stdout: &mut dyn Write, _: &mut dyn Write) -> io::Result<()> {
        for l in super::for_reading(located(run)) {
            writeln!(stdout, "{}", command(&l))?;
        }
        match run {
            Run::Checked(compiled) => {
                for c in compiled {
                    writeln!(stdout, "{}", super::human::summary(c))?;
                }
            }
            Run::Evaluated {
                compiled,
                evaluated,
            } => match &evaluated.evaluation {
                None => writeln!(
                    stdout,
                    "failed: the data for {} has errors; nothing was evaluated",
                    compiled.file.name
                )?,
                Some(evaluation) => write!(stdout, "{}", super::evaluation::table(evaluation))?,
            },
        }
        Ok(())
    }
}

/// One workflow command: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=CODE::…`.
pub fn command(l: &Located<'_>) -> String {
    let d = &l.diagnostic;
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Advice => "notice",
    };
    let mut properties = vec![format!("file={}", property(&l.file.name))];
    if let Some(span) = d.primary_span() {
        let at = l.file.locate(span);
        properties.push(format!("line={}", at.line));
        properties.push(format!("col={}", at.column));
        properties.push(format!("endLine={}", at.end_line));
        // Actions takes a column range only within one line.
        if at.end_line == at.line {
            properties.push(format!("endColumn={}", at.end_column));
        }
    }
    properties.push(format!("title={}", property(&d.code)));
    let mut message = d.message.clone();
    if let Some(label) = d
        .labels
        .iter()
        .find(|l| l.primary)
        .and_then(|l| l.text.as_ref())
    {
        message.push_str(&format!(" ({label})"));
    }
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!("::{level} {}::{}", properties.join(","), data(&message))
}

/// Escapes a command's message as the Actions runner reads it back.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as a message, plus the separators `:` and `,`.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_and_line_breaks_are_escaped() {
        assert_eq!(data("50% of\r\nleads"), "50%25 of%0D%0Aleads");
        assert_eq!(
            property("slac::check::x, a%b"),
            "slac%3A%3Acheck%3A%3Ax%2C a%25b"
        );
        // Escaping is reversible: nothing the runner decodes is left raw.
        let tricky = "a::b,c%0Ad\n";
        let escaped = property(tricky);
        assert!(!escaped.contains([':', ',', '\n']));
        let back = escaped
            .replace("%3A", ":")
            .replace("%2C", ",")
            .replace("%0A", "\n")
            .replace("%0D", "\r")
            .replace("%25", "%");
        assert_eq!(back, tricky);
    }
}
