//! One running continuous query: source task → operator task → output task.
//!
//! Tasks are joined by bounded channels, so a slow output slows the source
//! (back-pressure). Watermarks are generated in the operator task right after
//! each source batch, never from the wall clock, so a bounded replay is
//! deterministic. The first error stops the query and is kept in its state.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use eddy_common::{Classify, ErrorClass, QueryMetrics, StreamMessage, Watermark};
use eddy_connectors::{Sink, Source, SourceContext, SourceEvent};
use eddy_operators::{
    AggregateCall, DropFailingRows, Emitter, FilterOperator, Operator, ProjectOperator, SessionAggregateOperator,
    UpdatingAggregateOperator, WatermarkOperator, WindowAggregateOperator, WindowAssignOperator, WindowGroupColumn,
};
use eddy_sql::{AggregatePlan, GroupColumn, Stage, StreamingPlan};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use crate::view::ViewState;
use crate::EngineError;

/// The largest batch a source returns.
pub const BATCH_SIZE: usize = 8192;
const CHANNEL_CAPACITY: usize = 16;

/// Where a query is in its life.
#[derive(Debug, Clone, PartialEq)]
pub enum QueryStatus {
    Running,
    Completed,
    Failed { message: String, class: ErrorClass },
}

impl QueryStatus {
    pub fn name(&self) -> &'static str {
        match self {
            QueryStatus::Running => "running",
            QueryStatus::Completed => "completed",
            QueryStatus::Failed { .. } => "failed",
        }
    }
}

/// What `FLUSH` waits on: the status and the last barrier that reached the output.
#[derive(Debug, Clone)]
pub struct Progress {
    pub status: QueryStatus,
    pub barrier: u64,
}

/// A running query's handle, held by the engine.
pub struct RunningQuery {
    pub name: String,
    pub metrics: Arc<QueryMetrics>,
    pub bounded: bool,
    pub progress: watch::Receiver<Progress>,
    /// Set once a `FLUSH` reported this query's failure: later ones do not.
    pub failure_reported: Arc<std::sync::atomic::AtomicBool>,
    barriers: mpsc::UnboundedSender<u64>,
    tasks: Vec<JoinHandle<()>>,
}

impl RunningQuery {
    /// Asks the source to send a barrier after what it has read so far.
    pub fn send_barrier(&self, id: u64) {
        let _ = self.barriers.send(id);
    }

    pub fn stop(&self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

impl Drop for RunningQuery {
    fn drop(&mut self) {
        self.stop();
    }
}

/// When the source task generated each watermark still on its way to the
/// output, so the output can time the results a watermark closed.
#[derive(Default)]
struct WatermarkClock {
    emitted: Mutex<VecDeque<(Watermark, Instant)>>,
}

impl WatermarkClock {
    fn emitted(&self, watermark: Watermark) {
        self.emitted.lock().expect("clock lock").push_back((watermark, Instant::now()));
    }

    /// When `watermark` (which reached the output) was generated.
    fn generated(&self, watermark: Watermark) -> Option<Instant> {
        let mut emitted = self.emitted.lock().expect("clock lock");
        let mut found = None;
        while emitted.front().is_some_and(|(w, _)| *w <= watermark) {
            found = emitted.pop_front().map(|(_, at)| at);
        }
        found
    }
}

struct Reporter {
    query: String,
    progress: watch::Sender<Progress>,
}

impl Reporter {
    /// Marks the query failed (once) and logs it: the server's log names
    /// every query that stopped, with its SQLSTATE.
    fn fail(&self, message: String, class: ErrorClass) {
        self.progress.send_modify(|p| {
            if p.status == QueryStatus::Running {
                tracing::warn!(query = %self.query, sqlstate = class.sqlstate, "query failed: {message}");
                p.status = QueryStatus::Failed { message, class };
            }
        });
    }
}

/// Starts a query. `sink` receives what the query emits (besides `view`).
pub async fn start(
    name: String,
    plan: &StreamingPlan,
    view: Arc<ViewState>,
    sink: Option<Box<dyn Sink>>,
) -> Result<RunningQuery, EngineError> {
    let metrics = Arc::new(QueryMetrics::default());
    let source = eddy_connectors::open_source(
        &plan.source.stream.connector,
        plan.source.stream.schema.clone(),
        SourceContext { metrics: metrics.clone(), batch_size: BATCH_SIZE },
    )
    .await?;
    let bounded = source.is_bounded();
    let watermarks = plan.source.watermark.as_ref().map(|w| {
        WatermarkOperator::with_partitions(
            source.partitions(),
            w.column_index,
            w.expr.clone(),
            plan.source.drop_late,
            metrics.clone(),
        )
    });
    let drop_failing_rows =
        plan.source.stream.connector.options.get("bad_data").is_some_and(|p| p.eq_ignore_ascii_case("drop"));
    let operators = build_operators(plan, drop_failing_rows.then(|| metrics.clone()))?;
    let (progress_tx, progress_rx) = watch::channel(Progress { status: QueryStatus::Running, barrier: 0 });
    let reporter = Arc::new(Reporter { query: name.clone(), progress: progress_tx });
    let (barrier_tx, barrier_rx) = mpsc::unbounded_channel();
    let (source_tx, source_rx) = mpsc::channel(CHANNEL_CAPACITY);
    let (output_tx, output_rx) = mpsc::channel(CHANNEL_CAPACITY);
    // Emit latency is measured for windowed queries, whose results a watermark releases.
    let windowed = plan.stages.iter().any(|s| matches!(s, Stage::WindowAggregate { .. }));
    let clock = windowed.then(|| Arc::new(WatermarkClock::default()));
    let input = SourceTask {
        source,
        watermarks,
        barriers: barrier_rx,
        out: source_tx,
        metrics: metrics.clone(),
        clock: clock.clone(),
    };
    let output = Output { view, sink, metrics: metrics.clone(), reporter: reporter.clone(), clock };
    let tasks = vec![
        tokio::spawn(input.run(reporter.clone())),
        tokio::spawn(run_operators(operators, source_rx, output_tx, reporter)),
        tokio::spawn(output.run(output_rx)),
    ];
    Ok(RunningQuery {
        name,
        metrics,
        bounded,
        progress: progress_rx,
        failure_reported: Arc::default(),
        barriers: barrier_tx,
        tasks,
    })
}

fn aggregate_calls(plans: &[AggregatePlan]) -> Vec<AggregateCall> {
    plans.iter().map(|a| AggregateCall { expr: a.expr.clone(), filter: a.filter.clone() }).collect()
}

/// The operators of `plan`; with `drop_failing_rows` (the stream's
/// `bad_data = 'drop'`) a row whose filter or projection raises a data
/// error is dropped and counted instead of failing the query.
fn build_operators(
    plan: &StreamingPlan,
    drop_failing_rows: Option<Arc<QueryMetrics>>,
) -> Result<Vec<Box<dyn Operator>>, EngineError> {
    let mut operators: Vec<Box<dyn Operator>> = Vec::new();
    let stateless = |operator: Box<dyn Operator>| -> Box<dyn Operator> {
        match &drop_failing_rows {
            Some(metrics) => Box::new(DropFailingRows::new(operator, metrics.clone())),
            None => operator,
        }
    };
    for stage in &plan.stages {
        let operator: Box<dyn Operator> = match stage {
            Stage::Filter { predicate } => stateless(Box::new(FilterOperator::new(predicate.clone()))),
            Stage::Project { exprs, schema } => {
                stateless(Box::new(ProjectOperator::new(exprs.clone(), schema.clone())))
            }
            Stage::WindowAssign { window, time_index, schema } => {
                Box::new(WindowAssignOperator::new(*window, *time_index, schema.clone()))
            }
            Stage::WindowAggregate { window, time_index, group, aggregates, schema } => {
                let group = group
                    .iter()
                    .map(|g| match g {
                        GroupColumn::Key(e) => WindowGroupColumn::Key(e.clone()),
                        GroupColumn::WindowStart => WindowGroupColumn::WindowStart,
                        GroupColumn::WindowEnd => WindowGroupColumn::WindowEnd,
                    })
                    .collect();
                match window {
                    eddy_common::WindowSpec::Session { gap } => Box::new(SessionAggregateOperator::new(
                        *gap,
                        *time_index,
                        group,
                        aggregate_calls(aggregates),
                        schema.clone(),
                    )?),
                    _ => Box::new(WindowAggregateOperator::new(
                        *window,
                        *time_index,
                        group,
                        aggregate_calls(aggregates),
                        schema.clone(),
                    )),
                }
            }
            Stage::UpdatingAggregate { keys, aggregates, schema } => {
                Box::new(UpdatingAggregateOperator::new(keys.clone(), aggregate_calls(aggregates), schema.clone())?)
            }
        };
        operators.push(operator);
    }
    Ok(operators)
}

impl From<eddy_operators::OperatorError> for EngineError {
    fn from(e: eddy_operators::OperatorError) -> Self {
        let class = e.class();
        EngineError::QueryFailed { name: String::new(), message: e.to_string(), class }
    }
}

/// The source side of a query: reads the source, generates watermarks per
/// partition (dropping late rows), and injects `FLUSH` barriers.
struct SourceTask {
    source: Box<dyn Source>,
    watermarks: Option<WatermarkOperator>,
    barriers: mpsc::UnboundedReceiver<u64>,
    out: mpsc::Sender<StreamMessage>,
    metrics: Arc<QueryMetrics>,
    clock: Option<Arc<WatermarkClock>>,
}

impl SourceTask {
    async fn run(mut self, reporter: Arc<Reporter>) {
        loop {
            let sent = tokio::select! {
                biased;
                Some(id) = self.barriers.recv() => send_all(&self.out, [StreamMessage::Barrier(id)]).await,
                next = self.source.next_event() => match next {
                    Ok(Some(event)) => match self.on_event(event) {
                        Ok(messages) => send_all(&self.out, messages).await,
                        Err(e) => {
                            reporter.fail(e.to_string(), e.class());
                            return;
                        }
                    },
                    Ok(None) => {
                        if let Some(clock) = &self.clock {
                            clock.emitted(Watermark::MAX);
                        }
                        send_all(&self.out, [StreamMessage::Watermark(Watermark::MAX), StreamMessage::End]).await;
                        return;
                    }
                    Err(e) => {
                        reporter.fail(e.to_string(), e.class());
                        return;
                    }
                }
            };
            if !sent {
                return;
            }
        }
    }

    fn on_event(&mut self, event: SourceEvent) -> Result<Vec<StreamMessage>, eddy_operators::OperatorError> {
        let mut emitter = Emitter::new();
        match (event, self.watermarks.as_mut()) {
            (SourceEvent::Rows { partition, batch }, Some(w)) => {
                self.metrics.add_rows_in(batch.num_rows() as u64);
                w.on_partition_batch(partition, batch, &mut emitter)?;
            }
            (SourceEvent::Rows { batch, .. }, None) => {
                self.metrics.add_rows_in(batch.num_rows() as u64);
                emitter.batch(batch);
            }
            (SourceEvent::Idle { partition }, Some(w)) => w.on_partition_idle(partition, &mut emitter),
            (SourceEvent::Idle { .. }, None) => {}
        }
        let messages: Vec<StreamMessage> = emitter.drain().collect();
        if let Some(clock) = &self.clock {
            for message in &messages {
                if let StreamMessage::Watermark(w) = message {
                    clock.emitted(*w);
                }
            }
        }
        Ok(messages)
    }
}

/// Sends messages downstream; false when the query is gone.
async fn send_all(out: &mpsc::Sender<StreamMessage>, messages: impl IntoIterator<Item = StreamMessage>) -> bool {
    for message in messages {
        if out.send(message).await.is_err() {
            return false;
        }
    }
    true
}

/// Runs `message` through operators `from..`, collecting what comes out.
fn push_through(
    operators: &mut [Box<dyn Operator>],
    message: StreamMessage,
    out: &mut Vec<StreamMessage>,
) -> Result<(), eddy_operators::OperatorError> {
    let Some((first, rest)) = operators.split_first_mut() else {
        out.push(message);
        return Ok(());
    };
    let mut emitter = Emitter::new();
    match message {
        StreamMessage::Batch(batch) => first.on_batch(batch, &mut emitter)?,
        StreamMessage::Snapshot { batch, changed } => first.on_snapshot(batch, changed, &mut emitter)?,
        StreamMessage::Watermark(w) => first.on_watermark(w, &mut emitter)?,
        other => {
            out.push(other);
            return Ok(());
        }
    }
    for produced in emitter.drain() {
        push_through(rest, produced, out)?;
    }
    Ok(())
}

/// Lets every operator emit what it holds before any input, through the
/// operators after it.
fn start_operators(
    operators: &mut [Box<dyn Operator>],
    out: &mut Vec<StreamMessage>,
) -> Result<(), eddy_operators::OperatorError> {
    for i in 0..operators.len() {
        let (done, rest) = operators.split_at_mut(i + 1);
        let mut emitter = Emitter::new();
        done[i].on_start(&mut emitter)?;
        for produced in emitter.drain() {
            push_through(rest, produced, out)?;
        }
    }
    Ok(())
}

async fn run_operators(
    mut operators: Vec<Box<dyn Operator>>,
    mut input: mpsc::Receiver<StreamMessage>,
    out: mpsc::Sender<StreamMessage>,
    reporter: Arc<Reporter>,
) {
    let mut produced = Vec::new();
    if let Err(e) = start_operators(&mut operators, &mut produced) {
        reporter.fail(e.to_string(), e.class());
        return;
    }
    for message in produced.drain(..) {
        if out.send(message).await.is_err() {
            return;
        }
    }
    while let Some(message) = input.recv().await {
        if let Err(e) = push_through(&mut operators, message, &mut produced) {
            reporter.fail(e.to_string(), e.class());
            return;
        }
        for message in produced.drain(..) {
            if out.send(message).await.is_err() {
                return;
            }
        }
    }
}

/// The output side of a query: view state, sink, metrics and progress.
struct Output {
    view: Arc<ViewState>,
    sink: Option<Box<dyn Sink>>,
    metrics: Arc<QueryMetrics>,
    reporter: Arc<Reporter>,
    clock: Option<Arc<WatermarkClock>>,
}

impl Output {
    async fn run(self, mut input: mpsc::Receiver<StreamMessage>) {
        let Output { view, mut sink, metrics, reporter, clock } = self;
        // When the first result since the last watermark arrived.
        let mut first_result: Option<Instant> = None;
        while let Some(message) = input.recv().await {
            if matches!(message, StreamMessage::Batch(_) | StreamMessage::Snapshot { .. }) {
                first_result.get_or_insert_with(Instant::now);
            }
            let written = match message {
                StreamMessage::Batch(batch) => {
                    metrics.add_rows_out(batch.num_rows() as u64);
                    let result = match sink.as_mut() {
                        Some(sink) => sink.write(&batch).await,
                        None => Ok(()),
                    };
                    view.append(batch);
                    result
                }
                StreamMessage::Snapshot { batch, changed } => {
                    let changed_rows = changed.true_count();
                    metrics.add_rows_out(changed_rows as u64);
                    let result = match sink.as_mut() {
                        Some(sink) => sink.write_snapshot(&batch, &changed).await,
                        None => Ok(()),
                    };
                    view.replace(batch);
                    result
                }
                StreamMessage::Watermark(w) => {
                    metrics.observe_watermark(w);
                    let generated = clock.as_ref().and_then(|c| c.generated(w));
                    if let (Some(generated), Some(result)) = (generated, first_result.take()) {
                        metrics.observe_emit_latency(result.saturating_duration_since(generated));
                    }
                    Ok(())
                }
                StreamMessage::Barrier(id) => {
                    let result = match sink.as_mut() {
                        Some(sink) => sink.flush().await,
                        None => Ok(()),
                    };
                    reporter.progress.send_modify(|p| p.barrier = p.barrier.max(id));
                    result
                }
                StreamMessage::End => {
                    let result = match sink.as_mut() {
                        Some(sink) => sink.flush().await,
                        None => Ok(()),
                    };
                    match result {
                        Ok(()) => reporter.progress.send_modify(|p| {
                            if p.status == QueryStatus::Running {
                                p.status = QueryStatus::Completed;
                            }
                        }),
                        Err(e) => reporter.fail(e.to_string(), e.class()),
                    }
                    return;
                }
            };
            if let Err(e) = written {
                reporter.fail(e.to_string(), e.class());
                return;
            }
        }
    }
}
