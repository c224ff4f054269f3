//! What each diagnostic code means, for `slac explain CODE`, SARIF rules and the
//! language server: a summary, an explanation, and a wrong and a right snippet. The
//! texts live in Markdown beside this file (one file per stage, one `## CODE`
//! section per code), so that they read as documentation where they are written and
//! ship inside the binary; a test holds every code the tool can emit to having one,
//! and every snippet to producing or clearing its code.

use std::sync::OnceLock;

/// The explanation files, by stage.
const SOURCES: &[(&str, &str)] = &[
    ("source", include_str!("source.md")),
    ("syntax", include_str!("syntax.md")),
    ("check", include_str!("check.md")),
    ("data", include_str!("data.md")),
    ("eval", include_str!("eval.md")),
];

/// One code, explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The stable code, such as `slac::check::unknown_party`.
    pub code: String,
    /// The file it is explained in (the stage: `check`, `data`, ...).
    pub stage: &'static str,
    /// One sentence: what the code means.
    pub summary: String,
    /// The rest of the explanation, Markdown, without the snippets.
    pub body: String,
    /// Snippets, each a fenced block's info string and text, in order: a `wrong`
    /// agreement that produces the code, a `right` one that does not, and any data
    /// files they are evaluated with.
    pub snippets: Vec<Snippet>,
}

/// A fenced block of an explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The block's info string after the language: `wrong`, `right`, or for data
    /// `metrics`, `deliveries` or `data NAME` (a dataset).
    pub role: String,
    /// The language: `sla`, `csv`, `ndjson`.
    pub language: String,
    /// The text.
    pub text: String,
}

impl Explanation {
    /// The explanation without its snippets: summary and body.
    pub fn text(&self) -> String {
        format!("{}\n\n{}", self.summary, self.body.trim())
            .trim()
            .to_owned()
    }

    /// The explanation as Markdown, as `slac explain` prints it.
    pub fn markdown(&self) -> String {
        let mut out = format!("{}\n\n{}", self.summary, self.body.trim());
        for s in &self.snippets {
            out.push_str(&format!(
                "\n\n{}:\n\n```{}\n{}```",
                s.role, s.language, s.text
            ));
        }
        out.trim().to_owned() + "\n"
    }

    /// Where the explanation is published, under the project's repository address.
    pub fn uri(&self, repository: &str) -> String {
        let anchor: String = self
            .code
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        format!(
            "{}/blob/main/src/explain/{}.md#{}",
            repository.trim_end_matches('/'),
            self.stage,
            anchor.to_lowercase()
        )
    }

    /// The snippet of a role (`wrong`, `right`, `metrics`, ...).
    pub fn snippet(&self, role: &str) -> Option<&Snippet> {
        self.snippets.iter().find(|s| s.role == role)
    }
}

/// Every explanation, in file and section order.
pub fn all() -> &'static [Explanation] {
    static ALL: OnceLock<Vec<Explanation>> = OnceLock::new();
    ALL.get_or_init(|| {
        SOURCES
            .iter()
            .flat_map(|(stage, text)| parse(stage, text))
            .collect()
    })
}

/// The explanation of a code.
pub fn find(code: &str) -> Option<&'static Explanation> {
    all().iter().find(|e| e.code == code)
}

/// Reads `## CODE` sections: the first paragraph is the summary, fenced blocks are
/// snippets, the rest is the body.
fn parse(stage: &'static str, text: &str) -> Vec<Explanation> {
    let mut out = Vec::new();
    for section in text.split("\n## ").skip(1) {
        let (code, rest) = section.split_once('\n').unwrap_or((section, ""));
        let mut prose = String::new();
        let mut snippets = Vec::new();
        let mut fence: Option<Snippet> = None;
        for line in rest.lines() {
            match (&mut fence, line.strip_prefix("```")) {
                (Some(_), Some(_)) => snippets.extend(fence.take()),
                (Some(open), None) => {
                    open.text.push_str(line);
                    open.text.push('\n');
                }
                (None, Some(info)) => {
                    let (language, role) = info.split_once(' ').unwrap_or((info, ""));
                    fence = Some(Snippet {
                        role: role.trim().to_owned(),
                        language: language.trim().to_owned(),
                        text: String::new(),
                    });
                }
                (None, None) => {
                    prose.push_str(line);
                    prose.push('\n');
                }
            }
        }
        let prose = prose.trim();
        let (summary, body) = prose.split_once("\n\n").unwrap_or((prose, ""));
        out.push(Explanation {
            code: code.trim().to_owned(),
            stage,
            summary: summary.split_whitespace().collect::<Vec<_>>().join(" "),
            body: body.trim().to_owned(),
            snippets,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_read_into_summary_body_and_snippets() {
        let text = "# title\n\n## slac::check::x\n\nFirst line\nof the summary.\n\nThe body.\n\n```sla wrong\nbad\n```\n\n```csv right metrics\na,b\n```\n";
        let all = parse("check", text);
        assert_eq!(all.len(), 1);
        let e = &all[0];
        assert_eq!(e.code, "slac::check::x");
        assert_eq!(e.summary, "First line of the summary.");
        assert_eq!(e.body, "The body.");
        assert_eq!(e.snippet("wrong").map(|s| s.text.as_str()), Some("bad\n"));
        let data = e.snippet("right metrics").unwrap();
        assert_eq!(
            (data.language.as_str(), data.text.as_str()),
            ("csv", "a,b\n")
        );
        // Where it is published, under a repository's address, as GitHub anchors it.
        assert_eq!(
            e.uri("https://example.com/slac/"),
            "https://example.com/slac/blob/main/src/explain/check.md#slaccheckx"
        );
    }
}
