//! Facts of Laravel's route files: the URIs a file defines (normalized as
//! Laravel matches them: one leading `/`, no trailing one), whether that list
//! is certain, and for `bootstrap/app.php` which route files `withRouting`
//! loads, under which prefix, and its health route.

use super::facts::Loc;
use crate::parse::php_routes::{RoutesFile, RoutingValue};
use crate::source::Span;

/// What a file of the `laravel-routes` kind is to the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoutesRole {
    /// `routes/<stem>.php`.
    Routes(String),
    /// `bootstrap/app.php`.
    App,
    /// `app/Providers/RouteServiceProvider.php` (Laravel 10 and older):
    /// loads and prefixes route files in code the scanner does not follow.
    Provider,
}

#[derive(Clone, Debug)]
pub struct RoutesFacts {
    pub role: RoutesRole,
    /// The app's directory (the one holding `routes/`, `bootstrap/`, `app/`),
    /// as shown in paths; empty for the working directory.
    pub root: String,
    /// URIs defined here, normalized (`/up`, `/posts/{post}`).
    pub uris: Vec<Loc>,
    /// The first reason the list may be incomplete; `None`: every route of
    /// the file was read.
    pub doubt: Option<Loc>,
    /// `bootstrap/app.php`'s `withRouting(...)`, when it is fully literal.
    pub routing: Option<RoutingFacts>,
}

#[derive(Clone, Debug)]
pub struct RoutingFacts {
    pub span: Span,
    /// `(argument, route file stem)`: `("web", "web")`, `("api", "api")`.
    pub files: Vec<(String, String)>,
    /// `health: '/up'`.
    pub health: Option<Loc>,
    /// `apiPrefix`, normalized without slashes (default `api`).
    pub api_prefix: String,
}

impl RoutesFacts {
    pub fn complete(&self) -> bool {
        self.doubt.is_none()
    }
}

/// `/up`, `up/`, `up` -> `/up`; `` and `/` -> `/`.
pub fn normalize(uri: &str) -> String {
    format!("/{}", uri.trim_matches('/'))
}

fn role_and_root(path: &str) -> (RoutesRole, String) {
    // Lexically normalized (`a/../b` -> `b`), so the root is the same
    // whichever directory the run starts from.
    let mut parts: Vec<&str> = Vec::new();
    for p in path
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
    {
        if p == ".." && parts.last().is_some_and(|l| *l != "..") {
            parts.pop();
        } else {
            parts.push(p);
        }
    }
    let n = parts.len();
    let name = parts.last().copied().unwrap_or("");
    // Run from inside `routes/` (`web.php`): the root is `..`.
    let root_of = |depth: usize| {
        if n >= depth {
            parts[..n - depth].join("/")
        } else {
            vec![".."; depth - n].join("/")
        }
    };
    if name.eq_ignore_ascii_case("app.php")
        && n >= 2
        && parts[n - 2].eq_ignore_ascii_case("bootstrap")
    {
        (RoutesRole::App, root_of(2))
    } else if name.eq_ignore_ascii_case("RouteServiceProvider.php") {
        let app_dir = n >= 3 && parts[n - 3].eq_ignore_ascii_case("app");
        (RoutesRole::Provider, root_of(if app_dir { 3 } else { 2 }))
    } else {
        let stem = name.strip_suffix(".php").unwrap_or(name).to_owned();
        (RoutesRole::Routes(stem), root_of(2))
    }
}

pub fn extract(f: &RoutesFile, path: &str) -> RoutesFacts {
    let (role, root) = role_and_root(path);
    // `bootstrap/app.php` is judged by its `withRouting` arguments alone
    // (`Application::configure()` and the like are no routes).
    let mut doubt = f
        .doubts
        .first()
        .filter(|_| role != RoutesRole::App)
        .map(|d| Loc {
            text: d.reason.clone(),
            span: d.span,
        });
    let mut out = RoutesFacts {
        role: role.clone(),
        root,
        uris: Vec::new(),
        doubt: None,
        routing: None,
    };
    match role {
        RoutesRole::Routes(_) => {
            out.uris = f
                .routes
                .iter()
                .map(|r| Loc {
                    text: normalize(&r.uri),
                    span: r.span,
                })
                .collect();
        }
        RoutesRole::Provider => {
            doubt = Some(Loc {
                text: "a RouteServiceProvider".to_owned(),
                span: Span::new(0, 0),
            });
        }
        RoutesRole::App => match f.routing.as_slice() {
            [r] => {
                let mut rf = RoutingFacts {
                    span: r.span,
                    files: Vec::new(),
                    health: None,
                    api_prefix: "api".to_owned(),
                };
                let mut why: Option<(String, Span)> = r
                    .positional
                    .then(|| ("a positional `withRouting` argument".to_owned(), r.span));
                for a in &r.args {
                    let route_file = |v: &RoutingValue| match v {
                        RoutingValue::DirPath(p) => p
                            .strip_prefix("/../routes/")
                            .and_then(|s| s.strip_suffix(".php"))
                            .filter(|s| !s.contains('/'))
                            .map(str::to_owned),
                        _ => None,
                    };
                    match (a.name.as_str(), &a.value) {
                        ("commands", _) => {}
                        ("web" | "api", v) => match route_file(v) {
                            Some(stem) => rf.files.push((a.name.clone(), stem)),
                            None => {
                                why.get_or_insert((
                                    format!("`{}:` is not a route file", a.name),
                                    a.span,
                                ));
                            }
                        },
                        ("health", RoutingValue::Literal(s, span)) => {
                            rf.health = Some(Loc {
                                text: normalize(s),
                                span: *span,
                            });
                        }
                        ("apiPrefix", RoutingValue::Literal(s, _)) => {
                            rf.api_prefix = s.trim_matches('/').to_owned();
                        }
                        (name, _) => {
                            why.get_or_insert((format!("`{name}:` of `withRouting`"), a.span));
                        }
                    }
                }
                if let Some((text, span)) = why {
                    doubt.get_or_insert(Loc { text, span });
                }
                out.routing = Some(rf);
            }
            [] => {
                doubt.get_or_insert(Loc {
                    text: "no `withRouting(...)` (routes are loaded elsewhere)".to_owned(),
                    span: Span::new(0, 0),
                });
            }
            [_, second, ..] => {
                doubt.get_or_insert(Loc {
                    text: "a second `withRouting(...)`".to_owned(),
                    span: second.span,
                });
            }
        },
    }
    out.doubt = doubt;
    out
}

/// Whether a route URI can answer a request path (both normalized). A
/// parameter (`{x}`, `{x?}`) may, with `where()`, match anything, so a
/// route matches every path under its literal part before the first `{`.
/// Letters are compared without case, to err on the quiet side.
pub fn route_matches(uri: &str, path: &str) -> bool {
    let uri = uri.to_ascii_lowercase();
    let path = path.to_ascii_lowercase();
    match uri.find('{') {
        None => uri == path,
        Some(i) => path.starts_with(&uri[..i]) || uri[..i].trim_end_matches('/') == path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::php_routes::parse;

    #[test]
    fn roles_and_roots() {
        assert_eq!(
            role_and_root("web.php"),
            (RoutesRole::Routes("web".into()), "..".into())
        );
        assert_eq!(
            role_and_root("../routes/web.php"),
            (RoutesRole::Routes("web".into()), "..".into())
        );
        assert_eq!(
            role_and_root("../bootstrap/app.php"),
            (RoutesRole::App, "..".into())
        );
        assert_eq!(
            role_and_root("shop/routes/../bootstrap/app.php"),
            (RoutesRole::App, "shop".into())
        );
        assert_eq!(
            role_and_root("routes/web.php"),
            (RoutesRole::Routes("web".into()), String::new())
        );
        assert_eq!(
            role_and_root("./shop/bootstrap/app.php"),
            (RoutesRole::App, "shop".into())
        );
        assert_eq!(
            role_and_root("shop/app/Providers/RouteServiceProvider.php"),
            (RoutesRole::Provider, "shop".into())
        );
    }

    #[test]
    fn app_routing() {
        let text = "<?php\nreturn Application::configure(basePath: dirname(__DIR__))\n    ->withRouting(\n        web: __DIR__.'/../routes/web.php',\n        api: __DIR__.'/../routes/api.php',\n        commands: __DIR__.'/../routes/console.php',\n        health: '/up',\n        apiPrefix: '/v1/',\n    )->create();\n";
        let f = extract(&parse(text), "bootstrap/app.php");
        assert!(f.complete(), "{:?}", f.doubt);
        let r = f.routing.as_ref().expect("routing");
        assert_eq!(
            r.files,
            [("web".into(), "web".into()), ("api".into(), "api".into())]
        );
        assert_eq!(r.health.as_ref().map(|h| h.text.as_str()), Some("/up"));
        assert_eq!(r.api_prefix, "v1");

        let f = extract(
            &parse("<?php ->withRouting(web: __DIR__.'/../routes/web.php', then: function () {})"),
            "bootstrap/app.php",
        );
        assert_eq!(
            f.doubt.map(|d| d.text),
            Some("`then:` of `withRouting`".to_owned())
        );
        let f = extract(
            &parse("<?php $app = new Illuminate\\Foundation\\Application(dirname(__DIR__));"),
            "bootstrap/app.php",
        );
        assert!(!f.complete());
    }

    #[test]
    fn matching() {
        assert!(route_matches("/up", "/up"));
        assert!(route_matches("/UP", "/up"));
        assert!(!route_matches("/up", "/healthz"));
        assert!(route_matches("/posts/{post}", "/posts/1"));
        assert!(route_matches("/{any}", "/healthz"));
        assert!(route_matches("/status/{check?}", "/status"));
        assert!(!route_matches("/status/{check?}", "/healthz"));
        assert_eq!(normalize("up/"), "/up");
        assert_eq!(normalize(""), "/");
    }
}
