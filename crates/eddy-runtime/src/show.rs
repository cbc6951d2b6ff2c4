//! Result tables for `SHOW`, `DESCRIBE` and `EXPLAIN`.

use std::sync::Arc;

use arrow::array::{ArrayRef, Int64Array, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;

use crate::{EngineError, StatementResult};

/// A column of a result table.
pub enum Column {
    Text(&'static str, Vec<Option<String>>),
    Int(&'static str, Vec<i64>),
}

/// Builds a one-batch result from columns of equal length.
pub fn table(columns: Vec<Column>) -> Result<StatementResult, EngineError> {
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for column in columns {
        match column {
            Column::Text(name, values) => {
                fields.push(Field::new(name, DataType::Utf8, true));
                arrays.push(Arc::new(StringArray::from(values)));
            }
            Column::Int(name, values) => {
                fields.push(Field::new(name, DataType::Int64, false));
                arrays.push(Arc::new(Int64Array::from(values)));
            }
        }
    }
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), arrays)?;
    Ok(StatementResult::Rows { schema, batches: vec![batch] })
}

pub use eddy_pg::types::sql_type_name;
