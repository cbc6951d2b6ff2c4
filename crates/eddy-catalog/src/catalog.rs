//! The set of named objects and the dependencies between them.

use std::collections::{BTreeMap, BTreeSet};

use crate::{CatalogEntry, CatalogError, ObjectKind, StreamDef};

/// Named objects, each with the names of the objects its query reads.
/// Names are unique across kinds (a stream and a view cannot share a name),
/// as in PostgreSQL's relation namespace.
#[derive(Debug, Default, Clone)]
pub struct Catalog {
    entries: BTreeMap<String, CatalogEntry>,
    reads: BTreeMap<String, BTreeSet<String>>,
}

impl Catalog {
    pub fn new() -> Self {
        Catalog::default()
    }

    /// Adds an entry that reads `depends_on`. Fails when the name is taken.
    pub fn insert(&mut self, entry: CatalogEntry, depends_on: BTreeSet<String>) -> Result<(), CatalogError> {
        if let Some(existing) = self.entries.get(entry.name()) {
            return Err(CatalogError::AlreadyExists { kind: existing.kind(), name: entry.name().to_string() });
        }
        let name = entry.name().to_string();
        self.reads.insert(name.clone(), depends_on);
        self.entries.insert(name, entry);
        Ok(())
    }

    pub fn get(&self, name: &str) -> Option<&CatalogEntry> {
        self.entries.get(name)
    }

    /// The entry called `name`, or an error naming what is missing.
    pub fn lookup(&self, name: &str) -> Result<&CatalogEntry, CatalogError> {
        self.entries.get(name).ok_or_else(|| CatalogError::UnknownObject { name: name.to_string() })
    }

    pub fn stream(&self, name: &str) -> Result<&StreamDef, CatalogError> {
        match self.entries.get(name) {
            Some(CatalogEntry::Stream(s)) => Ok(s),
            Some(other) => Err(CatalogError::WrongKind {
                name: name.to_string(),
                actual: other.kind(),
                expected: ObjectKind::Stream,
            }),
            None => Err(CatalogError::NotFound { kind: ObjectKind::Stream, name: name.to_string() }),
        }
    }

    /// Removes `name`, which must be of `kind` and have no dependents.
    pub fn remove(&mut self, kind: ObjectKind, name: &str) -> Result<CatalogEntry, CatalogError> {
        match self.entries.get(name) {
            None => return Err(CatalogError::NotFound { kind, name: name.to_string() }),
            Some(e) if e.kind() != kind => {
                return Err(CatalogError::WrongKind { name: name.to_string(), actual: e.kind(), expected: kind })
            }
            Some(_) => {}
        }
        if let Some((dependent, _)) = self.reads.iter().find(|(_, reads)| reads.contains(name)) {
            let dependent_kind = self.entries[dependent].kind();
            return Err(CatalogError::HasDependents {
                kind,
                name: name.to_string(),
                dependent: format!("{dependent_kind} \"{dependent}\""),
            });
        }
        self.reads.remove(name);
        Ok(self.entries.remove(name).expect("checked above"))
    }

    /// Entries of one kind, by name.
    pub fn list(&self, kind: ObjectKind) -> impl Iterator<Item = &CatalogEntry> {
        self.entries.values().filter(move |e| e.kind() == kind)
    }

    /// Names `name` reads from.
    pub fn dependencies(&self, name: &str) -> Option<&BTreeSet<String>> {
        self.reads.get(name)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow::datatypes::Schema;

    use super::*;
    use crate::{ConnectorOptions, ViewDef};

    fn stream(name: &str) -> CatalogEntry {
        CatalogEntry::Stream(StreamDef {
            name: name.into(),
            schema: Arc::new(Schema::empty()),
            watermark: None,
            connector: ConnectorOptions::default(),
            query: None,
            sql: String::new(),
        })
    }

    #[test]
    fn dropping_with_the_wrong_kind_hints_the_right_statement() {
        use eddy_common::Classify;
        let mut c = Catalog::new();
        c.insert(stream("s"), BTreeSet::new()).unwrap();
        let err = c.remove(ObjectKind::MaterializedView, "s").unwrap_err();
        assert_eq!(err.to_string(), "\"s\" is a stream, not a materialized view");
        assert_eq!(err.class().hint.as_deref(), Some("\"s\" is a stream: use DROP STREAM s"));
    }

    #[test]
    fn names_are_unique_across_kinds() {
        let mut c = Catalog::new();
        c.insert(stream("a"), BTreeSet::new()).unwrap();
        let view = CatalogEntry::View(ViewDef {
            name: "a".into(),
            schema: Arc::new(Schema::empty()),
            query: String::new(),
            sql: String::new(),
        });
        let err = c.insert(view, BTreeSet::new()).unwrap_err();
        assert_eq!(err.to_string(), "stream \"a\" already exists");
    }

    #[test]
    fn a_stream_with_readers_cannot_be_dropped() {
        let mut c = Catalog::new();
        c.insert(stream("a"), BTreeSet::new()).unwrap();
        c.insert(stream("b"), BTreeSet::from(["a".to_string()])).unwrap();
        let err = c.remove(ObjectKind::Stream, "a").unwrap_err();
        assert_eq!(err.to_string(), "cannot drop stream \"a\" because stream \"b\" depends on it");
        c.remove(ObjectKind::Stream, "b").unwrap();
        c.remove(ObjectKind::Stream, "a").unwrap();
    }
}
