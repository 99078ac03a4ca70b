//! K8S020: pods get a Kubernetes API token mounted they do not need.
//! A project rule: the pod's ServiceAccount may be defined in another file.

use super::security_common::pod_spec_entry;
use crate::project::Project;
use crate::model::k8s;
use crate::rules::{Context, Rule};
use crate::source::FileKind;
use std::collections::HashMap;

pub struct ServiceAccountTokenAutomounted;

impl Rule for ServiceAccountTokenAutomounted {
    fn code(&self) -> &'static str {
        "K8S020"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        // ServiceAccounts of the run that opt out: (namespace, name).
        let mut opted_out: HashMap<(String, String), bool> = HashMap::new();
        for file in project.of_kind(FileKind::Kubernetes) {
            let Some(yaml) = file.document.as_yaml() else { continue };
            for obj in k8s::objects(yaml) {
                if obj.kind != "ServiceAccount" {
                    continue;
                }
                let Some(name) = obj.name() else { continue };
                let off = obj
                    .root
                    .get("automountServiceAccountToken")
                    .and_then(|n| n.as_bool())
                    == Some(false);
                let ns = obj.namespace().unwrap_or("").to_owned();
                opted_out.insert((ns, name.to_owned()), off);
            }
        }
        for file in project.of_kind(FileKind::Kubernetes) {
            let Some(yaml) = file.document.as_yaml() else { continue };
            for obj in k8s::objects(yaml) {
                let Some(pod) = obj.pod_spec() else { continue };
                let explicit = pod.entry("automountServiceAccountToken");
                match explicit.and_then(|e| e.value.as_bool()) {
                    Some(false) => continue,
                    Some(true) => {
                        if let Some(e) = explicit {
                            ctx.report_in(
                                file.id,
                                e.value.span,
                                format!("{} mounts a Kubernetes API token into its pods", obj.display()),
                            )
                            .label_text("token mounted");
                        }
                        continue;
                    }
                    None => {}
                }
                let sa_entry = pod
                    .entry("serviceAccountName")
                    .or_else(|| pod.entry("serviceAccount"));
                let sa = sa_entry.and_then(|e| e.value.as_str()).unwrap_or("default");
                let ns = obj.namespace().unwrap_or("").to_owned();
                if opted_out.get(&(ns, sa.to_owned())) == Some(&true) {
                    continue;
                }
                let span = sa_entry
                    .map(|e| e.value.span)
                    .or_else(|| pod_spec_entry(&obj).map(|e| e.key.span))
                    .unwrap_or_else(|| obj.anchor_span());
                ctx.report_in(
                    file.id,
                    span,
                    format!(
                        "{} mounts the API token of service account `{sa}`: `automountServiceAccountToken` is not `false`",
                        obj.display()
                    ),
                )
                .label_text("token mounted");
            }
        }
    }
}
