//! The sandbox's state: named tables of JSON records, kept in memory and,
//! with a state directory, written through to a redb database.
//!
//! Every request that changes state runs in one [`Txn`]: its changes are
//! applied in memory as it goes (so it reads its own writes), written to
//! redb in one write transaction at [`Txn::commit`] (durable when `commit`
//! returns: redb's default durability syncs the file), and undone in memory
//! when the transaction is dropped without a commit (a request answered with
//! an error changes nothing). A `kill -9` therefore loses at most the
//! request in flight. Records are JSON so that amounts keep their exact
//! decimal text.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use redb::{Database, ReadableTable, TableDefinition};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

const RECORDS: TableDefinition<'_, &str, &str> = TableDefinition::new("records");
const SEP: char = '\u{1f}';

type Tables = HashMap<String, BTreeMap<String, String>>;

struct Inner {
    mem: Tables,
    db: Option<Database>,
}

/// The state store. One lock: requests are serialised, which is what makes
/// every rule (balances, duplicates) hold without further care.
pub(crate) struct Store {
    inner: Mutex<Inner>,
}

impl Store {
    /// An in-memory store.
    pub(crate) fn memory() -> Self {
        Self {
            inner: Mutex::new(Inner {
                mem: Tables::new(),
                db: None,
            }),
        }
    }

    /// Opens (or creates) `path` and loads every record into memory.
    pub(crate) fn open(path: &Path) -> Result<Self> {
        let db = Database::create(path).map_err(Error::store)?;
        {
            // Make sure the table exists, so a read transaction can open it.
            let w = db.begin_write().map_err(Error::store)?;
            w.open_table(RECORDS).map_err(Error::store)?;
            w.commit().map_err(Error::store)?;
        }
        let mut mem = Tables::new();
        {
            let r = db.begin_read().map_err(Error::store)?;
            let t = r.open_table(RECORDS).map_err(Error::store)?;
            for item in t.iter().map_err(Error::store)? {
                let (k, v) = item.map_err(Error::store)?;
                if let Some((table, key)) = k.value().split_once(SEP) {
                    mem.entry(table.to_owned())
                        .or_default()
                        .insert(key.to_owned(), v.value().to_owned());
                }
            }
        }
        Ok(Self {
            inner: Mutex::new(Inner { mem, db: Some(db) }),
        })
    }

    /// Starts a transaction (takes the lock until it is committed or dropped).
    pub(crate) fn begin(&self) -> Txn<'_> {
        let guard = match self.inner.lock() {
            Ok(g) => g,
            // A panic while holding the lock left memory as the transaction
            // had it; its Drop undid the changes, so the state is consistent.
            Err(poisoned) => poisoned.into_inner(),
        };
        Txn {
            inner: guard,
            undo: Vec::new(),
            committed: false,
        }
    }
}

/// One transaction: see the module docs.
pub(crate) struct Txn<'a> {
    inner: MutexGuard<'a, Inner>,
    undo: Vec<(String, String, Option<String>)>,
    committed: bool,
}

impl Txn<'_> {
    /// A record, decoded; `None` when absent (or unreadable).
    pub(crate) fn get<T: DeserializeOwned>(&self, table: &str, key: &str) -> Option<T> {
        let raw = self.inner.mem.get(table)?.get(key)?;
        match serde_json::from_str(raw) {
            Ok(v) => Some(v),
            Err(e) => {
                tracing::warn!(table, key, error = %e, "unreadable sandbox record");
                None
            }
        }
    }

    /// Whether a record exists.
    pub(crate) fn contains(&self, table: &str, key: &str) -> bool {
        self.inner
            .mem
            .get(table)
            .is_some_and(|t| t.contains_key(key))
    }

    /// Writes a record.
    pub(crate) fn put<T: Serialize>(&mut self, table: &str, key: &str, value: &T) {
        match serde_json::to_string(value) {
            Ok(text) => self.set(table, key, Some(text)),
            Err(e) => tracing::error!(table, key, error = %e, "cannot encode sandbox record"),
        }
    }

    /// Removes a record.
    pub(crate) fn delete(&mut self, table: &str, key: &str) {
        if self.contains(table, key) {
            self.set(table, key, None);
        }
    }

    fn set(&mut self, table: &str, key: &str, value: Option<String>) {
        let t = self.inner.mem.entry(table.to_owned()).or_default();
        let old = match value {
            Some(v) => t.insert(key.to_owned(), v),
            None => t.remove(key),
        };
        self.undo.push((table.to_owned(), key.to_owned(), old));
    }

    /// Every record of a table, in key order.
    pub(crate) fn scan<T: DeserializeOwned>(&self, table: &str) -> Vec<T> {
        let Some(t) = self.inner.mem.get(table) else {
            return Vec::new();
        };
        t.values()
            .filter_map(|raw| serde_json::from_str(raw).ok())
            .collect()
    }

    /// The first key of a queue (a table keyed `{due_ms}|…`, due times
    /// zero-padded so they sort) and its due time, when it is due at `now`.
    pub(crate) fn first_due(&self, table: &str, now: i64) -> Option<(String, i64)> {
        let key = self.inner.mem.get(table)?.keys().next()?;
        let due: i64 = key
            .split('|')
            .next()
            .and_then(|d| d.parse().ok())
            .unwrap_or(0);
        (due <= now).then(|| (key.clone(), due))
    }

    /// Removes every record of every table.
    pub(crate) fn clear_all(&mut self) {
        let all: Vec<(String, String)> = self
            .inner
            .mem
            .iter()
            .flat_map(|(t, m)| m.keys().map(move |k| (t.clone(), k.clone())))
            .collect();
        for (t, k) in all {
            self.set(&t, &k, None);
        }
    }

    /// A fresh number from a persistent counter.
    pub(crate) fn next_seq(&mut self) -> u64 {
        let n: u64 = self.get("meta", "seq").unwrap_or(0) + 1;
        self.put("meta", "seq", &n);
        n
    }

    /// Makes the changes durable. On failure nothing is kept.
    pub(crate) fn commit(mut self) -> Result<()> {
        if self.undo.is_empty() {
            self.committed = true;
            return Ok(());
        }
        let result = self.write_through();
        if result.is_ok() {
            self.committed = true;
        }
        result
    }

    fn write_through(&self) -> Result<()> {
        let Some(db) = &self.inner.db else {
            return Ok(());
        };
        let mut keys: Vec<(&str, &str)> = self
            .undo
            .iter()
            .map(|(t, k, _)| (t.as_str(), k.as_str()))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let w = db.begin_write().map_err(Error::store)?;
        {
            let mut table = w.open_table(RECORDS).map_err(Error::store)?;
            for (t, k) in keys {
                let full = format!("{t}{SEP}{k}");
                match self.inner.mem.get(t).and_then(|m| m.get(k)) {
                    Some(v) => {
                        table
                            .insert(full.as_str(), v.as_str())
                            .map_err(Error::store)?;
                    }
                    None => {
                        table.remove(full.as_str()).map_err(Error::store)?;
                    }
                }
            }
        }
        w.commit().map_err(Error::store)
    }
}

impl Drop for Txn<'_> {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        while let Some((table, key, old)) = self.undo.pop() {
            let t = self.inner.mem.entry(table).or_default();
            match old {
                Some(v) => t.insert(key, v),
                None => t.remove(&key),
            };
        }
    }
}
