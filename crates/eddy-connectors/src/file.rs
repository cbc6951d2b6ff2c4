//! The `file` connector: a bounded replay of an NDJSON or CSV file, and an
//! NDJSON file sink.
//!
//! The source reads the file in large chunks, cuts complete lines, and decodes
//! up to a batch of lines at once. Only when that fails are the lines decoded
//! one by one to name the bad line and apply `bad_data`.

use std::collections::VecDeque;

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use async_trait::async_trait;
use eddy_catalog::ConnectorOptions;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::epoch::EpochUnit;
use crate::format::{Format, RecordDecoder};
use crate::lines::LineSplitter;
use crate::options::Options;
use crate::{BadDataPolicy, ConnectorError, Sink, Source, SourceContext, SourceEvent};

const SOURCE_OPTIONS: &[&str] = &["path", "format", "bad_data", "csv.header", "csv.delimiter", "timestamp_unit"];
const SINK_OPTIONS: &[&str] = &["path", "format"];
const READ_CHUNK: usize = 1 << 20;

struct FileSourceConfig {
    path: String,
    format: Format,
    epoch: EpochUnit,
    header: bool,
    bad_data: BadDataPolicy,
}

fn source_config(options: &ConnectorOptions) -> Result<FileSourceConfig, ConnectorError> {
    let o = Options::new(options, SOURCE_OPTIONS, &[])?;
    let path = o.required("path")?.to_string();
    let format = Format::parse(o.get("format"), o.get("csv.delimiter"))?;
    let epoch = EpochUnit::parse(o.get("timestamp_unit"))?;
    let header = o.boolean("csv.header", true)?;
    let bad_data = o.get("bad_data").map(BadDataPolicy::parse).transpose()?.unwrap_or_default();
    Ok(FileSourceConfig { path, format, epoch, header, bad_data })
}

/// Checks options, that the file can be read, and that columns were declared.
pub(crate) fn validate_source(options: &ConnectorOptions, declared: SchemaRef) -> Result<SchemaRef, ConnectorError> {
    let config = source_config(options)?;
    if declared.fields().is_empty() {
        return Err(ConnectorError::InvalidOption {
            option: "path".into(),
            reason: "declare the columns of a file stream: CREATE STREAM s (col TYPE, ...) WITH (...)".into(),
        });
    }
    let metadata =
        std::fs::metadata(&config.path).map_err(|source| ConnectorError::Io { path: config.path.clone(), source })?;
    if !metadata.is_file() {
        return Err(ConnectorError::Io {
            path: config.path.clone(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file"),
        });
    }
    Ok(declared)
}

/// A bounded replay of a file.
pub(crate) struct FileSource {
    config: FileSourceConfig,
    schema: SchemaRef,
    ctx: SourceContext,
    file: Option<tokio::fs::File>,
    lines: LineSplitter,
    decoder: RecordDecoder,
    ready: VecDeque<RecordBatch>,
    at_eof: bool,
    header_pending: bool,
}

impl FileSource {
    pub(crate) fn open(
        options: &ConnectorOptions,
        schema: SchemaRef,
        ctx: SourceContext,
    ) -> Result<Self, ConnectorError> {
        let config = source_config(options)?;
        let decoder = RecordDecoder::new(config.format.clone(), schema.clone(), ctx.batch_size, config.epoch);
        let header_pending = config.header && matches!(config.format, Format::Csv { .. });
        Ok(FileSource {
            config,
            schema,
            ctx,
            file: None,
            lines: LineSplitter::new(),
            decoder,
            ready: VecDeque::new(),
            at_eof: false,
            header_pending,
        })
    }

    async fn read_more(&mut self) -> Result<(), ConnectorError> {
        let io = |source| ConnectorError::Io { path: self.config.path.clone(), source };
        if self.file.is_none() {
            self.file = Some(tokio::fs::File::open(&self.config.path).await.map_err(io)?);
        }
        let file = self.file.as_mut().expect("opened above");
        let mut chunk = vec![0u8; READ_CHUNK];
        let read = file
            .read(&mut chunk)
            .await
            .map_err(|source| ConnectorError::Io { path: self.config.path.clone(), source })?;
        if read == 0 {
            self.at_eof = true;
        } else {
            self.lines.push(&chunk[..read]);
        }
        Ok(())
    }

    /// Decodes up to one batch of lines into `ready`; false when none were complete.
    fn decode_lines(&mut self) -> Result<bool, ConnectorError> {
        if self.header_pending {
            let (header, numbers) = self.lines.take_lines(1, self.at_eof);
            if numbers.is_empty() && header.is_empty() {
                return Ok(false);
            }
            self.header_pending = false;
        }
        let (bytes, numbers) = self.lines.take_lines(self.ctx.batch_size, self.at_eof);
        if numbers.is_empty() {
            return Ok(false);
        }
        match self.decoder.decode(&bytes) {
            Ok(batches) => self.ready.extend(batches),
            Err(_) => {
                let records = bytes.split(|&b| b == b'\n').take(numbers.len());
                let (good, bad) = self.decoder.decode_each(records);
                if let Some((index, reason)) = bad.first() {
                    if self.config.bad_data == BadDataPolicy::Fail {
                        return Err(ConnectorError::BadRecord {
                            location: format!("{} line {}", self.config.path, numbers[*index]),
                            reason: reason.clone(),
                        });
                    }
                }
                self.ctx.metrics.add_bad_rows(bad.len() as u64);
                if !good.is_empty() {
                    self.ready.push_back(arrow::compute::concat_batches(&self.schema, &good)?);
                }
            }
        }
        Ok(true)
    }
}

#[async_trait]
impl Source for FileSource {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn is_bounded(&self) -> bool {
        true
    }

    async fn next_event(&mut self) -> Result<Option<SourceEvent>, ConnectorError> {
        Ok(self.next_batch().await?.map(SourceEvent::single))
    }
}

impl FileSource {
    /// The next batch of at most `batch_size` rows; `None` at the end.
    async fn next_batch(&mut self) -> Result<Option<RecordBatch>, ConnectorError> {
        loop {
            if let Some(batch) = self.ready.pop_front() {
                return Ok(Some(batch));
            }
            if !self.decode_lines()? {
                if self.at_eof {
                    return Ok(None);
                }
                self.read_more().await?;
            }
        }
    }
}

pub(crate) fn validate_sink(options: &ConnectorOptions) -> Result<(), ConnectorError> {
    let o = Options::new(options, SINK_OPTIONS, &[])?;
    o.required("path")?;
    match o.get("format").map(|f| f.to_ascii_lowercase()) {
        None => Ok(()),
        Some(f) if f == "json" => Ok(()),
        Some(f) => Err(ConnectorError::InvalidOption {
            option: "format".into(),
            reason: format!("file sinks write 'json' (NDJSON), found '{f}'"),
        }),
    }
}

/// Writes rows as NDJSON; `flush` makes them visible in the file.
pub(crate) struct FileSink {
    path: String,
    file: tokio::fs::File,
    buffer: Vec<u8>,
}

impl FileSink {
    pub(crate) async fn open(options: &ConnectorOptions) -> Result<Self, ConnectorError> {
        validate_sink(options)?;
        let path = options.options["path"].clone();
        let io = |source| ConnectorError::Io { path: path.clone(), source };
        if let Some(parent) = std::path::Path::new(&path).parent().filter(|p| !p.as_os_str().is_empty()) {
            tokio::fs::create_dir_all(parent).await.map_err(io)?;
        }
        let file = tokio::fs::File::create(&path).await.map_err(io)?;
        Ok(FileSink { path, file, buffer: Vec::new() })
    }
}

#[async_trait]
impl Sink for FileSink {
    async fn write(&mut self, batch: &RecordBatch) -> Result<(), ConnectorError> {
        let mut writer = arrow_json::LineDelimitedWriter::new(&mut self.buffer);
        writer.write(batch)?;
        writer.finish()?;
        if self.buffer.len() >= READ_CHUNK {
            self.flush().await?;
        }
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), ConnectorError> {
        let io = |source| ConnectorError::Io { path: self.path.clone(), source };
        self.file.write_all(&self.buffer).await.map_err(io)?;
        self.buffer.clear();
        self.file.flush().await.map_err(|source| ConnectorError::Io { path: self.path.clone(), source })
    }
}
