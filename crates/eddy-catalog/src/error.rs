//! Catalog errors.

use eddy_common::{sqlstate, Classify, ErrorClass};

use crate::ObjectKind;

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("{kind} \"{name}\" already exists")]
    AlreadyExists { kind: ObjectKind, name: String },
    #[error("{kind} \"{name}\" does not exist")]
    NotFound { kind: ObjectKind, name: String },
    #[error("\"{name}\" does not exist")]
    UnknownObject { name: String },
    #[error("\"{name}\" is a {actual}, not a {expected}")]
    WrongKind { name: String, actual: ObjectKind, expected: ObjectKind },
    #[error("cannot drop {kind} \"{name}\" because {dependent} depends on it")]
    HasDependents { kind: ObjectKind, name: String, dependent: String },
}

impl Classify for CatalogError {
    fn class(&self) -> ErrorClass {
        match self {
            CatalogError::AlreadyExists { .. } => ErrorClass::user(sqlstate::DUPLICATE_TABLE)
                .with_hint("choose another name, or DROP the existing object first"),
            CatalogError::NotFound { .. } | CatalogError::UnknownObject { .. } => {
                ErrorClass::user(sqlstate::UNDEFINED_TABLE)
                    .with_hint("SHOW STREAMS, SHOW MATERIALIZED VIEWS and SHOW SINKS list what exists")
            }
            CatalogError::WrongKind { name, actual, .. } => ErrorClass::user(sqlstate::WRONG_OBJECT_TYPE)
                .with_hint(format!("\"{name}\" is a {actual}: use DROP {} {name}", actual.to_string().to_uppercase())),
            CatalogError::HasDependents { .. } => {
                ErrorClass::user(sqlstate::DEPENDENT_OBJECTS_STILL_EXIST).with_hint("drop the dependent objects first")
            }
        }
    }
}
