//! Counters every running query keeps; shared between its tasks and readers
//! (`SHOW QUERIES`, later `/metrics`) without locks.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use crate::Watermark;

/// Live counters of one query. Writers use relaxed atomics: readers want
/// recent values, not a consistent cut.
#[derive(Debug)]
pub struct QueryMetrics {
    rows_in: AtomicU64,
    rows_out: AtomicU64,
    late_rows: AtomicU64,
    bad_rows: AtomicU64,
    watermark: AtomicI64,
}

impl Default for QueryMetrics {
    fn default() -> Self {
        QueryMetrics {
            rows_in: AtomicU64::new(0),
            rows_out: AtomicU64::new(0),
            late_rows: AtomicU64::new(0),
            bad_rows: AtomicU64::new(0),
            watermark: AtomicI64::new(Watermark::MIN.0),
        }
    }
}

/// A point-in-time copy of [`QueryMetrics`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryMetricsSnapshot {
    pub rows_in: u64,
    pub rows_out: u64,
    pub late_rows: u64,
    pub bad_rows: u64,
    pub watermark: Watermark,
}

impl QueryMetrics {
    pub fn add_rows_in(&self, n: u64) {
        self.rows_in.fetch_add(n, Ordering::Relaxed);
    }

    pub fn add_rows_out(&self, n: u64) {
        self.rows_out.fetch_add(n, Ordering::Relaxed);
    }

    pub fn add_late_rows(&self, n: u64) {
        self.late_rows.fetch_add(n, Ordering::Relaxed);
    }

    pub fn add_bad_rows(&self, n: u64) {
        self.bad_rows.fetch_add(n, Ordering::Relaxed);
    }

    /// Records a watermark; ignores one that would move backwards.
    pub fn observe_watermark(&self, watermark: Watermark) {
        self.watermark.fetch_max(watermark.0, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> QueryMetricsSnapshot {
        QueryMetricsSnapshot {
            rows_in: self.rows_in.load(Ordering::Relaxed),
            rows_out: self.rows_out.load(Ordering::Relaxed),
            late_rows: self.late_rows.load(Ordering::Relaxed),
            bad_rows: self.bad_rows.load(Ordering::Relaxed),
            watermark: Watermark(self.watermark.load(Ordering::Relaxed)),
        }
    }
}
