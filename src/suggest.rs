//! "Did you mean ...?" for misspelt names and keywords.

/// The closest candidate, if it is close enough to be the likely intent.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    // Edit distance costs length × length: a name longer than any real one (a
    // pasted blob) gets no suggestion rather than seconds of work.
    const LONGEST: usize = 256;
    let length = word.chars().count();
    if length > LONGEST {
        return None;
    }
    let lower = word.to_lowercase();
    let limit = (length / 3).max(1);
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        if candidate == word {
            continue;
        }
        // The lengths alone rule most candidates out: the distance is at least
        // their difference.
        if candidate.chars().count().abs_diff(length) > limit {
            continue;
        }
        let distance = if candidate.to_lowercase() == lower {
            0
        } else {
            strsim::damerau_levenshtein(&lower, &candidate.to_lowercase())
        };
        let better = best.is_none_or(|(d, c)| distance < d || (distance == d && candidate < c));
        if distance <= limit && better {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_the_closest_name() {
        let names = ["leads_needed", "close_rate", "sales_quota"];
        assert_eq!(did_you_mean("leads_neded", names), Some("leads_needed"));
        assert_eq!(did_you_mean("Close_Rate", names), Some("close_rate"));
        assert_eq!(did_you_mean("revenue", names), None);
    }

    #[test]
    fn a_huge_word_or_a_far_longer_candidate_is_not_compared() {
        // A megabyte name would cost a megabyte squared of edit distance.
        let huge = "Europe/Berlin".repeat(100_000);
        assert_eq!(did_you_mean(&huge, ["Europe/Berlin"]), None);
        // Lengths that differ by more than the limit cannot be close enough.
        assert_eq!(did_you_mean("mqls", ["mqls_per_segment_and_region"]), None);
        assert_eq!(did_you_mean("mqlz", ["mqls", "mql"]), Some("mql"));
    }
}
