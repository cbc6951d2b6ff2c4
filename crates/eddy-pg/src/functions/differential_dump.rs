//! TEMPORARY: evaluates /tmp/eddy-pg-truth/fuzz/in.tsv for a differential run against PostgreSQL.

use super::datetime_format::tests::unix_micros;
use super::datetime_format::{format_fields, PrintedFields};
use super::datetime_parse::parse_datetime;
use super::datetime_parse::tests::postgres_text;
use super::datetime_template::parse_template;
use super::number_format::{format_number, NumberValue};
use super::number_template::parse_number_template;
use super::to_timestamp::epoch_seconds_to_micros;

fn show<T>(r: Result<T, super::error::FormatError>, f: impl Fn(T) -> String) -> String {
    match r {
        Ok(v) => f(v),
        Err(e) => format!("ERROR {}: {}", e.sqlstate, e.message),
    }
}

#[test]
fn differential_dump() {
    let Ok(input) = std::fs::read_to_string("/tmp/eddy-pg-truth/fuzz/in.tsv") else { return };
    let mut out = String::new();
    for line in input.lines() {
        let parts: Vec<&str> = line.splitn(3, '\t').collect();
        let (kind, value, template) = (parts[0], parts[1], parts[2]);
        let result = std::panic::catch_unwind(|| match kind {
            "timestamp" | "timestamptz" => {
                let zone = if kind == "timestamp" { None } else { Some("UTC") };
                let fields = PrintedFields::of_timestamp(unix_micros(value), zone).unwrap();
                if template.is_empty() { "NULL".to_string() } else { show(format_fields(&parse_template(template), &fields), |s| s) }
            }
            "interval" => {
                let v: Vec<i64> = value.split(',').map(|p| p.parse().unwrap()).collect();
                let fields = PrintedFields::of_interval(v[0], v[1], v[2]);
                if template.is_empty() { "NULL".to_string() } else { show(format_fields(&parse_template(template), &fields), |s| s) }
            }
            "to_timestamp" => show(parse_datetime(&parse_template(template), value).and_then(|p| p.to_unix_micros()), postgres_text),
            "to_date" => show(parse_datetime(&parse_template(template), value).and_then(|p| p.to_unix_days(value)), |d| d.to_string()),
            "epoch" => show(epoch_seconds_to_micros(value.parse().unwrap()), postgres_text),
            number => {
                let v = match number {
                    "int2" => NumberValue::Float8(value.parse().unwrap()),
                    "int4" => NumberValue::Int4(value.parse().unwrap()),
                    "int8" => NumberValue::Int8(value.parse().unwrap()),
                    "float4" => NumberValue::Float4(value.parse().unwrap()),
                    "float8" => NumberValue::Float8(value.parse().unwrap()),
                    _ => {
                        let (i, f) = value.split_once('.').unwrap_or((value, ""));
                        NumberValue::Numeric { unscaled: format!("{i}{f}").parse().unwrap(), scale: f.len() as i8 }
                    }
                };
                show(parse_number_template(template).and_then(|t| format_number(&t, v)), |s| s)
            }
        });
        out.push_str(&result.unwrap_or_else(|_| "PANIC".to_string()).replace('\n', "\\n"));
        out.push('\n');
    }
    std::fs::write("/tmp/eddy-pg-truth/fuzz/out.tsv", out).unwrap();
}
