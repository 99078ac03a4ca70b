//! Helpers shared by the compose rules (DC...).

use crate::project::ParsedFile;
use crate::project::compose::ComposeFacts;
use crate::rules::Context;

/// The compose facts of the file being checked.
pub fn facts<'a>(ctx: &Context<'a>) -> Option<&'a ComposeFacts> {
    ctx.facts.compose()
}

/// What a compose file is for, from its name: `docker-compose.prod.yml`,
/// `compose.production.yaml` are production; `docker-compose.dev.yml`,
/// `compose.override.yml` (the local overlay compose applies by default),
/// `.devcontainer/` and test stacks are development; a plain
/// `docker-compose.yml` could be either.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Production,
    Development,
    Unknown,
}

pub fn purpose(path: &str) -> Purpose {
    let lower = path.to_ascii_lowercase();
    let words = || lower.split(['/', '\\', '.', '-', '_']);
    if words().any(|w| matches!(w, "prod" | "production" | "live")) {
        Purpose::Production
    } else if crate::config::is_development_path(path)
        || words().any(|w| matches!(w, "override" | "local" | "ci" | "example" | "demo" | "sail"))
    {
        Purpose::Development
    } else {
        Purpose::Unknown
    }
}

/// A value that compose interpolates (`${VAR}`, `$VAR`): not known from the file.
pub fn interpolated(value: &str) -> bool {
    crate::parse::dotenv::has_reference(value)
}

/// Images of databases, brokers and caches, by repository short name, and
/// the ports they listen on.
pub const DATASTORES: &[(&str, &str)] = &[
    ("postgres", "PostgreSQL"),
    ("postgis", "PostgreSQL"),
    ("mysql", "MySQL"),
    ("mariadb", "MariaDB"),
    ("percona", "MySQL"),
    ("mongo", "MongoDB"),
    ("redis", "Redis"),
    ("valkey", "Valkey"),
    ("keydb", "KeyDB"),
    ("memcached", "Memcached"),
    ("rabbitmq", "RabbitMQ"),
    ("elasticsearch", "Elasticsearch"),
    ("opensearch", "OpenSearch"),
    ("meilisearch", "Meilisearch"),
    ("typesense", "Typesense"),
    ("clickhouse-server", "ClickHouse"),
    ("clickhouse", "ClickHouse"),
    ("kafka", "Kafka"),
    ("nats", "NATS"),
    ("minio", "MinIO"),
    ("cassandra", "Cassandra"),
    ("couchdb", "CouchDB"),
    ("influxdb", "InfluxDB"),
];

/// Container ports that are databases, brokers or caches whatever the image.
pub const DATASTORE_PORTS: &[(&str, &str)] = &[
    ("5432", "PostgreSQL"),
    ("3306", "MySQL"),
    ("27017", "MongoDB"),
    ("6379", "Redis"),
    ("11211", "Memcached"),
    ("5672", "RabbitMQ"),
    ("9200", "Elasticsearch"),
];

/// The datastore an image is, by its repository's short name (`bitnami/redis:7` is Redis).
pub fn datastore_image(image: &str) -> Option<&'static str> {
    let short = crate::model::image::short_name(image).to_ascii_lowercase();
    DATASTORES
        .iter()
        .find(|(n, _)| short == *n || short.starts_with(&format!("{n}-")))
        .map(|(_, what)| *what)
}

/// Whether the file is a compose file parsed as YAML (the rules' entry check).
pub fn is_compose(file: &ParsedFile) -> bool {
    file.document.as_yaml().is_some()
}
