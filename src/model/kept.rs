//! A table derived from the graph, built on the first question that needs
//! it and kept for the next (as the adjacency table and the search index
//! are). A copy of a dataset starts without one: it may be about to change.

use std::sync::OnceLock;

pub(crate) struct Kept<T>(OnceLock<T>);

impl<T> Kept<T> {
    /// The table, built by `build` on the first call.
    pub(crate) fn get(&self, build: impl FnOnce() -> T) -> &T {
        self.0.get_or_init(build)
    }

    /// Takes `value` as the table, unless it is built already.
    pub(crate) fn set(&self, value: T) {
        let _ = self.0.set(value);
    }

    /// The table, if it is built.
    pub(crate) fn built(&self) -> Option<&T> {
        self.0.get()
    }

    /// Whether the table is built.
    pub(crate) fn is_built(&self) -> bool {
        self.0.get().is_some()
    }

    /// Forgets the table: the graph or what the table holds changed.
    pub(crate) fn reset(&mut self) {
        self.0 = OnceLock::new();
    }
}

impl<T> Default for Kept<T> {
    fn default() -> Kept<T> {
        Kept(OnceLock::new())
    }
}

impl<T> Clone for Kept<T> {
    fn clone(&self) -> Kept<T> {
        Kept::default()
    }
}

impl<T> std::fmt::Debug for Kept<T> {
    // Tables are megabytes: say whether it is built, not what it holds.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() {
            "built"
        } else {
            "not built"
        })
    }
}
