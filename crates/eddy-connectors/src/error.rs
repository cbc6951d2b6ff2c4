//! Connector errors.

use eddy_common::{sqlstate, Classify, ErrorClass};

#[derive(Debug, thiserror::Error)]
pub enum ConnectorError {
    #[error("unknown connector \"{0}\"")]
    UnknownConnector(String),
    #[error("connector '{connector}' needs the option \"{option}\"")]
    MissingOption { connector: String, option: String },
    #[error("unknown option \"{option}\" for connector '{connector}'")]
    UnknownOption { connector: String, option: String, valid: Vec<String> },
    #[error("invalid value for option \"{option}\": {reason}")]
    InvalidOption { option: String, reason: String },
    #[error("column \"{column}\" is not produced by {connector}")]
    UnknownColumn { connector: String, column: String, available: Vec<String> },
    #[error("connector '{connector}' does not support {feature}")]
    Unsupported { connector: String, feature: String },
    #[error("file \"{path}\" cannot be read: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("malformed record at {location}: {reason}")]
    BadRecord { location: String, reason: String },
    #[error("no Kafka cluster is configured")]
    NoKafkaCluster,
    #[error("Kafka at {brokers} cannot be reached: {reason}")]
    KafkaUnreachable { brokers: String, reason: String },
    #[error("Kafka topic \"{topic}\" does not exist")]
    TopicNotFound { topic: String },
    #[error("Kafka {what} failed: {reason}")]
    Kafka { what: String, reason: String },
    #[error("the Kafka reader of topic \"{topic}\" stopped unexpectedly")]
    ReaderStopped { topic: String },
    #[error(transparent)]
    Arrow(#[from] arrow::error::ArrowError),
}

impl Classify for ConnectorError {
    fn class(&self) -> ErrorClass {
        match self {
            ConnectorError::UnknownConnector(_) => ErrorClass::user(sqlstate::INVALID_PARAMETER_VALUE).with_hint(
                "available connectors: kafka, file, datagen, nexmark (sources); kafka, file, blackhole (sinks)",
            ),
            ConnectorError::MissingOption { option, .. } => ErrorClass::user(sqlstate::INVALID_PARAMETER_VALUE)
                .with_hint(format!("add {option} = '...' to the WITH (...) clause")),
            ConnectorError::UnknownOption { valid, .. } => ErrorClass::user(sqlstate::INVALID_PARAMETER_VALUE)
                .with_hint(format!("valid options: {}", valid.join(", "))),
            ConnectorError::InvalidOption { .. } => ErrorClass::user(sqlstate::INVALID_PARAMETER_VALUE),
            ConnectorError::UnknownColumn { available, .. } => ErrorClass::user(sqlstate::UNDEFINED_COLUMN)
                .with_hint(format!("available columns: {}", available.join(", "))),
            ConnectorError::Unsupported { .. } => ErrorClass::user(sqlstate::FEATURE_NOT_SUPPORTED),
            ConnectorError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => ErrorClass::user(
                sqlstate::UNDEFINED_FILE,
            )
            .with_hint("check the path option; relative paths are resolved against the engine's working directory"),
            ConnectorError::Io { .. } => ErrorClass::external(sqlstate::IO_ERROR),
            ConnectorError::BadRecord { .. } => ErrorClass::user(sqlstate::BAD_COPY_FILE_FORMAT)
                .with_hint("fix the record, or set bad_data = 'drop' to skip and count malformed records"),
            ConnectorError::NoKafkaCluster => ErrorClass::user(sqlstate::INVALID_PARAMETER_VALUE).with_hint(
                "add bootstrap_servers = 'host:port' to the WITH (...) clause, or start eddy with --kafka host:port \
                 (EDDY_KAFKA)",
            ),
            ConnectorError::KafkaUnreachable { .. } => ErrorClass::external(sqlstate::CONNECTION_FAILURE)
                .with_hint("check bootstrap_servers and that the broker is running (scripts/kafka.sh start)"),
            ConnectorError::TopicNotFound { .. } => {
                ErrorClass::user(sqlstate::UNDEFINED_OBJECT).with_hint("create the topic first, or check topic = '...'")
            }
            ConnectorError::Kafka { .. } | ConnectorError::ReaderStopped { .. } => {
                ErrorClass::external(sqlstate::SYSTEM_ERROR)
            }
            ConnectorError::Arrow(_) => ErrorClass::user(sqlstate::DATA_EXCEPTION),
        }
    }
}
