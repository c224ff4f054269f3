//! `slac fmt [--check] [FILE...]`: rewrites agreements in the canonical layout (see
//! `slac::format`), like `cargo fmt`. A directory (by default the current one)
//! stands for every `.sla` file under it, skipping hidden directories and `target/`. A file that does
//! not parse is reported and left alone; a file is replaced in one rename, never
//! half-written.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use similar::TextDiff;

use super::exit;
use super::inputs::problems;
use slac::report::Run;

#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Change nothing: print a unified diff of what would change, and exit with 1
    /// if any file is not formatted.
    #[arg(long)]
    pub check: bool,

    /// The `.sla` files, or directories to format every `.sla` file under (default:
    /// the current directory).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

pub fn run(args: &FmtArgs) -> ExitCode {
    // Directories stand for the `.sla` files under them.
    let given = if args.files.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.files.clone()
    };
    let mut files = Vec::new();
    for path in given {
        if path.is_dir() {
            let mut found = Vec::new();
            find(&path, &mut found);
            found.sort();
            files.extend(found);
        } else {
            files.push(path);
        }
    }
    let mut out = std::io::stdout().lock();
    let (mut invalid, mut unformatted) = (false, false);
    for path in &files {
        let compiled = slac::compile_path(path);
        let Some(formatted) = slac::format::format(&compiled) else {
            invalid = true;
            problems(Run::Checked(std::slice::from_ref(&compiled)));
            eprintln!(
                "{}: not formatted, because it does not parse",
                path.display()
            );
            continue;
        };
        let original = &compiled.file.text;
        if formatted == **original {
            continue;
        }
        unformatted = true;
        if args.check {
            let name = path.display().to_string();
            let diff = TextDiff::from_lines(&**original, &formatted)
                .unified_diff()
                .header(&name, &name)
                .to_string();
            let _ = write!(out, "{diff}");
        } else if let Err(e) = replace(path, &formatted) {
            invalid = true;
            eprintln!("error: cannot write {}: {e}", path.display());
        }
    }
    ExitCode::from(if invalid {
        exit::INVALID
    } else if unformatted && args.check {
        exit::BREACHED
    } else {
        exit::OK
    })
}

/// Every `.sla` file under `dir`, skipping hidden directories and `target`.
fn find(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            if !name.starts_with('.') && name != "target" {
                find(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "sla") {
            out.push(
                path.strip_prefix("./")
                    .map_or(path.clone(), Path::to_path_buf),
            );
        }
    }
}

/// Writes beside the file, then renames over it: a reader sees the old or the new
/// file, never part of one. The file keeps its permissions.
fn replace(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let name = path
        .file_name()
        .map_or_else(Default::default, |n| n.to_string_lossy());
    let temporary = dir
        .unwrap_or(Path::new("."))
        .join(format!(".{name}.slac-fmt-{}", std::process::id()));
    let written = std::fs::write(&temporary, text)
        .and_then(|()| {
            let permissions = std::fs::metadata(path)?.permissions();
            std::fs::set_permissions(&temporary, permissions)
        })
        .and_then(|()| std::fs::rename(&temporary, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}
