//! The one place that talks to the YAML parser.
//!
//! A file is parsed into a [`Node`] tree in which every value and every
//! mapping key carries its line and column. Everything above this module
//! works on that tree, so the parser could be swapped by rewriting this file
//! alone. It must not know anything about entities, kinds or relations.
//!
//! Duplicate keys are passed through to the tree instead of being rejected
//! by the parser: the decoder reports them with *both* places named and goes
//! on checking the rest of the file, where the parser would stop at the first.
//!
//! The tree lives in an arena ([`Bump`]) that the caller keeps: its lists
//! and mappings are slices of the arena, and its texts slices of the file
//! or of the arena, so building a file's tree makes no allocation of its
//! own and dropping it frees nothing piece by piece. [`with_arena`] lends
//! each thread one arena, emptied after each file and used again for the
//! next, so the trees of a whole dataset are built in the same few
//! megabytes (docs/performance.md, "The curve, again"); an arena grown by
//! a file far larger than usual is replaced by a fresh one, not kept.

use std::cell::RefCell;
use std::fmt;

use bumpalo::Bump;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{DuplicateKeyPolicy, Spanned};

/// A line and column (both 1-based, columns counted in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    /// Line, 1-based.
    pub line: u32,
    /// Column, 1-based, in characters.
    pub column: u32,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A YAML value with its position, in an arena that lives `'a`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Node<'a> {
    pub pos: Pos,
    pub value: Value<'a>,
    /// Byte offset and length of a scalar's token in the source.
    span: Option<(usize, usize)>,
}

impl<'a> Node<'a> {
    pub fn new(pos: Pos, value: Value<'a>) -> Node<'a> {
        Node {
            pos,
            value,
            span: None,
        }
    }
}

/// The shapes a YAML value can take once parsed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Value<'a> {
    Null,
    /// A plain `true`/`false` (or YAML 1.1 `yes`, `no`…), as written.
    Bool(&'a str),
    /// A plain number, as written: every number in our format is really an
    /// identifier, a name or a date, so `007` stays `007` and `1.50` stays
    /// `1.50` instead of being reformatted.
    Number(&'a str),
    String(&'a str),
    Seq(&'a [Node<'a>]),
    /// Entries in written order, duplicates included.
    Map(&'a [(Node<'a>, Node<'a>)]),
}

/// What each thread's arena takes at first: room for the tree of a file of
/// several hundred kilobytes (a file of 200 entities, 190 kB, takes 0.9 MB),
/// so it never grows for the files of a usual dataset. An arena that grows
/// frees its smaller blocks when emptied, and glibc, seeing blocks of
/// megabytes come and go, raises the size under which it keeps freed
/// memory for reuse rather than giving it back: a cold load at 100k
/// entities then peaked a fifth higher.
const ARENA_BYTES: usize = 4 << 20;

/// Runs `f` with this thread's arena for a tree, emptied when `f` returns
/// (and the tree with it), so the next file's tree is built in the same
/// memory: still in the cache, and never handed back to the allocator in
/// pieces. A call made while the thread's arena is lent out gets one of
/// its own.
pub(crate) fn with_arena<R>(f: impl FnOnce(&Bump) -> R) -> R {
    thread_local! {
        static ARENA: RefCell<Bump> = RefCell::new(Bump::with_capacity(ARENA_BYTES));
    }
    ARENA.with(|arena| match arena.try_borrow_mut() {
        Ok(mut bump) => {
            let out = f(&bump);
            // Emptying keeps the largest block: after one big file, a
            // thread would hold its tree's memory to the end of the load.
            if bump.allocated_bytes() > 2 * ARENA_BYTES {
                *bump = Bump::with_capacity(ARENA_BYTES);
            } else {
                bump.reset();
            }
            out
        }
        Err(_) => f(&Bump::new()),
    })
}

impl Value<'_> {
    /// What a user would call this kind of value, for error messages.
    pub fn describe(&self) -> &'static str {
        match self {
            Value::Null => "nothing (null)",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// A syntax error or a breached budget: the parser stopped here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub pos: Pos,
    pub message: String,
    /// A flow list or mapping opened before `pos` and never closed: where
    /// it opened, and its bracket. The parser only notices it where it
    /// meets something that cannot be inside it, often lines later.
    pub unclosed: Option<(Pos, char)>,
}

/// Limits far above any hand-written dataset and far below what would hurt:
/// an alias bomb or a 10 000-deep nesting is refused by the parser's budget
/// instead of exhausting memory or the stack.
fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        duplicate_keys: DuplicateKeyPolicy::PassThrough,
        // A tag we do not know would otherwise be dropped without a word.
        reject_unsupported_tags: true,
        with_snippet: false,
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 100_000,
        },
        budget: serde_saphyr::budget! {
            max_depth: 64,
            flow_nesting_limit: 64,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_nodes: 1_000_000,
            max_total_scalar_bytes: 64 * 1024 * 1024,
            max_documents: 1,
        },
    }
}

/// Parses one YAML document into `arena`. An empty document is `Null`.
pub(crate) fn parse<'a>(text: &'a str, arena: &'a Bump) -> Result<Node<'a>, SyntaxError> {
    // An empty or comment-only file is a valid, empty document.
    if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Ok(Node::new(Pos { line: 1, column: 1 }, Value::Null));
    }
    // The common case, a file of plain mappings, lists and texts, is read
    // straight from the parser's events; anything else (and any error) by
    // serde-saphyr, which gives the same tree and every message.
    if let Some(root) = fast::parse(text, arena) {
        return Ok(root);
    }
    parse_with_serde(text, arena)
}

/// [`parse`] through serde-saphyr, for every file: what the fast reader
/// leaves alone, and every error.
fn parse_with_serde<'a>(text: &'a str, arena: &'a Bump) -> Result<Node<'a>, SyntaxError> {
    match serde_saphyr::from_str_with_options::<Spanned<Owned>>(text, options()) {
        Ok(spanned) => {
            let root = into_arena(&with_pos(spanned), text, arena);
            if let Some(pos) = binary_tag(&root, text) {
                return Err(SyntaxError {
                    pos,
                    message: "unsupported tag `!!binary`: the value would be decoded from \
                              base64, not read as written"
                        .into(),
                    unclosed: None,
                });
            }
            Ok(root)
        }
        Err(e) => {
            let mut err = at_the_tag(at_the_tab(syntax_error(&e), text), text);
            // A breached limit is no mistake of syntax: no bracket to blame.
            let limit = matches!(e, serde_saphyr::Error::Budget { .. })
                || err.message.starts_with("aliases expand")
                || err.message.starts_with("nesting deeper");
            if let Some((opened, bracket, closer)) = unclosed_flow(text, err.pos).filter(|_| !limit)
            {
                err.unclosed = Some((opened, bracket));
                // `[a, {b: 1]`: the parser names the `{`, but what it
                // noticed is the `]` that does not close it.
                err.pos = closer.unwrap_or(err.pos);
            }
            Err(err)
        }
    }
}

/// The tree of a file read straight from the events of serde-saphyr's own
/// parser (granit-parser), without serde in between: the same tree that
/// serde-saphyr builds, at well under half the cost, which is most of a
/// cold load. Only what is plainly the same is read here: one document of
/// mappings, lists and scalars, without anchors, aliases, tags or
/// directives, within the budget of [`options`], every plain scalar one
/// whose type is certain (text that starts with a letter, a `null`, a YAML
/// 1.1 boolean, a decimal number without a leading zero, or text with a
/// character no number can hold). Anything else, and every syntax error, is
/// `None`, and the file is read by serde-saphyr, which decides and words
/// every message. A test compares the two trees on every file at hand.
mod fast {
    use granit_parser::{Event, Parser, ScalarStyle, Span, StrInput};

    use std::borrow::Cow;

    use bumpalo::Bump;

    use super::{clamp, Node, Pos, Value};

    /// Below the budget's 64 levels, so the budget never has to decide.
    const MAX_DEPTH: usize = 60;
    /// Below the budget's million values.
    const MAX_NODES: usize = 900_000;
    /// Below the budget's 64 MiB of text.
    const MAX_SCALAR_BYTES: usize = 60 * 1024 * 1024;

    struct Reader<'t> {
        parser: Parser<'t, StrInput<'t>>,
        nodes: usize,
        scalar_bytes: usize,
        text: &'t str,
        arena: &'t Bump,
        /// The items of every list being read, innermost last, and the
        /// entries of every mapping: each list or mapping is then copied
        /// into the arena at exactly its size, where growing a vector of
        /// its own by doubling was an allocation, a copy and a free per
        /// step (docs/performance.md).
        items: Vec<Node<'t>>,
        entries: Vec<(Node<'t>, Node<'t>)>,
    }

    pub(super) fn parse<'t>(text: &'t str, arena: &'t Bump) -> Option<Node<'t>> {
        // As serde-saphyr sets up the same parser for our budget.
        let mut options = granit_parser::Options::default();
        options.emit_comments = false;
        options.simple_key_max_lookahead = 1024;
        options.flow_nesting_limit = 64;
        let mut r = Reader {
            parser: Parser::with_options(StrInput::new(text), options),
            nodes: 0,
            scalar_bytes: 0,
            text,
            arena,
            items: Vec::new(),
            entries: Vec::new(),
        };
        if !matches!(r.next()?.0, Event::StreamStart) {
            return None;
        }
        if !matches!(r.next()?.0, Event::DocumentStart(_, None)) {
            return None;
        }
        let (ev, span) = r.next()?;
        let root = r.node(ev, &span, 0)?;
        if !matches!(r.next()?.0, Event::DocumentEnd) || !matches!(r.next()?.0, Event::StreamEnd) {
            return None;
        }
        Some(root)
    }

    impl<'t> Reader<'t> {
        fn next(&mut self) -> Option<(Event<'t>, Span)> {
            self.parser.next_event()?.ok()
        }

        /// Line, column and byte span of a node, as serde-saphyr gives them.
        fn place(span: &Span) -> (Pos, Option<(usize, usize)>) {
            let pos = Pos {
                line: clamp(span.start.line() as u64),
                column: clamp(span.start.col() as u64 + 1),
            };
            let bytes = match (span.start.byte_offset(), span.end.byte_offset()) {
                (Some(at), Some(end)) => {
                    let len = end.saturating_sub(at);
                    (at <= u32::MAX as usize && len <= u32::MAX as usize).then_some((at, len))
                }
                _ => None,
            };
            (pos, bytes)
        }

        fn node(&mut self, ev: Event<'t>, span: &Span, depth: usize) -> Option<Node<'t>> {
            self.nodes += 1;
            if self.nodes > MAX_NODES || depth > MAX_DEPTH {
                return None;
            }
            let (pos, bytes) = Self::place(span);
            let value = match ev {
                Event::Scalar(v, style, 0, None) => {
                    self.scalar_bytes += v.len();
                    if self.scalar_bytes > MAX_SCALAR_BYTES {
                        return None;
                    }
                    if !matches!(style, ScalarStyle::Plain) {
                        Value::String(self.text(v))
                    } else {
                        match plain(&v)? {
                            Plain::Null => Value::Null,
                            Plain::Text => Value::String(self.text(v)),
                            // As written, as `into_arena` makes it.
                            Plain::Bool => Value::Bool(self.raw(bytes)?),
                            Plain::Number => Value::Number(self.raw(bytes)?),
                        }
                    }
                }
                Event::SequenceStart(_, 0, None) => {
                    let start = self.items.len();
                    loop {
                        let (ev, span) = self.next()?;
                        if matches!(ev, Event::SequenceEnd) {
                            break;
                        }
                        let item = self.node(ev, &span, depth + 1)?;
                        self.items.push(item);
                    }
                    let items = self.arena.alloc_slice_copy(&self.items[start..]);
                    self.items.truncate(start);
                    Value::Seq(items)
                }
                Event::MappingStart(_, 0, None) => {
                    let start = self.entries.len();
                    loop {
                        let (ev, span) = self.next()?;
                        if matches!(ev, Event::MappingEnd) {
                            break;
                        }
                        let key = self.key(ev, &span)?;
                        let (ev, span) = self.next()?;
                        let value = self.node(ev, &span, depth + 1)?;
                        self.entries.push((key, value));
                    }
                    let entries = self.arena.alloc_slice_copy(&self.entries[start..]);
                    self.entries.truncate(start);
                    Value::Map(entries)
                }
                _ => return None,
            };
            Some(Node {
                pos,
                value,
                span: bytes,
            })
        }

        /// A mapping key: text only, and a plain one only when it is
        /// plainly text (`<<`, `yes`, `1` and their like go to serde-saphyr).
        fn key(&mut self, ev: Event<'t>, span: &Span) -> Option<Node<'t>> {
            let text = match &ev {
                Event::Scalar(v, ScalarStyle::Plain, 0, None) => {
                    let first = *v.as_bytes().first()?;
                    matches!(plain(v)?, Plain::Text)
                        && (first.is_ascii_alphabetic() || !first.is_ascii())
                }
                Event::Scalar(_, _, 0, None) => true,
                _ => false,
            };
            if !text {
                return None;
            }
            self.node(ev, span, 0)
        }

        fn raw(&self, bytes: Option<(usize, usize)>) -> Option<&'t str> {
            let (at, len) = bytes?;
            self.text.get(at..at + len)
        }

        /// A scalar's text: most are slices of the file itself; one the
        /// parser had to rewrite (escapes, folded lines) is copied into the
        /// arena.
        fn text(&self, v: Cow<'t, str>) -> &'t str {
            match v {
                Cow::Borrowed(s) => s,
                Cow::Owned(s) => self.arena.alloc_str(&s),
            }
        }
    }

    enum Plain {
        Null,
        Bool,
        Number,
        Text,
    }

    /// What serde-saphyr reads an untagged plain scalar as, when that is
    /// certain; `None` when it is not.
    fn plain(v: &str) -> Option<Plain> {
        const BOOLS: [&str; 8] = ["true", "yes", "y", "on", "false", "no", "n", "off"];
        if matches!(v, "" | "~" | "null" | "Null" | "NULL") {
            return Some(Plain::Null);
        }
        if BOOLS.iter().any(|b| v.eq_ignore_ascii_case(b)) {
            return Some(Plain::Bool);
        }
        let b = v.as_bytes();
        if b[0].is_ascii_whitespace() || b[b.len() - 1].is_ascii_whitespace() {
            return None;
        }
        if b[0].is_ascii_alphabetic() || !b[0].is_ascii() {
            // No number starts with a letter (`inf` and `nan` are text).
            return Some(Plain::Text);
        }
        if b.iter().all(u8::is_ascii_digit) {
            return (b.len() == 1 || (b[0] != b'0' && b.len() <= 18)).then_some(Plain::Number);
        }
        // Every spelling of a number (`-1`, `0x1f`, `1_000`, `1.5e-3`,
        // `.inf`) is made of these; `:` is left out for YAML 1.1's `1:30`.
        let numeric = |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.' | b'_');
        if !b.iter().all(|c| numeric(c) || *c == b':') {
            return Some(Plain::Text);
        }
        // A sign stands first or after an exponent: `2017-04` is text.
        let letters = b.iter().any(u8::is_ascii_alphabetic);
        if b[0].is_ascii_digit()
            && !letters
            && !b.contains(&b':')
            && b[1..].iter().any(|c| matches!(c, b'+' | b'-'))
        {
            return Some(Plain::Text);
        }
        None
    }
}

/// The innermost flow list or mapping (`[`, `{`) that is open at `noticed`
/// and still open at the end of the file, with where it opened; or the one
/// a wrong bracket (`]` for `{`) tried to close, with where that stands.
///
/// A light scan of the YAML surface, run only once the parser has failed:
/// it follows quotes, comments, block scalars (`|`, `>`) and the brackets
/// that open flow collections (in block context only where a value starts,
/// as `name: a[1]` is plain text), and nothing else. A bracket closed
/// later, even after the parser's complaint, is not "never closed": the
/// parser's own message stands then.
fn unclosed_flow(text: &str, noticed: Pos) -> Option<(Pos, char, Option<Pos>)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut chars = text.chars().peekable();
    let (mut line, mut column) = (1u32, 0u32);
    let mut open: Vec<(Pos, char)> = Vec::new();
    // In block context: only spaces so far on this line, and the indent.
    let mut line_start = true;
    let mut indent = 0u32;
    // A value may start here (after indentation, `- `, `: `, `? `, `,`, a
    // bracket).
    let mut value_start = true;
    // After whitespace (or at a line's start): a `#` starts a comment.
    let mut after_space = true;
    // Skipping a block scalar's lines: its content indent once known, and
    // the indent of the line that introduced it.
    let mut block: Option<(Option<u32>, u32)> = None;
    while let Some(c) = chars.next() {
        let lone_cr = c == '\r' && chars.peek() != Some(&'\n');
        if c == '\n' || lone_cr {
            line += 1;
            column = 0;
            line_start = true;
            indent = 0;
            after_space = true;
            if open.is_empty() {
                value_start = true;
            }
            continue;
        }
        column += 1;
        let here = Pos { line, column };
        if let Some((content, parent)) = block {
            // A block scalar's lines run while indented past its parent
            // (the first non-blank line sets the indent); blank lines too.
            if line_start && c == ' ' {
                indent += 1;
                continue;
            }
            if line_start && c != '\r' {
                let inside = match content {
                    Some(ci) => indent >= ci,
                    None => indent > parent,
                };
                if inside {
                    block = Some((Some(content.unwrap_or(indent)), parent));
                    line_start = false;
                    continue;
                }
                block = None;
            } else {
                continue;
            }
        }
        if line_start && c == ' ' {
            indent += 1;
            continue;
        }
        line_start = false;
        let is_space = c == ' ' || c == '\t' || c == '\r';
        let next_blank = matches!(chars.peek(), None | Some(' ' | '\t' | '\n' | '\r'));
        let flow = !open.is_empty();
        match c {
            _ if is_space => {
                after_space = true;
                continue;
            }
            '#' if after_space => {
                // A comment runs to the end of the line.
                while chars.peek().is_some_and(|&n| n != '\n' && n != '\r') {
                    chars.next();
                }
                continue;
            }
            '"' | '\'' if value_start => {
                // A quoted text, over as many lines as it takes.
                let quote = c;
                while let Some(q) = chars.next() {
                    let lone = q == '\r' && chars.peek() != Some(&'\n');
                    if q == '\n' || lone {
                        line += 1;
                        column = 0;
                        continue;
                    }
                    column += 1;
                    if quote == '"' && q == '\\' {
                        if chars.next().is_some() {
                            column += 1;
                        }
                    } else if q == quote {
                        if quote == '\'' && chars.peek() == Some(&'\'') {
                            chars.next();
                            column += 1;
                        } else {
                            break;
                        }
                    }
                }
                value_start = false;
            }
            '[' | '{' if value_start || flow => {
                open.push((here, c));
                value_start = true;
            }
            ']' | '}' if flow => {
                match open.pop() {
                    Some((_, '[')) if c == ']' => {}
                    Some((_, '{')) if c == '}' => {}
                    Some((opened, bracket)) if opened <= noticed => {
                        return Some((opened, bracket, Some(here)));
                    }
                    _ => break,
                }
                value_start = false;
            }
            ',' if flow => value_start = true,
            '-' | '?' | ':' if next_blank && (!flow || c != '-') => value_start = true,
            '|' | '>' if value_start && !flow => {
                // The rest of this line is the block scalar's header.
                while chars.peek().is_some_and(|&n| n != '\n' && n != '\r') {
                    chars.next();
                }
                block = Some((None, indent));
            }
            '&' | '!' | '*' if value_start => {
                // An anchor, tag or alias: a value may still start after
                // it. In a flow, a bracket or comma ends it too.
                let ends = |n: char| {
                    matches!(n, ' ' | '\t' | '\n' | '\r')
                        || (flow && matches!(n, ',' | '[' | ']' | '{' | '}'))
                };
                while chars.peek().is_some_and(|&n| !ends(n)) {
                    chars.next();
                    column += 1;
                }
            }
            _ => value_start = false,
        }
        after_space = false;
    }
    open.into_iter()
        .rev()
        .find(|&(p, _)| p <= noticed)
        .map(|(p, c)| (p, c, None))
}

/// Where a `!!binary` tag stands before a text value, if anywhere. The
/// parser accepts this standard tag and decodes the base64 after it, so
/// `kind: !!binary bWVjaGFuaXNt` would read as `kind: mechanism`: what a
/// reviewer sees in the file would not be what detente reads. The tag is
/// told apart from the same letters in a quoted text or a comment by the
/// text value that starts right after it.
fn binary_tag(root: &Node<'_>, text: &str) -> Option<Pos> {
    const TAG: &str = "!!binary";
    if !text.contains(TAG) {
        return None;
    }
    let mut starts = std::collections::HashSet::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::String(_) => starts.extend(node.span.map(|(at, _)| at)),
            Value::Seq(items) => stack.extend(items.iter()),
            Value::Map(entries) => stack.extend(entries.iter().flat_map(|(k, v)| [k, v])),
            _ => {}
        }
    }
    text.match_indices(TAG).find_map(|(at, _)| {
        let rest = &text[at + TAG.len()..];
        let gap = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        starts.contains(&(at + TAG.len() + gap)).then(|| {
            let before = &text[..at];
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            Pos {
                line: clamp(before.matches('\n').count() as u64 + 1),
                column: clamp(before[line_start..].chars().count() as u64 + 1),
            }
        })
    })
}

/// The tree serde-saphyr built, copied into `arena`, with the parser's
/// reading of plain numbers and booleans replaced by the text as written.
fn into_arena<'a>(node: &Owned, text: &'a str, arena: &'a Bump) -> Node<'a> {
    let as_written = |s: &str| -> &'a str {
        match node.span.and_then(|(at, len)| text.get(at..at + len)) {
            Some(raw) => raw,
            None => arena.alloc_str(s),
        }
    };
    let value = match &node.value {
        OwnedValue::Null => Value::Null,
        OwnedValue::Bool(s) => Value::Bool(as_written(s)),
        OwnedValue::Number(s) => Value::Number(as_written(s)),
        OwnedValue::String(s) => Value::String(arena.alloc_str(s)),
        OwnedValue::Seq(items) => Value::Seq(
            arena.alloc_slice_fill_iter(items.iter().map(|n| into_arena(n, text, arena))),
        ),
        OwnedValue::Map(entries) => Value::Map(
            arena.alloc_slice_fill_iter(
                entries
                    .iter()
                    .map(|(k, v)| (into_arena(k, text, arena), into_arena(v, text, arena))),
            ),
        ),
    };
    Node {
        pos: node.pos,
        value,
        span: node.span,
    }
}

/// The tree as serde-saphyr builds it, each list and mapping a vector of
/// its own, before [`into_arena`] copies it.
struct Owned {
    pos: Pos,
    value: OwnedValue,
    span: Option<(usize, usize)>,
}

enum OwnedValue {
    Null,
    Bool(String),
    Number(String),
    String(String),
    Seq(Vec<Owned>),
    Map(Vec<(Owned, Owned)>),
}

fn syntax_error(err: &serde_saphyr::Error) -> SyntaxError {
    let pos = err
        .location()
        .filter(|l| l.line() > 0)
        .map(|l| Pos {
            line: clamp(l.line()),
            column: clamp(l.column()),
        })
        .unwrap_or(Pos { line: 1, column: 1 });
    if let serde_saphyr::Error::Budget { breach, .. } = err {
        return SyntaxError {
            pos,
            message: explain_budget(breach),
            unclosed: None,
        };
    }
    let mut message = err.to_string();
    // The parser appends its own "at line X column Y"; we print positions
    // ourselves, in one format, so drop its copy.
    for marker in [" at line ", " at Line "] {
        if let Some(cut) = message.find(marker) {
            message.truncate(cut);
        }
    }
    let message = message.trim().trim_end_matches(['.', ',']).to_string();
    let message = lowercase_first(&message);
    let message = if message.starts_with("alias replay limit") {
        format!("aliases expand to too much data, as in an alias bomb ({message})")
    } else if message.starts_with("recursion limit") {
        "nesting deeper than 64 levels".into()
    } else {
        message
    };
    SyntaxError {
        pos,
        message,
        unclosed: None,
    }
}

/// The parser reports a tab in indentation at the start of the scalar or
/// line before it ("while scanning a plain scalar, found a tab"), which
/// sends a reader to the wrong line; the tab itself is the place, and the
/// cause is that YAML indents with spaces only.
fn at_the_tab(err: SyntaxError, text: &str) -> SyntaxError {
    if !(err.message.contains("found a tab") || err.message.contains("tabs disallowed")) {
        return err;
    }
    let first = usize::try_from(err.pos.line.max(1) - 1).unwrap_or(usize::MAX);
    // The tab is on the reported line or just after it.
    for (i, line) in text.lines().enumerate().skip(first).take(3) {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(col) = line[..indent].find('\t') {
            return SyntaxError {
                pos: Pos {
                    line: clamp(i as u64 + 1),
                    column: clamp(col as u64 + 1),
                },
                message: "a tab where indentation is expected: YAML indents with spaces only"
                    .into(),
                unclosed: None,
            };
        }
    }
    err
}

/// The parser reports an unsupported tag at the value after it; the tag
/// is what to remove, so it is the place.
fn at_the_tag(mut err: SyntaxError, text: &str) -> SyntaxError {
    let Some(tag) = err
        .message
        .strip_prefix("unsupported tag `")
        .and_then(|r| r.split('`').next())
    else {
        return err;
    };
    let line_no = usize::try_from(err.pos.line.max(1) - 1).unwrap_or(usize::MAX);
    if let Some(line) = text.lines().nth(line_no) {
        let upto: String = line
            .chars()
            .take(usize::try_from(err.pos.column).unwrap_or(usize::MAX))
            .collect();
        if let Some(at) = upto.rfind(tag) {
            err.pos.column = clamp(upto[..at].chars().count() as u64 + 1);
        }
    }
    err
}

/// The parser names its budgets by their Rust names; say what they mean.
fn explain_budget(breach: &serde_saphyr::budget::BudgetBreach) -> String {
    use serde_saphyr::budget::BudgetBreach as B;
    match breach {
        B::Documents { .. } => {
            "a file holds one YAML document, but a second one starts here (`---`)".into()
        }
        B::Depth { .. } => "nesting deeper than 64 levels".into(),
        B::Aliases { .. } | B::Anchors { .. } => {
            "more than 1000 aliases or anchors, as in an alias bomb".into()
        }
        B::Events { .. } | B::Nodes { .. } => {
            "the file holds more than a million YAML values: split it into several files".into()
        }
        B::ScalarBytes { .. } => "the file's texts add up to more than 64 MiB".into(),
        other => format!("the file exceeds a safety limit of the YAML reader ({other:?})"),
    }
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        // Keep acronyms such as "YAML" intact.
        Some(c) if !chars.clone().next().is_some_and(char::is_uppercase) => {
            c.to_lowercase().chain(chars).collect()
        }
        _ => s.to_string(),
    }
}

fn clamp(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn with_pos(spanned: Spanned<Owned>) -> Owned {
    let loc = spanned.referenced;
    let mut node = spanned.value;
    node.pos = Pos {
        line: clamp(loc.line()),
        column: clamp(loc.column()),
    };
    let span = loc.span();
    node.span = span
        .byte_offset()
        .zip(span.byte_len())
        .and_then(|(at, len)| Some((usize::try_from(at).ok()?, usize::try_from(len).ok()?)));
    node
}

impl<'de> Deserialize<'de> for Owned {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

fn node(value: OwnedValue) -> Owned {
    // The position and span are filled in by the enclosing `Spanned`.
    Owned {
        pos: Pos::default(),
        value,
        span: None,
    }
}

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Owned;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Owned, E> {
        Ok(node(OwnedValue::Null))
    }

    fn visit_none<E: de::Error>(self) -> Result<Owned, E> {
        Ok(node(OwnedValue::Null))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Owned, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Owned, E> {
        // Replaced by the source text afterwards.
        Ok(node(OwnedValue::Bool(v.to_string())))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Owned, E> {
        Ok(node(OwnedValue::Number(v.to_string())))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Owned, E> {
        Ok(node(OwnedValue::Number(v.to_string())))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Owned, E> {
        Ok(node(OwnedValue::Number(v.to_string())))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Owned, E> {
        Ok(node(OwnedValue::Number(v.to_string())))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Owned, E> {
        Ok(node(OwnedValue::Number(v.to_string())))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Owned, E> {
        Ok(node(OwnedValue::String(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Owned, E> {
        Ok(node(OwnedValue::String(v)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Owned, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = deeper(|| seq.next_element::<Spanned<Owned>>())? {
            items.push(with_pos(item));
        }
        Ok(node(OwnedValue::Seq(items)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Owned, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = deeper(|| map.next_key::<Spanned<Owned>>())? {
            let value = deeper(|| map.next_value::<Spanned<Owned>>())?;
            entries.push((with_pos(key), with_pos(value)));
        }
        Ok(node(OwnedValue::Map(entries)))
    }
}

/// Runs one level of nesting deeper, on a fresh stack segment when little
/// is left. The depth budget bounds how deep a file may nest, but not what
/// each level costs: the parser's frames are large (tens of kB a level in a
/// debug build), so 50 levels of `{a: {a: …}}` overflowed the 2 MiB stack
/// of a worker thread and aborted the process before the budget could
/// refuse the file.
fn deeper<R>(f: impl FnOnce() -> R) -> R {
    const RED_ZONE: usize = 256 * 1024;
    const SEGMENT: usize = 4 * 1024 * 1024;
    stacker::maybe_grow(RED_ZONE, SEGMENT, f)
}

/// The generator of benchmark corpora, to test the fast reader on one.
#[cfg(test)]
#[allow(dead_code, clippy::all)]
#[path = "../../benches/corpus/mod.rs"]
mod corpus_generator;

#[cfg(test)]
mod tests {
    use super::*;
    use corpus_generator as corpus;

    fn at(line: u32, column: u32) -> Pos {
        Pos { line, column }
    }

    /// [`super::parse`] into an arena of its own, kept with the text for
    /// the rest of the test.
    fn parse(text: &str) -> Result<Node<'static>, SyntaxError> {
        let text: &'static str = Box::leak(text.to_owned().into_boxed_str());
        super::parse(text, Box::leak(Box::new(Bump::new())))
    }

    #[test]
    fn keys_and_values_carry_positions() {
        let root = parse("- id: lecd\n  date: 2017-04\n  n: 2017\n").unwrap();
        let Value::Seq(items) = root.value else {
            panic!("not a list")
        };
        let Value::Map(entries) = &items[0].value else {
            panic!("not a map")
        };
        assert_eq!(entries[0].0.pos, at(1, 3));
        assert_eq!(entries[0].1.pos, at(1, 7));
        assert_eq!(entries[1].1.value, Value::String("2017-04"));
        assert_eq!(entries[2].1.pos, at(3, 6));
        assert_eq!(entries[2].1.value, Value::Number("2017"));
    }

    #[test]
    fn numbers_and_booleans_keep_their_text() {
        let root = parse("a: 007\nb: [0x10, 1.50, 1e3, NO, true]\n").unwrap();
        let Value::Map(entries) = root.value else {
            panic!("not a map")
        };
        assert_eq!(entries[0].1.value, Value::Number("007"));
        let Value::Seq(items) = &entries[1].1.value else {
            panic!("not a list")
        };
        let texts: Vec<&Value> = items.iter().map(|n| &n.value).collect();
        assert_eq!(
            texts,
            [
                &Value::Number("0x10"),
                &Value::Number("1.50"),
                &Value::Number("1e3"),
                &Value::Bool("NO"),
                &Value::Bool("true"),
            ]
        );
    }

    #[test]
    fn unknown_tags_are_refused_at_the_tag() {
        let err = parse("summary: !custom hello\n").unwrap_err();
        assert_eq!(err.pos, at(1, 10), "{err:?}");
    }

    #[test]
    fn a_binary_tag_is_refused_but_its_letters_in_text_are_not() {
        let err = parse("kind: !!binary bWVjaGFuaXNt\n").unwrap_err();
        assert_eq!(err.pos, at(1, 7));
        assert!(
            err.message.starts_with("unsupported tag `!!binary`"),
            "{err:?}"
        );
        let ok = parse("a: \"!!binary bWVj\" # !!binary x\nb: |\n  !!binary c\n").unwrap();
        assert!(matches!(ok.value, Value::Map(_)));
    }

    #[test]
    fn duplicate_keys_reach_the_tree() {
        let root = parse("a: 1\nb: 2\na: 3\n").unwrap();
        let Value::Map(entries) = root.value else {
            panic!("not a map")
        };
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[2].0.pos, at(3, 1));
    }

    #[test]
    fn syntax_errors_have_a_place() {
        let err = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.pos.line >= 1, "{err:?}");
        let err = parse("a: 1\n  b: 2\n").unwrap_err();
        assert_eq!(err.pos.line, 2, "{err:?}");
    }

    #[test]
    fn an_unclosed_bracket_is_placed_where_it_opened_not_where_it_was_noticed() {
        let err = parse("- id: x\n  aliases: [a, b\n  name: N\n").unwrap_err();
        assert_eq!(err.pos, at(3, 7), "noticed at the colon: {err:?}");
        assert_eq!(err.unclosed, Some((at(2, 12), '[')));
        // A mapping, nested in a list that is closed, with a `#` and a
        // bracket in quotes and comments on the way.
        let text = "a: [\"[\", '#{', {b: 1, c: [2]] # ]\nd: e\n";
        let err = parse(text).unwrap_err();
        assert_eq!(err.unclosed, Some((at(1, 16), '{')), "{err:?}");
        assert_eq!(err.pos, at(1, 29), "noticed at the `]` after `[2]`");
        let err = parse("a: {b: [1, 2}\n").unwrap_err();
        assert_eq!(err.unclosed, Some((at(1, 8), '[')), "{err:?}");
        assert_eq!(err.pos, at(1, 13), "{err:?}");
        // Never closed at all, in the ontology's flow-mapping style.
        let err = parse("kinds:\n  mechanism: {label: Mechanism\nrelations: {}\n").unwrap_err();
        assert_eq!(err.unclosed, Some((at(2, 14), '{')), "{err:?}");
        // Aliases end at a comma or bracket in a flow.
        let err = parse("a: &a [1]\nb: [*a, *a]\nc: [*a, {d: *a]\n").unwrap_err();
        assert_eq!(err.unclosed, Some((at(3, 9), '{')), "{err:?}");
        assert_eq!(err.pos, at(3, 15), "{err:?}");
    }

    #[test]
    fn a_bracket_that_is_text_or_closed_later_is_not_called_unclosed() {
        // Closed, but on a line the parser had already refused.
        let err = parse("a: [1, 2: 3: 4]\n").unwrap_err();
        assert_eq!(err.unclosed, None, "{err:?}");
        // Brackets inside plain text, quotes, comments and block scalars
        // open nothing; the real mistake (a bad indent) stays the parser's.
        let text = "a: x[1\nb: \"[\"\nc: |\n  [not yet\n  {\n# [\nd: 1\n  e: 2\n";
        let err = parse(text).unwrap_err();
        assert_eq!(err.unclosed, None, "{err:?}");
        assert_eq!(err.pos.line, 8, "{err:?}");
    }

    #[test]
    fn alias_bombs_are_refused_by_the_budget() {
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            bomb.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(parse(&bomb).is_err());
    }

    #[test]
    fn absurd_nesting_is_refused_by_the_budget() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn deep_nesting_does_not_overflow_a_small_stack() {
        // 60 levels of mappings and of block lists fit the budget; 20 000
        // do not. Neither may overflow the stack of a small thread: each is
        // parsed or refused.
        let maps = |n: usize| format!("{}x{}", "{a: ".repeat(n), "}".repeat(n));
        let lists = |n: usize| format!("{}x", "- ".repeat(n));
        let parsed = std::thread::Builder::new()
            .stack_size(512 * 1024)
            .spawn(move || {
                [
                    parse(&maps(60)).is_ok(),
                    parse(&lists(60)).is_ok(),
                    parse(&maps(20_000)).is_err(),
                    parse(&lists(20_000)).is_err(),
                ]
            })
            .unwrap()
            .join()
            .expect("no stack overflow");
        assert_eq!(parsed, [true; 4]);
    }

    #[test]
    fn a_tab_in_indentation_is_reported_at_the_tab() {
        let err = parse("- id: x\n\tkind: mechanism\n").unwrap_err();
        assert_eq!(err.pos, at(2, 1));
        assert_eq!(
            err.message,
            "a tab where indentation is expected: YAML indents with spaces only"
        );
        let err = parse("entities:\n  - id: x\n  \t- id: y\n").unwrap_err();
        assert_eq!(err.pos, at(3, 3), "{err:?}");
    }

    /// Every file at hand, read both ways: where the fast reader takes a
    /// file, its tree (values, positions, spans) is serde-saphyr's.
    #[test]
    fn the_fast_reader_gives_the_tree_serde_saphyr_gives() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in [
            "data",
            "tests",
            "examples",
            "fuzz/corpus/loader_data",
            "fuzz/corpus/loader_ontology",
        ] {
            let mut stack = vec![root.join(dir)];
            while let Some(d) = stack.pop() {
                let Ok(entries) = std::fs::read_dir(&d) else {
                    continue;
                };
                for e in entries.flatten() {
                    let p = e.path();
                    let Ok(meta) = std::fs::symlink_metadata(&p) else {
                        continue;
                    };
                    if meta.is_dir() {
                        stack.push(p);
                    } else if meta.is_file() && meta.len() < 2_000_000 {
                        let yaml = p
                            .extension()
                            .is_some_and(|x| x == "yaml" || x == "yml" || x == "json");
                        if yaml || dir.starts_with("fuzz") {
                            files.push(p);
                        }
                    }
                }
            }
        }
        assert!(files.len() > 300, "{}", files.len());
        let mut fast_read = 0;
        for f in &files {
            let Ok(text) = std::fs::read_to_string(f) else {
                continue;
            };
            let (a, b) = (Bump::new(), Bump::new());
            if let Some(tree) = fast::parse(&text, &a) {
                fast_read += 1;
                assert_eq!(Ok(tree), parse_with_serde(&text, &b), "{}", f.display());
            }
        }
        assert!(fast_read > 100, "{fast_read} of {}", files.len());
    }

    #[test]
    fn the_fast_reader_gives_the_tree_serde_saphyr_gives_for_every_scalar() {
        let scalars = [
            "x",
            "lecd",
            "2017",
            "0",
            "007",
            "2017-04",
            "2017-04-03",
            "2017/..",
            "../2018",
            "2017~",
            "2017?",
            "2017%",
            "2017-04/2019-05-06",
            "1.50",
            "1e3",
            "-1",
            "+1",
            "0x10",
            "0o17",
            "1_000",
            ".inf",
            "-.inf",
            ".nan",
            "inf",
            "nan",
            "NaN",
            "true",
            "True",
            "NO",
            "y",
            "n",
            "on",
            "Off",
            "null",
            "~",
            "Null",
            "12:30",
            "1:2:3",
            "-",
            ".",
            "+",
            "2017-",
            "1-1",
            "1e-5",
            "1E+5",
            "99999999999999999999",
            "中美",
            "Zürich",
            "a b",
            "§3",
            "'quoted'",
            "\"2017\"",
            "[2017, 2018]",
            "{a: 1}",
            "|\n  block\n",
            ">\n  folded\n",
            "2017-04-03T10:00:00",
            "0.5",
            "5.",
            "-0",
            "+0",
            "00",
            "x # comment",
            "ÿ",
        ];
        let mut fast_read = Vec::new();
        for s in scalars {
            for text in [
                format!("a: {s}\n"),
                format!("- {s}\n"),
                format!("{s}: x\n"),
                format!("[{s}]\n"),
            ] {
                let (a, b) = (Bump::new(), Bump::new());
                let serde = parse_with_serde(&text, &b);
                if let Some(tree) = fast::parse(&text, &a) {
                    fast_read.push(text.clone());
                    assert_eq!(Ok(tree), serde, "{text:?}");
                }
            }
        }
        // The forms the data is made of are read fast.
        for text in [
            "a: x\n",
            "a: 2017\n",
            "a: 2017-04\n",
            "a: ../2018\n",
            "a: NO\n",
            "a: 'quoted'\n",
            "- 中美\n",
            "a: ~\n",
        ] {
            assert!(fast_read.iter().any(|t| t == text), "{text:?}");
        }
    }

    #[test]
    fn the_fast_reader_takes_the_bundled_data_and_a_generated_corpus() {
        for (path, text) in crate::builtin::FILES {
            assert!(fast::parse(text, &Bump::new()).is_some(), "{path}");
        }
        for (path, text) in corpus::generate(2000, 7) {
            let (a, b) = (Bump::new(), Bump::new());
            let tree = fast::parse(&text, &a);
            assert!(tree.is_some(), "{}", path.display());
            assert_eq!(
                tree.ok_or(()),
                parse_with_serde(&text, &b).map_err(|_| ()),
                "{}",
                path.display()
            );
        }
    }

    #[test]
    fn empty_and_comment_only_files_are_null() {
        assert_eq!(parse("").unwrap().value, Value::Null);
        assert_eq!(parse("# nothing yet\n\n").unwrap().value, Value::Null);
    }
}
