//! INI024: `upload_max_filesize` larger than `post_max_size`.

use super::directives::{human_bytes, setting};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct UploadExceedsPostMaxSize;

impl Rule for UploadExceedsPostMaxSize {
    fn code(&self) -> &'static str {
        "INI024"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::PhpIni]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(ini) = file.document.as_ini() else {
            return;
        };
        let at = ctx.settings.php_version;
        let upload = setting(ini, "upload_max_filesize", at);
        let post = setting(ini, "post_max_size", at);
        if upload.entry.is_none() && post.entry.is_none() {
            return;
        }
        let (Some(u), Some(p)) = (upload.as_quantity(), post.as_quantity()) else {
            return;
        };
        // post_max_size = 0 (or negative) means no limit.
        if p <= 0 || u <= p {
            return;
        }
        let file_id = ctx.file;
        let (span, other) = match (upload.entry, post.entry) {
            (Some(ue), pe) => (ue.value_span, pe.map(|e| e.value_span)),
            (None, Some(pe)) => (pe.value_span, None),
            (None, None) => return,
        };
        let d = ctx
            .report(
                span,
                format!(
                    "`upload_max_filesize` ({}) is larger than `post_max_size` ({}): uploads between the two fail with an empty `$_POST` and `$_FILES` instead of an upload error",
                    human_bytes(u),
                    human_bytes(p)
                ),
            )
            .label_text("larger than post_max_size")
            .hint(format!(
                "Raise `post_max_size` to at least `{}` (uploads plus the other form fields)",
                human_bytes(u)
            ));
        if let Some(o) = other {
            d.secondary(file_id, o, "post_max_size");
        }
    }
}
