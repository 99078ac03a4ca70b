//! K8S020: pods get a Kubernetes API token mounted they do not need.
//! A project rule: the pod's ServiceAccount may be defined in another file.

use crate::project::Project;
use crate::project::facts::Relation;
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

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let objects = || {
            project.facts.iter().enumerate().flat_map(|(file, f)| {
                f.kubernetes()
                    .map_or(&[][..], |k| k.objects.as_slice())
                    .iter()
                    .map(move |o| (file, o))
            })
        };
        // ServiceAccounts of the run that opt out: (namespace, name).
        let mut opted_out: HashMap<(&str, &str), bool> = HashMap::new();
        for (_, obj) in objects() {
            let Relation::ServiceAccount(automount) = &obj.relation else {
                continue;
            };
            let Some(name) = obj.name.as_deref() else {
                continue;
            };
            let ns = obj.namespace.as_deref().unwrap_or("");
            opted_out.insert((ns, name), *automount == Some(false));
        }
        for (file, obj) in objects() {
            let Some(pod) = &obj.pod else { continue };
            match pod.automount_token {
                Some((false, _)) => continue,
                Some((true, span)) => {
                    ctx.report_in(
                        file,
                        span,
                        format!(
                            "{} mounts a Kubernetes API token into its pods",
                            obj.display()
                        ),
                    )
                    .label_text("token mounted");
                    continue;
                }
                None => {}
            }
            let sa = pod
                .service_account
                .as_ref()
                .map_or("default", |(n, _)| n.as_str());
            let ns = obj.namespace.as_deref().unwrap_or("");
            if opted_out.get(&(ns, sa)) == Some(&true) {
                continue;
            }
            let span = pod
                .service_account
                .as_ref()
                .map(|(_, s)| *s)
                .or(pod.spec_key_span)
                .unwrap_or(obj.span);
            ctx.report_in(
                file,
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
