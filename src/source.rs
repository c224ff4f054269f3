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
    /// The text: the whole file, or for an excerpt the lines it holds, one after
    /// another.
    pub text: Arc<str>,
    lines: LineIndex,
    /// For an excerpt, where each of its lines is in the file (in text order);
    /// empty when `text` is the whole file.
    excerpt: Vec<Excerpt>,
}

/// One line of an excerpt: where it starts in the excerpt's text and in the file.
#[derive(Debug, Clone, Copy)]
struct Excerpt {
    text_start: usize,
    line: u64,
    byte: u64,
    /// Characters of the file's line before the excerpt's text (a window of a long
    /// line starts inside it).
    column: usize,
}

/// A line of a file taken into an excerpt: its number (from 1), the file offset of
/// its first byte, and its text without the line break.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExcerptLine {
    /// The line's number in the file, from 1.
    pub line: u64,
    /// The file offset of its first byte.
    pub byte: u64,
    /// Its text, without the line break.
    pub text: String,
    /// Characters of the line before `text` (0 when `text` is the whole line).
    pub column: usize,
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
            excerpt: Vec::new(),
        }
    }

    /// Some lines of a file too large to hold (a dataset export): diagnostics point
    /// into them as into a whole file, and every position is told as the file's own
    /// line, column and byte. Lines come in any order; repeated ones are kept once.
    pub fn excerpt(name: impl Into<String>, mut lines: Vec<ExcerptLine>) -> Self {
        lines.sort();
        lines.dedup_by_key(|l| l.line);
        let mut text = String::new();
        let mut excerpt = Vec::with_capacity(lines.len());
        for l in lines {
            excerpt.push(Excerpt {
                text_start: text.len(),
                line: l.line,
                byte: l.byte,
                column: l.column,
            });
            text.push_str(&l.text);
            text.push('\n');
        }
        let text: Arc<str> = text.into();
        SourceFile {
            lines: LineIndex::new(&text),
            text,
            excerpt,
            ..SourceFile::new(name, "")
        }
    }

    /// The span, in this file's text, of `len` bytes from byte `column` (from 1) of
    /// file line `line`, kept inside that line; `None` when the line is not held.
    pub fn span_at(&self, line: u64, column: u64, len: u64) -> Option<Span> {
        let (start, end) = if self.excerpt.is_empty() {
            let index = usize::try_from(line).ok()?.checked_sub(1)?;
            let start = *self.lines.starts.get(index)?;
            let end = self
                .lines
                .starts
                .get(index + 1)
                .map_or(self.text.len(), |e| e - 1);
            (start, end)
        } else {
            let i = self.excerpt.iter().position(|e| e.line == line)?;
            let start = self.excerpt.get(i)?.text_start;
            let end = self
                .excerpt
                .get(i + 1)
                .map_or(self.text.len(), |e| e.text_start)
                - 1;
            (start, end)
        };
        let from = usize::try_from(column.saturating_sub(1)).unwrap_or(usize::MAX);
        let from = start.saturating_add(from).min(end);
        let to = from
            .saturating_add(usize::try_from(len).unwrap_or(usize::MAX))
            .min(end);
        let (from, to) = (self.char_floor(from), self.char_floor(to));
        Some(Span {
            start: u32::try_from(from).ok()?,
            end: u32::try_from(to).ok()?,
        })
    }

    /// For spans on lines too long to show (a minified export, a one-line
    /// agreement), the file cut to a window of each such line around its spans, and
    /// the spans moved into it; `None` when every line is short enough to show
    /// whole. Positions in the window are still told as the file's own.
    pub fn window(&self, spans: &[Span]) -> Option<(SourceFile, Vec<Span>)> {
        /// Longest line shown whole, and the context kept either side of a span.
        const LONG_LINE: usize = 1_000;
        const AROUND: usize = 120;
        /// A label longer than this is shown by its start (a quoted megabyte).
        const LONGEST_LABEL: usize = 400;
        let line_of = |at: usize| -> Option<(usize, usize, usize)> {
            // (index, start, end) of the text line holding byte `at`.
            let i = self
                .lines
                .starts
                .partition_point(|&s| s <= at)
                .checked_sub(1)?;
            let start = *self.lines.starts.get(i)?;
            let end = self
                .lines
                .starts
                .get(i + 1)
                .map_or(self.text.len(), |e| e - 1);
            Some((i, start, end))
        };
        let long = spans.iter().any(|s| {
            line_of(s.start as usize).is_some_and(|(_, a, b)| b.saturating_sub(a) > LONG_LINE)
        });
        if !long || !self.excerpt.is_empty() {
            return None;
        }
        // One window per line: from before its first span to after its last.
        let mut windows: Vec<(usize, usize, usize, usize)> = Vec::new(); // (line, line start, from, to)
        for s in spans {
            let (i, start, end) = line_of(s.start as usize)?;
            let (a, b) = (
                s.start as usize,
                (s.end as usize)
                    .min(s.start as usize + LONGEST_LABEL)
                    .clamp(s.start as usize, end),
            );
            let from = self.char_floor(a.saturating_sub(AROUND).max(start));
            let to = self.char_floor(b.saturating_add(AROUND).min(end));
            match windows.iter_mut().find(|w| w.0 == i) {
                Some(w) => {
                    w.2 = w.2.min(from);
                    w.3 = w.3.max(to);
                }
                None => windows.push((i, start, from, to)),
            }
        }
        let lines: Vec<ExcerptLine> = windows
            .iter()
            .map(|&(i, start, from, to)| ExcerptLine {
                line: i as u64 + 1,
                byte: self.file_byte(u32::try_from(from).unwrap_or(u32::MAX)),
                text: self.text.get(from..to).unwrap_or_default().to_owned(),
                column: self
                    .text
                    .get(start..from)
                    .unwrap_or_default()
                    .chars()
                    .count(),
            })
            .collect();
        let window = SourceFile::excerpt(self.name.clone(), lines).with_id(self.id);
        let moved = spans
            .iter()
            .map(|s| {
                let (i, _, end) = line_of(s.start as usize)?;
                let &(_, _, from, to) = windows.iter().find(|w| w.0 == i)?;
                let e = window.excerpt.iter().find(|e| e.line == i as u64 + 1)?;
                let at = |x: usize| u32::try_from(e.text_start + x.clamp(from, to) - from).ok();
                Some(Span {
                    start: at(s.start as usize)?,
                    end: at((s.end as usize)
                        .min(end)
                        .min(s.start as usize + LONGEST_LABEL))?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some((window, moved))
    }

    /// The nearest character boundary at or before `at`.
    fn char_floor(&self, mut at: usize) -> usize {
        while at > 0 && !self.text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    /// The excerpt line an offset of the text is on, with where that line starts.
    fn excerpt_line(&self, offset: usize) -> Option<&Excerpt> {
        let i = self.excerpt.partition_point(|e| e.text_start <= offset);
        self.excerpt.get(i.checked_sub(1)?)
    }

    /// The same file as file `id` of the run.
    pub fn with_id(self, id: FileId) -> Self {
        SourceFile { id, ..self }
    }

    /// 1-based line and column (in characters) of a byte offset of the text, as
    /// lines of the file (for an excerpt, the line it was taken from).
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let (line, column) = self.lines.line_col(&self.text, offset as usize);
        match self.excerpt_line(offset as usize) {
            Some(e) => (
                usize::try_from(e.line).unwrap_or(usize::MAX),
                column + e.column,
            ),
            None => (line, column),
        }
    }

    /// The file offset of a byte offset of the text.
    fn file_byte(&self, offset: u32) -> u64 {
        match self.excerpt_line(offset as usize) {
            Some(e) => e.byte + (offset as usize - e.text_start) as u64,
            None => u64::from(offset),
        }
    }

    /// Where a span is, in bytes and in lines and columns.
    pub fn locate(&self, span: Span) -> Location {
        let (line, column) = self.line_col(span.start);
        let (end_line, end_column) = self.line_col(span.end);
        Location {
            start: self.file_byte(span.start),
            end: self.file_byte(span.end),
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
        if !self.excerpt.is_empty() {
            return self.read_excerpt(span, context_lines_before);
        }
        let inner = (*self.text).read_span(span, context_lines_before, context_lines_after)?;
        // Columns count characters here as in every other output (miette counts bytes).
        let column = if context_lines_before == 0 {
            let offset = u32::try_from(span.offset()).unwrap_or(u32::MAX);
            self.line_col(offset).1.saturating_sub(1)
        } else {
            inner.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

impl SourceFile {
    /// The excerpt lines a span covers, numbered as the file's lines. Lines of an
    /// excerpt are only shown together when they follow each other in the file, so
    /// a snippet never joins lines that are apart.
    fn read_excerpt<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, miette::MietteError> {
        let first = self
            .excerpt
            .partition_point(|e| e.text_start <= span.offset());
        let first = first.saturating_sub(1);
        let mut last = first;
        let span_end = span.offset() + span.len();
        while let (Some(a), Some(b)) = (self.excerpt.get(last), self.excerpt.get(last + 1)) {
            if b.text_start >= span_end.max(span.offset() + 1) || b.line != a.line + 1 {
                break;
            }
            last += 1;
        }
        let Some(start) = self.excerpt.get(first) else {
            return Err(miette::MietteError::OutOfBounds);
        };
        let end = self
            .excerpt
            .get(last + 1)
            .map_or(self.text.len(), |e| e.text_start);
        // As miette's own sources do: without context, the contents start at the
        // span, and their column is the span's (the header shows it).
        let (from, column) = if context_lines_before == 0 {
            let from = span.offset().clamp(start.text_start, end);
            let before = self.text.get(start.text_start..from).unwrap_or_default();
            (from, start.column + before.chars().count())
        } else {
            (start.text_start, 0)
        };
        let data = self
            .text
            .get(from..end)
            .ok_or(miette::MietteError::OutOfBounds)?;
        let line = usize::try_from(start.line.saturating_sub(1)).unwrap_or(usize::MAX);
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data.as_bytes(),
            SourceSpan::new(from.into(), data.len()),
            line,
            column,
            last - first + 1,
        )))
    }
}

/// Byte offsets plus 1-based lines and columns (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    /// First byte, as an offset in the file.
    pub start: u64,
    /// Byte after the last.
    pub end: u64,
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
    #[error(
        "the file is {size} bytes; slac reads agreements, metrics and deliveries files of up to {limit} bytes"
    )]
    #[diagnostic(
        code(slac::source::too_large),
        help(
            "split the agreement into smaller files; rows of events of any size are read as a dataset (`--data NAME=FILE`)"
        )
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
    // Refused before it is read: a file far over the limit must not fill memory.
    if let Ok(meta) = std::fs::metadata(path)
        && meta.is_file()
        && meta.len() > MAX_FILE_BYTES as u64
    {
        return Loaded {
            file: SourceFile::new(name, ""),
            error: Some(SourceError::TooLarge {
                size: usize::try_from(meta.len()).unwrap_or(usize::MAX),
                limit: MAX_FILE_BYTES,
            }),
        };
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn excerpt() -> SourceFile {
        // Lines 7, 8 and 120 of a file, given out of order and one twice.
        let line = |line: u64, byte: u64, text: &str| ExcerptLine {
            line,
            byte,
            text: text.to_owned(),
            column: 0,
        };
        SourceFile::excerpt(
            "leads.csv",
            vec![
                line(120, 9000, "C120,x,ä,12.345"),
                line(7, 400, "C07,a,b,1"),
                line(8, 410, "C08,a,b,2"),
                line(7, 400, "C07,a,b,1"),
            ],
        )
    }

    #[test]
    fn an_excerpt_tells_positions_as_the_file_has_them() {
        let file = excerpt();
        let span = file.span_at(120, 11, 6).unwrap();
        assert_eq!(file.slice(span), "12.345");
        let at = file.locate(span);
        // Column counts characters: `ä` is two bytes but one column.
        assert_eq!(
            (at.line, at.column, at.start, at.end),
            (120, 10, 9010, 9016)
        );
        assert_eq!(file.locate(file.span_at(8, 1, 3).unwrap()).line, 8);
        // A span is kept inside its line; a line not held has none.
        let whole = file.span_at(7, 1, u64::MAX).unwrap();
        assert_eq!(file.slice(whole), "C07,a,b,1");
        assert_eq!(file.span_at(9, 1, 1), None);
        assert_eq!(file.slice(file.span_at(7, 50, 3).unwrap()), "");
    }

    #[test]
    fn snippets_of_an_excerpt_join_only_lines_that_follow_each_other() {
        let file = excerpt();
        let read = |span: Span, context: usize| {
            let contents = file.read_span(&span.into(), context, context).unwrap();
            let text = String::from_utf8(contents.data().to_vec()).unwrap();
            (contents.line() + 1, contents.line_count(), text)
        };
        let seven = file.span_at(7, 1, 3).unwrap();
        let eight = file.span_at(8, 5, 1).unwrap();
        let far = file.span_at(120, 1, 4).unwrap();
        assert_eq!(read(seven, 1), (7, 1, "C07,a,b,1\n".to_owned()));
        let both = Span {
            start: seven.start,
            end: eight.end,
        };
        assert_eq!(read(both, 1).0, 7);
        assert_eq!(read(both, 1).1, 2);
        let apart = Span {
            start: eight.start,
            end: far.end,
        };
        assert_eq!(read(apart, 1), (8, 1, "C08,a,b,2\n".to_owned()));
        // Without context the contents start at the span, with its column.
        let contents = file.read_span(&far.into(), 0, 0).unwrap();
        assert_eq!((contents.line() + 1, contents.column() + 1), (120, 1));
    }
}
