//! Counters every running query keeps; shared between its tasks and readers
//! (`SHOW QUERIES`, later `/metrics`) without locks.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

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
    /// Records behind the end of the source (Kafka consumer lag); -1 while
    /// unknown or for sources without one.
    source_lag: AtomicI64,
    /// Emit latencies of window results in microseconds (the most recent
    /// [`LATENCY_SAMPLES`]), see [`QueryMetrics::observe_emit_latency`].
    emit_latency_us: Mutex<LatencySamples>,
}

/// How many emit latencies a query keeps for its percentiles.
pub const LATENCY_SAMPLES: usize = 100_000;

#[derive(Debug, Default)]
struct LatencySamples {
    samples: Vec<u64>,
    next: usize,
}

impl Default for QueryMetrics {
    fn default() -> Self {
        QueryMetrics {
            rows_in: AtomicU64::new(0),
            rows_out: AtomicU64::new(0),
            late_rows: AtomicU64::new(0),
            bad_rows: AtomicU64::new(0),
            watermark: AtomicI64::new(Watermark::MIN.0),
            source_lag: AtomicI64::new(-1),
            emit_latency_us: Mutex::default(),
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

    /// Records how many records the source is behind its end (Kafka: log
    /// end offsets minus positions, over all partitions).
    pub fn set_source_lag(&self, records: u64) {
        self.source_lag.store(records.min(i64::MAX as u64) as i64, Ordering::Relaxed);
    }

    /// The last recorded source lag; `None` for sources that report none.
    pub fn source_lag(&self) -> Option<u64> {
        u64::try_from(self.source_lag.load(Ordering::Relaxed)).ok()
    }

    /// Records a watermark; ignores one that would move backwards.
    pub fn observe_watermark(&self, watermark: Watermark) {
        self.watermark.fetch_max(watermark.0, Ordering::Relaxed);
    }

    /// Records how long after a watermark was generated (from the rows that
    /// advanced it) the first results it closed reached the output.
    pub fn observe_emit_latency(&self, latency: Duration) {
        let micros = latency.as_micros().min(u64::MAX as u128) as u64;
        let mut l = self.emit_latency_us.lock().expect("latency lock");
        if l.samples.len() < LATENCY_SAMPLES {
            l.samples.push(micros);
        } else {
            let slot = l.next;
            l.samples[slot] = micros;
        }
        l.next = (l.next + 1) % LATENCY_SAMPLES;
    }

    /// The `q`-quantiles (0.0..=1.0) of the recorded emit latencies, or `None`
    /// before any window result.
    pub fn emit_latency_quantiles(&self, qs: &[f64]) -> Option<Vec<Duration>> {
        let mut samples = self.emit_latency_us.lock().expect("latency lock").samples.clone();
        if samples.is_empty() {
            return None;
        }
        samples.sort_unstable();
        let at = |q: f64| {
            let index = ((samples.len() - 1) as f64 * q.clamp(0.0, 1.0)).round() as usize;
            Duration::from_micros(samples[index])
        };
        Some(qs.iter().map(|q| at(*q)).collect())
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn emit_latency_quantiles_come_from_the_recorded_samples() {
        let m = QueryMetrics::default();
        assert_eq!(m.emit_latency_quantiles(&[0.5]), None);
        for ms in 1..=100u64 {
            m.observe_emit_latency(Duration::from_millis(ms));
        }
        let q = m.emit_latency_quantiles(&[0.0, 0.5, 0.99, 1.0]).unwrap();
        let ms: Vec<u128> = q.iter().map(|d| d.as_millis()).collect();
        assert_eq!(ms, vec![1, 51, 99, 100]);
    }
}
