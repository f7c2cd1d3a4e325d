//! Text folding: the one definition of "the same text" for searching.
//!
//! `find`, `search` and the website's search index all compare folded
//! text, so a reader finds `U.S.-China` by typing `us china`, `Zürich` by
//! typing `zurich`, `ＬＥＣＤ` by typing `lecd` and `上海國際問題研究院` by
//! typing the simplified `国际问题`. Folding works character by character,
//! so the folded form of a part of a text is a part of the folded text, and
//! substring search stays exact after folding.
//!
//! Traditional characters are mapped to simplified ones with the character
//! table of OpenCC, through the `hanconv` crate; [`traditional_to_simplified`]
//! exposes that table so that another implementation (the website's
//! JavaScript) can fold exactly as we do.

use std::collections::HashMap;
use std::sync::LazyLock;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// OpenCC's traditional → simplified character table, one character to one
/// (the first, most common reading where OpenCC lists several).
/// Chains (`薴` → `苧` → `苎`) are followed to their end, so folding
/// twice gives what folding once gave.
static T2S: LazyLock<HashMap<char, char>> = LazyLock::new(|| {
    let direct: HashMap<char, char> = hanconv::RawDictionary::TSCharacters
        .iter()
        .filter_map(|(t, s)| {
            let mut t = t.chars();
            let mut s = s.chars();
            match (t.next(), t.next(), s.next(), s.next()) {
                (Some(t), None, Some(s), None) if t != s => Some((t, s)),
                _ => None,
            }
        })
        .collect();
    direct
        .keys()
        .map(|&t| {
            let mut s = direct[&t];
            // The table is small and has no long chains; the bound only
            // guards against a cycle in a future version of it.
            for _ in 0..8 {
                match direct.get(&s) {
                    Some(&next) if next != t => s = next,
                    _ => break,
                }
            }
            (t, s)
        })
        .collect()
});

/// Every traditional character [`fold`] replaces, with its simplified form,
/// in code-point order: the table another implementation of [`fold`] needs.
pub fn traditional_to_simplified() -> Vec<(char, char)> {
    let mut pairs: Vec<(char, char)> = T2S.iter().map(|(&t, &s)| (t, s)).collect();
    pairs.sort_unstable();
    pairs
}

/// Folds text for comparison: the form in which two texts a reader would
/// call the same are equal.
///
/// In order:
/// 1. Unicode compatibility decomposition (NFKD): full-width `ＬＥＣＤ`
///    becomes `LECD`, `ﬁ` becomes `fi`, accented letters come apart;
/// 2. combining marks (Unicode category M) are dropped: `é` → `e`;
/// 3. lower case (Unicode's full lower-casing);
/// 4. full stops are dropped, so `U.S.` and `US` are equal;
/// 5. every other character that is not a letter or a digit becomes a
///    space (hyphens, quotes, brackets, CJK punctuation);
/// 6. traditional Chinese characters become simplified ones
///    ([`traditional_to_simplified`]);
/// 7. runs of spaces become one, and spaces at either end are dropped.
///
/// ```
/// assert_eq!(detente::fold("U.S.-China  Dialogue"), "us china dialogue");
/// assert_eq!(detente::fold("Zürich ＣＡＦÉ"), "zurich cafe");
/// assert_eq!(detente::fold("上海國際問題研究院"), "上海国际问题研究院");
/// ```
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// [`fold`], appended to `out`: what an index of many folded texts uses,
/// so that folding a field allocates nothing. Spaces are judged within
/// the appended part alone, as if `out` were empty.
pub(crate) fn fold_into(s: &str, out: &mut String) {
    let base = out.len();
    let mut space = false;
    let mut push = |c: char, out: &mut String| {
        if c == ' ' {
            space = out.len() > base;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    };
    if s.is_ascii() {
        // Most of the data is ASCII; it needs no decomposition or table.
        for b in s.bytes() {
            match b {
                b'.' => {}
                b if b.is_ascii_alphanumeric() => push(b.to_ascii_lowercase() as char, out),
                _ => push(' ', out),
            }
        }
        return;
    }
    for c in s.nfkd().filter(|c| !is_combining_mark(*c)) {
        for c in c.to_lowercase() {
            if c == '.' {
                continue;
            }
            if c.is_alphanumeric() {
                push(T2S.get(&c).copied().unwrap_or(c), out);
            } else {
                push(' ', out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_width_punctuation_and_script() {
        assert_eq!(fold("U.S.-China  Dialogue"), "us china dialogue");
        assert_eq!(fold("Zürich Café"), "zurich cafe");
        assert_eq!(fold("ＬＥＣＤ（２０１７）"), "lecd 2017");
        assert_eq!(fold("“footnote 7”"), "footnote 7");
        assert_eq!(fold("中美執法及網絡安全對話"), "中美执法及网络安全对话");
        assert_eq!(fold("中美执法及网络安全对话"), "中美执法及网络安全对话");
        assert_eq!(fold("上海國際問題研究院，SIIS"), "上海国际问题研究院 siis");
        assert_eq!(fold("  ...  "), "");
    }

    #[test]
    fn folding_a_part_gives_a_part_of_the_folded_whole() {
        let whole = "Shanghai Institutes for International Studies (上海國際問題研究院)";
        for part in ["國際問題", "Institutes for", "(上海"] {
            assert!(fold(whole).contains(&fold(part)), "{part}");
        }
    }

    #[test]
    fn the_table_is_the_one_fold_uses() {
        let table = traditional_to_simplified();
        assert!(table.len() > 3000, "{}", table.len());
        assert!(table.contains(&('國', '国')));
        for (t, s) in &table {
            assert_eq!(fold(&t.to_string()), fold(&s.to_string()), "{t}");
        }
    }
}
