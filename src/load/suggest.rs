//! "Did you mean …?": the closest known name to a misspelt one.

/// How many edits (insertions, deletions, substitutions, transpositions)
/// a word of `len` characters may be from a suggestion: a typo, not a
/// different word. `nyt-2017` is three edits from `ncuscr-2017` and shares
/// its year; suggesting one for the other sent people to the wrong source.
fn allowed_edits(len: usize) -> usize {
    match len {
        0..=4 => 1,
        5..=9 => 2,
        _ => len / 4,
    }
}

/// The candidate most like `word`, if one is genuinely close: the same but
/// for case, or within a few edits (a transposition, a dropped, doubled or
/// wrong letter). Otherwise nothing: a wrong guess is worse than none.
pub(crate) fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let word_l = word.to_lowercase();
    let allowed = allowed_edits(word_l.chars().count());
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let c_l = c.to_lowercase();
        if c_l == word_l {
            return Some(c.to_string());
        }
        let d = strsim::damerau_levenshtein(&word_l, &c_l);
        // Ties go to the alphabetically first candidate, for stable output.
        if d <= allowed && best.is_none_or(|(e, b)| d < e || (d == e && c < b)) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c.to_string())
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
        // Sharing a year is not being close.
        assert_eq!(suggest("nyt-2017", ["ncuscr-2017", "lecd-2017"]), None);
        assert_eq!(suggest("xx", ["qian-x", "xi"]).as_deref(), Some("xi"));
        assert_eq!(
            suggest("nmae", ["name", "names", "kind"]).as_deref(),
            Some("name")
        );
    }
}
