//! FPM003: a process-manager configuration php-fpm refuses at start-up
//! (fpm_conf.c `fpm_conf_process_all_pools`), so the pod crash-loops.

use super::image::ImageDefaults;
use super::pools::{each_pool, int, missing_at, seconds};
use crate::project::Project;
use crate::project::fpm::Found;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct PmConfigRefused;

impl Rule for PmConfigRefused {
    fn code(&self) -> &'static str {
        "FPM003"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[
            FileKind::PhpFpm,
            FileKind::Dockerfile,
            FileKind::Kubernetes,
            FileKind::Compose,
        ]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let image = ImageDefaults::of(project);
        each_pool(project, |set, pool| {
            let p = &pool.scope;
            let name = &pool.name;
            // The image's www.conf sets `pm` and its sizes for this pool: what
            // the linted files leave unset comes from there, so only values
            // they set are judged.
            let completed = image.www_conf_completes(set, name);
            let Some(pm) = p.get("pm") else {
                // A pool that never says `pm` is an override of a pool defined
                // elsewhere, unless the main config is here too.
                if set.has_main_config() && !completed {
                    if let Some((file, _, span)) = missing_at(p) {
                        ctx.report_in(
                            file.id,
                            span,
                            format!("pool `{name}` sets no `pm`: php-fpm refuses to start"),
                        )
                        .hint("Add `pm = dynamic` (or `static`/`ondemand`) with `pm.max_children`")
                        .label_text("no `pm`");
                    }
                }
                return;
            };
            let style = pm.directive.value.text.trim().to_ascii_lowercase();
            if !["static", "dynamic", "ondemand"].contains(&style.as_str()) {
                return; // FPM002 reports the value
            }
            let at = |f: &Found| (f.file.id, f.directive.span);
            let max_children = p.get("pm.max_children");
            let Some(children) = max_children else {
                if completed {
                    return;
                }
                ctx.report_in(pm.file.id, pm.directive.span, format!("pool `{name}` uses `pm = {style}` without `pm.max_children`: php-fpm refuses to start"))
                    .hint("Add `pm.max_children = N`, sized so N x the worker memory fits the container memory limit")
                    .label_text("needs `pm.max_children`");
                return;
            };
            let Some(max) = int(Some(children)) else {
                return;
            };
            match style.as_str() {
                "dynamic" => {
                    let min_spare = p.get("pm.min_spare_servers");
                    let max_spare = p.get("pm.max_spare_servers");
                    for (key, found) in [
                        ("pm.min_spare_servers", min_spare),
                        ("pm.max_spare_servers", max_spare),
                    ] {
                        match found {
                            None if completed => {}
                            None => {
                                ctx.report_in(pm.file.id, pm.directive.span, format!("pool `{name}` uses `pm = dynamic` without `{key}`: php-fpm refuses to start"))
                                    .hint(format!("Add `{key} = N` (at least 1, at most `pm.max_children`)"))
                                    .label_text(format!("needs `{key}`"));
                            }
                            Some(f) => {
                                if let Some(n) = int(Some(f)).filter(|n| *n <= 0) {
                                    let (file, span) = at(&f);
                                    ctx.report_in(file, span, format!("`{key} = {n}` in pool `{name}`: php-fpm requires a positive value with `pm = dynamic`"))
                                        .hint(format!("Set `{key}` to at least 1"));
                                }
                            }
                        }
                    }
                    let (Some(lo), Some(hi)) = (int(min_spare), int(max_spare)) else {
                        return;
                    };
                    if lo <= 0 || hi <= 0 {
                        return;
                    }
                    for (key, n, f) in [
                        ("pm.min_spare_servers", lo, min_spare),
                        ("pm.max_spare_servers", hi, max_spare),
                    ] {
                        if let Some(f) = f.filter(|_| n > max) {
                            let (file, span) = at(&f);
                            ctx.report_in(file, span, format!("`{key} = {n}` is greater than `pm.max_children = {max}` in pool `{name}`: php-fpm refuses to start"))
                                .hint(format!("Lower `{key}` to at most {max}, or raise `pm.max_children`"))
                                .secondary(children.file.id, children.directive.span, "`pm.max_children` set here");
                        }
                    }
                    if hi < lo {
                        if let (Some(fmax), Some(fmin)) = (max_spare, min_spare) {
                            ctx.report_in(fmax.file.id, fmax.directive.span, format!("`pm.max_spare_servers = {hi}` is less than `pm.min_spare_servers = {lo}` in pool `{name}`: php-fpm refuses to start"))
                                .hint(format!("Set `pm.max_spare_servers` to at least {lo}"))
                                .secondary(fmin.file.id, fmin.directive.span, "`pm.min_spare_servers` set here");
                        }
                        return;
                    }
                    if let Some(start) = p.get("pm.start_servers") {
                        if let Some(n) = int(Some(start)).filter(|n| *n > 0 && (*n < lo || *n > hi))
                        {
                            let (file, span) = at(&start);
                            ctx.report_in(file, span, format!("`pm.start_servers = {n}` is outside [`pm.min_spare_servers`, `pm.max_spare_servers`] = [{lo}, {hi}] in pool `{name}`: php-fpm refuses to start"))
                                .hint(format!("Set `pm.start_servers` between {lo} and {hi}, or remove it (php-fpm then uses {})", lo + (hi - lo) / 2));
                        }
                    }
                    if let Some(rate) = p.get("pm.max_spawn_rate") {
                        if let Some(n) = int(Some(rate)).filter(|n| *n < 1) {
                            let (file, span) = at(&rate);
                            ctx.report_in(file, span, format!("`pm.max_spawn_rate = {n}` in pool `{name}`: php-fpm requires a positive value with `pm = dynamic`"))
                                .hint("Set `pm.max_spawn_rate` to at least 1, or remove it (default 32)");
                        }
                    }
                }
                "ondemand" => {
                    if let Some(idle) = p.get("pm.process_idle_timeout") {
                        if let Some(n) = seconds(Some(idle)).filter(|n| *n < 1) {
                            let (file, span) = at(&idle);
                            ctx.report_in(file, span, format!("`pm.process_idle_timeout` is {n}s in pool `{name}`: php-fpm requires at least 1s with `pm = ondemand`"))
                                .hint("Set `pm.process_idle_timeout = 10s` (the default), or remove it");
                        }
                    }
                }
                _ => {}
            }
        });
    }
}
