//! `slac diff OLD.sla NEW.sla` and `slac diff --git REV [FILE...]`: what a change to
//! an agreement means (see `slac::report::diff`). Exits 0 whatever changed; 2 when
//! an agreement on either side does not check or a file cannot be read.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, ExitCode};

use clap::{Args, ValueEnum};

use super::exit;
use super::inputs::{DataArgs, problems};
use slac::report::Run;
use slac::report::diff::{self, Side};

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The agreement before and after (`OLD NEW`); with `--git`, the files to compare
    /// (default: every `.sla` file changed since the revision).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Compare the working tree's files with their text at this git revision.
    #[arg(long, value_name = "REV")]
    pub git: Option<String>,

    /// `text` for a terminal, `markdown` for a pull-request comment.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,

    /// The period to work targets out for (default: the first the new agreement is
    /// in force, shared with the old one).
    #[arg(long, value_name = "PERIOD")]
    pub period: Option<String>,

    /// Data to judge both versions against, to show the outcomes that would differ.
    #[command(flatten)]
    pub data: DataArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Plain text.
    Text,
    /// Markdown for a pull-request comment.
    Markdown,
}

/// One comparison: a name, the old text (if the file existed) and the new one.
struct Pair {
    name: String,
    old: Option<(String, Vec<u8>)>,
    new: Option<(String, Vec<u8>)>,
}

pub fn run(args: &DiffArgs) -> ExitCode {
    let pairs = match pairs(args) {
        Ok(pairs) => pairs,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(exit::INVALID);
        }
    };
    let mut out = std::io::stdout().lock();
    let mut invalid = false;
    for pair in pairs {
        let text = match (&pair.old, &pair.new) {
            (None, None) => continue,
            (None, Some(_)) => format!("{}: a new agreement\n", pair.name),
            (Some(_), None) => format!("{}: the agreement was removed\n", pair.name),
            (Some((on, ob)), Some((nn, nb))) => {
                let old = slac::compile_bytes(on, ob.clone());
                let new = slac::compile_bytes(nn, nb.clone());
                match compare(args, &pair.name, &old, &new) {
                    Some(text) => text,
                    None => {
                        invalid = true;
                        continue;
                    }
                }
            }
        };
        if out.write_all(text.as_bytes()).is_err() {
            break;
        }
    }
    ExitCode::from(if invalid { exit::INVALID } else { exit::OK })
}

/// The rendered diff, or `None` after printing why one side cannot be compared.
fn compare(
    args: &DiffArgs,
    name: &str,
    old: &slac::Compiled,
    new: &slac::Compiled,
) -> Option<String> {
    let (Some(om), Some(nm)) = (
        old.model().filter(|_| old.is_valid()),
        new.model().filter(|_| new.is_valid()),
    ) else {
        for c in [old, new].into_iter().filter(|c| !c.is_valid()) {
            problems(Run::Checked(std::slice::from_ref(c)));
        }
        eprintln!("{name}: not compared, because an agreement does not check");
        return None;
    };
    let judged = args.data.given().then(|| {
        let inputs = args.data.inputs();
        (slac::evaluate(old, &inputs), slac::evaluate(new, &inputs))
    });
    if let Some((a, b)) = &judged
        && (a.evaluation.is_none() || b.evaluation.is_none())
    {
        for (c, e) in [(old, a), (new, b)] {
            problems(Run::Evaluated {
                compiled: c,
                evaluated: e,
            });
        }
        eprintln!("{name}: not compared, because the data could not be read");
        return None;
    }
    fn side<'a>(
        compiled: &'a slac::Compiled,
        model: &'a slac::model::Agreement,
        e: Option<&'a slac::Evaluated>,
    ) -> Side<'a> {
        Side {
            compiled,
            model,
            evaluation: e.and_then(|e| e.evaluation.as_ref()),
        }
    }
    let (a, b) = match &judged {
        Some((a, b)) => (Some(a), Some(b)),
        None => (None, None),
    };
    let d = diff::diff(&side(old, om, a), &side(new, nm, b), args.period.as_deref());
    Some(match args.format {
        DiffFormat::Text => diff::text(name, &d),
        DiffFormat::Markdown => diff::markdown(name, &d),
    })
}

/// The files to compare: two given, or each changed since a git revision.
fn pairs(args: &DiffArgs) -> Result<Vec<Pair>, String> {
    let read = |path: &PathBuf| -> Result<(String, Vec<u8>), String> {
        std::fs::read(path)
            .map(|b| (path.display().to_string(), b))
            .map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let Some(rev) = &args.git else {
        let [old, new] = args.files.as_slice() else {
            return Err(
                "give the agreement before and after (`slac diff OLD.sla NEW.sla`), or `--git REV`"
                    .to_owned(),
            );
        };
        return Ok(vec![Pair {
            name: new.display().to_string(),
            old: Some(read(old)?),
            new: Some(read(new)?),
        }]);
    };
    let git = |arguments: &[&str]| -> Result<Vec<u8>, String> {
        let output = Command::new("git")
            .args(arguments)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if output.status.success() {
            Ok(output.stdout)
        } else {
            Err(format!(
                "git {}: {}",
                arguments.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            ))
        }
    };
    // Paths relative to the current directory, as git names them with `--relative`.
    let mut files: Vec<String> = args.files.iter().map(|f| f.display().to_string()).collect();
    if files.is_empty() {
        let listed = git(&["diff", "--name-only", "--relative", rev, "--", "*.sla"])?;
        files = String::from_utf8_lossy(&listed)
            .lines()
            .map(str::to_owned)
            .collect();
    }
    let mut pairs = Vec::new();
    for file in files {
        let old = git(&["show", &format!("{rev}:./{file}")])
            .ok()
            .map(|b| (format!("{rev}:{file}"), b));
        let path = PathBuf::from(&file);
        let new = path.exists().then(|| read(&path)).transpose()?;
        pairs.push(Pair {
            name: file,
            old,
            new,
        });
    }
    Ok(pairs)
}
