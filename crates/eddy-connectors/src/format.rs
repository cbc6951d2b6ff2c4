//! Record formats: decoding many records at once into Arrow (arrow-json,
//! arrow-csv), and finding the bad records when a batch fails.
//!
//! Timestamp columns are decoded as text and converted afterwards
//! ([`crate::epoch`]): arrow's decoders would take an epoch number as a
//! count of the column's own unit, whatever unit the producer meant.

use arrow::datatypes::SchemaRef;
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;

use crate::epoch::{EpochUnit, TimestampColumns};
use crate::ConnectorError;

/// How records are encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per record (NDJSON in files).
    Json,
    /// Comma (or `delimiter`) separated values, columns in declared order.
    Csv { delimiter: u8 },
}

impl Format {
    /// Parses `format` (and `csv.delimiter`).
    pub fn parse(format: Option<&str>, delimiter: Option<&str>) -> Result<Self, ConnectorError> {
        match format.unwrap_or("json").to_ascii_lowercase().as_str() {
            "json" => Ok(Format::Json),
            "csv" => {
                let delimiter = match delimiter {
                    None => b',',
                    Some(d) if d.len() == 1 => d.as_bytes()[0],
                    Some(d) => {
                        return Err(ConnectorError::InvalidOption {
                            option: "csv.delimiter".into(),
                            reason: format!("expected one character, found '{d}'"),
                        })
                    }
                };
                Ok(Format::Csv { delimiter })
            }
            other => Err(ConnectorError::InvalidOption {
                option: "format".into(),
                reason: format!("expected 'json' or 'csv', found '{other}'"),
            }),
        }
    }
}

/// Decodes records of one format into batches of a schema.
pub(crate) struct RecordDecoder {
    format: Format,
    schema: SchemaRef,
    batch_size: usize,
    timestamps: Option<TimestampColumns>,
}

impl RecordDecoder {
    /// Decodes records into `schema`; epoch numbers in its timestamp
    /// columns count in `epoch` units.
    pub(crate) fn new(format: Format, schema: SchemaRef, batch_size: usize, epoch: EpochUnit) -> Self {
        let timestamps = TimestampColumns::of(&schema, epoch);
        RecordDecoder { format, schema, batch_size, timestamps }
    }

    /// Decodes `\n`-separated records, all at once.
    pub(crate) fn decode(&self, bytes: &[u8]) -> Result<Vec<RecordBatch>, ArrowError> {
        let batches = self.decode_raw(bytes)?;
        match &self.timestamps {
            None => Ok(batches),
            Some(timestamps) => batches.into_iter().map(|b| timestamps.convert(b)).collect(),
        }
    }

    /// Decodes records into the decoding schema (timestamps as text).
    fn decode_raw(&self, bytes: &[u8]) -> Result<Vec<RecordBatch>, ArrowError> {
        let schema = self.timestamps.as_ref().map(|t| t.decode_schema.clone()).unwrap_or_else(|| self.schema.clone());
        let mut batches = Vec::new();
        match self.format {
            Format::Json => {
                // A number read into a text column is its text, as
                // PostgreSQL's json_populate_record reads it.
                let mut decoder = arrow_json::ReaderBuilder::new(schema)
                    .with_batch_size(self.batch_size)
                    .with_coerce_primitive(true)
                    .build_decoder()?;
                let mut offset = 0;
                while offset < bytes.len() {
                    let read = decoder.decode(&bytes[offset..])?;
                    offset += read;
                    if let Some(batch) = decoder.flush()? {
                        batches.push(batch);
                    }
                    if read == 0 {
                        break;
                    }
                }
                if let Some(batch) = decoder.flush()? {
                    batches.push(batch);
                }
            }
            Format::Csv { delimiter } => {
                let mut decoder = arrow_csv::ReaderBuilder::new(schema)
                    .with_header(false)
                    .with_delimiter(delimiter)
                    .with_batch_size(self.batch_size)
                    .build_decoder();
                let mut offset = 0;
                loop {
                    let read = decoder.decode(&bytes[offset..])?;
                    offset += read;
                    if let Some(batch) = decoder.flush()? {
                        batches.push(batch);
                    }
                    if read == 0 {
                        break;
                    }
                }
            }
        }
        Ok(batches.into_iter().filter(|b| b.num_rows() > 0).collect())
    }

    /// Decodes records one by one, for the slow path after a batch failed:
    /// returns the good rows (in order) and `(index, error)` of each bad one.
    pub(crate) fn decode_each<'a>(
        &self,
        records: impl Iterator<Item = &'a [u8]>,
    ) -> (Vec<RecordBatch>, Vec<(usize, String)>) {
        let mut good = Vec::new();
        let mut bad = Vec::new();
        for (index, record) in records.enumerate() {
            let mut bytes = record.to_vec();
            bytes.push(b'\n');
            match self.decode(&bytes) {
                Ok(batches) if batches.iter().map(|b| b.num_rows()).sum::<usize>() == 1 => good.extend(batches),
                Ok(_) => bad.push((index, "not exactly one record".to_string())),
                Err(e) => bad.push((index, e.to_string())),
            }
        }
        (good, bad)
    }
}
