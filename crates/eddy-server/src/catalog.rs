//! `pg_catalog`, `information_schema` and the Postgres functions clients
//! call, installed on the engine's pull-query context.
//!
//! Installed once per process: datafusion-pg-catalog hands out object ids as
//! it first sees each relation, so one shared instance keeps a view's oid the
//! same for every connection (psql's `\d name` looks a relation up by oid in
//! a second query).

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, StringArray};
use arrow::datatypes::DataType;
use datafusion::common::cast::as_string_array;
use datafusion::error::{DataFusionError, Result};
use datafusion::execution::context::SessionContext;
use datafusion::logical_expr::{
    create_udf, ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use datafusion::scalar::ScalarValue;
use datafusion_pg_catalog::pg_catalog::context::EmptyContextProvider;
use datafusion_pg_catalog::setup_pg_catalog;

use crate::settings::{default_value, version_text};

/// The catalog (Postgres: database) pull queries resolve names in.
const CATALOG: &str = "datafusion";

/// Adds `pg_catalog`, `information_schema`, `version()`,
/// `current_setting()` and the `*_description()` functions to `ctx`. Does nothing when `ctx` already has them.
pub fn install(ctx: &SessionContext) -> Result<()> {
    let installed = ctx.catalog(CATALOG).is_some_and(|c| c.schema("pg_catalog").is_some());
    if installed {
        return Ok(());
    }
    ctx.state_ref().write().config_mut().options_mut().catalog.information_schema = true;
    setup_pg_catalog(ctx, CATALOG, EmptyContextProvider).map_err(|e| *e)?;
    ctx.register_udf(version());
    ctx.register_udf(current_setting());
    for name in ["obj_description", "col_description", "shobj_description"] {
        ctx.register_udf(NoDescription::udf(name));
    }
    Ok(())
}

/// `version()`: `PostgreSQL 16.0 on ..., Eddy x.y.z`.
fn version() -> ScalarUDF {
    let text = version_text();
    create_udf(
        "version",
        vec![],
        DataType::Utf8,
        Volatility::Immutable,
        Arc::new(move |_| Ok(ColumnarValue::Scalar(ScalarValue::Utf8(Some(text.clone()))))),
    )
}

/// `current_setting(name)`: the server default of a setting. A session's
/// own `SET` values are answered by `SHOW`, not here: functions are shared
/// by every connection.
fn current_setting() -> ScalarUDF {
    create_udf(
        "current_setting",
        vec![DataType::Utf8],
        DataType::Utf8,
        Volatility::Stable,
        Arc::new(|args: &[ColumnarValue]| {
            let names = ColumnarValue::values_to_arrays(args)?;
            let names = as_string_array(&names[0])?;
            let mut values = Vec::with_capacity(names.len());
            for name in names.iter() {
                values.push(match name {
                    None => None,
                    Some(name) => Some(default_value(name).ok_or_else(|| {
                        DataFusionError::Execution(format!("unrecognized configuration parameter \"{name}\""))
                    })?),
                });
            }
            let array: ArrayRef = Arc::new(StringArray::from(values));
            Ok(if args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_))) {
                ColumnarValue::Scalar(ScalarValue::try_from_array(&array, 0)?)
            } else {
                ColumnarValue::Array(array)
            })
        }),
    )
}

/// `obj_description(oid [, catalog])` / `col_description(oid, column)`:
/// Eddy objects carry no comments, so always NULL, for any arguments.
#[derive(Debug, PartialEq, Eq, Hash)]
struct NoDescription {
    name: &'static str,
    signature: Signature,
}

impl NoDescription {
    fn udf(name: &'static str) -> ScalarUDF {
        ScalarUDF::new_from_impl(NoDescription { name, signature: Signature::variadic_any(Volatility::Stable) })
    }
}

impl ScalarUDFImpl for NoDescription {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let all_scalar = args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)));
        Ok(if all_scalar {
            ColumnarValue::Scalar(ScalarValue::Utf8(None))
        } else {
            ColumnarValue::Array(Arc::new(StringArray::from(vec![None::<&str>; args.number_rows])))
        })
    }
}
