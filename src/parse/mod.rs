//! One located parser per format. Each produces a document model whose
//! every value knows its span, plus located parse errors as diagnostics.

pub mod caddyfile;
pub mod dockerfile;
pub mod dotenv;
pub mod fpm;
pub mod ini;
pub mod nginx;
pub mod php;
pub mod php_routes;
pub mod shell;
pub mod yaml;

use crate::diagnostic::{Diagnostic, FileId, Severity};
use crate::source::{FileKind, SourceFile};

/// Codes of diagnostics that come from reading and parsing, not from rules.
pub mod codes {
    pub const UNREADABLE: &str = "E001";
    pub const YAML_SYNTAX: &str = "E002";
    pub const DUPLICATE_KEY: &str = "E003";
    pub const TOO_COMPLEX: &str = "E004";
    pub const INTERNAL: &str = "E006";
    pub const INI_SYNTAX: &str = "E030";
    pub const INI_DUPLICATE: &str = "E031";
    pub const INI_HASH_COMMENT: &str = "E032";
    pub const INI_MISSING_EQUALS: &str = "E033";
    pub const FPM_SYNTAX: &str = "E020";
    pub const FPM_HASH_COMMENT: &str = "E021";
    pub const FPM_EMPTY_VALUE: &str = "E022";
    pub const FPM_POOL_VAR: &str = "E023";
    pub const DOCKERFILE_SYNTAX: &str = "E040";
    pub const DOCKERFILE_EXEC_FORM: &str = "E041";
    pub const DOCKERFILE_STAGE: &str = "E042";
    pub const PHP_SYNTAX: &str = "E050";
    pub const PHP_NO_RETURN: &str = "E051";
    pub const CADDYFILE_SYNTAX: &str = "E060";
    pub const DOTENV_SYNTAX: &str = "E070";
    pub const NGINX_SYNTAX: &str = "E080";
}

/// A file after parsing, as rules see it.
#[derive(Debug)]
pub struct ParsedFile {
    pub id: FileId,
    pub source: SourceFile,
    pub document: Document,
}

impl ParsedFile {
    pub fn kind(&self) -> Option<FileKind> {
        self.source.kind
    }
}

/// A parsed file's document model.
#[derive(Debug)]
pub enum Document {
    /// Kubernetes manifests, compose files, RoadRunner config.
    Yaml(yaml::YamlFile),
    /// php.ini and conf.d/*.ini files.
    Ini(ini::IniFile),
    /// php-fpm.conf and pool files.
    Fpm(fpm::FpmFile),
    /// Dockerfiles and Containerfiles.
    Dockerfile(dockerfile::Dockerfile),
    /// PHP config files (`config/octane.php`).
    Php(php::PhpFile),
    /// Laravel route files and `bootstrap/app.php` (scanned, not parsed).
    Routes(php_routes::RoutesFile),
    /// Caddy / FrankenPHP Caddyfiles.
    Caddyfile(caddyfile::Caddyfile),
    /// `.env` files.
    DotEnv(dotenv::DotEnvFile),
    /// nginx configuration files.
    Nginx(nginx::NginxFile),
    /// The text could not be read, or the kind has no parser yet.
    Unparsed,
}

impl Document {
    pub fn as_fpm(&self) -> Option<&fpm::FpmFile> {
        match self {
            Document::Fpm(f) => Some(f),
            _ => None,
        }
    }

    pub fn as_yaml(&self) -> Option<&yaml::YamlFile> {
        match self {
            Document::Yaml(y) => Some(y),
            _ => None,
        }
    }

    pub fn as_dockerfile(&self) -> Option<&dockerfile::Dockerfile> {
        match self {
            Document::Dockerfile(d) => Some(d),
            _ => None,
        }
    }

    pub fn as_php(&self) -> Option<&php::PhpFile> {
        match self {
            Document::Php(p) => Some(p),
            _ => None,
        }
    }

    pub fn as_routes(&self) -> Option<&php_routes::RoutesFile> {
        match self {
            Document::Routes(r) => Some(r),
            _ => None,
        }
    }

    pub fn as_caddyfile(&self) -> Option<&caddyfile::Caddyfile> {
        match self {
            Document::Caddyfile(c) => Some(c),
            _ => None,
        }
    }

    pub fn as_dotenv(&self) -> Option<&dotenv::DotEnvFile> {
        match self {
            Document::DotEnv(d) => Some(d),
            _ => None,
        }
    }

    pub fn as_nginx(&self) -> Option<&nginx::NginxFile> {
        match self {
            Document::Nginx(n) => Some(n),
            _ => None,
        }
    }

    pub fn as_ini(&self) -> Option<&ini::IniFile> {
        match self {
            Document::Ini(i) => Some(i),
            _ => None,
        }
    }
}

pub fn parse(source: &SourceFile, kind: FileKind, file: FileId) -> (Document, Vec<Diagnostic>) {
    match kind {
        FileKind::Kubernetes
        | FileKind::Compose
        | FileKind::RoadRunner
        | FileKind::Kustomization => {
            let y = yaml::parse(&source.text);
            let diags = y.errors.iter().map(|e| yaml_error(e, file)).collect();
            (Document::Yaml(y), diags)
        }
        FileKind::PhpIni => {
            let f = ini::parse(&source.text);
            let diags = f.errors.iter().map(|e| e.to_diagnostic(file)).collect();
            (Document::Ini(f), diags)
        }
        FileKind::PhpFpm => {
            let f = fpm::parse(&source.text);
            let diags = f.errors.iter().map(|e| fpm_error(e, file)).collect();
            (Document::Fpm(f), diags)
        }
        FileKind::Dockerfile => {
            let d = dockerfile::parse(&source.text);
            let diags = d.errors.iter().map(|e| dockerfile_error(e, file)).collect();
            (Document::Dockerfile(d), diags)
        }
        FileKind::Octane | FileKind::Horizon => {
            let p = php::parse(&source.text);
            let diags = p.errors.iter().map(|e| php_error(e, file)).collect();
            (Document::Php(p), diags)
        }
        FileKind::LaravelRoutes => (
            Document::Routes(php_routes::parse(&source.text)),
            Vec::new(),
        ),
        FileKind::Caddyfile => {
            let c = caddyfile::parse(&source.text);
            let diags = c.errors.iter().map(|e| caddyfile_error(e, file)).collect();
            (Document::Caddyfile(c), diags)
        }
        FileKind::Nginx => {
            let n = nginx::parse(&source.text);
            let diags = n.errors.iter().map(|e| nginx_error(e, file)).collect();
            (Document::Nginx(n), diags)
        }
        FileKind::DotEnv => {
            let d = dotenv::parse(&source.text);
            let diags = d
                .errors
                .iter()
                .map(|e| {
                    Diagnostic::new(
                        codes::DOTENV_SYNTAX,
                        Severity::Error,
                        file,
                        e.span,
                        e.message.clone(),
                    )
                    .with_help("Write one `KEY=value` per line; quote values with spaces and close every quote")
                })
                .collect();
            (Document::DotEnv(d), diags)
        }
    }
}

fn caddyfile_error(e: &caddyfile::CaddyError, file: FileId) -> Diagnostic {
    let (code, help) = match e.kind {
        caddyfile::ErrorKind::Syntax => (
            codes::CADDYFILE_SYNTAX,
            "Close every quote and block: `{` ends the line that opens a block and `}` stands on its own line",
        ),
        caddyfile::ErrorKind::TooDeep => (
            codes::TOO_COMPLEX,
            "Flatten the blocks; deploylint bounds nesting to stay fast on hostile input",
        ),
    };
    Diagnostic::new(code, Severity::Error, file, e.span, e.message.clone()).with_help(help)
}

fn nginx_error(e: &nginx::NginxError, file: FileId) -> Diagnostic {
    let (code, help) = match e.kind {
        nginx::ErrorKind::Syntax => (
            codes::NGINX_SYNTAX,
            "End every simple directive with `;`, close every quote, and match every `{` with a `}`",
        ),
        nginx::ErrorKind::TooDeep => (
            codes::TOO_COMPLEX,
            "Flatten the blocks; deploylint bounds nesting to stay fast on hostile input",
        ),
    };
    Diagnostic::new(code, Severity::Error, file, e.span, e.message.clone()).with_help(help)
}

fn php_error(e: &php::PhpError, file: FileId) -> Diagnostic {
    use php::ErrorKind::*;
    let (code, severity, help) = match e.kind {
        Syntax => (
            codes::PHP_SYNTAX,
            Severity::Error,
            "Fix the PHP syntax here: Laravel cannot load a config file that does not parse, so the app fails at boot",
        ),
        NoReturn => (
            codes::PHP_NO_RETURN,
            Severity::Error,
            "End the file with `return [ ... ];`: a config file that returns nothing gives Laravel `1` instead of its settings",
        ),
        TooDeep => (
            codes::TOO_COMPLEX,
            Severity::Error,
            "Flatten the arrays; deploylint bounds nesting to stay fast on hostile input",
        ),
    };
    let mut d = Diagnostic::new(code, severity, file, e.span, e.message.clone()).with_help(help);
    if let Some(related) = e.related {
        d.labels.push(crate::diagnostic::Label {
            file,
            span: related,
            message: "opened here".into(),
        });
    }
    d
}

fn dockerfile_error(e: &dockerfile::DockerfileError, file: FileId) -> Diagnostic {
    use dockerfile::ErrorKind::*;
    let (code, help) = match e.kind {
        Syntax => (
            codes::DOCKERFILE_SYNTAX,
            "Fix the instruction here; the rest of the Dockerfile was still checked",
        ),
        InvalidExecForm => (
            codes::DOCKERFILE_EXEC_FORM,
            "Write a JSON array with double quotes, `CMD [\"php-fpm\", \"-F\"]`, or drop the brackets for shell form",
        ),
        UndefinedStage => (
            codes::DOCKERFILE_STAGE,
            "Name a stage defined earlier with `FROM ... AS name`, or write the full image reference with a tag",
        ),
    };
    Diagnostic::new(code, Severity::Error, file, e.span, e.message.clone()).with_help(help)
}

fn fpm_error(e: &fpm::FpmError, file: FileId) -> Diagnostic {
    use fpm::ErrorKind::*;
    let (code, help) = match e.kind {
        Syntax => (
            codes::FPM_SYNTAX,
            "Write one `key = value` per line; quote values containing `;` and close every quote and `[`",
        ),
        HashComment => (codes::FPM_HASH_COMMENT, "Start comments with `;`"),
        EmptyValue => (
            codes::FPM_EMPTY_VALUE,
            "Give a value, write `key = \"\"` for an empty string, or comment the line out with `;`",
        ),
        PoolVarOutsidePool => (
            codes::FPM_POOL_VAR,
            "Move the directive into a pool section, or write the pool name literally",
        ),
    };
    let mut d =
        Diagnostic::new(code, Severity::Error, file, e.span, e.message.clone()).with_help(help);
    if e.kind == HashComment {
        // The author meant a comment: `;` makes it one without changing anything else.
        d.fix = Some(Box::new(crate::diagnostic::Fix::safe(
            "Replace `#` with `;`",
            vec![crate::diagnostic::Edit {
                span: e.span,
                replacement: ";".into(),
            }],
        )));
    }
    d
}

fn yaml_error(e: &yaml::YamlError, file: FileId) -> Diagnostic {
    use yaml::ErrorKind::*;
    let (code, severity, help) = match e.kind {
        Syntax => (
            codes::YAML_SYNTAX,
            Severity::Error,
            "Fix the YAML syntax here; the other documents of this file were still checked",
        ),
        DuplicateKey => (
            codes::DUPLICATE_KEY,
            Severity::Error,
            "Remove one of the two keys: Kubernetes keeps only the last, and strict decoders reject the file",
        ),
        TooComplex => (
            codes::TOO_COMPLEX,
            Severity::Error,
            "Flatten the document or remove the aliases; deploylint bounds nesting and alias expansion to stay fast on hostile input",
        ),
    };
    let mut d = Diagnostic::new(code, severity, file, e.span, e.message.clone()).with_help(help);
    if let Some(related) = e.related {
        d.labels.push(crate::diagnostic::Label {
            file,
            span: related,
            message: "first defined here".into(),
        });
    }
    d
}
