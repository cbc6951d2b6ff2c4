//! Drives the window operators directly with batches and watermarks and checks
//! their output against results computed by brute force in the test.

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, Int64Array, TimestampMillisecondArray};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use arrow::record_batch::RecordBatch;
use datafusion::functions_aggregate::count::count_udaf;
use datafusion::functions_aggregate::sum::sum_udaf;
use datafusion::logical_expr::Operator as BinaryOp;
use datafusion::physical_expr::aggregate::AggregateExprBuilder;
use datafusion::physical_expr::expressions::{col, lit};
use datafusion::physical_plan::expressions::BinaryExpr;
use eddy_common::{QueryMetrics, StreamMessage, Watermark, WindowSpec};
use eddy_operators::{
    AggregateCall, Emitter, Operator, SessionAggregateOperator, UpdatingAggregateOperator, WatermarkOperator,
    WindowAggregateOperator, WindowGroupColumn,
};

fn input_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("key", DataType::Int64, false),
        Field::new("value", DataType::Int64, false),
        Field::new("ts", DataType::Timestamp(TimeUnit::Millisecond, None), false),
    ]))
}

fn batch(rows: &[(i64, i64, i64)]) -> RecordBatch {
    let key: ArrayRef = Arc::new(Int64Array::from(rows.iter().map(|r| r.0).collect::<Vec<_>>()));
    let value: ArrayRef = Arc::new(Int64Array::from(rows.iter().map(|r| r.1).collect::<Vec<_>>()));
    let ts: ArrayRef = Arc::new(TimestampMillisecondArray::from(rows.iter().map(|r| r.2).collect::<Vec<_>>()));
    RecordBatch::try_new(input_schema(), vec![key, value, ts]).unwrap()
}

fn calls() -> Vec<AggregateCall> {
    let schema = input_schema();
    let count =
        AggregateExprBuilder::new(count_udaf(), vec![lit(1i64)]).schema(schema.clone()).alias("n").build().unwrap();
    let sum = AggregateExprBuilder::new(sum_udaf(), vec![col("value", &schema).unwrap()])
        .schema(schema)
        .alias("total")
        .build()
        .unwrap();
    vec![AggregateCall { expr: Arc::new(count), filter: None }, AggregateCall { expr: Arc::new(sum), filter: None }]
}

fn output_schema() -> SchemaRef {
    let ts = DataType::Timestamp(TimeUnit::Millisecond, None);
    Arc::new(Schema::new(vec![
        Field::new("key", DataType::Int64, true),
        Field::new("window_start", ts.clone(), false),
        Field::new("window_end", ts, false),
        Field::new("n", DataType::Int64, false),
        Field::new("total", DataType::Int64, true),
    ]))
}

fn group() -> Vec<WindowGroupColumn> {
    vec![
        WindowGroupColumn::Key(col("key", &input_schema()).unwrap()),
        WindowGroupColumn::WindowStart,
        WindowGroupColumn::WindowEnd,
    ]
}

type Row = (i64, i64, i64, i64, i64); // key, start, end, count, sum

fn rows_of(emitter: &mut Emitter) -> (Vec<Row>, Vec<Watermark>) {
    let (mut rows, mut watermarks) = (Vec::new(), Vec::new());
    for message in emitter.drain() {
        match message {
            StreamMessage::Batch(b) => {
                let int = |i: usize| b.column(i).as_any().downcast_ref::<Int64Array>().unwrap().clone();
                let ts = |i: usize| b.column(i).as_any().downcast_ref::<TimestampMillisecondArray>().unwrap().clone();
                let (k, s, e, n, t) = (int(0), ts(1), ts(2), int(3), int(4));
                for r in 0..b.num_rows() {
                    rows.push((k.value(r), s.value(r), e.value(r), n.value(r), t.value(r)));
                }
            }
            StreamMessage::Watermark(w) => watermarks.push(w),
            other => panic!("unexpected {other:?}"),
        }
    }
    rows.sort();
    (rows, watermarks)
}

/// Every (key, window) aggregate computed row by row.
fn brute_force(spec: WindowSpec, rows: &[(i64, i64, i64)]) -> Vec<Row> {
    let mut groups: BTreeMap<(i64, i64, i64), (i64, i64)> = BTreeMap::new();
    for &(key, value, ts) in rows {
        spec.for_each_window(ts, |s, e| {
            let g = groups.entry((key, s, e)).or_default();
            g.0 += 1;
            g.1 += value;
        });
    }
    groups.into_iter().map(|((k, s, e), (n, t))| (k, s, e, n, t)).collect()
}

fn input_rows() -> Vec<(i64, i64, i64)> {
    // Out of order within each batch, spanning many panes.
    (0..200).map(|i| (i % 3, i, (i * 37) % 1000 + (i / 50) * 1000)).collect()
}

fn run_windowed(spec: WindowSpec) -> (Vec<Row>, Vec<Watermark>) {
    let mut op = WindowAggregateOperator::new(spec, 2, group(), calls(), output_schema());
    let mut out = Emitter::new();
    let rows = input_rows();
    for chunk in rows.chunks(50) {
        op.on_batch(batch(chunk), &mut out).unwrap();
    }
    op.on_watermark(Watermark::MAX, &mut out).unwrap();
    rows_of(&mut out)
}

#[test]
fn tumbling_windows_match_a_row_by_row_computation() {
    let spec = WindowSpec::Tumble { size: 100 };
    let (rows, watermarks) = run_windowed(spec);
    assert_eq!(rows, brute_force(spec, &input_rows()));
    assert_eq!(watermarks, vec![Watermark::MAX]);
}

#[test]
fn hopping_windows_merge_panes_into_the_row_by_row_result() {
    let spec = WindowSpec::Hop { slide: 40, size: 100 };
    assert_eq!(run_windowed(spec).0, brute_force(spec, &input_rows()));
}

#[test]
fn cumulating_windows_match_a_row_by_row_computation() {
    let spec = WindowSpec::Cumulate { step: 100, max_size: 300 };
    assert_eq!(run_windowed(spec).0, brute_force(spec, &input_rows()));
}

#[test]
fn a_window_is_emitted_once_when_the_watermark_passes_its_end() {
    let spec = WindowSpec::Tumble { size: 10 };
    let mut op = WindowAggregateOperator::new(spec, 2, group(), calls(), output_schema());
    let mut out = Emitter::new();
    op.on_batch(batch(&[(1, 5, 3), (1, 7, 12), (2, 1, 19)]), &mut out).unwrap();
    op.on_watermark(Watermark(9), &mut out).unwrap();
    assert_eq!(rows_of(&mut out).0, vec![], "[0,10) is still open at watermark 9");
    op.on_watermark(Watermark(10), &mut out).unwrap();
    assert_eq!(rows_of(&mut out).0, vec![(1, 0, 10, 1, 5)]);
    op.on_watermark(Watermark(15), &mut out).unwrap();
    assert_eq!(rows_of(&mut out).0, vec![]);
    op.on_watermark(Watermark(20), &mut out).unwrap();
    assert_eq!(rows_of(&mut out).0, vec![(1, 10, 20, 1, 7), (2, 10, 20, 1, 1)]);
}

#[test]
fn watermark_drops_and_counts_rows_behind_it_independent_of_batching() {
    let rows = [(1, 1, 100), (1, 2, 95), (1, 3, 80), (1, 4, 200), (1, 5, 189), (1, 6, 190)];
    // Watermark = ts - 10. Before row 3 it is 90 (so 80 is late); before row 5 it is 190 (189 late, 190 not).
    for chunk_size in [1, 2, 6] {
        let metrics = Arc::new(QueryMetrics::default());
        let expr = Arc::new(BinaryExpr::new(
            col("ts", &input_schema()).unwrap(),
            BinaryOp::Minus,
            lit(datafusion::scalar::ScalarValue::DurationMillisecond(Some(10))),
        ));
        let mut op = WatermarkOperator::new(2, expr, true, metrics.clone());
        let mut out = Emitter::new();
        let mut kept = Vec::new();
        for chunk in rows.chunks(chunk_size) {
            op.on_batch(batch(chunk), &mut out).unwrap();
        }
        for message in out.drain() {
            if let StreamMessage::Batch(b) = message {
                let v = b.column(1).as_any().downcast_ref::<Int64Array>().unwrap();
                kept.extend(v.values().iter().copied());
            }
        }
        assert_eq!(kept, vec![1, 2, 4, 6], "chunk size {chunk_size}");
        assert_eq!(metrics.snapshot().late_rows, 2);
        assert_eq!(op.current(), Watermark(190));
    }
}

#[test]
fn each_partition_has_its_own_watermark_and_idle_ones_stop_holding_it() {
    let metrics = Arc::new(QueryMetrics::default());
    let expr = Arc::new(BinaryExpr::new(
        col("ts", &input_schema()).unwrap(),
        BinaryOp::Minus,
        lit(datafusion::scalar::ScalarValue::DurationMillisecond(Some(10))),
    ));
    let mut op = WatermarkOperator::with_partitions(2, 2, expr, true, metrics.clone());
    let mut out = Emitter::new();
    let watermarks = |out: &mut Emitter| -> Vec<Watermark> {
        out.drain()
            .filter_map(|m| match m {
                StreamMessage::Watermark(w) => Some(w),
                _ => None,
            })
            .collect()
    };
    // Partition 0 runs ahead; partition 1 has read nothing, so it holds the stream back.
    op.on_partition_batch(0, batch(&[(1, 1, 100), (1, 2, 200)]), &mut out).unwrap();
    assert_eq!(watermarks(&mut out), vec![]);
    // Partition 1 is behind partition 0 but within its own bound: nothing is late.
    op.on_partition_batch(1, batch(&[(1, 3, 50), (1, 4, 45), (1, 5, 120)]), &mut out).unwrap();
    assert_eq!(watermarks(&mut out), vec![Watermark(110)]);
    assert_eq!(metrics.snapshot().late_rows, 0);
    // Partition 1 goes idle: the stream follows partition 0 alone.
    op.on_partition_idle(1, &mut out);
    assert_eq!(watermarks(&mut out), vec![Watermark(190)]);
    // Rows from the idle partition make it active again; behind the stream they are late.
    op.on_partition_batch(1, batch(&[(1, 6, 150), (1, 7, 400)]), &mut out).unwrap();
    assert_eq!(metrics.snapshot().late_rows, 1);
    // The stream never moves backwards, and now waits for partition 0 (190).
    assert_eq!(watermarks(&mut out), vec![]);
    op.on_partition_batch(0, batch(&[(1, 8, 300)]), &mut out).unwrap();
    assert_eq!(watermarks(&mut out), vec![Watermark(290)]);
    // With every partition idle, nothing holds the stream back: it goes to the furthest (390).
    op.on_partition_idle(1, &mut out);
    assert_eq!(watermarks(&mut out), vec![]);
    op.on_partition_idle(0, &mut out);
    assert_eq!(watermarks(&mut out), vec![Watermark(390)]);
}

#[test]
fn sessions_are_per_key_and_close_gap_after_their_last_row() {
    let mut op = SessionAggregateOperator::new(10, 2, group(), calls(), output_schema()).unwrap();
    let mut out = Emitter::new();
    op.on_batch(batch(&[(1, 1, 0), (2, 10, 5), (1, 2, 9), (1, 4, 30)]), &mut out).unwrap();
    op.on_batch(batch(&[(1, 8, 18)]), &mut out).unwrap();
    // key 1: 0, 9, 18 chain into [0, 28); 30 starts [30, 40). key 2: [5, 15).
    op.on_watermark(Watermark(27), &mut out).unwrap();
    assert_eq!(rows_of(&mut out).0, vec![(2, 5, 15, 1, 10)]);
    op.on_watermark(Watermark::MAX, &mut out).unwrap();
    assert_eq!(rows_of(&mut out).0, vec![(1, 0, 28, 3, 11), (1, 30, 40, 1, 4)]);
}

#[test]
fn updating_aggregate_snapshots_mark_changed_groups() {
    let schema = Arc::new(Schema::new(vec![
        Field::new("key", DataType::Int64, true),
        Field::new("n", DataType::Int64, false),
        Field::new("total", DataType::Int64, true),
    ]));
    let mut op = UpdatingAggregateOperator::new(vec![col("key", &input_schema()).unwrap()], calls(), schema).unwrap();
    let mut out = Emitter::new();
    op.on_batch(batch(&[(1, 5, 0), (2, 1, 0), (1, 2, 0)]), &mut out).unwrap();
    op.on_batch(batch(&[(2, 10, 0), (3, 3, 0)]), &mut out).unwrap();
    type Snapshot = (Vec<(i64, i64, i64)>, Vec<bool>);
    let snapshots: Vec<Snapshot> = out
        .drain()
        .map(|m| match m {
            StreamMessage::Snapshot { batch, changed } => {
                let int = |i: usize| batch.column(i).as_any().downcast_ref::<Int64Array>().unwrap().clone();
                let (k, n, t) = (int(0), int(1), int(2));
                let rows = (0..batch.num_rows()).map(|r| (k.value(r), n.value(r), t.value(r))).collect();
                (rows, (0..changed.len()).map(|i| changed.value(i)).collect())
            }
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(snapshots[0], (vec![(1, 2, 7), (2, 1, 1)], vec![true, true]));
    assert_eq!(snapshots[1], (vec![(1, 2, 7), (2, 2, 11), (3, 1, 3)], vec![false, true, true]));
}

#[test]
fn a_global_aggregate_has_its_row_from_the_start_and_null_sums_over_null_values() {
    let schema = Arc::new(Schema::new(vec![Field::new("v", DataType::Int64, true)]));
    let sum = AggregateExprBuilder::new(sum_udaf(), vec![col("v", &schema).unwrap()])
        .schema(schema.clone())
        .alias("total")
        .build()
        .unwrap();
    let count = AggregateExprBuilder::new(count_udaf(), vec![col("v", &schema).unwrap()])
        .schema(schema.clone())
        .alias("n")
        .build()
        .unwrap();
    let calls = vec![
        AggregateCall { expr: Arc::new(count), filter: None },
        AggregateCall { expr: Arc::new(sum), filter: None },
    ];
    let output = Arc::new(Schema::new(vec![
        Field::new("n", DataType::Int64, false),
        Field::new("total", DataType::Int64, true),
    ]));
    let mut op = UpdatingAggregateOperator::new(vec![], calls, output).unwrap();
    let mut out = Emitter::new();
    op.on_start(&mut out).unwrap();
    let nulls: ArrayRef = Arc::new(Int64Array::from(vec![None, None]));
    op.on_batch(RecordBatch::try_new(schema.clone(), vec![nulls]).unwrap(), &mut out).unwrap();
    let values: ArrayRef = Arc::new(Int64Array::from(vec![Some(4), None]));
    op.on_batch(RecordBatch::try_new(schema, vec![values]).unwrap(), &mut out).unwrap();
    let rows: Vec<(i64, Option<i64>)> = out
        .drain()
        .map(|m| match m {
            StreamMessage::Snapshot { batch, .. } => {
                let int = |i: usize| batch.column(i).as_any().downcast_ref::<Int64Array>().unwrap().clone();
                assert_eq!(batch.num_rows(), 1);
                (int(0).value(0), int(1).is_valid(0).then(|| int(1).value(0)))
            }
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    // PostgreSQL: count(v) 0 and sum(v) NULL over no rows and over NULLs only.
    assert_eq!(rows, vec![(0, None), (0, None), (1, Some(4))]);
}
