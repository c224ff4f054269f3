//! CSV records read straight from a file in large blocks. Lines without a quote
//! (nearly all of an export) are handed out as they stand, to be split at commas
//! eight bytes at a time where the caller keeps them; a line with quotes is
//! parsed by RFC 4180 (`""` inside quotes is a quote; a quoted field may hold line
//! breaks). Every record knows the byte it starts at and the line it is on, which is
//! what reading a file in pieces on several threads needs.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

/// Why a file could not be read as a whole.
pub enum ScanError {
    Io(String),
    MissingColumn { column: String, found: Vec<String> },
    DuplicateColumn { column: String },
    BadHeader { line: u64 },
}

/// One record: its fields' bytes, unquoted.
#[derive(Debug, Default, Clone)]
pub struct Record {
    data: Vec<u8>,
    /// End of each field in `data`.
    ends: Vec<usize>,
    /// Start of each field in its line, for column numbers in reports.
    columns: Vec<usize>,
    /// `data` is the line as written, with a comma between fields.
    commas: bool,
    /// A quote in the line is never closed: the record is the line as it stands.
    pub unclosed: bool,
}

impl Record {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn get(&self, i: usize) -> Option<&[u8]> {
        let (start, end) = self.range(i)?;
        self.data.get(start..end)
    }

    /// Where field `i` is in [`Record::bytes`].
    pub fn range(&self, i: usize) -> Option<(usize, usize)> {
        field_range(&self.ends, i, usize::from(self.commas))
    }

    /// The fields' bytes, as [`Record::range`] finds them.
    pub fn bytes(&self) -> &[u8] {
        &self.data
    }

    /// Byte column of field `i` in its line, from 1.
    pub fn column(&self, i: usize) -> u64 {
        if self.commas {
            // The line as written: field i starts after the end of field i - 1 and
            // its comma.
            return match i.checked_sub(1) {
                Some(p) => self.ends.get(p).map_or(1, |e| *e as u64 + 2),
                None => 1,
            };
        }
        self.columns.get(i).map_or(1, |c| *c as u64 + 1)
    }

    pub fn clear(&mut self) {
        self.commas = false;
        self.unclosed = false;
        self.data.clear();
        self.ends.clear();
        self.columns.clear();
    }

    pub fn push_field(&mut self, field: &[u8]) {
        self.columns.push(0);
        self.data.extend_from_slice(field);
        self.ends.push(self.data.len());
    }

    /// The fields joined by commas, to show a row that does not fit.
    pub fn joined(&self) -> Vec<u8> {
        let fields: Vec<&[u8]> = (0..self.len()).filter_map(|i| self.get(i)).collect();
        fields.join(&b","[..])
    }
}

/// Where a record was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// Byte offset in the file of the record's first byte.
    pub byte: u64,
    /// Line of the record, counted from 1 at the position the reader started.
    pub line: u64,
}

pub struct Records {
    file: File,
    buf: Vec<u8>,
    /// Unread bytes are `buf[at..filled]`.
    at: usize,
    filled: usize,
    /// File offset of `buf[0]`.
    base: u64,
    line: u64,
    eof: bool,
    /// The byte between fields: `,` unless the dataset declares another.
    delimiter: u8,
}

const BLOCK: usize = 4 << 20;

/// The longest record read (a line, or a quoted record over several lines).
pub const MAX_RECORD: usize = 64 << 20;

impl Records {
    pub fn new(mut file: File, start: u64, delimiter: u8) -> std::io::Result<Records> {
        file.seek(SeekFrom::Start(start))?;
        let mut records = Records {
            file,
            buf: vec![0; BLOCK],
            at: 0,
            filled: 0,
            base: start,
            line: 1,
            eof: false,
            delimiter,
        };
        // A byte-order mark (as spreadsheet programs write) is not part of the header.
        if start == 0 {
            records.refill()?;
            if records.buf.starts_with(b"\xEF\xBB\xBF") && records.filled >= 3 {
                records.at = 3;
            }
        }
        Ok(records)
    }

    /// Where the next record would start (the end of the file after the last).
    pub fn place(&self) -> Place {
        Place {
            byte: self.base + self.at as u64,
            line: self.line,
        }
    }

    /// Moves unread bytes to the front and reads more; `false` at the end of the file.
    fn refill(&mut self) -> std::io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        self.buf.copy_within(self.at..self.filled, 0);
        self.base += self.at as u64;
        self.filled -= self.at;
        self.at = 0;
        if self.filled == self.buf.len() {
            // A record longer than the buffer: make room, up to a bound, so that a
            // file without line breaks cannot take all memory.
            if self.buf.len() >= MAX_RECORD {
                return Err(std::io::Error::other(format!(
                    "a line is longer than {} MiB, the longest slac reads: the file may have no line breaks, or end its lines with CR alone",
                    MAX_RECORD >> 20
                )));
            }
            let grown = (self.buf.len() * 2).min(MAX_RECORD);
            self.buf.resize(grown, 0);
        }
        let n = self
            .file
            .read(self.buf.get_mut(self.filled..).unwrap_or_default())?;
        if n == 0 {
            self.eof = true;
            return Ok(false);
        }
        self.filled += n;
        Ok(true)
    }

    /// Reads the next record into `record`; `None` at the end of the file. Blank
    /// lines are skipped.
    pub fn next(&mut self, record: &mut Record) -> std::io::Result<Option<Place>> {
        let delimiter = self.delimiter;
        Ok(match self.read(record)? {
            Some(Found::Line(place, line)) => {
                record.clear();
                record.data.extend_from_slice(line);
                field_ends(line, delimiter, &mut record.ends);
                record.commas = true;
                Some(place)
            }
            Some(Found::Record(place)) => Some(place),
            None => None,
        })
    }

    /// Finds the next record: a line without quotes (nearly every line of an
    /// export) as it stands, for the caller to split where it keeps it; anything
    /// else parsed into `record`. `None` at the end of the file; blank lines are
    /// skipped.
    pub fn read(&mut self, record: &mut Record) -> std::io::Result<Option<Found<'_>>> {
        loop {
            let unread = self.buf.get(self.at..self.filled).unwrap_or_default();
            // One search for the line's end or a quote before it: nearly always the
            // end, and the line is known to be plain.
            let stop = memchr::memchr2(b'\n', b'"', unread);
            let plain = stop.is_none_or(|at| unread.get(at) == Some(&b'\n'));
            let newline = match stop {
                Some(at) if plain => Some(at),
                Some(at) => {
                    memchr::memchr(b'\n', unread.get(at..).unwrap_or_default()).map(|n| at + n)
                }
                None => None,
            };
            let Some(len) = newline.or(if self.eof && !unread.is_empty() {
                Some(unread.len())
            } else {
                None
            }) else {
                if self.refill()? || self.at < self.filled {
                    continue;
                }
                return Ok(None);
            };
            let line = unread.get(..len).unwrap_or_default();
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let consumed = (len + 1).min(unread.len());
            if line.is_empty() {
                self.at += consumed;
                self.line += 1;
                continue;
            }
            let place = self.place();
            if plain {
                let (start, end) = (self.at, self.at + line.len());
                self.at += consumed;
                self.line += 1;
                let line = self.buf.get(start..end).unwrap_or_default();
                return Ok(Some(Found::Line(place, line)));
            }
            match quoted(unread, self.eof, record, self.delimiter) {
                Quoted::Done(used, lines) => {
                    self.at += used;
                    self.line += lines;
                    return Ok(Some(Found::Record(place)));
                }
                Quoted::More => {
                    if !self.refill()? {
                        self.eof = true;
                    }
                }
                Quoted::Unclosed => {
                    // Report the line as it stands and go on after it.
                    record.clear();
                    record.data.extend_from_slice(line);
                    record.ends.push(line.len());
                    record.columns.push(0);
                    record.unclosed = true;
                    self.at += consumed;
                    self.line += 1;
                    return Ok(Some(Found::Record(place)));
                }
            }
        }
    }
}

/// What [`Records::read`] found.
pub enum Found<'a> {
    /// A line without quotes, as written (without its line break).
    Line(Place, &'a [u8]),
    /// A record with quotes, parsed into the caller's record.
    Record(Place),
}

/// Where field `i` is, given where each field ends and how many bytes separate a
/// field from the next (1 for a comma kept in the bytes, 0 for none).
pub fn field_range(ends: &[usize], i: usize, gap: usize) -> Option<(usize, usize)> {
    let end = *ends.get(i)?;
    let start = match i.checked_sub(1) {
        Some(p) => *ends.get(p)? + gap,
        None => 0,
    };
    (start <= end).then_some((start, end))
}

/// Appends to `ends` where each field of a line without quotes ends: at each comma,
/// and at the end of the line. Field `i` starts one byte after the end of field
/// `i - 1`.
pub fn field_ends(line: &[u8], delimiter: u8, ends: &mut Vec<usize>) {
    each_field_end(line, delimiter, |end| ends.push(end));
}

/// Field `index` of a line without quotes, found by skipping `index` delimiters
/// (a key is usually the first field: one search, not a walk over the line).
pub fn field_of(line: &[u8], delimiter: u8, index: usize) -> Option<&[u8]> {
    let mut start = 0;
    for _ in 0..index {
        start += memchr::memchr(delimiter, line.get(start..)?)? + 1;
    }
    let rest = line.get(start..)?;
    let end = memchr::memchr(delimiter, rest).unwrap_or(rest.len());
    rest.get(..end)
}

/// Calls `found` with the end of each field of a line without quotes, in order.
#[inline]
pub fn each_field_end(line: &[u8], delimiter: u8, mut found: impl FnMut(usize)) {
    // Eight bytes at a time: a mask of the commas in each word, walked bit by bit.
    let mut words = line.chunks_exact(8);
    let mut base = 0;
    for word in &mut words {
        let w = u64::from_le_bytes(<[u8; 8]>::try_from(word).unwrap_or_default());
        let mut commas = bytes_equal(w, delimiter);
        while commas != 0 {
            found(base + (commas.trailing_zeros() / 8) as usize);
            commas &= commas - 1;
        }
        base += 8;
    }
    for (i, b) in words.remainder().iter().enumerate() {
        if *b == delimiter {
            found(base + i);
        }
    }
    found(line.len());
}

/// The high bit of each byte of `w` that equals `b` (exact: no false positives).
#[inline]
fn bytes_equal(w: u64, b: u8) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let x = w ^ (0x0101_0101_0101_0101 * u64::from(b));
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// How far a quoted field may run before its quote is taken as never closed: a
/// stray quote must not make the reader hold the rest of a large file.
const LONGEST_RECORD: usize = 1 << 20;

enum Quoted {
    /// The record, with the bytes it used (line break included) and its lines.
    Done(usize, u64),
    /// The record goes on past the bytes read so far.
    More,
    /// A quote is never closed; the record is cut at its first line break.
    Unclosed,
}

/// Parses one record that contains quotes from the start of `bytes` (RFC 4180).
fn quoted(bytes: &[u8], eof: bool, record: &mut Record, delimiter: u8) -> Quoted {
    record.clear();
    let mut i = 0;
    let mut lines = 1;
    let mut field_start = 0;
    let mut in_quotes = false;
    let mut line_start = 0;
    record.columns.push(0);
    loop {
        let Some(&b) = bytes.get(i) else {
            if !eof {
                return Quoted::More;
            }
            if in_quotes {
                return Quoted::Unclosed;
            }
            record.ends.push(record.data.len());
            return Quoted::Done(i, lines);
        };
        if in_quotes {
            if i > LONGEST_RECORD {
                return Quoted::Unclosed;
            }
            match b {
                b'"' if i + 1 == bytes.len() && !eof => return Quoted::More,
                b'"' if bytes.get(i + 1) == Some(&b'"') => {
                    record.data.push(b'"');
                    i += 2;
                    continue;
                }
                b'"' => in_quotes = false,
                b'\n' => {
                    lines += 1;
                    line_start = i + 1;
                    record.data.push(b);
                }
                _ => record.data.push(b),
            }
            i += 1;
            continue;
        }
        match b {
            b'"' if i == field_start => in_quotes = true,
            b if b == delimiter => {
                record.ends.push(record.data.len());
                record.columns.push(i + 1 - line_start);
                field_start = i + 1;
            }
            b'\n' => {
                if record.data.last() == Some(&b'\r') && field_start < i {
                    record.data.pop();
                }
                record.ends.push(record.data.len());
                return Quoted::Done(i + 1, lines);
            }
            _ => record.data.push(b),
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &str) -> Vec<(Vec<String>, Place)> {
        let path = std::env::temp_dir().join(format!(
            "slac-records-{}-{}",
            std::process::id(),
            text.len()
        ));
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        let file = File::open(&path).unwrap_or_else(|e| panic!("{e}"));
        let mut records = Records::new(file, 0, b',').unwrap_or_else(|e| panic!("{e}"));
        let mut record = Record::default();
        let mut out = Vec::new();
        while let Some(place) = records.next(&mut record).unwrap_or_else(|e| panic!("{e}")) {
            let fields = (0..record.len())
                .map(|i| String::from_utf8_lossy(record.get(i).unwrap_or_default()).into_owned())
                .collect();
            out.push((fields, place));
        }
        let _ = std::fs::remove_file(&path);
        out
    }

    #[test]
    fn a_field_is_found_by_its_index() {
        let line = b"a,bb,,ccc";
        let fields: Vec<Option<&[u8]>> = (0..5).map(|i| field_of(line, b',', i)).collect();
        assert_eq!(
            fields,
            [Some(&b"a"[..]), Some(b"bb"), Some(b""), Some(b"ccc"), None]
        );
    }

    #[test]
    fn quoted_records_across_block_boundaries_and_unclosed_quotes() {
        // Records that straddle the end of a block in every possible place.
        let row = "7,\"multi\nline, \"\"quoted\"\"\",marketing\n";
        let mut text = String::new();
        while text.len() < BLOCK + 2 * row.len() {
            text.push_str(row);
        }
        let got = read_all(&text);
        assert_eq!(got.len(), text.len() / row.len());
        assert!(
            got.iter()
                .all(|(f, _)| f == &["7", "multi\nline, \"quoted\"", "marketing"])
        );
        assert_eq!(
            got.last().map(|(_, p)| p.line),
            Some(2 * got.len() as u64 - 1)
        );
        // A quote that never closes: the line is kept as it stands, and reading goes on.
        let got = read_all("a,\"b\nc,d\n");
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].0, vec!["c", "d"]);
    }

    #[test]
    fn word_masks_find_exactly_the_byte() {
        for b in [b',', b'"', 0u8, 0x80, 0xff] {
            for pattern in 0u32..256 {
                let bytes: [u8; 8] = std::array::from_fn(|i| {
                    if pattern >> i & 1 == 1 {
                        b
                    } else {
                        (b ^ 1).wrapping_add(i as u8)
                    }
                });
                let mask = bytes_equal(u64::from_le_bytes(bytes), b);
                for (i, byte) in bytes.iter().enumerate() {
                    assert_eq!(mask >> (i * 8 + 7) & 1 == 1, *byte == b, "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn plain_and_quoted_records() {
        let text =
            "a,b,c\r\n1,,3\n\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\nlast,row,no newline";
        let got = read_all(text);
        let fields: Vec<Vec<String>> = got.iter().map(|(f, _)| f.clone()).collect();
        assert_eq!(
            fields,
            vec![
                vec!["a", "b", "c"],
                vec!["1", "", "3"],
                vec!["x, y", "say \"hi\"", "two\nlines"],
                vec!["last", "row", "no newline"],
            ]
        );
        let lines: Vec<u64> = got.iter().map(|(_, p)| p.line).collect();
        assert_eq!(lines, vec![1, 2, 4, 6]);
        let bytes: Vec<u64> = got.iter().map(|(_, p)| p.byte).collect();
        assert_eq!(bytes, vec![0, 7, 13, 45]);
    }
}
