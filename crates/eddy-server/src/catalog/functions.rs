//! Functions answered from PostgreSQL's own catalog rows, which
//! datafusion-pg-catalog ships (`pg_type`, `pg_collation`, `pg_proc`: fixed,
//! Eddy adds no types, collations or functions): `pg_type_is_visible`,
//! `pg_collation_is_visible`, `pg_function_is_visible` (psql's `\df`,
//! SQLAlchemy's reflection), `pg_get_function_result` and
//! `pg_get_function_arguments`. Each is a map from oid to answer, built once;
//! an oid nothing has is NULL, as in PostgreSQL.
//!
//! Visible: in `pg_catalog` (on every search path). The rows' only other
//! namespace is `information_schema` (oid 13283 in the rows, not on the
//! search path), whose types are written qualified.
//!
//! Types are written as PostgreSQL's `format_type` writes them: SQL names
//! for the built-in ones (`integer`, `timestamp with time zone`), arrays as
//! `element[]`, names that are keywords quoted (`"any"`, `"char"`). Argument
//! defaults are not written (Eddy cannot read `proargdefaults`,
//! PostgreSQL's expression trees): `make_interval(years integer, ...)`
//! where PostgreSQL writes `years integer DEFAULT 0`.

use std::collections::HashMap;
use std::sync::Arc;

use arrow::array::{Array, AsArray, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Int64Type};
use datafusion::common::cast::as_string_array;
use datafusion::error::{DataFusionError, Result};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};
use datafusion::scalar::ScalarValue;
use datafusion_pg_catalog::pg_catalog::PgCatalogStaticTables;

/// The oid of `pg_catalog`.
const PG_CATALOG: &str = "11";

/// The functions, answered from `tables`.
pub(crate) fn udfs(tables: &PgCatalogStaticTables) -> Result<Vec<ScalarUDF>> {
    let visible = |batches: &[RecordBatch], namespace: &str| -> Result<HashMap<i64, ScalarValue>> {
        let mut answers = HashMap::new();
        for batch in batches {
            let (oids, namespaces) = (text_column(batch, "oid")?, text_column(batch, namespace)?);
            for row in (0..batch.num_rows()).filter(|&r| oids.is_valid(r)) {
                let Ok(oid) = oids.value(row).parse() else { continue };
                let visible = namespaces.is_valid(row) && namespaces.value(row) == PG_CATALOG;
                answers.insert(oid, ScalarValue::Boolean(Some(visible)));
            }
        }
        Ok(answers)
    };
    let keywords = Keywords::read(tables.pg_get_keywords.data())?;
    let types = TypeNames::read(tables.pg_type.data(), keywords)?;
    let (mut results, mut arguments) = (HashMap::new(), HashMap::new());
    for batch in tables.pg_proc.data() {
        let column = |name: &str| text_column(batch, name);
        let (oid, kind, retset, rettype) =
            (column("oid")?, column("prokind")?, column("proretset")?, column("prorettype")?);
        let (argtypes, allargtypes, modes, names) =
            (column("proargtypes")?, column("proallargtypes")?, column("proargmodes")?, column("proargnames")?);
        for row in 0..batch.num_rows() {
            fn value(c: &StringArray, row: usize) -> Option<&str> {
                c.is_valid(row).then(|| c.value(row)).filter(|v| !v.is_empty())
            }
            let Some(oid) = value(&oid, row).and_then(|o| o.parse::<i64>().ok()) else { continue };
            let signature = Arguments {
                types: match value(&allargtypes, row) {
                    Some(all) => list(all),
                    None => list(value(&argtypes, row).unwrap_or_default()),
                },
                modes: value(&modes, row).map(list).unwrap_or_default(),
                names: value(&names, row).map(list).unwrap_or_default(),
            };
            let result = match value(&kind, row) {
                Some("p") => None,
                _ => Some(signature.result(&types, value(&retset, row) == Some("true"), value(&rettype, row))),
            };
            results.insert(oid, ScalarValue::Utf8(result));
            arguments.insert(oid, ScalarValue::Utf8(Some(signature.arguments(&types))));
        }
    }
    Ok(vec![
        OidLookup::udf("pg_type_is_visible", DataType::Boolean, visible(tables.pg_type.data(), "typnamespace")?),
        OidLookup::udf(
            "pg_collation_is_visible",
            DataType::Boolean,
            visible(tables.pg_collation.data(), "collnamespace")?,
        ),
        OidLookup::udf("pg_function_is_visible", DataType::Boolean, visible(tables.pg_proc.data(), "pronamespace")?),
        OidLookup::udf("pg_get_function_result", DataType::Utf8, results),
        OidLookup::udf("pg_get_function_arguments", DataType::Utf8, arguments),
    ])
}

/// A function of an oid answered from a map; NULL for an oid not in it.
#[derive(Debug)]
struct OidLookup {
    name: &'static str,
    returns: DataType,
    answers: Arc<HashMap<i64, ScalarValue>>,
    signature: Signature,
}

impl PartialEq for OidLookup {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for OidLookup {}

impl std::hash::Hash for OidLookup {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state)
    }
}

impl OidLookup {
    fn udf(name: &'static str, returns: DataType, answers: HashMap<i64, ScalarValue>) -> ScalarUDF {
        let signature = Signature::user_defined(Volatility::Stable);
        ScalarUDF::new_from_impl(OidLookup { name, returns, answers: Arc::new(answers), signature })
    }
}

impl ScalarUDFImpl for OidLookup {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    /// An oid: any integer (or text of one, as clients may quote it).
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [t] if t.is_integer() || t.is_null() || matches!(t, DataType::Utf8 | DataType::Utf8View) => {
                Ok(vec![DataType::Int64])
            }
            _ => Err(DataFusionError::Plan(format!("{} takes an oid", self.name))),
        }
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(self.returns.clone())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let none = ScalarValue::try_from(&self.returns)?;
        let answer = |oid: Option<i64>| oid.and_then(|oid| self.answers.get(&oid)).unwrap_or(&none).clone();
        match &args.args[0] {
            ColumnarValue::Scalar(oid) => {
                let oid = match oid.cast_to(&DataType::Int64)? {
                    ScalarValue::Int64(oid) => oid,
                    _ => None,
                };
                Ok(ColumnarValue::Scalar(answer(oid)))
            }
            ColumnarValue::Array(oids) => {
                let oids = oids.as_primitive::<Int64Type>();
                let values: Vec<ScalarValue> = oids.iter().map(answer).collect();
                if values.is_empty() {
                    return Ok(ColumnarValue::Array(arrow::array::new_empty_array(&self.returns)));
                }
                Ok(ColumnarValue::Array(ScalarValue::iter_to_array(values)?))
            }
        }
    }
}

/// A function's arguments as `pg_proc` gives them: all of them (with
/// `OUT` and `TABLE` ones when it has any), their modes (none: all `IN`)
/// and names (none or empty: unnamed).
struct Arguments {
    types: Vec<String>,
    modes: Vec<String>,
    names: Vec<String>,
}

impl Arguments {
    /// `pg_get_function_arguments`: `name type` for each argument but the
    /// `TABLE` ones, with its mode (`OUT`, `INOUT`, `VARIADIC`).
    fn arguments(&self, types: &TypeNames) -> String {
        let mut out = Vec::new();
        for (i, type_oid) in self.types.iter().enumerate() {
            let mode = match self.modes.get(i).map(String::as_str) {
                Some("t") => continue,
                Some("o") => "OUT ",
                Some("b") => "INOUT ",
                Some("v") => "VARIADIC ",
                _ => "",
            };
            let name = match self.names.get(i).filter(|n| !n.is_empty()) {
                Some(name) => format!("{} ", types.keywords.quoted(name)),
                None => String::new(),
            };
            out.push(format!("{mode}{name}{}", types.format(type_oid)));
        }
        out.join(", ")
    }

    /// `pg_get_function_result`: `TABLE(name type, ...)` for a function with
    /// `TABLE` arguments, else the type, `SETOF` for a set.
    fn result(&self, types: &TypeNames, set: bool, type_oid: Option<&str>) -> String {
        let table: Vec<String> = (0..self.types.len())
            .filter(|&i| self.modes.get(i).is_some_and(|m| m == "t"))
            .map(|i| {
                let name = types.keywords.quoted(self.names.get(i).map_or("", String::as_str));
                format!("{name} {}", types.format(&self.types[i]))
            })
            .collect();
        if !table.is_empty() {
            return format!("TABLE({})", table.join(", "));
        }
        format!("{}{}", if set { "SETOF " } else { "" }, types.format(type_oid.unwrap_or("0")))
    }
}

/// The names of `pg_type`'s types as `format_type` writes them, by oid.
struct TypeNames {
    names: HashMap<String, String>,
    keywords: Keywords,
}

/// The built-in types PostgreSQL writes by their SQL names (and `json`,
/// which the keyword list of the rows' newer PostgreSQL would quote, and
/// PostgreSQL 15 writes bare).
const SQL_NAMES: &[(&str, &str)] = &[
    ("json", "json"),
    ("bool", "boolean"),
    ("int8", "bigint"),
    ("int2", "smallint"),
    ("int4", "integer"),
    ("float4", "real"),
    ("float8", "double precision"),
    ("bpchar", "character"),
    ("varchar", "character varying"),
    ("time", "time without time zone"),
    ("timestamp", "timestamp without time zone"),
    ("timestamptz", "timestamp with time zone"),
    ("timetz", "time with time zone"),
    ("varbit", "bit varying"),
    ("bit", "bit"),
    ("numeric", "numeric"),
    ("interval", "interval"),
];

impl TypeNames {
    /// The names of the types of `pg_type`'s rows.
    fn read(types: &[RecordBatch], keywords: Keywords) -> Result<Self> {
        let mut rows_by_oid = HashMap::new();
        for batch in types {
            let column = |name: &str| text_column(batch, name);
            let (oid, name, element, namespace, category) = (
                column("oid")?,
                column("typname")?,
                column("typelem")?,
                column("typnamespace")?,
                column("typcategory")?,
            );
            for row in (0..batch.num_rows()).filter(|&r| oid.is_valid(r) && name.is_valid(r)) {
                let value = |c: &StringArray| if c.is_valid(row) { c.value(row).to_string() } else { String::new() };
                let array = value(&category) == "A" && name.value(row).starts_with('_') && value(&element) != "0";
                let base = SQL_NAMES
                    .iter()
                    .find(|(typname, _)| *typname == name.value(row))
                    .map(|(_, sql)| sql.to_string())
                    .unwrap_or_else(|| keywords.quoted(name.value(row)));
                let written = match value(&namespace).as_str() {
                    PG_CATALOG => base,
                    _ => format!("information_schema.{base}"),
                };
                rows_by_oid.insert(oid.value(row).to_string(), (written, array.then(|| value(&element))));
            }
        }
        let names = rows_by_oid
            .iter()
            .map(|(oid, (written, element))| {
                let name = match element.as_ref().and_then(|e| rows_by_oid.get(e)) {
                    Some((element, _)) => format!("{element}[]"),
                    None => written.clone(),
                };
                (oid.clone(), name)
            })
            .collect();
        Ok(TypeNames { names, keywords })
    }

    /// The type of oid `oid` (text); `-` for 0 (none), as PostgreSQL
    /// writes it, and `???` for an oid no type has.
    fn format(&self, oid: &str) -> String {
        match self.names.get(oid) {
            Some(name) => name.clone(),
            None if oid == "0" => "-".to_string(),
            None => "???".to_string(),
        }
    }
}

/// SQL's keywords that an identifier must be quoted to be (all but the
/// unreserved ones: `pg_get_keywords()`'s rows with another `catcode`).
struct Keywords {
    reserved: std::collections::HashSet<String>,
}

impl Keywords {
    fn read(keywords: &[RecordBatch]) -> Result<Self> {
        let mut reserved = std::collections::HashSet::new();
        for batch in keywords {
            let (words, codes) = (text_column(batch, "word")?, text_column(batch, "catcode")?);
            for row in (0..batch.num_rows()).filter(|&r| words.is_valid(r) && codes.is_valid(r)) {
                if codes.value(row) != "U" {
                    reserved.insert(words.value(row).to_string());
                }
            }
        }
        Ok(Keywords { reserved })
    }

    /// `name` as PostgreSQL's `quote_identifier` writes it: quoted unless
    /// it is lowercase letters, digits and `_` (not first a digit) and no
    /// keyword but an unreserved one.
    fn quoted(&self, name: &str) -> String {
        let plain = name.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
            && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if plain && !self.reserved.contains(name) {
            name.to_string()
        } else {
            format!("\"{}\"", name.replace('"', "\"\""))
        }
    }
}

/// The items of an array as the catalog spells it as text: `{a,b}`,
/// `['a', 'b']`, `[25, 18]` or `25 18` (an `oidvector`).
fn list(text: &str) -> Vec<String> {
    text.trim_matches(['[', ']', '{', '}'])
        .split([',', ' '])
        .map(|item| item.trim().trim_matches(['\'', '"']).to_string())
        .filter(|item| !item.is_empty())
        .collect()
}

/// The column `name` of `batch` as text (`true`/`false` for booleans).
fn text_column(batch: &RecordBatch, name: &str) -> Result<StringArray> {
    let column = batch
        .column_by_name(name)
        .ok_or_else(|| DataFusionError::Internal(format!("a catalog table has no column \"{name}\"")))?;
    Ok(as_string_array(&arrow::compute::cast(column, &DataType::Utf8)?)?.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn types() -> TypeNames {
        let names = [
            ("23", "integer"),
            ("25", "text"),
            ("18", "\"char\""),
            ("16", "boolean"),
            ("2276", "\"any\""),
            ("2249", "record"),
            ("1007", "integer[]"),
        ];
        let reserved = ["any", "char"].iter().map(|w| w.to_string()).collect();
        TypeNames {
            names: names.iter().map(|(o, n)| (o.to_string(), n.to_string())).collect(),
            keywords: Keywords { reserved },
        }
    }

    fn signature(types: &str, modes: &str, names: &str) -> Arguments {
        Arguments { types: list(types), modes: list(modes), names: list(names) }
    }

    /// Expected: PostgreSQL 15's `pg_get_function_arguments` and
    /// `pg_get_function_result` for the same `pg_proc` rows.
    #[test]
    fn arguments_and_results_are_written_as_postgres_writes_them() {
        let types = types();
        let keywords = signature(
            "[25, 18, 16, 25, 25]",
            "['o', 'o', 'o', 'o', 'o']",
            "['word', 'catcode', 'barelabel', 'catdesc', 'baredesc']",
        );
        assert_eq!(
            keywords.arguments(&types),
            "OUT word text, OUT catcode \"char\", OUT barelabel boolean, OUT catdesc text, OUT baredesc text"
        );
        assert_eq!(keywords.result(&types, true, Some("2249")), "SETOF record");
        let concat_ws = signature("[25, 2276]", "['i', 'v']", "");
        assert_eq!(concat_ws.arguments(&types), "text, VARIADIC \"any\"");
        assert_eq!(signature("23 1007", "", "").arguments(&types), "integer, integer[]");
        assert_eq!(signature("", "", "").result(&types, false, Some("25")), "text");
        let table = signature("[23, 25]", "{i,t}", "{n,\"Label\"}");
        assert_eq!(table.arguments(&types), "n integer");
        assert_eq!(table.result(&types, true, Some("2249")), "TABLE(\"Label\" text)");
    }
}
