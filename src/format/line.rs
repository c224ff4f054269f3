//! One line of an agreement, read for layout: its code as pieces (tokens apart, or
//! a string kept whole), its comment, and its brackets. Strings have no escapes in
//! the language (a `"` always ends one, and a string never spans lines), so a line
//! is read on its own.

/// A line, ready to be laid out.
#[derive(Debug, Clone, Default)]
pub struct Line {
    /// Code pieces: each a run of characters that touch (strings included whole);
    /// pieces were apart in the original, and are written one space apart.
    pub pieces: Vec<String>,
    /// The comment, from `//` to the end of the line, as written.
    pub comment: Option<String>,
    /// Indentation, in levels.
    pub depth: usize,
    /// The first word of the line that opened the block this line is in.
    pub block: String,
    /// Extra spaces before a piece (by index), for alignment.
    pub pad: Vec<(usize, usize)>,
}

/// An opening or closing bracket outside strings and comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bracket {
    /// `{`.
    Brace,
    /// `(`.
    Paren,
    /// `}` or `)`.
    Close,
}

/// Operators written with one space on each side.
const SPACED: &[&str] = &[">=", "<=", "==", "!=", "="];

/// Reads a line: code split where it had blanks (and around spaced operators),
/// strings whole, the comment apart.
pub fn read(raw: &str) -> Line {
    let mut pieces: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut comment = None;
    let mut chars = raw.char_indices().peekable();
    let flush = |current: &mut String, pieces: &mut Vec<String>| {
        if !current.is_empty() {
            pieces.push(std::mem::take(current));
        }
    };
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => {
                // The string, to its closing quote (or the end of the line).
                current.push(c);
                for (_, s) in chars.by_ref() {
                    current.push(s);
                    if s == '"' {
                        break;
                    }
                }
            }
            '/' if raw[at..].starts_with("//") => {
                comment = Some(raw[at..].trim_end().to_owned());
                break;
            }
            c if c.is_whitespace() || c == '\u{FEFF}' => flush(&mut current, &mut pieces),
            // A contact's address after its name: `<…>` as written, even `<=x@y>`.
            '<' if current.ends_with('"')
                || (current.is_empty() && pieces.last().is_some_and(|p| p.ends_with('"'))) =>
            {
                current.push(c);
                while let Some((_, s)) = chars.next_if(|(_, s)| !s.is_whitespace()) {
                    current.push(s);
                    if s == '>' {
                        break;
                    }
                }
            }
            '>' | '<' | '=' | '!' => {
                let rest = &raw[at..];
                match SPACED.iter().find(|op| rest.starts_with(**op)) {
                    // `=>` or `<…>` are not spaced operators: keep them as written.
                    Some(op) if !(op == &"=" && rest.starts_with("=>")) => {
                        flush(&mut current, &mut pieces);
                        pieces.push((*op).to_owned());
                        for _ in 1..op.len() {
                            chars.next();
                        }
                    }
                    _ => current.push(c),
                }
            }
            _ => current.push(c),
        }
    }
    flush(&mut current, &mut pieces);
    Line {
        pieces,
        comment,
        ..Line::default()
    }
}

impl Line {
    /// No code and no comment.
    pub fn is_blank(&self) -> bool {
        self.pieces.is_empty() && self.comment.is_none()
    }

    /// The first word of its code (`input`, `bands`, a band's name …).
    pub fn first_word(&self) -> &str {
        self.pieces.first().map_or("", |p| {
            let end = p
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(p.len());
            &p[..end]
        })
    }

    /// Its brackets outside strings, in order.
    pub fn brackets(&self) -> Vec<Bracket> {
        let mut out = Vec::new();
        for piece in &self.pieces {
            let mut in_string = false;
            for c in piece.chars() {
                match c {
                    '"' => in_string = !in_string,
                    '{' if !in_string => out.push(Bracket::Brace),
                    '(' if !in_string => out.push(Bracket::Paren),
                    '}' | ')' if !in_string => out.push(Bracket::Close),
                    _ => {}
                }
            }
        }
        out
    }

    /// How many closing brackets the line starts with (it dedents by as many).
    pub fn leading_closers(&self) -> usize {
        self.pieces.first().map_or(0, |p| {
            p.chars().take_while(|c| matches!(c, '}' | ')')).count()
        })
    }

    /// Whether the line leaves a bracket open (a blank line after it is dropped).
    pub fn ends_open(&self) -> bool {
        let mut depth: i64 = 0;
        for b in self.brackets() {
            match b {
                Bracket::Brace | Bracket::Paren => depth += 1,
                Bracket::Close => depth -= 1,
            }
        }
        depth > 0
    }

    /// The line's text without indentation: pieces one space apart (plus any
    /// alignment), then the comment after one space.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (i, piece) in self.pieces.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            for (at, extra) in &self.pad {
                if *at == i {
                    out.extend(std::iter::repeat_n(' ', *extra));
                }
            }
            out.push_str(piece);
        }
        if let Some(comment) = &self.comment {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(comment);
        }
        out
    }
}
