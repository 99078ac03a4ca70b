//! What the PHP of a deployed container runs with, resolved across the
//! graph for the Octane and OPcache rules (X013-X016): its ini settings (the
//! `-d` options of the command line, then the ini files the image copies in,
//! in PHP's read order), `${VAR}` references resolved from the container's
//! environment, and the RoadRunner config an Octane or `rr` process reads.

use super::env::{ConfigMaps, env_value, image_env};
use crate::diagnostic::FileId;
use crate::project::defaults::OfficialPhp;
use crate::project::facts::RrFacts;
use crate::project::process::{Process, ProcessKind};
use crate::project::{Deployed, Project};
use crate::source::{FileKind, Span};

/// An effective ini setting and where it comes from.
pub struct Setting {
    pub value: String,
    /// The file and span that set it (`None`: PHP's built-in default).
    pub at: Option<(FileId, Span)>,
    /// How to name the source in a message.
    pub what: String,
}

/// `-d key=value` / `-dkey=value` on a `php` command line.
/// The Octane server `config/octane.php` names, when the workspace has exactly
/// one such file that sets it (lowercased).
pub fn configured_octane_server(project: &Project) -> Option<String> {
    let servers: Vec<String> = project
        .of_kind(FileKind::Octane)
        .filter_map(|f| {
            project
                .facts_of(f.id)
                .octane()?
                .server
                .as_ref()?
                .value
                .clone()
        })
        .collect();
    match servers.as_slice() {
        [one] => Some(one.to_ascii_lowercase()),
        _ => None,
    }
}

/// The server an Octane process runs (lowercased): its `--server` flag, else
/// the one `config/octane.php` names (`configured`, from
/// [`configured_octane_server`]).
pub fn octane_server_of(p: &Process, configured: &Option<String>) -> Option<String> {
    p.octane_server()
        .map(str::to_ascii_lowercase)
        .or_else(|| configured.clone())
}

pub fn cli_define(p: &Process, key: &str) -> Option<String> {
    let mut it = p.argv.iter();
    while let Some(w) = it.next() {
        let def = if w == "-d" {
            it.next().map(String::as_str)
        } else {
            w.strip_prefix("-d")
        };
        if let Some((k, v)) = def.and_then(|d| d.split_once('=')) {
            if k.trim() == key {
                return Some(v.trim().to_owned());
            }
        }
    }
    None
}

/// The ini files the container's image copies in (a certain link: the
/// container's Dockerfile is not a guess), in PHP's read order.
pub fn image_inis(project: &Project, dep: &Deployed) -> Option<Vec<FileId>> {
    let l = dep.node.dockerfile.as_ref().filter(|l| !l.evidence.guess)?;
    let image = project.graph.image_of(l.to)?;
    Some(image.inis_in_read_order())
}

/// One directive PHP reads, with where to point at it.
#[derive(Clone)]
pub struct Directive {
    pub key: String,
    pub value: String,
    pub file: FileId,
    pub span: Span,
    /// The file as PHP sees it (for messages).
    pub what: String,
}

/// The directives of every ini file the container's PHP reads that the graph
/// knows for certain, in read order (`php.ini`, then `conf.d` by file name):
/// the ini files the image copies in and ConfigMap keys mounted as single
/// files (`subPath`). `None` when that set is not certain: a guessed
/// Dockerfile, or a ConfigMap mounted over a config directory (it replaces
/// the image's files).
/// The directives of an ini file of the run, as PHP reads their values.
fn file_directives(project: &Project, id: FileId) -> Option<Vec<Directive>> {
    let ini = project.facts_of(id).ini()?;
    let what = format!("`{}`", project.path(id));
    Some(
        ini.directives
            .iter()
            .zip(&ini.spans)
            .map(|((k, v), s)| Directive {
                key: k.clone(),
                value: v.trim().trim_matches('"').to_owned(),
                file: id,
                span: *s,
                what: what.clone(),
            })
            .collect(),
    )
}

pub fn effective_ini(project: &Project, dep: &Deployed) -> Option<Vec<Directive>> {
    if config_dir_mounted(dep) {
        return None;
    }
    // (not php.ini, file name, directives)
    let mut files: Vec<(bool, String, Vec<Directive>)> = Vec::new();
    if let Some(l) = &dep.node.dockerfile {
        if l.evidence.guess {
            return None;
        }
        if let Some(image) = project.graph.image_of(l.to) {
            for id in image.inis_in_read_order() {
                let Some(ds) = file_directives(project, id) else {
                    continue;
                };
                let dest = image.dests.get(&id).map_or("", String::as_str);
                let name = dest.rsplit('/').next().unwrap_or(dest).to_owned();
                files.push((name != "php.ini", name, ds));
            }
        }
    }
    // ini files kustomize configMapGenerators mount (a file per key). Two
    // generators (overlays) putting different files at one path: which one a
    // cluster runs is not known here.
    let mut dests: Vec<&str> = Vec::new();
    for (id, dest) in &dep.node.generated_dests {
        let Some(ds) = file_directives(project, *id) else {
            continue;
        };
        if dests.contains(&dest.as_str()) {
            return None;
        }
        dests.push(dest);
        let name = dest.rsplit('/').next().unwrap_or(dest).to_owned();
        files.push((name != "php.ini", name, ds));
    }
    for m in &dep.node.config_mounts {
        let (Some(key), Some(r)) = (&m.to.key, m.to.object) else {
            continue;
        };
        if !m.to.path.ends_with(".ini") {
            continue;
        }
        let Some(obj) = project.object(r) else {
            continue;
        };
        let Some((_, text)) = obj.config_data.iter().find(|(k, _)| k == key) else {
            continue;
        };
        let parsed = crate::parse::ini::parse(text);
        let name = m.to.path.rsplit('/').next().unwrap_or("").to_owned();
        let what = format!("ConfigMap `{}` key `{key}`", m.to.configmap);
        let ds = parsed
            .entries
            .iter()
            .map(|e| Directive {
                key: e.key.clone(),
                value: e
                    .value
                    .text()
                    .unwrap_or_default()
                    .trim()
                    .trim_matches('"')
                    .to_owned(),
                file: r.file,
                span: obj.name_span,
                what: what.clone(),
            })
            .collect();
        files.push((name != "php.ini", name, ds));
    }
    files.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    Some(files.into_iter().flat_map(|(_, _, d)| d).collect())
}

/// The last directive `key` of a read-order list.
pub fn last<'d>(ds: &'d [Directive], key: &str) -> Option<&'d Directive> {
    ds.iter().rev().find(|d| d.key == key)
}

/// Whether the container's image is an official `php` image (whose ini
/// defaults are PHP's own): its Dockerfile builds on one, or it runs one.
pub fn official_php(project: &Project, dep: &Deployed) -> bool {
    match &dep.node.dockerfile {
        Some(l) => project
            .facts_of(l.to)
            .dockerfile()
            .is_some_and(|d| d.official.is_some()),
        None => dep
            .container
            .image
            .as_ref()
            .is_some_and(|i| OfficialPhp::parse(&i.text).is_some()),
    }
}

/// Whether a `RUN` of the container's Dockerfile names the ini `key`
/// (`echo 'opcache.enable_cli=1' >> ...`): the image may set it in a file
/// the graph does not see.
pub fn run_may_set(project: &Project, dep: &Deployed, key: &str) -> bool {
    dep.node.dockerfile.as_ref().is_some_and(|l| {
        project
            .facts_of(l.to)
            .dockerfile()
            .is_some_and(|d| d.run_ini_keys.iter().any(|k| k == key))
    })
}

/// Whether a ConfigMap is mounted over a PHP config directory of the
/// container (the image's `conf.d` is then replaced, and what PHP reads is
/// not known here).
pub fn config_dir_mounted(dep: &Deployed) -> bool {
    dep.node.config_mounts.iter().any(|m| {
        m.to.key.is_none() && !m.to.path.ends_with(".ini") && !m.to.path.ends_with(".conf")
    })
}

/// The effective `key` for the container's PHP: `-d` on the command line,
/// else the last of the ini files it reads that sets it. `None` when
/// nothing in the graph sets it (PHP's or the base image's default
/// applies) or the ini files are not known.
pub fn ini_setting(project: &Project, dep: &Deployed, key: &str) -> Option<Setting> {
    if let Some(v) = cli_define(&dep.node.process, key) {
        return Some(Setting {
            value: v,
            at: None,
            what: format!("`-d {key}` on the command line"),
        });
    }
    let ds = effective_ini(project, dep)?;
    last(&ds, key).map(|d| Setting {
        value: d.value.clone(),
        at: Some((d.file, d.span)),
        what: d.what.clone(),
    })
}

/// `${NAME}` (or `${NAME:-default}`) in an ini value, resolved from the
/// container's environment; the value itself when it references nothing;
/// `None` when the reference cannot be resolved.
pub fn resolve_env(
    project: &Project,
    configmaps: &ConfigMaps<'_>,
    dep: &Deployed,
    value: &str,
) -> Option<String> {
    let v = value.trim();
    let Some(inner) = v.strip_prefix("${").and_then(|r| r.strip_suffix('}')) else {
        return (!v.contains("${")).then(|| v.to_owned());
    };
    let (name, default) = match inner.split_once(":-") {
        Some((n, d)) => (n, Some(d)),
        None => (inner, None),
    };
    let env = image_env(project, dep.node);
    env_value(
        configmaps,
        dep.workload,
        dep.object,
        dep.container,
        &env,
        name,
    )
    .map(|(v, _)| v)
    .or_else(|| default.map(str::to_owned))
}

/// An ini boolean (`1`, `On`, `true`, `yes`) or `None` when it is none.
pub fn ini_bool(value: &str) -> Option<bool> {
    match value.trim().trim_matches('"').to_ascii_lowercase().as_str() {
        "1" | "on" | "true" | "yes" => Some(true),
        "0" | "off" | "false" | "no" | "none" | "" => Some(false),
        _ => None,
    }
}

/// The RoadRunner config the container's process reads, when it is known
/// for certain: `--rr-config=<path>` (Octane) or `-c <path>` (`rr serve`),
/// else `.rr.yaml` (Octane's and RoadRunner's default name), looked up next
/// to the container's Dockerfile, then in each directory above it (the
/// build context is the app); without a Dockerfile, the one such file of
/// the run.
pub fn rr_config<'p>(
    project: &Project<'p>,
    p: &Process,
    dockerfile: Option<FileId>,
) -> Option<(FileId, &'p RrFacts)> {
    let named = match p.kind {
        ProcessKind::Octane => p.flag("--rr-config"),
        ProcessKind::RoadRunner => p.flag("-c").or_else(|| p.flag("--config")),
        _ => return None,
    };
    let want = named.unwrap_or(".rr.yaml");
    if want.starts_with('/') || want.contains("${") || want.contains('$') {
        return None;
    }
    let want = want.trim_start_matches("./");
    let rr: Vec<FileId> = project
        .of_kind(FileKind::RoadRunner)
        .map(|f| f.id)
        .filter(|&id| {
            let path = project.path(id);
            path == want || path.ends_with(&format!("/{want}"))
        })
        .collect();
    let id = match dockerfile {
        Some(df) => {
            let mut dir = parent(project.path(df));
            loop {
                let full = if dir.is_empty() {
                    want.to_owned()
                } else {
                    format!("{dir}/{want}")
                };
                if let Some(&id) = rr.iter().find(|&&id| project.path(id) == full) {
                    break id;
                }
                if dir.is_empty() {
                    return None;
                }
                dir = parent(dir);
            }
        }
        None => match rr.as_slice() {
            [one] => *one,
            _ => return None,
        },
    };
    Some((id, project.facts_of(id).roadrunner()?))
}

fn parent(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line_defines() {
        let p = Process::from_argv(&[
            "php",
            "-d",
            "memory_limit=512M",
            "-dopcache.enable_cli=1",
            "artisan",
            "octane:start",
        ]);
        assert_eq!(cli_define(&p, "memory_limit").as_deref(), Some("512M"));
        assert_eq!(cli_define(&p, "opcache.enable_cli").as_deref(), Some("1"));
        assert_eq!(cli_define(&p, "opcache.enable"), None);
        assert_eq!(ini_bool("On"), Some(true));
        assert_eq!(ini_bool("0"), Some(false));
        assert_eq!(ini_bool("${X}"), None);
    }
}
