//! A located scanner for Laravel's route files (`routes/web.php`,
//! `routes/api.php`) and `bootstrap/app.php`'s `->withRouting(...)`.
//!
//! Route files are PHP code, not config arrays, so [`super::php`] does not
//! read them. This scanner tokenizes PHP (comments, strings, names,
//! punctuation) and recognizes only the call shapes whose URI is certain:
//! `Route::get('/path', ...)` (and `post`, `put`, `patch`, `delete`,
//! `options`, `any`, `view`, `redirect`, `permanentRedirect`, `match([...],
//! '/path')`, chained `->get('/path')` on a registrar) with a plain string
//! literal. Everything that could add or move a URI it cannot see is a
//! *doubt*: a non-literal path, `prefix`, `domain`, `group` with
//! attributes, `fallback`, resources, `require`/`include`, another facade's
//! `routes()`, an unknown `Route::` method. A consumer trusts the route list
//! only when there is no doubt.

use crate::source::Span;

/// One URI a route file defines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteUri {
    /// The literal as written (`/up`, `api/user`, `/posts/{post}`).
    pub uri: String,
    /// The string literal, quotes included.
    pub span: Span,
    /// The `Route::` method (`get`, `any`, `view`...).
    pub method: String,
}

/// Something that may define or move a URI the scanner cannot read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Doubt {
    pub reason: String,
    pub span: Span,
}

/// A named argument of `->withRouting(...)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoutingArg {
    pub name: String,
    pub span: Span,
    pub value: RoutingValue,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoutingValue {
    /// `'/up'`.
    Literal(String, Span),
    /// `__DIR__.'/../routes/web.php'`: the literal after `__DIR__.`.
    DirPath(String),
    /// Anything else (a closure, an array, a variable).
    Other,
}

/// `->withRouting(...)` in `bootstrap/app.php`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Routing {
    /// The `withRouting` name.
    pub span: Span,
    pub args: Vec<RoutingArg>,
    /// A positional argument (not `name: value`).
    pub positional: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoutesFile {
    pub routes: Vec<RouteUri>,
    pub doubts: Vec<Doubt>,
    /// Each `withRouting(...)` call (normally at most one).
    pub routing: Vec<Routing>,
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    /// A string literal; `None` when it interpolates or uses escapes the
    /// scanner does not decode.
    Str(Option<String>),
    /// A name (`Route`, `get`, `\Illuminate\Support\Facades\Route`, `__DIR__`).
    Name(String),
    /// `$name`.
    Var,
    Punct(&'static str),
    /// A character nothing here needs.
    Other,
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    span: Span,
}

const PUNCTS: [&str; 13] = [
    "?->", "::", "->", "=>", "(", ")", "[", "]", "{", "}", ",", ".", ":",
];

fn lex(text: &str, doubts: &mut Vec<Doubt>) -> Vec<Token> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if text[i..].starts_with("//") || (c == b'#' && b.get(i + 1) != Some(&b'[')) {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if text[i..].starts_with("/*") {
            i = text[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
        } else if text[i..].starts_with("<<<") {
            // Heredoc/nowdoc: not read; a route file rarely has one.
            doubts.push(Doubt {
                reason: "a heredoc string".to_owned(),
                span: Span::new(i, i + 3),
            });
            let end = text[i..].find('\n').map_or(b.len(), |e| i + e);
            out.push(Token {
                tok: Tok::Other,
                span: Span::new(i, end),
            });
            i = end;
        } else if c == b'\'' || c == b'"' {
            let (tok, end) = string(text, i);
            out.push(Token {
                tok,
                span: Span::new(i, end),
            });
            i = end;
        } else if c == b'$' {
            let mut j = i + 1;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] >= 0x80) {
                j += 1;
            }
            out.push(Token {
                tok: Tok::Var,
                span: Span::new(i, j),
            });
            i = j;
        } else if c.is_ascii_alphabetic() || c == b'_' || c == b'\\' || c >= 0x80 {
            let mut j = i;
            while j < b.len()
                && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] == b'\\' || b[j] >= 0x80)
            {
                j += 1;
            }
            out.push(Token {
                tok: Tok::Name(text[i..j].to_owned()),
                span: Span::new(i, j),
            });
            i = j;
        } else if let Some(p) = PUNCTS.iter().find(|p| text[i..].starts_with(**p)) {
            out.push(Token {
                tok: Tok::Punct(p),
                span: Span::new(i, i + p.len()),
            });
            i += p.len();
        } else {
            let len = text[i..].chars().next().map_or(1, char::len_utf8);
            out.push(Token {
                tok: Tok::Other,
                span: Span::new(i, i + len),
            });
            i += len;
        }
    }
    out
}

/// A quoted string from `i` (at the quote): its value and the end offset.
fn string(text: &str, i: usize) -> (Tok, usize) {
    let b = text.as_bytes();
    let q = b[i];
    let mut j = i + 1;
    let mut value = String::new();
    let mut plain = true;
    while j < b.len() {
        let c = b[j];
        if c == q {
            return (Tok::Str(plain.then_some(value)), j + 1);
        }
        if c == b'\\' && j + 1 < b.len() {
            let n = b[j + 1];
            if n == q || n == b'\\' {
                value.push(n as char);
            } else if q == b'\'' {
                value.push('\\');
                value.push(n as char);
            } else {
                plain = false;
            }
            j += 2;
            continue;
        }
        if q == b'"' && c == b'$' {
            plain = false;
        }
        let len = text[j..].chars().next().map_or(1, char::len_utf8);
        value.push_str(&text[j..j + len]);
        j += len;
    }
    (Tok::Str(None), b.len())
}

/// `Route::` methods that define one URI, given as their first argument.
const VERBS: [&str; 10] = [
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "options",
    "any",
    "view",
    "redirect",
    "permanentredirect",
];

/// `Route::` methods that neither define nor move a URI.
const HARMLESS: [&str; 22] = [
    "middleware",
    "withoutmiddleware",
    "name",
    "as",
    "controller",
    "pattern",
    "patterns",
    "bind",
    "model",
    "where",
    "wherenumber",
    "wherealpha",
    "wherealphanumeric",
    "whereuuid",
    "whereulid",
    "wherein",
    "scopebindings",
    "withoutscopedbindings",
    "can",
    "missing",
    "withtrashed",
    "current",
];

/// Methods that move URIs or define ones the scanner cannot list.
const MOVERS: [&str; 13] = [
    "prefix",
    "domain",
    "fallback",
    "resource",
    "resources",
    "apiresource",
    "apiresources",
    "singleton",
    "singletons",
    "apisingleton",
    "apisingletons",
    "softdeletableresources",
    "macro",
];

fn is_route_facade(name: &str) -> bool {
    let short = name.rsplit('\\').next().unwrap_or(name);
    short.eq_ignore_ascii_case("Route")
}

/// Scans a route file or `bootstrap/app.php`.
pub fn parse(text: &str) -> RoutesFile {
    let mut f = RoutesFile::default();
    let toks = lex(text, &mut f.doubts);
    let name_at = |k: usize| match toks.get(k).map(|t| &t.tok) {
        Some(Tok::Name(n)) => Some(n.as_str()),
        _ => None,
    };
    let punct_at =
        |k: usize, p: &str| matches!(toks.get(k).map(|t| &t.tok), Some(Tok::Punct(q)) if *q == p);
    let mut k = 0;
    // A call that begins a statement (`Healthz::endpoint();`, at the top
    // level or in a group's closure), not one inside an expression
    // (`return Auth::user();`, `'x' => Category::all()`).
    let statement_start = |k: usize| {
        k == 0
            || matches!(&toks[k - 1].tok, Tok::Punct("{") | Tok::Punct("}"))
            || matches!(&toks[k - 1].tok, Tok::Name(n) if n.eq_ignore_ascii_case("php"))
            || (toks[k - 1].tok == Tok::Other && toks[k - 1].span_text(text) == ";")
    };
    while k < toks.len() {
        let t = &toks[k];
        let Tok::Name(name) = &t.tok else {
            k += 1;
            continue;
        };
        let lower = name.to_ascii_lowercase();
        if matches!(
            lower.as_str(),
            "require" | "require_once" | "include" | "include_once"
        ) {
            f.doubts.push(Doubt {
                reason: format!("`{name}` of another file"),
                span: t.span,
            });
            k += 1;
            continue;
        }
        if lower == "withrouting" && punct_at(k + 1, "(") && k > 0 && punct_at(k - 1, "->") {
            let (routing, next) = with_routing(&toks, k);
            f.routing.push(routing);
            k = next;
            continue;
        }
        // `Facade::method(` or `->method(`.
        let static_call = punct_at(k + 1, "::");
        let (method, method_at) = if static_call {
            match name_at(k + 2) {
                Some(m) => (m.to_ascii_lowercase(), k + 2),
                None => {
                    k += 1;
                    continue;
                }
            }
        } else if k > 0 && (punct_at(k - 1, "->") || punct_at(k - 1, "?->")) {
            (lower.clone(), k)
        } else {
            k += 1;
            continue;
        };
        if !punct_at(method_at + 1, "(") {
            k = method_at + 1;
            continue;
        }
        let route_call = static_call && is_route_facade(name);
        let mspan = toks[method_at].span;
        if static_call && !route_call {
            let class = name.rsplit('\\').next().unwrap_or(name);
            // A package's facade called at the top level of a route file
            // (`Healthz::endpoint()`, `Auth::routes()`) may register routes.
            if statement_start(k) || method.contains("route") {
                f.doubts.push(Doubt {
                    reason: format!(
                        "`{class}::{}()` may register routes",
                        toks[method_at].span_text(text)
                    ),
                    span: t.span.cover(mspan),
                });
            }
            k = method_at + 2;
            continue;
        }
        let args = method_at + 2;
        let path_at = if method == "match" {
            // `match(['GET', 'HEAD'], '/path', ...)`: skip the first argument.
            skip_arg(&toks, args)
                .filter(|&e| punct_at(e, ","))
                .map(|e| e + 1)
        } else if VERBS.contains(&method.as_str()) {
            Some(args)
        } else {
            None
        };
        let verb = method == "match" || VERBS.contains(&method.as_str());
        // `$model->delete()`, `$query->get()` in a closure: no route.
        let no_args = punct_at(args, ")");
        if verb && !(static_call && route_call) && no_args {
        } else if verb {
            let literal = path_at.and_then(|p| match toks.get(p).map(|t| &t.tok) {
                Some(Tok::Str(Some(s))) if punct_at(p + 1, ",") || punct_at(p + 1, ")") => {
                    Some((s.clone(), toks[p].span))
                }
                _ => None,
            });
            match literal {
                Some((uri, span)) => f.routes.push(RouteUri {
                    uri,
                    span,
                    method: toks[method_at].span_text(text).to_owned(),
                }),
                None => f.doubts.push(Doubt {
                    reason: format!(
                        "a route whose URI is not a plain string (`{}`)",
                        toks[method_at].span_text(text)
                    ),
                    span: mspan,
                }),
            }
        } else if MOVERS.contains(&method.as_str()) {
            f.doubts.push(Doubt {
                reason: format!("`{}()`", toks[method_at].span_text(text)),
                span: mspan,
            });
        } else if method == "group" {
            // `->group(fn)` after middleware/name/controller keeps URIs;
            // `Route::group([...])` or `->group('file.php')` may not.
            let first = toks.get(args).map(|t| &t.tok);
            let attrs = route_call || !matches!(first, Some(Tok::Name(_)) | Some(Tok::Var));
            if attrs {
                f.doubts.push(Doubt {
                    reason: "a route group with attributes or a file".to_owned(),
                    span: mspan,
                });
            }
        } else if route_call && !HARMLESS.contains(&method.as_str()) {
            f.doubts.push(Doubt {
                reason: format!("`Route::{}()`", toks[method_at].span_text(text)),
                span: mspan,
            });
        }
        k = method_at + 2;
    }
    f
}

impl Token {
    fn span_text<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.span.start..self.span.end).unwrap_or("")
    }
}

/// The index after one argument starting at `k` (at the `,` or `)` that
/// ends it), `None` when the file ends first.
fn skip_arg(toks: &[Token], mut k: usize) -> Option<usize> {
    let mut depth = 0usize;
    while let Some(t) = toks.get(k) {
        match t.tok {
            Tok::Punct("(") | Tok::Punct("[") | Tok::Punct("{") => depth += 1,
            Tok::Punct(")") | Tok::Punct("]") | Tok::Punct("}") => {
                if depth == 0 {
                    return Some(k);
                }
                depth -= 1;
            }
            Tok::Punct(",") if depth == 0 => return Some(k),
            _ => {}
        }
        k += 1;
    }
    None
}

/// Reads `withRouting(` at `k` (the name); returns it and the index after.
fn with_routing(toks: &[Token], k: usize) -> (Routing, usize) {
    let mut r = Routing {
        span: toks[k].span,
        ..Routing::default()
    };
    let mut i = k + 2;
    loop {
        match toks.get(i).map(|t| &t.tok) {
            None => return (r, i),
            Some(Tok::Punct(")")) => return (r, i + 1),
            _ => {}
        }
        let named = matches!(toks.get(i).map(|t| &t.tok), Some(Tok::Name(_)))
            && matches!(toks.get(i + 1).map(|t| &t.tok), Some(Tok::Punct(":")));
        let start = if named { i + 2 } else { i };
        let Some(end) = skip_arg(toks, start) else {
            return (r, toks.len());
        };
        if named {
            let Tok::Name(name) = &toks[i].tok else {
                unreachable!()
            };
            let value = match &toks[start..end] {
                [
                    Token {
                        tok: Tok::Str(Some(s)),
                        span,
                    },
                ] => RoutingValue::Literal(s.clone(), *span),
                [
                    Token {
                        tok: Tok::Name(d), ..
                    },
                    Token {
                        tok: Tok::Punct("."),
                        ..
                    },
                    Token {
                        tok: Tok::Str(Some(s)),
                        ..
                    },
                ] if d == "__DIR__" => RoutingValue::DirPath(s.clone()),
                _ => RoutingValue::Other,
            };
            r.args.push(RoutingArg {
                name: name.clone(),
                span: toks[i].span,
                value,
            });
        } else if end > start {
            r.positional = true;
        }
        i = if matches!(toks.get(end).map(|t| &t.tok), Some(Tok::Punct(","))) {
            end + 1
        } else {
            end
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uris(f: &RoutesFile) -> Vec<&str> {
        f.routes.iter().map(|r| r.uri.as_str()).collect()
    }

    #[test]
    fn literal_routes_with_spans() {
        let text = "<?php\n\nuse Illuminate\\Support\\Facades\\Route;\n\n// Route::get('/commented', fn () => 1);\n# Route::get('/hash')\n/* Route::get('/block') */\nRoute::get('/', function () {\n    return view('welcome');\n});\nRoute::any(\"/ping\", fn () => 'pong');\nRoute::match(['GET', 'HEAD'], 'status', [StatusController::class, 'show']);\nRoute::view('/about', 'about');\nRoute::redirect('/here', '/there');\nRoute::get('/posts/{post}', [PostController::class, 'show'])->name('posts.show');\nRoute::middleware('auth')->get('/dashboard', DashboardController::class);\n";
        let f = parse(text);
        assert_eq!(
            uris(&f),
            [
                "/",
                "/ping",
                "status",
                "/about",
                "/here",
                "/posts/{post}",
                "/dashboard"
            ]
        );
        assert!(f.doubts.is_empty(), "{:?}", f.doubts);
        let r = &f.routes[1];
        assert_eq!(&text[r.span.start..r.span.end], "\"/ping\"");
        assert_eq!(r.method, "any");
    }

    #[test]
    fn plain_groups_keep_uris() {
        let text = "<?php\nRoute::view('/', 'home', ['categories' => Category::select(['name'])->get()]);\nRoute::middleware(['auth'])->group(function () {\n    Route::get('/profile', [ProfileController::class, 'edit']);\n    Route::get('/me', fn () => Auth::user()->delete());\n});\nRoute::controller(OrderController::class)->group(function () {\n    Route::get('/orders/{id}', 'show');\n});\n";
        let f = parse(text);
        assert_eq!(uris(&f), ["/", "/profile", "/me", "/orders/{id}"]);
        assert!(f.doubts.is_empty(), "{:?}", f.doubts);
        let f = parse(
            "<?php\nRoute::middleware('auth')->group(function () {\n    Healthz::endpoint();\n});",
        );
        assert_eq!(f.doubts.len(), 1, "{f:?}");
    }

    #[test]
    fn doubts() {
        for (text, reason) in [
            (
                "Route::prefix('admin')->group(function () { Route::get('/x', X::class); });",
                "`prefix()`",
            ),
            (
                "Route::group(['prefix' => 'a'], function () {});",
                "a route group with attributes or a file",
            ),
            (
                "Route::get($path, X::class);",
                "a route whose URI is not a plain string (`get`)",
            ),
            (
                "Route::get('/a/' . $x, X::class);",
                "a route whose URI is not a plain string (`get`)",
            ),
            (
                "Route::get(\"/a/$x\", X::class);",
                "a route whose URI is not a plain string (`get`)",
            ),
            (
                "Route::resource('photos', PhotoController::class);",
                "`resource()`",
            ),
            ("Route::fallback(fn () => 1);", "`fallback()`"),
            (
                "Route::domain('{account}.example.com')->group(fn () => 1);",
                "`domain()`",
            ),
            ("require __DIR__.'/auth.php';", "`require` of another file"),
            ("Auth::routes();", "`Auth::routes()` may register routes"),
            (
                "Volt::route('/counter', 'counter');",
                "`Volt::route()` may register routes",
            ),
            (
                "Healthz::endpoint();",
                "`Healthz::endpoint()` may register routes",
            ),
            ("Route::livewire('/x', X::class);", "`Route::livewire()`"),
        ] {
            let f = parse(text);
            assert_eq!(
                f.doubts.first().map(|d| d.reason.as_str()),
                Some(reason),
                "{text}"
            );
        }
    }

    #[test]
    fn with_routing() {
        let text = "<?php\n\nreturn Application::configure(basePath: dirname(__DIR__))\n    ->withRouting(\n        web: __DIR__.'/../routes/web.php',\n        api: __DIR__.'/../routes/api.php',\n        commands: __DIR__.'/../routes/console.php',\n        health: '/up',\n        apiPrefix: 'api/v1',\n    )\n    ->withMiddleware(function (Middleware $middleware) {\n        //\n    })->create();\n";
        let f = parse(text);
        let [r] = f.routing.as_slice() else {
            panic!("{f:?}")
        };
        assert!(!r.positional);
        let names: Vec<_> = r.args.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["web", "api", "commands", "health", "apiPrefix"]);
        assert_eq!(
            r.args[0].value,
            RoutingValue::DirPath("/../routes/web.php".into())
        );
        let RoutingValue::Literal(up, span) = &r.args[3].value else {
            panic!()
        };
        assert_eq!(up, "/up");
        assert_eq!(&text[span.start..span.end], "'/up'");
        let f = parse("<?php ->withRouting(using: function () { Route::get('/x', X::class); })");
        assert_eq!(f.routing[0].args[0].value, RoutingValue::Other);
    }

    #[test]
    fn unterminated_and_odd_input() {
        let f = parse("<?php Route::get('/unterminated");
        assert!(f.routes.is_empty());
        assert_eq!(f.doubts.len(), 1);
        let f = parse("Route::get(");
        assert_eq!(f.doubts.len(), 1);
        let _ = parse("é ' \" \\ <<<EOT\n->withRouting(");
    }
}
