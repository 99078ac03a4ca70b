//! The one secret detector every format shares (Dockerfile ENV/ARG,
//! Kubernetes env and ConfigMaps, compose, php-fpm `env[...]`).
//! Rules that use it must `ctx.mask()` the value's span and never put the
//! value in a message. [`detect`] is the masking pass the engine runs on every
//! file, whichever rules run, so nothing secret is printed even when the rule
//! that would report it is turned off.

mod plaintext;
pub use plaintext::plaintext_secret;

use crate::parse::Document;
use crate::parse::yaml::{Node, NodeKind};
use crate::source::{FileKind, SourceFile, Span};

/// Name fragments that mark a variable as holding a secret.
/// (The scan in `has_secret_word` uses a copy keyed by first byte; a test
/// keeps the two equal.)
#[cfg_attr(not(test), allow(dead_code))]
const SECRET_NAME_PARTS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PASS",
    "PWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "ACCESS_KEY",
    "PRIVATE_KEY",
    "APP_KEY",
    "CREDENTIAL",
    "AUTH_KEY",
    "CLIENT_SECRET",
    "DSN",
    "DATABASE_URL",
    "REDIS_URL",
    "CONNECTION_STRING",
];

/// Names that contain a fragment above but are not secrets.
const NOT_SECRET_NAMES: &[&str] = &[
    "PASSWORD_TIMEOUT",
    "PASSWORD_RESET_TIMEOUT",
    "TOKEN_TTL",
    "SECRET_NAME",
    "PASSPORT_PRIVATE_KEY_PATH",
];

/// Name suffixes that say the value is not the secret itself.
const NOT_SECRET_SUFFIXES: &[&str] = &["_FILE", "_PATH", "_TTL", "_TIMEOUT", "_LENGTH"];

/// Whether an environment variable or key name says it holds a secret.
/// Names are compared upper-cased with `-` and `.` read as `_`, in place: this
/// runs on every key of every file, so nothing is copied.
pub fn is_secret_name(name: &str) -> bool {
    let name = name.as_bytes();
    // Most names hold no secret word: that test first, the exceptions after.
    has_secret_word(name)
        && !(NOT_SECRET_NAMES
            .iter()
            .any(|n| n.len() == name.len() && eq_norm_at(name, 0, n.as_bytes()))
            || NOT_SECRET_SUFFIXES.iter().any(|s| {
                name.len() >= s.len() && eq_norm_at(name, name.len() - s.len(), s.as_bytes())
            }))
}

/// A name byte as the name lists spell it: upper case, `_` for `-` and `.`.
#[inline]
fn norm(b: u8) -> u8 {
    match b.to_ascii_uppercase() {
        b'-' | b'.' => b'_',
        u => u,
    }
}

/// Whether `part` (upper case) is at `i` in `name`, read through [`norm`].
#[inline]
fn eq_norm_at(name: &[u8], i: usize, part: &[u8]) -> bool {
    name.len() - i >= part.len()
        && name[i..i + part.len()]
            .iter()
            .zip(part)
            .all(|(&a, &p)| norm(a) == p)
}

/// Whether the whole word `w` (up to the next `_`, `-`, `.`) is at `i`.
#[inline]
fn word_at(name: &[u8], i: usize, w: &[u8]) -> bool {
    eq_norm_at(name, i, w) && name.get(i + w.len()).is_none_or(|&b| norm(b) == b'_')
}

/// Whether `name` holds one of [`SECRET_NAME_PARTS`] anywhere, or a word
/// (between `_`, `-`, `.`) that is `PASS`, `PWD`, `PW`, `DSN`, `AUTH` or
/// `PASSPHRASE`: one pass over the bytes, looking only at the parts that
/// start with the byte at hand (a test keeps this table equal to the list).
fn has_secret_word(name: &[u8]) -> bool {
    let mut word_start = true;
    for i in 0..name.len() {
        let u = norm(name[i]);
        let at_word = word_start;
        word_start = u == b'_';
        let found = match u {
            b'P' => {
                eq_norm_at(name, i, b"PASSWORD")
                    || eq_norm_at(name, i, b"PASSWD")
                    || eq_norm_at(name, i, b"PRIVATE_KEY")
                    || at_word
                        && (word_at(name, i, b"PASS")
                            || word_at(name, i, b"PWD")
                            || word_at(name, i, b"PW")
                            || word_at(name, i, b"PASSPHRASE"))
            }
            b'S' => eq_norm_at(name, i, b"SECRET"),
            b'T' => eq_norm_at(name, i, b"TOKEN"),
            b'A' => {
                eq_norm_at(name, i, b"API_KEY")
                    || eq_norm_at(name, i, b"APIKEY")
                    || eq_norm_at(name, i, b"ACCESS_KEY")
                    || eq_norm_at(name, i, b"APP_KEY")
                    || eq_norm_at(name, i, b"AUTH_KEY")
                    || at_word && word_at(name, i, b"AUTH")
            }
            b'C' => {
                eq_norm_at(name, i, b"CREDENTIAL")
                    || eq_norm_at(name, i, b"CLIENT_SECRET")
                    || eq_norm_at(name, i, b"CONNECTION_STRING")
            }
            b'D' => eq_norm_at(name, i, b"DATABASE_URL") || at_word && word_at(name, i, b"DSN"),
            b'R' => eq_norm_at(name, i, b"REDIS_URL"),
            _ => false,
        };
        if found {
            return true;
        }
    }
    false
}

/// Values that are clearly not real secrets: empty, placeholders, references.
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    // Case-insensitive comparisons in place (no lower-cased copy).
    let starts_with_ci =
        |p: &str| v.len() >= p.len() && v.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    v.is_empty()
        || v.starts_with("${") && v.ends_with('}')
        || v.starts_with('$')
            && v[1..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        || v.starts_with("{{") && v.ends_with("}}")
        || v.starts_with('<') && v.ends_with('>')
        || [
            "null",
            "none",
            "changeme",
            "change-me",
            "change_me",
            "xxx",
            "redacted",
            "secret",
            "password",
            "placeholder",
            "todo",
            "dummy",
            "example",
            "true",
            "false",
        ]
        .iter()
        .any(|w| v.eq_ignore_ascii_case(w))
        || v.chars().all(|c| c == '*' || c == 'x' || c == 'X')
        || starts_with_ci("/run/secrets/")
        || starts_with_ci("file:")
        || starts_with_ci("vault:")
        || starts_with_ci("arn:aws:secretsmanager")
}

/// A credential recognised by its shape, wherever it appears.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credential {
    /// Byte range of the secret part within the scanned value.
    pub range: std::ops::Range<usize>,
    pub kind: &'static str,
}

/// Finds credential patterns: AWS access key ids, private key headers,
/// `scheme://user:password@host` URLs, GitHub and Slack tokens, Laravel APP_KEYs.
pub fn find_credential(value: &str) -> Option<Credential> {
    if !may_hold_credential(value.as_bytes()) {
        return None;
    }
    if let Some(c) = url_password(value) {
        return Some(c);
    }
    // PEM headers, also with fewer dashes than the standard five
    // (`---BEGIN OPENSSH PRIVATE KEY---` is common in pasted config).
    if let Some(i) = value.find("BEGIN") {
        let dashed = value[..i].ends_with("---");
        let header_end = value[i..].find('\n').map_or(value.len(), |e| i + e);
        if dashed && value[i..header_end].contains("PRIVATE KEY") {
            return Some(Credential {
                range: i - 3..value.len(),
                kind: "private key",
            });
        }
    }
    for (prefix, len, kind) in [
        ("AKIA", 20, "AWS access key id"),
        ("ASIA", 20, "AWS temporary access key id"),
        ("ghp_", 40, "GitHub token"),
        ("gho_", 40, "GitHub OAuth token"),
        ("ghs_", 40, "GitHub app token"),
        ("github_pat_", 40, "GitHub fine-grained token"),
        ("glpat-", 26, "GitLab token"),
        ("xoxb-", 20, "Slack bot token"),
        ("xoxp-", 20, "Slack user token"),
        ("ghu_", 40, "GitHub user-to-server token"),
        ("ghr_", 40, "GitHub refresh token"),
        ("xoxa-", 20, "Slack app token"),
        ("xoxr-", 20, "Slack refresh token"),
        ("sk_live_", 24, "Stripe secret key"),
        ("rk_live_", 24, "Stripe restricted key"),
        ("sk-ant-", 40, "Anthropic API key"),
        ("base64:", 44, "Laravel APP_KEY"),
    ] {
        // A byte scan for the prefix's first byte: `str::find` would build a
        // two-way searcher per prefix per call (this runs on every line).
        let (bytes, needle) = (value.as_bytes(), prefix.as_bytes());
        let mut from = 0;
        while let Some(i) = bytes[from..].iter().position(|&b| b == needle[0]) {
            let start = from + i;
            if !bytes[start..].starts_with(needle) {
                from = start + 1;
                continue;
            }
            let end = value[start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || "_-+/=:".contains(c)))
                .map_or(value.len(), |e| start + e);
            let boundary = start == 0
                || !value[..start]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphanumeric());
            if boundary && end - start >= len {
                return Some(Credential {
                    range: start..end,
                    kind,
                });
            }
            from = start + prefix.len();
        }
    }
    if let Some(c) = jwt(value) {
        return Some(c);
    }
    // A Google Cloud service-account key file pasted as JSON.
    if value.contains("\"service_account\"") && value.contains("\"private_key\"") {
        return Some(Credential {
            range: 0..value.len(),
            kind: "GCP service-account key",
        });
    }
    None
}

/// Every literal a shape in [`find_credential`] needs: a value holding none
/// of them holds no credential. One pass over the bytes (most values and
/// lines hold none), instead of a search per shape.
const CREDENTIAL_NEEDLES: &[&[u8]] = &[
    b"://",
    b"BEGIN",
    b"AKIA",
    b"ASIA",
    b"ghp_",
    b"gho_",
    b"ghs_",
    b"github_pat_",
    b"glpat-",
    b"xoxb-",
    b"xoxp-",
    b"ghu_",
    b"ghr_",
    b"xoxa-",
    b"xoxr-",
    b"sk_live_",
    b"rk_live_",
    b"sk-ant-",
    b"base64:",
    b"eyJ",
    b"\"service_account\"",
];

/// The first bytes of [`CREDENTIAL_NEEDLES`], as a table.
static NEEDLE_FIRST: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < CREDENTIAL_NEEDLES.len() {
        t[CREDENTIAL_NEEDLES[i][0] as usize] = true;
        i += 1;
    }
    t
};

fn may_hold_credential(bytes: &[u8]) -> bool {
    // Every needle is at least three bytes long: a candidate needs a next
    // byte. A table lookup rules out most bytes; the pair of bytes nearly
    // every other position before the needles are compared (`s`, `e`, `:` are
    // common; `sk`, `ey`, `:/` rare).
    let Some(last) = bytes.len().checked_sub(1) else {
        return false;
    };
    bytes[..last].iter().enumerate().any(|(i, &a)| {
        NEEDLE_FIRST[usize::from(a)]
            && may_start_needle(a, bytes[i + 1])
            && CREDENTIAL_NEEDLES.iter().any(|n| bytes[i..].starts_with(n))
    })
}

/// Whether a needle of [`CREDENTIAL_NEEDLES`] starts with these two bytes
/// (a test keeps this table equal to the list).
fn may_start_needle(a: u8, b: u8) -> bool {
    matches!(
        (a, b),
        (b':', b'/')
            | (b'B', b'E')
            | (b'A', b'K' | b'S')
            | (b'g', b'h' | b'i' | b'l')
            | (b'x', b'o')
            | (b's' | b'r', b'k')
            | (b'b', b'a')
            | (b'e', b'y')
            | (b'"', b's')
    )
}

/// A JSON Web Token: three base64url segments, the first a JSON header
/// (`eyJ`). A failed candidate is skipped whole, so the scan stays linear.
fn jwt(value: &str) -> Option<Credential> {
    let is_token = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    let mut from = 0;
    while let Some(i) = value[from..].find("eyJ") {
        let start = from + i;
        let end = value[start..]
            .find(|c: char| !is_token(c))
            .map_or(value.len(), |e| start + e);
        let boundary = !value[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric());
        let parts: Vec<&str> = value[start..end].split('.').collect();
        if boundary && parts.len() == 3 && parts.iter().all(|p| p.len() >= 10) {
            return Some(Credential {
                range: start..end,
                kind: "JSON Web Token",
            });
        }
        from = end.max(start + 3);
    }
    None
}

/// `scheme://user:password@host` -> the password's range.
fn url_password(value: &str) -> Option<Credential> {
    let scheme_end = value.find("://")?;
    let rest_start = scheme_end + 3;
    let rest = &value[rest_start..];
    let at = rest.find('@')?;
    let userinfo = &rest[..at];
    if userinfo.contains('/') {
        return None;
    }
    let colon = userinfo.find(':')?;
    let password = &userinfo[colon + 1..];
    if password.is_empty() || is_placeholder(password) {
        return None;
    }
    let start = rest_start + colon + 1;
    Some(Credential {
        range: start..start + password.len(),
        kind: "password in URL",
    })
}

// ---------------------------------------------------------------------------
// Masking pass. Runs on every file whatever rules are enabled: rules decide
// what to report, this decides what is never printed.
// ---------------------------------------------------------------------------

/// Spans of `source` whose text must never be printed: secret-named values,
/// credential-shaped strings, Secret `data`/`stringData` values, command-line
/// passwords. Uses the parsed document where there is one, and always also a
/// raw-text scan, so a file that fails to parse is masked too. Linear in the
/// size of the file.
pub fn detect(source: &SourceFile, doc: &Document) -> Vec<Span> {
    let mut out = Vec::new();
    if let Some(env) = doc.as_dotenv() {
        // A dotenv line that does not parse may still hold a value (`DB PASSWORD=x`,
        // an unclosed quote): never print it.
        out.extend(env.errors.iter().map(|e| e.span));
    }
    // Most files name no secret and hold no credential: one pass over the
    // text tells, and every check below would find nothing.
    if may_hold_secret(&source.text) {
        detect_in(source, doc, &mut out);
    }
    out.retain(|s| !s.is_empty());
    out.sort();
    out.dedup();
    out
}

/// The checks of [`detect`] past its prefilter.
fn detect_in(source: &SourceFile, doc: &Document, out: &mut Vec<Span>) {
    if let Some(yaml) = doc.as_yaml() {
        // Only an alias (`*name`, of an `&name` anchor) makes the tree repeat a node; without one
        // every node is walked once anyway and the set is not needed (walking
        // a node twice would only add spans the dedup below removes).
        let mut seen = (source.text.contains('&') && source.text.contains('*'))
            .then(std::collections::HashSet::new);
        for d in &yaml.documents {
            let secret_object = d.root.str_at(&["kind"]) == Some("Secret");
            walk_yaml(&d.root, secret_object, 0, &mut seen, out);
            secret_generator_literals(&d.root, out);
        }
    }
    if let Some(env) = doc.as_dotenv() {
        // Entries are judged like `KEY=value`.
        for e in &env.entries {
            if is_secret_name(&e.key) && !is_placeholder(&e.value)
                || find_credential(&e.value).is_some()
            {
                out.push(e.value_span);
            }
        }
    }
    scan_text(&source.text, source.kind, out);
}

/// Whether anything [`detect`] masks may be in `text`: a credential
/// needle, a fragment of every secret name, key suffix and password flag
/// (`pw`, `pass`, `secret`, `token`, `key`, `auth`, `credential`,
/// `connection`, `database`, `dsn`, `redis`, in any case), a MySQL client
/// (`-pVALUE`), or a backslash (an escape in a quoted value could spell
/// any of these). A superset of what the checks look at: a test compares
/// [`detect`] with the oracle on every real file and fixture.
fn may_hold_secret(text: &str) -> bool {
    triggers().is_none_or(|t| t.is_match(text.as_bytes()))
}

/// One pattern for everything [`may_hold_secret`] looks for: fragments of
/// every secret name, key suffix and password flag in any case, the
/// credential needles, the MySQL clients and a backslash (`None` only if it
/// failed to build: then every text and line is looked at).
fn triggers() -> Option<&'static regex::bytes::Regex> {
    static TRIGGERS: std::sync::OnceLock<Option<regex::bytes::Regex>> = std::sync::OnceLock::new();
    TRIGGERS
        .get_or_init(|| {
            let mut pattern = String::from(
                "(?i:pw|pass|secret|token|key|auth|credential|connection|database|dsn|redis)",
            );
            for n in CREDENTIAL_NEEDLES {
                pattern.push('|');
                pattern.push_str(&regex::escape(std::str::from_utf8(n).ok()?));
            }
            pattern.push_str("|mysql|mariadb|\\\\");
            regex::bytes::RegexBuilder::new(&pattern)
                .unicode(false)
                .build()
                .ok()
        })
        .as_ref()
}

/// Where in `text` a line may hold something [`scan_line`] masks: a match
/// of [`triggers`] on it. A line holding none, and not following a `name:`
/// of a secret, has nothing to mask (`scan_line` looks at secret-named
/// keys, password flags, `Authorization:`, credential shapes and `mysql
/// -pVALUE`, all of which contain one). No trigger spans a line break, so
/// the non-overlapping matches still put one on every line that has any.
/// `None`: look at every line.
fn hot_offsets(text: &str) -> Option<Vec<usize>> {
    Some(
        triggers()?
            .find_iter(text.as_bytes())
            .map(|m| m.start())
            .collect(),
    )
}

/// The values of a kustomization's `secretGenerator` `literals`
/// (`- APP_KEY=base64:...`): every one is a Secret value, whatever its key.
fn secret_generator_literals(root: &Node, out: &mut Vec<Span>) {
    for g in root
        .get("secretGenerator")
        .map(Node::as_seq)
        .unwrap_or_default()
    {
        for l in g.get("literals").map(Node::as_seq).unwrap_or_default() {
            let NodeKind::Scalar(s) = &l.kind else {
                continue;
            };
            let Some((_, value)) = s.value.split_once('=') else {
                out.push(l.span);
                continue;
            };
            // A plain scalar is its source text: the value follows the `=`.
            if s.style == crate::parse::yaml::Style::Plain && l.span.len() == s.value.len() {
                out.push(Span::new(l.span.end - value.len(), l.span.end));
            } else {
                out.push(l.span);
            }
        }
    }
}

/// A key whose value is a secret. camelCase keys are schema fields
/// (`secretName`, `tokenExpirationSeconds`): only those that end in a secret
/// word (`adminPassword`, `clientSecret`) count.
fn is_secret_key(key: &str) -> bool {
    let camel = key
        .as_bytes()
        .windows(2)
        .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase());
    if camel {
        let key = key.as_bytes();
        return [
            "password",
            "passwd",
            "secret",
            "token",
            "apikey",
            "accesskey",
            "privatekey",
        ]
        .iter()
        .any(|s| {
            key.len() >= s.len() && key[key.len() - s.len()..].eq_ignore_ascii_case(s.as_bytes())
        });
    }
    is_secret_name(key)
}

/// Bounded recursion: the YAML loader already caps nesting at 200.
/// `seen`: nodes already walked (alias expansions repeat the same node, with
/// the same span; walking each once keeps alias bombs cheap).
fn walk_yaml(
    node: &Node,
    secret_object: bool,
    depth: usize,
    seen: &mut Option<std::collections::HashSet<(Span, u8)>>,
    out: &mut Vec<Span>,
) {
    let tag = match node.kind {
        NodeKind::Scalar(_) => 0,
        NodeKind::Seq(_) => 1,
        NodeKind::Map(_) => 2,
    };
    if depth > 256 || seen.as_mut().is_some_and(|s| !s.insert((node.span, tag))) {
        return;
    }
    match &node.kind {
        NodeKind::Scalar(s) => {
            if find_credential(&s.value).is_some() || env_assignment_is_secret(&s.value) {
                out.push(node.span);
            }
        }
        NodeKind::Seq(items) => {
            for i in items {
                walk_yaml(i, false, depth + 1, seen, out);
            }
        }
        NodeKind::Map(entries) => {
            // `{name: DB_PASSWORD, value: ...}` (Kubernetes env, compose long form).
            let named_secret = node
                .get("name")
                .and_then(Node::as_str)
                .is_some_and(is_secret_name);
            for e in entries {
                let key = e.key.as_str().unwrap_or("");
                let in_secret_data = secret_object && (key == "data" || key == "stringData");
                if let NodeKind::Scalar(s) = &e.value.kind {
                    let secret_key = is_secret_key(key) || named_secret && key == "value";
                    if secret_key && !e.value.is_null() && !is_placeholder(&s.value) {
                        out.push(e.value.span);
                    }
                }
                if in_secret_data {
                    for v in e.value.as_map() {
                        if let NodeKind::Scalar(s) = &v.value.kind {
                            if !v.value.is_null() && !is_placeholder(&s.value) {
                                out.push(v.value.span);
                            }
                        }
                    }
                }
                walk_yaml(&e.value, false, depth + 1, seen, out);
            }
        }
    }
}

/// `DB_PASSWORD=value` as one string (compose `environment:` lists).
fn env_assignment_is_secret(s: &str) -> bool {
    let Some(eq) = s.bytes().position(|b| b == b'=') else {
        return false;
    };
    let (k, v) = (&s[..eq], &s[eq + 1..]);
    {
        k.len() <= MAX_KEY
            && !k.contains(char::is_whitespace)
            && is_secret_name(k)
            && !is_placeholder(v)
    }
}

/// Credentials located one by one on a line before the rest of it is masked whole.
const MAX_CREDENTIALS_PER_LINE: usize = 32;

/// Keys longer than this are not looked at (no real key is).
const MAX_KEY: usize = 256;

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'[' | b']')
}

/// Raw-text scan of every line: `KEY = value`, `KEY: value`, `KEY=value`
/// with a secret-looking key, credential shapes, `--password value`,
/// `mysql -pVALUE`, `Authorization: Bearer VALUE`, and for a YAML `Secret`
/// the values under `data:` / `stringData:` (also when the YAML is broken).
fn scan_text(text: &str, kind: Option<FileKind>, out: &mut Vec<Span>) {
    // Looked for per line only when the file names a MySQL client at all.
    let mysql_file = text.contains("mysql") || text.contains("mariadb");
    let yaml = matches!(
        kind,
        Some(FileKind::Kubernetes | FileKind::Compose | FileKind::RoadRunner) | None
    );
    let whole_line_values = matches!(kind, Some(FileKind::PhpIni | FileKind::PhpFpm));
    // (Every such line holds `Secret`: one substring search rules out most files.)
    let secret_manifest = yaml
        && text.contains("Secret")
        && crate::source::lines_any(text).any(|l| {
            let t = l.trim();
            t == "kind: Secret" || t == "kind: \"Secret\"" || t == "kind: 'Secret'"
        });
    // Indentation of the `data:`/`stringData:` key whose block we are in.
    let mut data_block: Option<usize> = None;
    let mut named_secret = false;
    let mut offset = 0;
    let hot = hot_offsets(text);
    let mut next_hot = 0;
    for raw in crate::source::split_lines_inclusive(text) {
        let start = offset;
        offset += raw.len();
        // Whether the line holds a secret word, a needle or a MySQL client.
        let hot_line = hot.as_ref().is_none_or(|h| {
            while h.get(next_hot).is_some_and(|&o| o < start) {
                next_hot += 1;
            }
            h.get(next_hot).is_some_and(|&o| o < offset)
        });
        // Without one, and without a secret `name:` on the line before, the
        // line scan has nothing to mask here (only a Secret's `data:` block
        // is still followed).
        let scan = hot_line || named_secret;
        if !scan && !secret_manifest {
            continue;
        }
        let line = raw.trim_end_matches(['\n', '\r']);
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if secret_manifest {
            if let Some(i) = data_block {
                if !trimmed.is_empty() && indent <= i {
                    data_block = None;
                }
            }
            if data_block.is_some() {
                if let Some(colon) = line
                    .find(": ")
                    .or_else(|| line.strip_suffix(':').map(|l| l.len()))
                {
                    let v = line[colon + 1..].trim();
                    if !v.is_empty() && !is_placeholder(v) && !v.starts_with('#') {
                        let vs = start
                            + colon
                            + 1
                            + (line[colon + 1..].len() - line[colon + 1..].trim_start().len());
                        out.push(Span::new(vs, start + line.trim_end().len().max(vs - start)));
                    }
                }
            }
            if trimmed == "data:" || trimmed == "stringData:" {
                data_block = Some(indent);
            }
        }
        if !scan {
            continue;
        }
        let mysql = mysql_file && (line.contains("mysql") || line.contains("mariadb"));
        scan_line(
            line,
            start,
            yaml,
            whole_line_values,
            named_secret,
            mysql,
            out,
        );
        // `- name: DB_PASSWORD` makes the next line's `value:` a secret (the
        // env form, also when the YAML does not parse).
        if !trimmed.is_empty() {
            // (`strip_prefix` in a loop: a `&str` pattern to
            // `trim_start_matches` builds a substring searcher per line.)
            let mut item = trimmed;
            while let Some(rest) = item.strip_prefix("- ") {
                item = rest;
            }
            named_secret = item
                .strip_prefix("name:")
                .map(|n| n.trim().trim_matches(['"', '\'']))
                .is_some_and(|n| n.len() <= MAX_KEY && is_secret_name(n));
        }
    }
}

fn scan_line(
    line: &str,
    base: usize,
    yaml: bool,
    whole_line: bool,
    named_secret: bool,
    mysql: bool,
    out: &mut Vec<Span>,
) {
    let bytes = line.as_bytes();
    // Shape-recognised credentials, every occurrence.
    let mut from = 0;
    let mut hits = 0;
    while from < line.len() {
        let Some(c) = find_credential(&line[from..]) else {
            break;
        };
        hits += 1;
        if hits > MAX_CREDENTIALS_PER_LINE {
            // Each search costs the rest of the line: past this many, mask the
            // rest of the line rather than go quadratic.
            out.push(Span::new(base + from + c.range.start, base + line.len()));
            break;
        }
        out.push(Span::new(
            base + from + c.range.start,
            base + from + c.range.end,
        ));
        from += c.range.end.max(1);
        while from < line.len() && !line.is_char_boundary(from) {
            from += 1;
        }
    }
    let t = line.trim_start();
    let comment = t.starts_with('#') || t.starts_with(';') || t.starts_with("//");
    // Whether the last non-empty word was `--password` or the like.
    let mut prev_flag = false;
    // End of the last value masked: separators inside it are not looked at
    // again (`A=A=A=...` stays linear).
    let mut masked_to = 0;
    // Leading blanks are no separators, and a blank followed by a blank
    // starts no word: start at the last blank of the indentation.
    let lead = bytes
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    let mut i = lead.saturating_sub(1);
    while i < bytes.len() {
        let b = bytes[i];
        // In a comment, `word: text` is prose; `KEY=value` is commented-out config.
        let separator = b == b'='
            || b == b':' && !comment && bytes.get(i + 1).is_none_or(|n| *n == b' ' || *n == b'\t');
        if separator && i >= masked_to {
            // The key: the run of key bytes before the separator (and the
            // blanks ini files put around `=`).
            let mut k_end = i;
            while k_end > 0 && (bytes[k_end - 1] == b' ' || bytes[k_end - 1] == b'\t') && b == b'='
            {
                k_end -= 1;
            }
            let mut k_start = k_end;
            while k_start > 0 && is_key_byte(bytes[k_start - 1]) && k_end - k_start <= MAX_KEY {
                k_start -= 1;
            }
            // (`trim_start_matches('-')` as a byte loop: it runs on every separator.)
            let mut key_from = k_start;
            while key_from < k_end && bytes[key_from] == b'-' {
                key_from += 1;
            }
            let mut key = &line[key_from..k_end];
            // `php_admin_value[mysqli.default_pw]`, `env[DB_PASSWORD]`.
            if let Some(inner) = key.strip_suffix(']').and_then(|k| k.rsplit_once('[')) {
                key = inner.1;
            }
            let env_value = named_secret && b == b':' && key == "value";
            if !key.is_empty() && key.len() <= MAX_KEY && (is_secret_key(key) || env_value) {
                // Only a key that starts the line owns the rest of it.
                let leads = line[..k_start]
                    .trim_start_matches([' ', '\t', '-'])
                    .is_empty();
                let to_eol = leads && (whole_line || yaml && b == b':');
                let (vs, ve) = value_extent(line, i + 1, to_eol);
                if ve > vs && !is_placeholder(&line[vs..ve]) {
                    out.push(Span::new(base + vs, base + ve));
                }
                masked_to = masked_to.max(ve);
            }
            // `Authorization: Bearer X` / `Authorization: token X`.
            if b == b':' && key.eq_ignore_ascii_case("authorization") {
                let rest = &line[i + 1..];
                let lead = rest.len() - rest.trim_start().len();
                let after_scheme = rest.trim_start();
                let skip = after_scheme
                    .find(' ')
                    .filter(|_| {
                        let w = after_scheme.split(' ').next().unwrap_or("");
                        ["bearer", "token", "basic"]
                            .iter()
                            .any(|s| w.eq_ignore_ascii_case(s))
                    })
                    .map_or(0, |s| s + 1);
                let vs = i + 1 + lead + skip;
                let (vs, ve) = value_extent(line, vs, false);
                if ve > vs {
                    out.push(Span::new(base + vs, base + ve));
                }
                masked_to = masked_to.max(ve);
            }
            i += 1;
            continue;
        }
        if b == b' ' || b == b'\t' || i == 0 {
            // Word starts: `--password VALUE`, `-pVALUE` of mysql clients.
            // Only a word after a flag, or a flag, is looked at whole: the
            // others just end the flag's reach.
            let ws = if b == b' ' || b == b'\t' { i + 1 } else { i };
            let first = bytes.get(ws).copied();
            let empty = matches!(first, None | Some(b' ' | b'\t'));
            if !empty && (prev_flag || first == Some(b'-')) {
                let we = bytes[ws..]
                    .iter()
                    .position(|&c| c == b' ' || c == b'\t')
                    .map_or(line.len(), |e| ws + e);
                let word = &line[ws..we];
                if prev_flag && !word.starts_with('-') && !is_placeholder(word) {
                    out.push(Span::new(base + ws, base + we));
                }
                if mysql && word.len() > 2 && word.starts_with("-p") && !word.starts_with("-p=") {
                    let v = &word[2..];
                    if !is_placeholder(v.trim_matches(['"', '\''])) && v != "-" {
                        out.push(Span::new(base + ws + 2, base + we));
                    }
                }
                prev_flag = is_password_flag(word);
            } else if !empty {
                prev_flag = false;
            }
            // Separators inside the word are looked at too (`ENV A=b`).
        }
        i += 1;
    }
}

fn is_password_flag(w: &str) -> bool {
    let Some(w) = w.strip_prefix('-') else {
        return false;
    };
    let w = w.trim_start_matches('-');
    !w.is_empty() && w.len() < 40 && w.len() + 1 < 64 && {
        let lower = w.to_ascii_lowercase();
        matches!(
            lower.as_str(),
            "password"
                | "pass"
                | "passwd"
                | "token"
                | "api-key"
                | "apikey"
                | "secret"
                | "client-secret"
                // redis-server / valkey-server
                | "requirepass"
                | "masterauth"
        )
    }
}

/// Where the value after a separator at `from` starts and ends: quoted values
/// to their closing quote; `whole_line` values to the end of the line (before
/// a ` #`/` ;` comment); others to the next blank, quote, `&` or `;`.
fn value_extent(line: &str, from: usize, whole_line: bool) -> (usize, usize) {
    let from = from.min(line.len());
    let rest = &line[from..];
    let vs = from + (rest.len() - rest.trim_start().len());
    let v = &line[vs..];
    if let Some(q) = v.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let end = v[1..].find(q).map_or(line.len(), |e| vs + 1 + e);
        return (vs + 1, end);
    }
    let end = if whole_line {
        let cut = [" #", " ;", "\t#", "\t;"]
            .iter()
            .filter_map(|c| v.find(c))
            .min()
            .unwrap_or(v.len());
        vs + v[..cut].trim_end().len()
    } else {
        vs + v
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '&' | ';' | ','))
            .unwrap_or(v.len())
    };
    (vs, end)
}

#[cfg(test)]
mod oracle;

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift) for the oracle comparisons.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
            from[self.below(from.len())]
        }
    }

    /// Pieces of names, values and lines the detector treats specially.
    const PIECES: &[&str] = &[
        "DB",
        "PASSWORD",
        "password",
        "Pass",
        "PASS",
        "pwd",
        "PW",
        "pw",
        "DSN",
        "dsn",
        "AUTH",
        "auth",
        "PASSPHRASE",
        "SECRET",
        "secret",
        "Secret",
        "TOKEN",
        "token",
        "API",
        "KEY",
        "api_key",
        "APIKEY",
        "ACCESS",
        "access_key",
        "PRIVATE",
        "private_key",
        "APP",
        "app_key",
        "CREDENTIAL",
        "AUTH_KEY",
        "CLIENT",
        "client_secret",
        "DATABASE",
        "URL",
        "database_url",
        "REDIS",
        "redis_url",
        "CONNECTION",
        "STRING",
        "connection-string",
        "FILE",
        "PATH",
        "TTL",
        "TIMEOUT",
        "LENGTH",
        "NAME",
        "RESET",
        "PASSPORT",
        "COMPASS",
        "AUTHOR",
        "HOST",
        "value",
        "name",
        "adminPassword",
        "clientSecret",
        "secretName",
        "tokenTTL",
        "privateKey",
        "é",
        "x",
        "1",
        "_",
        "-",
        ".",
        "__",
        "[",
        "]",
        "env[",
        "php_admin_value[",
    ];

    const VALUES: &[&str] = &[
        "hunter2",
        "${DB_PASSWORD}",
        "$DB_PASSWORD",
        "{{ .Values.pw }}",
        "<pw>",
        "changeme",
        "NULL",
        "True",
        "****",
        "xXx",
        "file:/x",
        "VAULT:kv/x",
        "/run/secrets/db",
        "ARN:aws:secretsmanager:x",
        "\"quoted value\"",
        "'single'",
        "\"open",
        "postgres://u:p4ss@db/x",
        "redis://:${R}@r:6379",
        "AKIAIOSFODNN7EXAMPLE",
        "ghp_0123456789abcdefghij0123456789abcdefgh",
        "github_pat_0123456789abcdefghij0123456789abcdefgh",
        "sk_live_0123456789abcdefghijklmn",
        "xoxb-0123456789abcdefghij",
        "base64:2fl+Ktvkfl+Fuz4Qp/A75G2RTiWVA/ZoKZvp6fiiM10=",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N",
        "-----BEGIN RSA PRIVATE KEY-----",
        "---BEGIN OPENSSH PRIVATE KEY---",
        "{\"type\": \"service_account\", \"private_key\": \"x\"}",
        "a=b",
        "DB_PASSWORD=x",
        "x # comment",
        "x ; comment",
        "",
        " ",
        "é",
    ];

    const LINE_PIECES: &[&str] = &[
        " ",
        " ",
        "  ",
        "\t",
        "- ",
        "=",
        " = ",
        ": ",
        ":",
        "# ",
        "; ",
        "// ",
        "--password ",
        "--password=",
        "-p",
        "-pS3cr3t ",
        "--requirepass ",
        "--token ",
        "mysql ",
        "mariadb ",
        "Authorization: Bearer ",
        "authorization: token ",
        "Authorization: basic ",
        "ENV ",
        "export ",
        "name: ",
        "- name: ",
        "value: ",
        "kind: Secret",
        "data:",
        "stringData:",
        "&",
        "*",
        ",",
        "\"",
        "'",
        "https://",
        "@",
    ];

    fn name(rng: &mut Rng) -> String {
        (0..1 + rng.below(4)).map(|_| rng.pick(PIECES)).collect()
    }

    fn line(rng: &mut Rng) -> String {
        let mut l = " ".repeat(rng.below(3) * 2);
        for _ in 0..1 + rng.below(6) {
            match rng.below(3) {
                0 => l += &name(rng),
                1 => l += rng.pick(VALUES),
                _ => l += rng.pick(LINE_PIECES),
            }
        }
        l
    }

    #[test]
    fn the_text_prefilter_sees_every_name_needle_and_flag() {
        let words = SECRET_NAME_PARTS
            .iter()
            .map(|p| (*p).to_owned())
            .chain(["PW", "PASSPHRASE", "AUTH", "DSN"].map(String::from))
            .chain(["adminPassword", "clientSecret", "apiKey", "accessKey"].map(String::from))
            .chain(["--requirepass", "--masterauth", "--api-key"].map(String::from));
        // Needles are case-sensitive.
        for n in CREDENTIAL_NEEDLES {
            assert!(may_hold_secret(&format!(
                "v: {}",
                String::from_utf8_lossy(n)
            )));
        }
        for w in words {
            for text in [
                format!("a: {w}\n"),
                format!("x {}", w.to_ascii_lowercase()),
                w.replace('_', "-"),
            ] {
                assert!(may_hold_secret(&text), "{text:?}");
            }
        }
        assert!(may_hold_secret("command: mysql -hdb -proot app"));
        assert!(may_hold_secret("v: \"\\x41KIA\""));
        // A manifest that names none: nothing to look at.
        let plain =
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n";
        assert!(!may_hold_secret(plain));
        let source = SourceFile::new("d.yaml", Some(FileKind::Kubernetes), plain.to_owned());
        let doc = crate::parse::parse(&source, FileKind::Kubernetes, 0).0;
        assert!(detect(&source, &doc).is_empty());
    }

    #[test]
    fn names_and_placeholders_match_the_oracle() {
        let mut rng = Rng(0x5eed);
        let mut secret = 0;
        for _ in 0..200_000 {
            let n = name(&mut rng);
            let expected = oracle::is_secret_name(&n);
            secret += usize::from(expected);
            assert_eq!(is_secret_name(&n), expected, "{n:?}");
            assert_eq!(is_secret_key(&n), oracle::is_secret_key(&n), "{n:?}");
        }
        assert!(secret > 10_000, "{secret}");
        let long = format!("{}_PASSWORD", "X".repeat(100));
        assert_eq!(is_secret_name(&long), oracle::is_secret_name(&long));
        for v in VALUES {
            for v in [v.to_string(), format!(" {v} "), v.to_ascii_uppercase()] {
                assert_eq!(is_placeholder(&v), oracle::is_placeholder(&v), "{v:?}");
                assert_eq!(
                    find_credential(&v).map(|c| (c.range, c.kind)),
                    oracle::find_credential(&v).map(|c| (c.range, c.kind)),
                    "{v:?}"
                );
            }
        }
    }

    fn same_as_oracle(path: &str, text: &str, kinds: &[Option<FileKind>]) {
        for &kind in kinds {
            let source = SourceFile::new(path, kind, text.to_owned());
            let doc = match kind {
                Some(k) => crate::parse::parse(&source, k, 0).0,
                None => Document::Unparsed,
            };
            assert_eq!(
                detect(&source, &doc),
                oracle::detect(&source, &doc),
                "{path} as {kind:?}"
            );
        }
    }

    const KINDS: &[Option<FileKind>] = &[
        Some(FileKind::Kubernetes),
        Some(FileKind::Compose),
        Some(FileKind::Kustomization),
        Some(FileKind::DotEnv),
        Some(FileKind::PhpIni),
        Some(FileKind::PhpFpm),
        Some(FileKind::Dockerfile),
        None,
    ];

    #[test]
    fn detect_matches_the_oracle_on_generated_files() {
        let mut rng = Rng(0xdec0de);
        for case in 0..3_000 {
            let text: String = (0..1 + rng.below(12))
                .map(|_| line(&mut rng) + ["\n", "\r\n", "\n\n"][rng.below(3)])
                .collect();
            same_as_oracle(&format!("case {case}"), &text, KINDS);
        }
    }

    /// Every real-world project, bug reproducer and fixture, read as each
    /// kind whose masking differs (YAML, dotenv, ini, pool, plain lines).
    #[test]
    fn detect_matches_the_oracle_on_real_files() {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else {
                    out.push(p);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["../shared/realworld", "../shared/bugs", "fixtures"] {
            walk(&root.join(dir), &mut files);
        }
        assert!(files.len() > 1_000, "{}", files.len());
        let mut compared = 0;
        for f in &files {
            let Ok(text) = std::fs::read_to_string(f) else {
                continue;
            };
            if text.len() > 1 << 20 || f.extension().is_some_and(|e| e == "snap") {
                continue;
            }
            let yaml = f
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json");
            let kinds = if yaml { KINDS } else { &KINDS[3..] };
            same_as_oracle(&f.display().to_string(), &text, kinds);
            compared += 1;
        }
        assert!(compared > 1_000, "{compared}");
    }

    /// The line filter of `scan_text`: a line with no hot offset (and no
    /// secret `name:` before it) gives `scan_line` nothing to mask, in
    /// every mode.
    #[test]
    fn a_line_without_a_hot_offset_has_nothing_to_mask() {
        let mut rng = Rng(0x1173);
        let mut lines: Vec<String> = (0..200_000).map(|_| line(&mut rng)).collect();
        lines.extend(
            [
                "  password: x",
                "--pass x",
                "Authorization: Bearer abc",
                "mysql -uroot -pabc",
                "url: postgres://u:p@h/db",
                "DB_DSN=x",
                "k: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig",
                "ENV REDIS_URL=redis://:pw@h",
            ]
            .map(String::from),
        );
        let mut cold = 0;
        for l in &lines {
            let hot = hot_offsets(l).expect("the pattern builds");
            // (`scan_text` asks for `-pVALUE` only on a line naming a client.)
            let client = l.contains("mysql") || l.contains("mariadb");
            for (yaml, whole_line, mysql) in [
                (true, false, client),
                (false, true, client),
                (false, false, client),
            ] {
                let mut out = Vec::new();
                scan_line(l, 0, yaml, whole_line, false, mysql, &mut out);
                assert!(
                    !hot.is_empty() || out.is_empty(),
                    "{l:?} masks {out:?} with no hot offset"
                );
            }
            cold += usize::from(hot.is_empty());
        }
        // The filter does skip lines (else it would prove nothing).
        assert!(cold > 1_000, "{cold}");
        assert!(cold < lines.len() - 8, "{cold}");
    }

    #[test]
    fn the_needle_pair_table_is_the_needle_list() {
        for n in CREDENTIAL_NEEDLES {
            assert!(n.len() >= 3, "{n:?}");
            assert!(
                may_start_needle(n[0], n[1]),
                "{:?}",
                String::from_utf8_lossy(n)
            );
        }
        let pairs: std::collections::HashSet<(u8, u8)> =
            CREDENTIAL_NEEDLES.iter().map(|n| (n[0], n[1])).collect();
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                assert_eq!(may_start_needle(a, b), pairs.contains(&(a, b)), "{a} {b}");
            }
        }
    }

    #[test]
    fn the_part_table_is_the_part_list() {
        for p in SECRET_NAME_PARTS {
            let whole_word_only = matches!(*p, "PASS" | "PWD" | "DSN");
            assert!(has_secret_word(p.as_bytes()), "{p}");
            assert!(has_secret_word(format!("X_{p}_Y").as_bytes()), "{p}");
            assert!(
                has_secret_word(p.to_ascii_lowercase().replace('_', "-").as_bytes()),
                "{p}"
            );
            assert_eq!(
                has_secret_word(format!("X{p}Y").as_bytes()),
                !whole_word_only,
                "{p}"
            );
        }
        for w in ["PW", "AUTH", "PASSPHRASE"] {
            assert!(has_secret_word(format!("X.{w}-Y").as_bytes()), "{w}");
            assert!(!has_secret_word(format!("X{w}Y").as_bytes()), "{w}");
        }
        assert!(!has_secret_word(b"PASSWOR_APIKE_COMPASS_AUTHOR"));
    }

    #[test]
    fn names() {
        for n in [
            "DB_PASSWORD",
            "APP_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "REDIS_PASS",
            "STRIPE_TOKEN",
            "DATABASE_URL",
        ] {
            assert!(is_secret_name(n), "{n}");
        }
        for n in [
            "DB_HOST",
            "PASSWORD_TIMEOUT",
            "DB_PASSWORD_FILE",
            "COMPASS_URL",
            "APP_ENV",
        ] {
            assert!(!is_secret_name(n), "{n}");
        }
    }

    #[test]
    fn more_credential_shapes() {
        let jwt = "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        let c = find_credential(jwt).unwrap();
        assert_eq!(c.kind, "JSON Web Token");
        assert!(jwt[c.range].starts_with("eyJhb"));
        assert!(find_credential("eyJnot.a.jwt").is_none());
        let sa = r#"{"type": "service_account", "project_id": "p", "private_key": "x"}"#;
        assert_eq!(find_credential(sa).unwrap().kind, "GCP service-account key");
        assert_eq!(
            find_credential("rk_live_51H8aZZZexampleexample00")
                .unwrap()
                .kind,
            "Stripe restricted key"
        );
        // Linear on hostile input: a long run of token characters without dots.
        let long = format!("eyJ{}", "a".repeat(200_000)).repeat(3);
        assert!(find_credential(&long).is_none());
    }

    #[test]
    fn credentials() {
        let v = "postgresql://app:s3cr3t@db:5432/app";
        let c = find_credential(v).unwrap();
        assert_eq!(&v[c.range], "s3cr3t");
        assert!(find_credential("postgresql://app@db/app").is_none());
        assert!(find_credential("redis://:${REDIS_PASSWORD}@redis:6379").is_none());
        let k = "key AKIAIOSFODNN7EXAMPLE end";
        assert_eq!(
            &k[find_credential(k).unwrap().range],
            "AKIAIOSFODNN7EXAMPLE"
        );
        assert!(find_credential("base64:2fl+Ktvkfl+Fuz4Qp/A75G2RTiWVA/ZoKZvp6fiiM10=").is_some());
        assert!(find_credential("-----BEGIN RSA PRIVATE KEY-----\nabc").is_some());
        assert!(find_credential("---BEGIN OPENSSH PRIVATE KEY---\nabc").is_some());
        assert!(find_credential("-----BEGIN CERTIFICATE-----\nPRIVATE KEY").is_none());
        assert!(find_credential("plain text").is_none());
    }

    #[test]
    fn placeholders() {
        for v in [
            "",
            "${DB_PASSWORD}",
            "$DB_PASSWORD",
            "{{ .Values.pw }}",
            "<your-password>",
            "changeme",
            "****",
        ] {
            assert!(is_placeholder(v), "{v}");
        }
        assert!(!is_placeholder("hunter2"));
    }
}
