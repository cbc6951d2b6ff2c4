//! Values as PostgreSQL's text format spells them: what `eddy run`,
//! sqllogictest and (later) the wire protocol show.

use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::DataType;
use arrow::util::display::{ArrayFormatter, FormatOptions};

use crate::EngineError;

/// The text of each value of `column`; `None` for NULL.
pub fn format_column(column: &ArrayRef) -> Result<Vec<Option<String>>, EngineError> {
    let options = FormatOptions::default()
        .with_timestamp_format(Some("%Y-%m-%d %H:%M:%S%.f"))
        .with_timestamp_tz_format(Some("%Y-%m-%d %H:%M:%S%.f%:z"));
    let formatter = ArrayFormatter::try_new(column.as_ref(), &options)?;
    let mut values = Vec::with_capacity(column.len());
    for row in 0..column.len() {
        if column.is_null(row) {
            values.push(None);
            continue;
        }
        let text = match column.data_type() {
            DataType::Boolean => if column.as_boolean().value(row) { "t" } else { "f" }.to_string(),
            DataType::Float32 | DataType::Float64 => {
                let v = formatter.value(row).to_string();
                match v.as_str() {
                    "inf" => "Infinity".into(),
                    "-inf" => "-Infinity".into(),
                    "NaN" => "NaN".into(),
                    _ => v,
                }
            }
            _ => formatter.value(row).to_string(),
        };
        values.push(Some(text));
    }
    Ok(values)
}
