//! What the deployment needs to know of an nginx config: where it sends PHP
//! requests (`fastcgi_pass`, with `upstream` names resolved to their
//! `server`s), its `root`s and `listen` ports. Extracted from nginx files and
//! from nginx configs embedded in ConfigMaps, whose spans are mapped back to
//! the manifest (exactly for literal `|` block scalars, else to the key).

use super::facts::Loc;
use crate::parse::nginx::{Directive, NginxFile};
use crate::parse::yaml::{Node, Style};
use crate::source::Span;

/// Where a `fastcgi_pass` (or an upstream `server`) sends requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Address {
    /// `host:port` (`port` is `None` when not written).
    Tcp { host: String, port: Option<u16> },
    /// `unix:/path`.
    Unix(String),
}

impl Address {
    /// Reads a `fastcgi_pass` / upstream `server` address; `None` for one
    /// holding a variable (known only at run time) or not an address.
    pub fn parse(text: &str) -> Option<Address> {
        if text.contains('$') || text.is_empty() {
            return None;
        }
        if let Some(path) = text.strip_prefix("unix:") {
            return (!path.is_empty()).then(|| Address::Unix(path.to_owned()));
        }
        let text = text
            .strip_prefix("http://")
            .or_else(|| text.strip_prefix("https://"))
            .unwrap_or(text);
        // `[::1]:9000`
        if let Some(rest) = text.strip_prefix('[') {
            let (host, after) = rest.split_once(']')?;
            let port = match after.strip_prefix(':') {
                Some(p) => Some(p.parse().ok()?),
                None if after.is_empty() => None,
                None => return None,
            };
            return Some(Address::Tcp {
                host: host.to_owned(),
                port,
            });
        }
        let (host, port) = match text.rsplit_once(':') {
            Some((h, p)) => (h, Some(p.parse::<u16>().ok()?)),
            None => (text, None),
        };
        if host.is_empty() || host.contains([':', '/']) {
            return None;
        }
        Some(Address::Tcp {
            host: host.to_ascii_lowercase(),
            port,
        })
    }

    /// `127.0.0.1`, `localhost`, `::1`: the pod (or container) itself.
    pub fn is_loopback(&self) -> bool {
        match self {
            Address::Tcp { host, .. } => {
                host == "localhost" || host == "::1" || host.starts_with("127.")
            }
            Address::Unix(_) => false,
        }
    }
}

/// One place requests go to: the address, and the word that names it.
#[derive(Clone, Debug)]
pub struct Endpoint {
    pub address: Address,
    pub at: Loc,
}

/// A `fastcgi_pass` directive.
#[derive(Clone, Debug)]
pub struct FastcgiPass {
    /// The argument as written.
    pub target: Loc,
    /// Where it sends requests: itself, or the `server`s of the `upstream`
    /// it names. Empty when it holds a variable.
    pub endpoints: Vec<Endpoint>,
    /// The `upstream` block it names.
    pub upstream: Option<Loc>,
}

#[derive(Clone, Debug, Default)]
pub struct NginxFacts {
    pub passes: Vec<FastcgiPass>,
    pub roots: Vec<Loc>,
    /// `listen` values (the first argument).
    pub listens: Vec<Loc>,
    /// A `server { }` block is present (a whole site, not a snippet).
    pub has_server: bool,
}

fn loc(text: &str, span: Span, map: &dyn Fn(Span) -> Span) -> Loc {
    Loc {
        text: text.to_owned(),
        span: map(span),
    }
}

/// The facts of a parsed nginx config; `map` turns the parser's spans into
/// spans of the file the config is in.
pub fn extract(f: &NginxFile, map: &dyn Fn(Span) -> Span) -> NginxFacts {
    let all = f.walk();
    let upstreams: Vec<&Directive> = all
        .iter()
        .copied()
        .filter(|d| d.is("upstream") && d.block.is_some())
        .collect();
    let mut out = NginxFacts::default();
    for d in &all {
        match d.name.text.as_str() {
            "server" if d.block.is_some() => out.has_server = true,
            "root" => {
                if let Some(a) = d.args.first() {
                    out.roots.push(loc(&a.text, a.span, map));
                }
            }
            "listen" => {
                if let Some(a) = d.args.first() {
                    out.listens.push(loc(&a.text, a.span, map));
                }
            }
            "fastcgi_pass" => {
                let Some(a) = d.args.first() else { continue };
                let upstream = (!a.has_variable())
                    .then(|| {
                        upstreams
                            .iter()
                            .find(|u| u.args.first().is_some_and(|n| n.text == a.text))
                    })
                    .flatten();
                let endpoints = match upstream {
                    Some(u) => u
                        .children()
                        .iter()
                        .filter(|s| s.is("server"))
                        .filter_map(|s| {
                            let w = s.args.first()?;
                            Some(Endpoint {
                                address: Address::parse(&w.text)?,
                                at: loc(&w.text, w.span, map),
                            })
                        })
                        .collect(),
                    None => Address::parse(&a.text)
                        .map(|address| Endpoint {
                            address,
                            at: loc(&a.text, a.span, map),
                        })
                        .into_iter()
                        .collect(),
                };
                out.passes.push(FastcgiPass {
                    target: loc(&a.text, a.span, map),
                    endpoints,
                    upstream: upstream.and_then(|u| {
                        let n = u.args.first()?;
                        Some(loc(&n.text, n.span, map))
                    }),
                });
            }
            _ => {}
        }
    }
    out
}

/// An nginx config that is a whole site or a PHP handler: parses without
/// errors and has a `server` block or a `fastcgi_pass`.
pub fn is_site(f: &NginxFile) -> bool {
    f.errors.is_empty()
        && f.walk()
            .iter()
            .any(|d| (d.is("server") && d.block.is_some()) || d.is("fastcgi_pass"))
}

/// Maps offsets in a YAML scalar's value to offsets in the file. Exact for a
/// literal block scalar (`|`) whose lines are found as they are in the file,
/// and for a plain or quoted scalar whose text is the value; `None` otherwise.
pub struct ValueMap {
    /// (offset in the value, offset in the file, length), in order.
    segments: Vec<(usize, usize, usize)>,
}

impl ValueMap {
    pub fn new(file: &str, node: &Node) -> Option<ValueMap> {
        let scalar = node.as_scalar()?;
        let value = scalar.value.as_str();
        let start = node.span.start.min(file.len());
        let end = node.span.end.min(file.len());
        match scalar.style {
            Style::Plain if file.get(start..end) == Some(value) => Some(ValueMap {
                segments: vec![(0, start, value.len())],
            }),
            Style::SingleQuoted | Style::DoubleQuoted
                if end >= start + 2 && file.get(start + 1..end - 1) == Some(value) =>
            {
                Some(ValueMap {
                    segments: vec![(0, start + 1, value.len())],
                })
            }
            Style::Literal => literal(file, start, value),
            _ => None,
        }
    }

    /// The file offset of a value offset.
    fn offset(&self, v: usize) -> Option<usize> {
        let i = self.segments.partition_point(|(vs, _, _)| *vs <= v);
        let (vs, fs, len) = *self.segments.get(i.checked_sub(1)?)?;
        (v <= vs + len).then_some(fs + (v - vs))
    }

    /// The file span of a value span (`None` if it falls outside the map).
    pub fn span(&self, s: Span) -> Option<Span> {
        let start = self.offset(s.start)?;
        let end = if s.end > s.start {
            self.offset(s.end - 1)? + 1
        } else {
            start
        };
        Some(Span::new(start, end.max(start)))
    }
}

/// The segments of a literal block scalar: each line of the value is found
/// in the file, after the header line, at the block's indentation.
fn literal(file: &str, start: usize, value: &str) -> Option<ValueMap> {
    // The node starts at the `|` header, or (by the loader's marks) at the
    // content's first line.
    let mut at = if file[start..].starts_with('|') {
        file[start..].find('\n').map(|i| start + i + 1)?
    } else {
        file[..start].rfind('\n').map_or(0, |i| i + 1)
    };
    let mut indent: Option<usize> = None;
    let mut segments = Vec::new();
    let mut v = 0usize;
    let lines: Vec<&str> = value.split('\n').collect();
    let last = lines.len().saturating_sub(1);
    for (k, line) in lines.iter().enumerate() {
        if k == last && line.is_empty() {
            break;
        }
        let line_end = file[at..].find('\n').map_or(file.len(), |i| at + i);
        let file_line = file[at..line_end].trim_end_matches('\r');
        if line.is_empty() {
            if !file_line.trim().is_empty() {
                return None;
            }
        } else {
            let ind = match indent {
                Some(i) => i,
                None => {
                    let lead = file_line.len() - file_line.trim_start_matches(' ').len();
                    let own = line.len() - line.trim_start_matches(' ').len();
                    let i = lead.checked_sub(own)?;
                    indent = Some(i);
                    i
                }
            };
            if file_line.get(ind..) != Some(*line) {
                return None;
            }
            segments.push((v, at + ind, line.len()));
        }
        v += line.len() + 1;
        if line_end >= file.len() {
            if k + 1 < last || (k + 1 == last && !lines[last].is_empty()) {
                return None;
            }
            break;
        }
        at = line_end + 1;
    }
    Some(ValueMap { segments })
}

/// nginx configs embedded in a ConfigMap: each `data` key ending in `.conf`
/// whose value is a whole site or a PHP handler, with the key's span and the
/// facts mapped into the manifest.
pub fn in_configmap(file: &str, root: &Node) -> Vec<(Loc, NginxFacts)> {
    let mut out = Vec::new();
    for e in root.get("data").map(Node::as_map).unwrap_or_default() {
        let (Some(key), Some(scalar)) = (e.key.as_str(), e.value.as_scalar()) else {
            continue;
        };
        if !key.to_ascii_lowercase().ends_with(".conf") || !scalar.value.contains('{') {
            continue;
        }
        let parsed = crate::parse::nginx::parse(&scalar.value);
        if !is_site(&parsed) {
            continue;
        }
        let key_span = e.key.span;
        let vm = ValueMap::new(file, &e.value);
        let map = |s: Span| vm.as_ref().and_then(|m| m.span(s)).unwrap_or(key_span);
        out.push((
            Loc {
                text: key.to_owned(),
                span: key_span,
            },
            extract(&parsed, &map),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        let tcp = |h: &str, p: Option<u16>| {
            Some(Address::Tcp {
                host: h.into(),
                port: p,
            })
        };
        assert_eq!(
            Address::parse("127.0.0.1:9000"),
            tcp("127.0.0.1", Some(9000))
        );
        assert_eq!(Address::parse("PHP:9000"), tcp("php", Some(9000)));
        assert_eq!(Address::parse("php"), tcp("php", None));
        assert_eq!(Address::parse("[::1]:9000"), tcp("::1", Some(9000)));
        assert_eq!(
            Address::parse("unix:/run/php.sock"),
            Some(Address::Unix("/run/php.sock".into()))
        );
        assert_eq!(Address::parse("$upstream"), None);
        assert_eq!(Address::parse("php:x"), None);
        assert!(Address::parse("localhost:9000").is_some_and(|a| a.is_loopback()));
        assert!(!Address::parse("app:9000").is_some_and(|a| a.is_loopback()));
    }

    #[test]
    fn upstreams_are_resolved() {
        let text = "upstream php { server a:9000; server unix:/s.sock backup; }\nserver {\n listen 8080;\n root /app/public;\n location / { fastcgi_pass php; }\n location /b { fastcgi_pass b:9001; }\n location /c { fastcgi_pass $x; }\n}\n";
        let f = crate::parse::nginx::parse(text);
        let facts = extract(&f, &|s| s);
        assert!(facts.has_server);
        assert_eq!(facts.listens[0].text, "8080");
        assert_eq!(facts.roots[0].text, "/app/public");
        assert_eq!(facts.passes.len(), 3);
        assert_eq!(facts.passes[0].endpoints.len(), 2);
        assert_eq!(
            facts.passes[0].upstream.as_ref().map(|u| u.text.as_str()),
            Some("php")
        );
        let a = &facts.passes[0].endpoints[0].at;
        assert_eq!(&text[a.span.start..a.span.end], "a:9000");
        assert_eq!(facts.passes[1].endpoints.len(), 1);
        assert!(facts.passes[2].endpoints.is_empty());
    }

    #[test]
    fn configmap_literal_maps_exactly() {
        let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: nginx}\ndata:\n  default.conf: |\n    server {\n      listen 80;\n\n      location ~ \\.php$ {\n        fastcgi_pass 127.0.0.1:9001;\n      }\n    }\n  other: x\n";
        let y = crate::parse::yaml::parse(yaml);
        let got = in_configmap(yaml, &y.documents[0].root);
        assert_eq!(got.len(), 1);
        let (key, facts) = &got[0];
        assert_eq!(key.text, "default.conf");
        let t = &facts.passes[0].target;
        assert_eq!(&yaml[t.span.start..t.span.end], "127.0.0.1:9001");
        let l = &facts.listens[0];
        assert_eq!(&yaml[l.span.start..l.span.end], "80");
        // Folded: the key.
        let folded = yaml.replace("default.conf: |", "default.conf: >");
        let y = crate::parse::yaml::parse(&folded);
        let got = in_configmap(&folded, &y.documents[0].root);
        if let Some((key, facts)) = got.first() {
            assert_eq!(facts.passes[0].target.span, key.span);
        }
        // Strip and keep chomping, CRLF.
        for (header, nl) in [("|-", "\n"), ("|+", "\n"), ("|", "\r\n")] {
            let y2 = yaml
                .replace("default.conf: |", &format!("default.conf: {header}"))
                .replace('\n', nl);
            let y = crate::parse::yaml::parse(&y2);
            let got = in_configmap(&y2, &y.documents[0].root);
            let t = &got[0].1.passes[0].target;
            assert_eq!(&y2[t.span.start..t.span.end], "127.0.0.1:9001", "{header}");
        }
    }

    #[test]
    fn configmap_without_a_site_is_ignored() {
        let yaml = "kind: ConfigMap\ndata:\n  fastcgi.conf: |\n    fastcgi_param A b;\n  app.conf: \"x {\"\n";
        let y = crate::parse::yaml::parse(yaml);
        assert!(in_configmap(yaml, &y.documents[0].root).is_empty());
    }
}
