//! "Did you mean …?": the closest known name to a misspelt one.

/// The candidate most like `word`, if any is close enough to be a likely
/// typo: a transposition, a dropped or doubled letter, a wrong suffix.
pub(crate) fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let word_l = word.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let c_l = c.to_lowercase();
        if c_l == word_l {
            return Some(c.to_string());
        }
        let score = strsim::normalized_damerau_levenshtein(&word_l, &c_l)
            .max(strsim::jaro_winkler(&word_l, &c_l) - 0.15);
        // Ties go to the alphabetically first candidate, for stable output.
        if best.is_none_or(|(s, b)| score > s || (score == s && c < b)) {
            best = Some((score, c));
        }
    }
    best.filter(|(s, _)| *s >= 0.6).map(|(_, c)| c.to_string())
}

/// ` (did you mean `x`?)`, or nothing: the tail of an error message.
pub(crate) fn did_you_mean(s: &Option<String>) -> String {
    s.as_ref()
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::suggest;

    #[test]
    fn finds_likely_typos_and_ignores_strangers() {
        let ids = ["lecd", "lecd-2017", "hljd-cybercrime", "mar-a-lago-2017"];
        assert_eq!(suggest("lecd-2071", ids).as_deref(), Some("lecd-2017"));
        assert_eq!(
            suggest("hljd-cybercrim", ids).as_deref(),
            Some("hljd-cybercrime")
        );
        assert_eq!(suggest("LECD", ids).as_deref(), Some("lecd"));
        assert_eq!(suggest("xi-jinping", ids), None);
        assert_eq!(
            suggest("nmae", ["name", "names", "kind"]).as_deref(),
            Some("name")
        );
    }
}
