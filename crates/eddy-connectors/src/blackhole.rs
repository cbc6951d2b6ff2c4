//! The `blackhole` sink: accepts every row and keeps none. For benchmarks
//! and for trying a pipeline without a destination (`SHOW QUERIES` still
//! counts `rows_out`).

use arrow::record_batch::RecordBatch;
use async_trait::async_trait;
use eddy_catalog::ConnectorOptions;

use crate::options::Options;
use crate::{ConnectorError, Sink};

pub(crate) fn validate_sink(options: &ConnectorOptions) -> Result<(), ConnectorError> {
    Options::new(options, &[], &[]).map(|_| ())
}

pub(crate) struct BlackholeSink;

#[async_trait]
impl Sink for BlackholeSink {
    async fn write(&mut self, _batch: &RecordBatch) -> Result<(), ConnectorError> {
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), ConnectorError> {
        Ok(())
    }
}
