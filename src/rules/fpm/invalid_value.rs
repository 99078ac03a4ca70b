//! FPM002: a value php-fpm rejects for its directive (wrong type or range).

use super::directives::{Scope, catalogue, check_bool, check_value};
use super::scope::directives;
use crate::parse::fpm::Quoting;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct InvalidValue;

impl Rule for InvalidValue {
    fn code(&self) -> &'static str {
        "FPM002"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::PhpFpm]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(fpm) = file.document.as_fpm() else {
            return;
        };
        let cat = catalogue();
        let php = ctx.settings.php_version;
        for (_, scope, d) in directives(fpm) {
            let name = d.name.text.to_ascii_lowercase();
            let why = match &d.offset {
                None => cat
                    .get(scope, &name)
                    .and_then(|spec| check_value(spec, &d.value, php)),
                Some(_) if scope == Scope::Global => None, // FPM001 reports the placement
                Some(offset) => match (name.as_str(), cat.array(&name)) {
                    ("access.suppress_path", _) if !d.value.text.starts_with('/') => {
                        Some(format!("`{}` must start with `/`", d.value.text))
                    }
                    ("env", _)
                        if d.value.quoting == Quoting::Bare
                            && ["no", "off", "false", "none", "null"]
                                .contains(&d.value.text.to_ascii_lowercase().as_str()) =>
                    {
                        Some(format!(
                            "bare `{}` becomes an empty string in the INI scanner, and php-fpm refuses an empty `env` value; quote it: `\"{}\"`",
                            d.value.text, d.value.text
                        ))
                    }
                    ("env", _) if d.value.text.is_empty() && !d.value.is_symbolic() => {
                        Some(format!(
                            "`env[{}]` is empty: php-fpm refuses an empty `env` value",
                            offset.text
                        ))
                    }
                    (_, Some(spec)) if spec.value == "bool" => check_bool(&d.value, php),
                    _ => None,
                },
            };
            if let Some(why) = why {
                let key = &fpm_key(d);
                ctx.report(d.value.span, format!("invalid value for `{key}`: {why}"))
                    .label_text("php-fpm refuses this value");
            }
        }
    }
}

fn fpm_key(d: &crate::parse::fpm::Directive) -> String {
    match &d.offset {
        Some(o) => format!("{}[{}]", d.name.text, o.text),
        None => d.name.text.clone(),
    }
}
