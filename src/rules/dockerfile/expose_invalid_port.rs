//! DF025: `EXPOSE` with a port outside 0-65535 or an unknown protocol.

use super::common::dockerfile;
use crate::parse::dockerfile::Keyword;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ExposeInvalidPort;

/// Why `EXPOSE` refuses the word, or `None` when it is a valid port spec.
fn invalid(word: &str) -> Option<String> {
    let (ports, proto) = match word.split_once('/') {
        Some((p, proto)) => (p, Some(proto)),
        None => (word, None),
    };
    if let Some(proto) = proto {
        if !["tcp", "udp", "sctp"].contains(&proto.to_ascii_lowercase().as_str()) {
            return Some(format!("unknown protocol `{proto}` (use tcp, udp or sctp)"));
        }
    }
    let parse = |p: &str| p.parse::<u32>().ok().filter(|n| *n <= 65535);
    match ports.split_once('-') {
        Some((a, b)) => match (parse(a), parse(b)) {
            (Some(a), Some(b)) if a <= b => None,
            (Some(_), Some(_)) => Some("the range ends before it starts".into()),
            _ => Some("not a port range within 0-65535".into()),
        },
        None => match parse(ports) {
            Some(_) => None,
            None => Some("not a port number within 0-65535".into()),
        },
    }
}

impl Rule for ExposeInvalidPort {
    fn code(&self) -> &'static str {
        "DF025"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(df) = dockerfile(file) else { return };
        for inst in df.instructions.iter().filter(|i| i.is(Keyword::Expose)) {
            for w in inst.words(df.escape) {
                if w.text.contains('$') {
                    continue;
                }
                if let Some(why) = invalid(&w.text) {
                    ctx.report(w.span, format!("`EXPOSE {}`: {why}", w.text))
                        .label_text("invalid port");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::invalid;

    #[test]
    fn port_specs() {
        for ok in ["80", "9000/tcp", "53/UDP", "8000-8010", "0", "65535/sctp"] {
            assert_eq!(invalid(ok), None, "{ok}");
        }
        for bad in ["65536", "80/http", "9000-8000", "abc", "-1", "80-"] {
            assert!(invalid(bad).is_some(), "{bad}");
        }
    }
}
