//! The `nexmark` connector: the Nexmark auction benchmark's event generator.
//!
//! Events are numbered; in every 50 events there is 1 person, 3 auctions and
//! 46 bids (the standard mix). Event `n` happens at `base_time + n / rate`.
//! Every field is a function of `(seed, n)`, so the data does not depend on
//! batch sizes, and a stream with `table = 'bid'` sees exactly the bids of
//! the event sequence.

use std::sync::Arc;

use arrow::array::{ArrayRef, Int64Builder, StringBuilder, TimestampMillisecondBuilder};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use arrow::record_batch::RecordBatch;
use async_trait::async_trait;
use eddy_catalog::ConnectorOptions;

use crate::options::Options;
use crate::pacing::{mix, Pacer};
use crate::{ConnectorError, Source, SourceContext, SourceEvent};

const OPTIONS: &[&str] = &["table", "events_per_second", "max_events", "seed", "base_time", "rate_limit"];
const FIRST_ID: i64 = 1000;
const CHANNELS: [&str; 4] = ["Google", "Facebook", "Baidu", "Apple"];
const FIRST_NAMES: [&str; 8] = ["Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie"];
const LAST_NAMES: [&str; 8] = ["Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones"];
const CITIES: [&str; 10] =
    ["Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland", "Bend", "Redmond", "Seattle", "Kent", "Cheyenne"];
const STATES: [&str; 6] = ["AZ", "CA", "ID", "OR", "WA", "WY"];

/// Which Nexmark relation a stream reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    Person,
    Auction,
    Bid,
}

fn table_schema(table: Table) -> SchemaRef {
    let ts = || DataType::Timestamp(TimeUnit::Millisecond, None);
    let fields = match table {
        Table::Person => vec![
            Field::new("id", DataType::Int64, false),
            Field::new("name", DataType::Utf8, false),
            Field::new("email_address", DataType::Utf8, false),
            Field::new("credit_card", DataType::Utf8, false),
            Field::new("city", DataType::Utf8, false),
            Field::new("state", DataType::Utf8, false),
            Field::new("date_time", ts(), false),
            Field::new("extra", DataType::Utf8, false),
        ],
        Table::Auction => vec![
            Field::new("id", DataType::Int64, false),
            Field::new("item_name", DataType::Utf8, false),
            Field::new("description", DataType::Utf8, false),
            Field::new("initial_bid", DataType::Int64, false),
            Field::new("reserve", DataType::Int64, false),
            Field::new("date_time", ts(), false),
            Field::new("expires", ts(), false),
            Field::new("seller", DataType::Int64, false),
            Field::new("category", DataType::Int64, false),
            Field::new("extra", DataType::Utf8, false),
        ],
        Table::Bid => vec![
            Field::new("auction", DataType::Int64, false),
            Field::new("bidder", DataType::Int64, false),
            Field::new("price", DataType::Int64, false),
            Field::new("channel", DataType::Utf8, false),
            Field::new("url", DataType::Utf8, false),
            Field::new("date_time", ts(), false),
            Field::new("extra", DataType::Utf8, false),
        ],
    };
    Arc::new(Schema::new(fields))
}

struct NexmarkConfig {
    table: Table,
    events_per_second: f64,
    max_events: Option<u64>,
    seed: u64,
    base_time_ms: i64,
    /// Emit at `events_per_second` in wall-clock time (`rate_limit`, default
    /// true); when false, event time is still spaced by the rate but events
    /// are produced as fast as the query takes them.
    rate_limit: bool,
}

fn config(options: &ConnectorOptions) -> Result<NexmarkConfig, ConnectorError> {
    let o = Options::new(options, OPTIONS, &[])?;
    let table = match o.required("table")?.to_ascii_lowercase().as_str() {
        "person" => Table::Person,
        "auction" => Table::Auction,
        "bid" => Table::Bid,
        other => {
            return Err(ConnectorError::InvalidOption {
                option: "table".into(),
                reason: format!("expected 'person', 'auction' or 'bid', found '{other}'"),
            })
        }
    };
    let events_per_second = o.number::<f64>("events_per_second")?.unwrap_or(10_000.0);
    if events_per_second <= 0.0 || !events_per_second.is_finite() {
        return Err(ConnectorError::InvalidOption {
            option: "events_per_second".into(),
            reason: "must be a positive number".into(),
        });
    }
    Ok(NexmarkConfig {
        table,
        events_per_second,
        max_events: o.number("max_events")?,
        seed: o.number("seed")?.unwrap_or(0),
        base_time_ms: o.base_time_ms()?,
        rate_limit: o.boolean("rate_limit", true)?,
    })
}

/// Checks the declared columns against the table; returns the stream schema.
pub(crate) fn validate(options: &ConnectorOptions, declared: SchemaRef) -> Result<SchemaRef, ConnectorError> {
    let config = config(options)?;
    let full = table_schema(config.table);
    if declared.fields().is_empty() {
        return Ok(full);
    }
    for field in declared.fields() {
        let Ok(source) = full.field_with_name(field.name()) else {
            return Err(ConnectorError::UnknownColumn {
                connector: "nexmark".into(),
                column: field.name().clone(),
                available: full.fields().iter().map(|f| f.name().clone()).collect(),
            });
        };
        if !arrow::compute::can_cast_types(source.data_type(), field.data_type()) {
            return Err(ConnectorError::InvalidOption {
                option: field.name().clone(),
                reason: format!(
                    "nexmark produces {} for this column, which cannot be cast to {}",
                    source.data_type(),
                    field.data_type()
                ),
            });
        }
    }
    Ok(declared)
}

/// Generates one Nexmark relation.
pub(crate) struct NexmarkSource {
    config: NexmarkConfig,
    schema: SchemaRef,
    full: SchemaRef,
    batch_size: usize,
    next_event: u64,
    pacer: Pacer,
}

impl NexmarkSource {
    pub(crate) fn open(
        options: &ConnectorOptions,
        schema: SchemaRef,
        ctx: SourceContext,
    ) -> Result<Self, ConnectorError> {
        let config = config(options)?;
        let full = table_schema(config.table);
        let pacer = Pacer::new(if config.rate_limit { config.events_per_second } else { f64::INFINITY });
        Ok(NexmarkSource { config, schema, full, batch_size: ctx.batch_size, next_event: 0, pacer })
    }

    fn event_time(&self, n: u64) -> i64 {
        self.config.base_time_ms + (n as f64 * 1000.0 / self.config.events_per_second) as i64
    }

    fn kind(n: u64) -> Table {
        match n % 50 {
            0 => Table::Person,
            1..=3 => Table::Auction,
            _ => Table::Bid,
        }
    }

    /// Ids of the persons and auctions that exist by event `n`.
    fn last_person(n: u64) -> i64 {
        FIRST_ID + (n / 50) as i64
    }

    fn last_auction(n: u64) -> i64 {
        let full_rounds = (n / 50) as i64 * 3;
        let in_round = (n % 50).min(3) as i64;
        FIRST_ID + full_rounds + in_round - 1
    }

    /// Picks a recent ("hot") id most of the time, any earlier id otherwise.
    fn pick(&self, n: u64, salt: u64, last: i64) -> i64 {
        let r = mix(self.config.seed, n, salt);
        let span = (last - FIRST_ID + 1).max(1) as u64;
        if r % 100 < 75 {
            last - ((r >> 8) % span.min(10)) as i64
        } else {
            FIRST_ID + ((r >> 8) % span) as i64
        }
    }

    /// Rows for events from `next_event`, at most `events` events and at most
    /// one batch of rows; advances past the events used.
    fn generate(&mut self, events: u64) -> Result<RecordBatch, ConnectorError> {
        let table = self.config.table;
        let end = self.next_event + events;
        let mut numbers = Vec::with_capacity(self.batch_size.min(events as usize));
        let mut n = self.next_event;
        while n < end && numbers.len() < self.batch_size {
            if Self::kind(n) == table {
                numbers.push(n);
            }
            n += 1;
        }
        self.next_event = n;
        let rows = numbers.into_iter();
        let columns: Vec<ArrayRef> = match table {
            Table::Bid => self.bids(rows),
            Table::Auction => self.auctions(rows),
            Table::Person => self.persons(rows),
        };
        let batch = RecordBatch::try_new(self.full.clone(), columns)?;
        if self.schema == self.full {
            return Ok(batch);
        }
        let columns = self
            .schema
            .fields()
            .iter()
            .map(|f| {
                let column = batch.column_by_name(f.name()).expect("validated at CREATE");
                Ok(cast(column, f.data_type())?)
            })
            .collect::<Result<Vec<_>, ConnectorError>>()?;
        Ok(RecordBatch::try_new(self.schema.clone(), columns)?)
    }

    fn bids(&self, rows: impl Iterator<Item = u64>) -> Vec<ArrayRef> {
        let mut auction = Int64Builder::new();
        let mut bidder = Int64Builder::new();
        let mut price = Int64Builder::new();
        let mut channel = StringBuilder::new();
        let mut url = StringBuilder::new();
        let mut date_time = TimestampMillisecondBuilder::new();
        let mut extra = StringBuilder::new();
        let mut text = String::new();
        for n in rows {
            auction.append_value(self.pick(n, 1, Self::last_auction(n)));
            bidder.append_value(self.pick(n, 2, Self::last_person(n)));
            let r = mix(self.config.seed, n, 3);
            price.append_value(100 + ((r % 1000) * (1 + (r >> 20) % 100)) as i64);
            let c = CHANNELS[(r >> 40) as usize % CHANNELS.len()];
            channel.append_value(c);
            text.clear();
            use std::fmt::Write;
            let _ = write!(text, "https://www.nexmark.com/{c}/item.htm?query=1&channel_id={}", (r >> 44) % 1000);
            url.append_value(&text);
            date_time.append_value(self.event_time(n));
            extra.append_value("");
        }
        vec![
            Arc::new(auction.finish()),
            Arc::new(bidder.finish()),
            Arc::new(price.finish()),
            Arc::new(channel.finish()),
            Arc::new(url.finish()),
            Arc::new(date_time.finish()),
            Arc::new(extra.finish()),
        ]
    }

    fn auctions(&self, rows: impl Iterator<Item = u64>) -> Vec<ArrayRef> {
        let mut id = Int64Builder::new();
        let mut item_name = StringBuilder::new();
        let mut description = StringBuilder::new();
        let mut initial_bid = Int64Builder::new();
        let mut reserve = Int64Builder::new();
        let mut date_time = TimestampMillisecondBuilder::new();
        let mut expires = TimestampMillisecondBuilder::new();
        let mut seller = Int64Builder::new();
        let mut category = Int64Builder::new();
        let mut extra = StringBuilder::new();
        for n in rows {
            let r = mix(self.config.seed, n, 4);
            let auction_id = Self::last_auction(n);
            id.append_value(auction_id);
            item_name.append_value(format!("item-{auction_id}"));
            description.append_value(format!("description of item {auction_id}"));
            let bid = 100 + (r % 1000) as i64;
            initial_bid.append_value(bid);
            reserve.append_value(bid + ((r >> 16) % 1000) as i64);
            let t = self.event_time(n);
            date_time.append_value(t);
            expires.append_value(t + 1000 * (10 + ((r >> 32) % 50) as i64));
            seller.append_value(self.pick(n, 5, Self::last_person(n)));
            category.append_value(10 + ((r >> 48) % 5) as i64);
            extra.append_value("");
        }
        vec![
            Arc::new(id.finish()),
            Arc::new(item_name.finish()),
            Arc::new(description.finish()),
            Arc::new(initial_bid.finish()),
            Arc::new(reserve.finish()),
            Arc::new(date_time.finish()),
            Arc::new(expires.finish()),
            Arc::new(seller.finish()),
            Arc::new(category.finish()),
            Arc::new(extra.finish()),
        ]
    }

    fn persons(&self, rows: impl Iterator<Item = u64>) -> Vec<ArrayRef> {
        let mut id = Int64Builder::new();
        let mut name = StringBuilder::new();
        let mut email = StringBuilder::new();
        let mut card = StringBuilder::new();
        let mut city = StringBuilder::new();
        let mut state = StringBuilder::new();
        let mut date_time = TimestampMillisecondBuilder::new();
        let mut extra = StringBuilder::new();
        for n in rows {
            let r = mix(self.config.seed, n, 6);
            let person_id = Self::last_person(n);
            id.append_value(person_id);
            let first = FIRST_NAMES[r as usize % FIRST_NAMES.len()];
            let last = LAST_NAMES[(r >> 8) as usize % LAST_NAMES.len()];
            name.append_value(format!("{first} {last}"));
            email.append_value(format!("{}@{}.com", first.to_lowercase(), last.to_lowercase()));
            card.append_value(format!(
                "{:04} {:04} {:04} {:04}",
                r % 10000,
                (r >> 14) % 10000,
                (r >> 28) % 10000,
                (r >> 42) % 10000
            ));
            city.append_value(CITIES[(r >> 16) as usize % CITIES.len()]);
            state.append_value(STATES[(r >> 24) as usize % STATES.len()]);
            date_time.append_value(self.event_time(n));
            extra.append_value("");
        }
        vec![
            Arc::new(id.finish()),
            Arc::new(name.finish()),
            Arc::new(email.finish()),
            Arc::new(card.finish()),
            Arc::new(city.finish()),
            Arc::new(state.finish()),
            Arc::new(date_time.finish()),
            Arc::new(extra.finish()),
        ]
    }
}

#[async_trait]
impl Source for NexmarkSource {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn is_bounded(&self) -> bool {
        self.config.max_events.is_some()
    }

    async fn next_event(&mut self) -> Result<Option<SourceEvent>, ConnectorError> {
        Ok(self.next_batch().await?.map(SourceEvent::single))
    }
}

impl NexmarkSource {
    /// The next batch of at most `batch_size` rows; `None` at the end.
    async fn next_batch(&mut self) -> Result<Option<RecordBatch>, ConnectorError> {
        loop {
            let remaining = match self.config.max_events {
                Some(max) if self.next_event >= max => return Ok(None),
                Some(max) => max - self.next_event,
                None => u64::MAX,
            };
            // Enough events for about one batch of this table's rows.
            let per_row = match self.config.table {
                Table::Bid => 1,
                Table::Auction => 17,
                Table::Person => 50,
            };
            let want = (self.batch_size as u64 * per_row).min(remaining);
            let allowed = self.pacer.next_allowance(want).await;
            let before = self.next_event;
            let batch = self.generate(allowed)?;
            self.pacer.give_back(allowed - (self.next_event - before));
            if batch.num_rows() > 0 {
                return Ok(Some(batch));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use eddy_common::QueryMetrics;

    fn options(table: &str, max_events: u64) -> ConnectorOptions {
        ConnectorOptions {
            connector: "nexmark".into(),
            options: [
                ("table".to_string(), table.to_string()),
                ("max_events".to_string(), max_events.to_string()),
                ("events_per_second".to_string(), "1000000000".to_string()),
                ("base_time".to_string(), "2024-01-01 00:00:00".to_string()),
            ]
            .into(),
            metadata: Vec::new(),
        }
    }

    async fn all_rows(table: &str, max_events: u64, batch_size: usize) -> RecordBatch {
        let opts = options(table, max_events);
        let schema = validate(&opts, Arc::new(Schema::empty())).unwrap();
        let ctx = SourceContext { metrics: Arc::new(QueryMetrics::default()), batch_size };
        let mut source = NexmarkSource::open(&opts, schema.clone(), ctx).unwrap();
        let mut batches = Vec::new();
        while let Some(b) = source.next_batch().await.unwrap() {
            assert!(b.num_rows() > 0 && b.num_rows() <= batch_size.max(1));
            batches.push(b);
        }
        arrow::compute::concat_batches(&schema, &batches).unwrap()
    }

    #[tokio::test]
    async fn the_standard_mix_is_1_3_46_per_50_events() {
        assert_eq!(all_rows("bid", 1000, 100).await.num_rows(), 920);
        assert_eq!(all_rows("auction", 1000, 100).await.num_rows(), 60);
        assert_eq!(all_rows("person", 1000, 100).await.num_rows(), 20);
    }

    #[tokio::test]
    async fn rows_do_not_depend_on_batch_size() {
        assert_eq!(all_rows("bid", 777, 7).await, all_rows("bid", 777, 1000).await);
        assert_eq!(all_rows("auction", 777, 3).await, all_rows("auction", 777, 1000).await);
    }

    #[tokio::test]
    async fn event_time_follows_the_event_number() {
        let bids = all_rows("bid", 100, 1000).await;
        let times = bids.column(5).as_any().downcast_ref::<arrow::array::TimestampMillisecondArray>().unwrap();
        // Base 2024-01-01 = 1704067200000 ms; 1e9 events/s → all within the same millisecond.
        assert!(times.values().iter().all(|&t| t == 1_704_067_200_000));
    }

    #[test]
    fn declared_columns_must_exist() {
        let declared = Arc::new(Schema::new(vec![Field::new("nope", DataType::Int64, true)]));
        let err = validate(&options("bid", 1), declared).unwrap_err();
        assert_eq!(err.to_string(), "column \"nope\" is not produced by nexmark");
    }
}
