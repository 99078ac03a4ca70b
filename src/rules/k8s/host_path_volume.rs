//! K8S015: pod mounts a directory or socket of the node (`hostPath`).

use crate::diagnostic::Severity;
use crate::model::k8s;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct HostPathVolume;

/// Host paths that hand over the node: the container runtime's socket, the
/// kubelet's state, system configuration, devices, the whole filesystem.
fn is_sensitive(path: &str) -> bool {
    let p = path.trim_end_matches('/');
    let p = if p.is_empty() { "/" } else { p };
    p == "/"
        || p.ends_with(".sock")
        || [
            "/etc",
            "/proc",
            "/sys",
            "/dev",
            "/boot",
            "/root",
            "/var/run",
            "/run",
            "/var/lib/kubelet",
            "/var/lib/docker",
            "/var/lib/containerd",
            "/usr",
            "/bin",
            "/sbin",
            "/lib",
        ]
        .iter()
        .any(|s| p == *s || p.starts_with(&format!("{s}/")))
}

/// Containers that mount volume `name` without `readOnly: true`.
fn writable_mounts(obj: &k8s::Object, name: &str) -> Vec<String> {
    obj.containers()
        .iter()
        .filter(|c| {
            c.node
                .get("volumeMounts")
                .map(|m| m.as_seq())
                .unwrap_or_default()
                .iter()
                .any(|m| {
                    m.str_at(&["name"]) == Some(name)
                        && m.get("readOnly").and_then(|r| r.as_bool()) != Some(true)
                })
        })
        .map(|c| format!("`{}`", c.name()))
        .collect()
}

impl Rule for HostPathVolume {
    fn code(&self) -> &'static str {
        "K8S015"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(yaml) = file.document.as_yaml() else {
            return;
        };
        for obj in k8s::objects(yaml) {
            let Some(pod) = obj.pod_spec() else { continue };
            for vol in pod.get("volumes").map(|v| v.as_seq()).unwrap_or_default() {
                let Some(host) = vol.entry("hostPath") else {
                    continue;
                };
                let name = vol.str_at(&["name"]).unwrap_or("<unnamed>");
                let path_node = host.value.get("path");
                let path = path_node.and_then(|p| p.as_str()).unwrap_or("");
                let span = path_node.map_or(host.key.span, |p| p.span);
                let sensitive = is_sensitive(path);
                let writers = writable_mounts(&obj, name);
                let how = if writers.is_empty() {
                    String::new()
                } else {
                    format!(", writable by {}", writers.join(", "))
                };
                let d = ctx
                    .report(
                        span,
                        format!(
                            "Volume `{name}` of {} mounts host path `{path}` from the node{how}",
                            obj.display()
                        ),
                    )
                    .label_text(if sensitive {
                        "sensitive host path"
                    } else {
                        "host path"
                    });
                if sensitive {
                    d.severity(Severity::Error);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitive_paths() {
        for p in [
            "/",
            "/var/run/docker.sock",
            "/etc",
            "/etc/",
            "/var/lib/kubelet/pods",
            "/run/containerd/containerd.sock",
        ] {
            assert!(is_sensitive(p), "{p}");
        }
        for p in ["/data", "/config", "/etcd-backup", "/var/log/app"] {
            assert!(!is_sensitive(p), "{p}");
        }
    }
}
