//! The `datagen` connector: seeded random rows for the declared columns.
//!
//! Row `i` is a function of `(seed, i)`, so output does not depend on batch
//! sizes. Timestamp columns carry event time: row `i` is at
//! `base_time + i / rows_per_second`.

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow::array::{
    ArrayRef, BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, StringBuilder, TimestampMillisecondBuilder,
};
use arrow::compute::cast;
use arrow::datatypes::{DataType, SchemaRef};
use arrow::record_batch::RecordBatch;
use async_trait::async_trait;
use eddy_catalog::ConnectorOptions;

use crate::options::Options;
use crate::pacing::{mix, Pacer};
use crate::{ConnectorError, Source, SourceContext, SourceEvent};

const OPTIONS: &[&str] = &["rows_per_second", "max_rows", "seed", "base_time", "rate_limit"];

/// How one column is generated.
#[derive(Debug, Clone)]
struct FieldSpec {
    sequence: bool,
    min: f64,
    max: f64,
    length: usize,
}

struct DatagenConfig {
    rows_per_second: f64,
    max_rows: Option<u64>,
    seed: u64,
    base_time_ms: i64,
    /// See the nexmark connector: pace in wall-clock time or not.
    rate_limit: bool,
    fields: Vec<FieldSpec>,
}

fn config(options: &ConnectorOptions, schema: &SchemaRef) -> Result<DatagenConfig, ConnectorError> {
    let o = Options::new(options, OPTIONS, &["fields."])?;
    let mut per_column: BTreeMap<&str, BTreeMap<&str, &str>> = BTreeMap::new();
    for (key, value) in &options.options {
        if let Some(rest) = key.strip_prefix("fields.") {
            let (column, setting) = rest.rsplit_once('.').ok_or_else(|| ConnectorError::InvalidOption {
                option: key.clone(),
                reason: "expected fields.<column>.<kind|min|max|length>".into(),
            })?;
            if schema.index_of(column).is_err() {
                return Err(ConnectorError::UnknownColumn {
                    connector: "datagen".into(),
                    column: column.to_string(),
                    available: schema.fields().iter().map(|f| f.name().clone()).collect(),
                });
            }
            if !matches!(setting, "kind" | "min" | "max" | "length") {
                return Err(ConnectorError::InvalidOption {
                    option: key.clone(),
                    reason: "expected kind, min, max or length".into(),
                });
            }
            per_column.entry(column).or_default().insert(setting, value.as_str());
        }
    }
    let mut fields = Vec::new();
    for field in schema.fields() {
        match field.data_type() {
            DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::Float32
            | DataType::Float64
            | DataType::Boolean
            | DataType::Utf8
            | DataType::Utf8View
            | DataType::LargeUtf8
            | DataType::Timestamp(..)
            | DataType::Date32 => {}
            other => {
                return Err(ConnectorError::Unsupported {
                    connector: "datagen".into(),
                    feature: format!("columns of type {other}"),
                })
            }
        }
        let settings = per_column.remove(field.name().as_str()).unwrap_or_default();
        let number = |key: &str, default: f64| -> Result<f64, ConnectorError> {
            match settings.get(key) {
                None => Ok(default),
                Some(v) => v.parse().map_err(|_| ConnectorError::InvalidOption {
                    option: format!("fields.{}.{key}", field.name()),
                    reason: format!("expected a number, found '{v}'"),
                }),
            }
        };
        let sequence = match settings.get("kind").map(|k| k.to_ascii_lowercase()) {
            None => false,
            Some(k) if k == "random" => false,
            Some(k) if k == "sequence" => true,
            Some(k) => {
                return Err(ConnectorError::InvalidOption {
                    option: format!("fields.{}.kind", field.name()),
                    reason: format!("expected 'random' or 'sequence', found '{k}'"),
                })
            }
        };
        let spec = FieldSpec {
            sequence,
            min: number("min", 0.0)?,
            max: number("max", 1000.0)?,
            length: number("length", 10.0)? as usize,
        };
        if spec.max < spec.min {
            return Err(ConnectorError::InvalidOption {
                option: format!("fields.{}.max", field.name()),
                reason: "max is below min".into(),
            });
        }
        fields.push(spec);
    }
    let rows_per_second = o.number::<f64>("rows_per_second")?.unwrap_or(10.0);
    if rows_per_second <= 0.0 || !rows_per_second.is_finite() {
        return Err(ConnectorError::InvalidOption {
            option: "rows_per_second".into(),
            reason: "must be a positive number".into(),
        });
    }
    Ok(DatagenConfig {
        rows_per_second,
        max_rows: o.number("max_rows")?,
        seed: o.number("seed")?.unwrap_or(0),
        base_time_ms: o.base_time_ms()?,
        rate_limit: o.boolean("rate_limit", true)?,
        fields,
    })
}

pub(crate) fn validate(options: &ConnectorOptions, declared: SchemaRef) -> Result<SchemaRef, ConnectorError> {
    if declared.fields().is_empty() {
        return Err(ConnectorError::InvalidOption {
            option: "connector".into(),
            reason: "declare the columns datagen should generate".into(),
        });
    }
    config(options, &declared)?;
    Ok(declared)
}

/// Generates rows for a declared schema.
pub(crate) struct DatagenSource {
    config: DatagenConfig,
    schema: SchemaRef,
    batch_size: usize,
    next_row: u64,
    pacer: Pacer,
}

impl DatagenSource {
    pub(crate) fn open(
        options: &ConnectorOptions,
        schema: SchemaRef,
        ctx: SourceContext,
    ) -> Result<Self, ConnectorError> {
        let config = config(options, &schema)?;
        let pacer = Pacer::new(if config.rate_limit { config.rows_per_second } else { f64::INFINITY });
        Ok(DatagenSource { config, schema, batch_size: ctx.batch_size, next_row: 0, pacer })
    }

    fn column(&self, index: usize, rows: std::ops::Range<u64>) -> Result<ArrayRef, ConnectorError> {
        let spec = &self.config.fields[index];
        let data_type = self.schema.field(index).data_type();
        let seed = self.config.seed;
        let salt = index as u64 + 1;
        let unit = |n: u64| (mix(seed, n, salt) >> 11) as f64 / (1u64 << 53) as f64;
        let event_time = |n: u64| self.config.base_time_ms + (n as f64 * 1000.0 / self.config.rows_per_second) as i64;
        let array: ArrayRef = match data_type {
            DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 => {
                let mut b = Int64Builder::with_capacity(rows.end.saturating_sub(rows.start) as usize);
                for n in rows {
                    let v = if spec.sequence {
                        spec.min as i64 + n as i64
                    } else {
                        let span = (spec.max as i64 - spec.min as i64 + 1).max(1) as u64;
                        spec.min as i64 + (mix(seed, n, salt) % span) as i64
                    };
                    b.append_value(v);
                }
                cast(&b.finish(), data_type)?
            }
            DataType::Float32 | DataType::Float64 => {
                let mut b = Float64Builder::new();
                for n in rows {
                    b.append_value(if spec.sequence {
                        spec.min + n as f64
                    } else {
                        spec.min + unit(n) * (spec.max - spec.min)
                    });
                }
                cast(&b.finish(), data_type)?
            }
            DataType::Boolean => {
                let mut b = BooleanBuilder::new();
                for n in rows {
                    b.append_value(mix(seed, n, salt) & 1 == 1);
                }
                Arc::new(b.finish())
            }
            DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8 => {
                let mut b = StringBuilder::new();
                let mut text = String::with_capacity(spec.length);
                for n in rows {
                    text.clear();
                    let mut r = mix(seed, n, salt);
                    for i in 0..spec.length {
                        if i % 12 == 11 {
                            r = mix(r, n, salt + i as u64);
                        }
                        text.push((b'a' + (r % 26) as u8) as char);
                        r /= 26;
                    }
                    b.append_value(&text);
                }
                cast(&b.finish(), data_type)?
            }
            DataType::Timestamp(..) => {
                let mut b = TimestampMillisecondBuilder::new();
                for n in rows {
                    b.append_value(event_time(n));
                }
                cast(&b.finish(), data_type)?
            }
            DataType::Date32 => {
                let mut b = Date32Builder::new();
                for n in rows {
                    b.append_value(event_time(n).div_euclid(86_400_000) as i32);
                }
                Arc::new(b.finish())
            }
            other => {
                return Err(ConnectorError::Unsupported {
                    connector: "datagen".into(),
                    feature: format!("columns of type {other}"),
                })
            }
        };
        Ok(array)
    }
}

#[async_trait]
impl Source for DatagenSource {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn is_bounded(&self) -> bool {
        self.config.max_rows.is_some()
    }

    async fn next_event(&mut self) -> Result<Option<SourceEvent>, ConnectorError> {
        Ok(self.next_batch().await?.map(SourceEvent::single))
    }
}

impl DatagenSource {
    /// The next batch of at most `batch_size` rows; `None` at the end.
    async fn next_batch(&mut self) -> Result<Option<RecordBatch>, ConnectorError> {
        let remaining = match self.config.max_rows {
            Some(max) if self.next_row >= max => return Ok(None),
            Some(max) => max - self.next_row,
            None => u64::MAX,
        };
        let count = self.pacer.next_allowance((self.batch_size as u64).min(remaining)).await;
        let rows = self.next_row..self.next_row + count;
        let columns =
            (0..self.schema.fields().len()).map(|i| self.column(i, rows.clone())).collect::<Result<Vec<_>, _>>()?;
        self.next_row += count;
        Ok(Some(RecordBatch::try_new(self.schema.clone(), columns)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::datatypes::{Field, Schema, TimeUnit};
    use eddy_common::QueryMetrics;

    fn schema() -> SchemaRef {
        Arc::new(Schema::new(vec![
            Field::new("id", DataType::Int64, false),
            Field::new("name", DataType::Utf8, false),
            Field::new("ts", DataType::Timestamp(TimeUnit::Nanosecond, None), false),
        ]))
    }

    fn options(extra: &[(&str, &str)]) -> ConnectorOptions {
        let mut options: BTreeMap<String, String> = [
            ("rows_per_second", "1000000000"),
            ("max_rows", "25"),
            ("base_time", "2024-01-01 00:00:00"),
            ("fields.id.kind", "sequence"),
            ("fields.id.min", "5"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        options.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        ConnectorOptions { connector: "datagen".into(), options, metadata: Vec::new() }
    }

    async fn rows(batch_size: usize) -> RecordBatch {
        let ctx = SourceContext { metrics: Arc::new(QueryMetrics::default()), batch_size };
        let mut source = DatagenSource::open(&options(&[]), schema(), ctx).unwrap();
        let mut batches = Vec::new();
        while let Some(b) = source.next_batch().await.unwrap() {
            batches.push(b);
        }
        arrow::compute::concat_batches(&schema(), &batches).unwrap()
    }

    #[tokio::test]
    async fn output_is_bounded_deterministic_and_sequences_count_up() {
        let a = rows(4).await;
        assert_eq!(a.num_rows(), 25);
        assert_eq!(a, rows(100).await);
        let ids = a.column(0).as_any().downcast_ref::<arrow::array::Int64Array>().unwrap();
        assert_eq!(ids.values().to_vec(), (5..30).collect::<Vec<i64>>());
    }

    #[test]
    fn unknown_field_columns_are_refused() {
        let err = validate(&options(&[("fields.nope.min", "1")]), schema()).unwrap_err();
        assert_eq!(err.to_string(), "column \"nope\" is not produced by datagen");
    }
}
