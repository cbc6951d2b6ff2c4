//! Record formats: decoding many records at once into Arrow (arrow-json,
//! arrow-csv), and finding the bad records when a batch fails.

use arrow::datatypes::SchemaRef;
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;

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
}

impl RecordDecoder {
    pub(crate) fn new(format: Format, schema: SchemaRef, batch_size: usize) -> Self {
        RecordDecoder { format, schema, batch_size }
    }

    /// Decodes `\n`-separated records, all at once.
    pub(crate) fn decode(&self, bytes: &[u8]) -> Result<Vec<RecordBatch>, ArrowError> {
        let mut batches = Vec::new();
        match self.format {
            Format::Json => {
                let mut decoder = arrow_json::ReaderBuilder::new(self.schema.clone())
                    .with_batch_size(self.batch_size)
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
                let mut decoder = arrow_csv::ReaderBuilder::new(self.schema.clone())
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
