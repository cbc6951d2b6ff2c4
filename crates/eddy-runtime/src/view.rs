//! Materialized state of a query's output: what pull queries read.

use std::collections::VecDeque;
use std::sync::RwLock;

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use eddy_sql::OutputKind;

/// How many appended rows a query keeps queryable for pull queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retention {
    /// Every row (materialized views: the view is its whole result).
    All,
    /// The most recent rows (derived streams, whose rows live in their sink).
    Recent(usize),
}

/// The current result of one query. Readers get a consistent snapshot: the
/// batches as of one moment, never half an update.
#[derive(Debug)]
pub struct ViewState {
    pub schema: SchemaRef,
    pub kind: OutputKind,
    retention: Retention,
    batches: RwLock<VecDeque<RecordBatch>>,
}

impl ViewState {
    pub fn new(schema: SchemaRef, kind: OutputKind, retention: Retention) -> Self {
        ViewState { schema, kind, retention, batches: RwLock::new(VecDeque::new()) }
    }

    /// Appends rows (append-only queries), forgetting the oldest beyond the retention.
    pub fn append(&self, batch: RecordBatch) {
        let mut batches = self.batches.write().expect("view lock");
        batches.push_back(batch);
        if let Retention::Recent(limit) = self.retention {
            let mut rows: usize = batches.iter().map(|b| b.num_rows()).sum();
            while rows > limit {
                let oldest = batches.pop_front().expect("rows > 0");
                let excess = rows - limit;
                if oldest.num_rows() > excess {
                    batches.push_front(oldest.slice(excess, oldest.num_rows() - excess));
                    rows = limit;
                } else {
                    rows -= oldest.num_rows();
                }
            }
        }
    }

    /// Replaces the whole result (updating queries).
    pub fn replace(&self, batch: RecordBatch) {
        *self.batches.write().expect("view lock") = VecDeque::from([batch]);
    }

    pub fn snapshot(&self) -> Vec<RecordBatch> {
        self.batches.read().expect("view lock").iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow::array::{Array, Int64Array};
    use arrow::datatypes::{DataType, Field, Schema};

    use super::*;

    fn batch(values: std::ops::Range<i64>) -> RecordBatch {
        let schema = Arc::new(Schema::new(vec![Field::new("v", DataType::Int64, false)]));
        RecordBatch::try_new(schema, vec![Arc::new(Int64Array::from_iter_values(values))]).unwrap()
    }

    fn values(view: &ViewState) -> Vec<i64> {
        let batches = view.snapshot();
        batches
            .iter()
            .flat_map(|b| {
                let a = b.column(0).as_any().downcast_ref::<Int64Array>().unwrap();
                (0..a.len()).map(|i| a.value(i)).collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn recent_retention_keeps_the_newest_rows() {
        let view = ViewState::new(batch(0..0).schema(), OutputKind::Append, Retention::Recent(5));
        view.append(batch(0..3));
        view.append(batch(3..7));
        assert_eq!(values(&view), vec![2, 3, 4, 5, 6]);
        view.append(batch(7..20));
        assert_eq!(values(&view), vec![15, 16, 17, 18, 19]);
        let all = ViewState::new(batch(0..0).schema(), OutputKind::Append, Retention::All);
        all.append(batch(0..3));
        all.append(batch(3..7));
        assert_eq!(values(&all), (0..7).collect::<Vec<_>>());
    }
}
