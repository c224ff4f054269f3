//! "Did you mean ...?" for misspelt names and keywords.

/// The closest candidate, if it is close enough to be the likely intent.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(1);
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        if candidate == word {
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
}
