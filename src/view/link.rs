//! Where a diagram's nodes link to: a base URL, checked once, here.

use std::fmt;
use std::str::FromStr;

/// The base URL of entity pages (`--link-base`): each node of a diagram
/// links to this + its id, in SVG (`<a href>`), DOT (`URL`) and Mermaid
/// (`click … href`).
///
/// It can only be made by [`LinkBase::new`] (or `parse`), which accepts an
/// absolute `http` or `https` URL with a host, made only of characters a URL
/// may carry as they are. Anything else could run code or break the file
/// when the diagram is opened: `javascript:` or `data:` as a link, a quote
/// that ends the SVG attribute. So a program using the library cannot pass
/// what the command line refuses.
///
/// ```
/// use detente::diagram::LinkBase;
/// assert!(LinkBase::new("https://example.org/entities/").is_ok());
/// assert!(LinkBase::new("javascript:alert(1)//").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkBase(String);

/// Why a text is not a [`LinkBase`]. Its text completes a sentence about
/// the URL: `` format!("`{url}` {err}") ``.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LinkBaseError {
    /// Another scheme (`javascript:`, `file:`…), or none.
    #[error("is not an http or https URL")]
    NotHttp,
    /// `https:///…`.
    #[error("has no host")]
    NoHost,
    /// A space, quote, `<`, non-ASCII letter…: percent-encode it.
    #[error("contains `{}`, which a URL cannot carry unencoded", .0.escape_default())]
    Character(char),
}

impl LinkBase {
    /// `url`, when it is an absolute `http` or `https` URL with a host and
    /// nothing a URL cannot carry unencoded.
    pub fn new(url: &str) -> Result<LinkBase, LinkBaseError> {
        let lower = url.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"))
            .ok_or(LinkBaseError::NotHttp)?;
        if rest.split(['/', '?', '#']).next().unwrap_or("").is_empty() {
            return Err(LinkBaseError::NoHost);
        }
        let allowed = |c: char| c.is_ascii_alphanumeric() || "-._~:/?#[]@!$()*+,;=%".contains(c);
        if let Some(c) = url.chars().find(|&c| !allowed(c)) {
            return Err(LinkBaseError::Character(c));
        }
        Ok(LinkBase(url.to_string()))
    }

    /// A placeholder the site replaces with each page's own relative link
    /// (`detente-site:ID`); it never reaches a file as it is.
    pub(crate) fn placeholder(mark: &'static str) -> LinkBase {
        LinkBase(mark.to_string())
    }

    /// The URL as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The link of one entity: the base + its id.
    pub fn to(&self, id: &str) -> String {
        format!("{}{id}", self.0)
    }
}

impl FromStr for LinkBase {
    type Err = LinkBaseError;
    fn from_str(s: &str) -> Result<LinkBase, LinkBaseError> {
        LinkBase::new(s)
    }
}

impl fmt::Display for LinkBase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_urls_with_a_host_and_plain_characters_are_link_bases() {
        assert_eq!(
            LinkBase::new("HTTPS://Example.org/e/?q=1#x").map(|b| b.to("lecd")),
            Ok("HTTPS://Example.org/e/?q=1#xlecd".into())
        );
        assert_eq!(
            LinkBase::new("javascript:alert(1)//"),
            Err(LinkBaseError::NotHttp)
        );
        assert_eq!(LinkBase::new("https:///x"), Err(LinkBaseError::NoHost));
        assert_eq!(
            LinkBase::new("https://x/\"><script>"),
            Err(LinkBaseError::Character('"'))
        );
    }
}
