//! Group keys: maps key columns to dense group indices (DataFusion's
//! `GroupValues`), with a zero-key case for global aggregates.

use arrow::array::ArrayRef;
use arrow::datatypes::{Field, Schema};
use datafusion::logical_expr::EmitTo;
use datafusion::physical_plan::aggregates::group_values::{new_group_values, GroupValues};
use datafusion::physical_plan::aggregates::order::GroupOrdering;
use std::sync::Arc;

use crate::error::Result;

/// Interns group keys.
pub(crate) enum KeyInterner {
    /// No keys: every row is in group 0.
    Global {
        seen: bool,
    },
    Keys(Box<dyn GroupValues>),
}

impl KeyInterner {
    /// An interner for keys of the given columns' types.
    pub(crate) fn new(key_fields: &[Field]) -> Result<Self> {
        if key_fields.is_empty() {
            return Ok(KeyInterner::Global { seen: false });
        }
        let schema = Arc::new(Schema::new(key_fields.to_vec()));
        Ok(KeyInterner::Keys(new_group_values(schema, &GroupOrdering::None)?))
    }

    /// Assigns a group index to each row of `keys` (`num_rows` rows).
    pub(crate) fn intern(&mut self, keys: &[ArrayRef], num_rows: usize, groups: &mut Vec<usize>) -> Result<()> {
        match self {
            KeyInterner::Global { seen } => {
                groups.clear();
                groups.resize(num_rows, 0);
                *seen |= num_rows > 0;
                Ok(())
            }
            KeyInterner::Keys(values) => Ok(values.intern(keys, groups)?),
        }
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            KeyInterner::Global { seen } => *seen as usize,
            KeyInterner::Keys(values) => values.len(),
        }
    }

    /// Emits all keys (one array per key column) and resets.
    pub(crate) fn emit_all(&mut self) -> Result<Vec<ArrayRef>> {
        match self {
            KeyInterner::Global { seen } => {
                *seen = false;
                Ok(vec![])
            }
            KeyInterner::Keys(values) => Ok(values.emit(EmitTo::All)?),
        }
    }
}
