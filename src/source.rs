//! Reading a file into text the later stages can trust: valid UTF-8, not binary, not
//! absurdly large. What is wrong is a typed error, like every other stage's.

use std::path::Path;
use std::sync::Arc;

use miette::{MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::syntax::ast::Span;

/// Larger files are refused before parsing; a real agreement is a few hundred KB.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// Which file of a run a position is in: the agreement is [`FileId::AGREEMENT`];
/// data files follow in the order they were given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct FileId(pub u32);

impl FileId {
    /// The agreement being checked.
    pub const AGREEMENT: FileId = FileId(0);
}

/// A file's name and text, to point into.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Which file of the run this is.
    pub id: FileId,
    /// The path as given, for messages.
    pub name: String,
    /// The text.
    pub text: Arc<str>,
    lines: LineIndex,
}

impl SourceFile {
    /// The agreement of a run (file [`FileId::AGREEMENT`]), named `name` in messages.
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let lines = LineIndex::new(&text);
        SourceFile {
            id: FileId::AGREEMENT,
            name: name.into(),
            text,
            lines,
        }
    }

    /// The same file as file `id` of the run.
    pub fn with_id(self, id: FileId) -> Self {
        SourceFile { id, ..self }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        self.lines.line_col(&self.text, offset as usize)
    }

    /// Where a span is, in bytes and in lines and columns.
    pub fn locate(&self, span: Span) -> Location {
        let (line, column) = self.line_col(span.start);
        let (end_line, end_column) = self.line_col(span.end);
        Location {
            start: span.start,
            end: span.end,
            line,
            column,
            end_line,
            end_column,
        }
    }

    /// The text a span covers; empty if the span is not inside the text.
    pub fn slice(&self, span: Span) -> &str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }
}

impl SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = (*self.text).read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            inner.column(),
            inner.line_count(),
        )))
    }
}

/// Byte offsets plus 1-based lines and columns (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    /// First byte.
    pub start: u32,
    /// Byte after the last.
    pub end: u32,
    /// Line of the first byte, from 1.
    pub line: usize,
    /// Column of the first byte, from 1, in characters.
    pub column: usize,
    /// Line of the end.
    pub end_line: usize,
    /// Column of the end.
    pub end_column: usize,
}

/// Start offsets of lines, so positions are found by binary search, not by rescanning.
#[derive(Debug, Clone)]
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let column = text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line, column + 1)
    }
}

/// Why a file's text cannot be used as it is.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
pub enum SourceError {
    /// The operating system cannot read the file, e.g. because it does not exist.
    #[error("cannot read `{path}`: {reason}")]
    #[diagnostic(
        code(slac::source::unreadable),
        help("check that the path is right and the file is readable")
    )]
    Unreadable {
        /// The path as given.
        path: String,
        /// The operating system's reason.
        reason: String,
    },

    /// The file is not UTF-8; the text after the first bad byte is read with replacements.
    #[error("the file is not valid UTF-8 text")]
    #[diagnostic(
        code(slac::source::invalid_utf8),
        help("save the file as UTF-8; the first bad byte is marked")
    )]
    InvalidUtf8 {
        /// Where the first bad byte is, in the text as read.
        #[label("byte {byte:#04x} is not valid UTF-8 here")]
        span: SourceSpan,
        /// The first bad byte.
        byte: u8,
    },

    /// The file holds a NUL byte, so it is most likely not text.
    #[error("the file looks binary, not like an agreement")]
    #[diagnostic(
        code(slac::source::binary),
        help("slac reads `.sla` text files; this one contains a NUL byte")
    )]
    Binary {
        /// The first NUL byte.
        #[label("NUL byte")]
        span: SourceSpan,
    },

    /// The file is larger than [`MAX_FILE_BYTES`]; it is not read at all.
    #[error("the file is {size} bytes; slac reads agreements of up to {limit} bytes")]
    #[diagnostic(
        code(slac::source::too_large),
        help("split the agreement into smaller files")
    )]
    TooLarge {
        /// The file's size in bytes.
        size: usize,
        /// The largest size read, in bytes.
        limit: usize,
    },
}

/// The outcome of loading: always a file to point into, and what was wrong with it.
pub struct Loaded {
    /// The text as far as it could be read; empty if the file was unreadable or too large.
    pub file: SourceFile,
    /// What was wrong, if anything; text with an error is not parsed.
    pub error: Option<SourceError>,
}

/// Reads the file at `path`; the path as given names it in messages.
pub fn load(path: &Path) -> Loaded {
    let name = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => from_bytes(name, bytes),
        Err(e) => Loaded {
            file: SourceFile::new(name.clone(), ""),
            error: Some(SourceError::Unreadable {
                path: name,
                reason: e.to_string(),
            }),
        },
    }
}

/// Loads bytes already in memory as the file named `name`, with the same checks as [`load`].
pub fn from_bytes(name: String, bytes: Vec<u8>) -> Loaded {
    if bytes.len() > MAX_FILE_BYTES {
        return Loaded {
            file: SourceFile::new(name, ""),
            error: Some(SourceError::TooLarge {
                size: bytes.len(),
                limit: MAX_FILE_BYTES,
            }),
        };
    }
    match String::from_utf8(bytes) {
        Ok(text) => {
            let nul = text.find('\0');
            let file = SourceFile::new(name, text);
            let error = nul.map(|at| SourceError::Binary {
                span: SourceSpan::new(at.into(), 1),
            });
            Loaded { file, error }
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let byte = e.as_bytes().get(at).copied().unwrap_or(0);
            // Everything before the bad byte is intact, so offsets into the lossy copy
            // still point at the right line and column.
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            Loaded {
                file: SourceFile::new(name, text),
                error: Some(SourceError::InvalidUtf8 {
                    // The lossy copy holds U+FFFD (three bytes) where the bad byte was.
                    span: SourceSpan::new(at.into(), '\u{FFFD}'.len_utf8()),
                    byte,
                }),
            }
        }
    }
}
