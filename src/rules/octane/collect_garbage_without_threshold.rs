//! OCT005: the `CollectGarbage` listener is enabled but `garbage` is unset
//! or 0, so the listener never collects anything.

use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct CollectGarbageWithoutThreshold;

impl Rule for CollectGarbageWithoutThreshold {
    fn code(&self) -> &'static str {
        "OCT005"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Octane]
    }

    fn check_file(&self, _file: &ParsedFile, ctx: &mut Context) {
        let facts = ctx.facts;
        let Some(o) = facts.octane() else { return };
        let Some(listener) = o.collect_garbage_listener else {
            return;
        };
        let (span, why) = match &o.garbage {
            None => (listener, "`garbage` is not set".to_owned()),
            Some(g) if g.env.is_none() && g.as_i64() == Some(0) => {
                (g.span, "`garbage` is 0".to_owned())
            }
            Some(g) if g.env.is_some() && g.value.is_none() => (
                g.span,
                format!(
                    "`garbage` reads `{}` with no default",
                    g.env.as_deref().unwrap_or_default()
                ),
            ),
            _ => return,
        };
        ctx.report(
            span,
            format!("The `CollectGarbage` listener is enabled but {why}: it only runs `gc_collect_cycles()` above that many megabytes, so it never does"),
        )
        .label_text("garbage collection never triggered")
        .hint("Set `'garbage' => 50` (megabytes, the published config's value), or remove the listener");
    }
}
