//! K8S047: a Service `targetPort` that no selected pod's container declares.

use crate::diagnostic::Severity;
use crate::project::Project;
use crate::project::facts::{PortFact, PortRefFact, Relation, Role};
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ServiceTargetPortUnmatched;

impl Rule for ServiceTargetPortUnmatched {
    fn code(&self) -> &'static str {
        "K8S047"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let set = project.objects();
        for (_, svc) in set.of_kind("Service") {
            let Relation::Service(s) = &svc.obj.relation else {
                continue;
            };
            let Some((selector, _)) = &s.selector else {
                continue;
            };
            let matched = set.matching(svc.namespace(), selector);
            let Some(first) = matched.first().and_then(|&t| set.templates.get(t)) else {
                continue; // K8S048 reports a selector matching nothing
            };
            // Each declared port with the object whose template declares it.
            let ports: Vec<(usize, &PortFact)> = matched
                .iter()
                .filter_map(|&t| set.templates.get(t))
                .flat_map(|t| {
                    t.pod
                        .containers
                        .iter()
                        .filter(|c| c.role != Role::Ephemeral)
                        .flat_map(|c| c.ports.iter())
                        .map(move |cp| (t.object, cp))
                })
                .collect();
            for p in &s.ports {
                let target = &p.target;
                let protocol = p.protocol.as_deref().unwrap_or("TCP");
                if ports.iter().any(|(_, cp)| {
                    cp.matches(target) && cp.protocol().eq_ignore_ascii_case(protocol)
                }) {
                    continue;
                }
                let is_name = matches!(target, PortRefFact::Name(_));
                // Ports are informational: traffic to an undeclared number still
                // arrives, so only judge numbers against pods that declare ports.
                if !is_name && ports.is_empty() {
                    continue;
                }
                let mut declared: Vec<String> = ports
                    .iter()
                    .map(|(_, cp)| match (&cp.name, cp.number) {
                        (Some(n), Some(num)) => format!("{n}/{num}"),
                        (None, Some(num)) => num.to_string(),
                        (Some(n), None) => n.clone(),
                        (None, None) => "?".to_owned(),
                    })
                    .collect();
                // Replicated templates (canary + stable) declare the same ports.
                let mut seen = std::collections::HashSet::new();
                declared.retain(|p| seen.insert(p.clone()));
                let have = if declared.is_empty() {
                    "declare no ports".to_owned()
                } else {
                    format!("declare `{}`", declared.join(", "))
                };
                let d = ctx.report_in(
                    svc.file,
                    p.span,
                    format!(
                        "Service `{}` targets {protocol} port `{target}`, but the pods it selects {have}",
                        svc.name().unwrap_or("<unnamed>"),
                    ),
                );
                d.label_text("no such container port");
                if is_name {
                    // An unresolvable port name leaves the Service without endpoints.
                    d.severity(Severity::Error);
                }
                let (owner, span) = match ports.first() {
                    Some((o, cp)) => (set.object(*o), Some(cp.span)),
                    None => (set.object(first.object), None),
                };
                let Some(owner) = owner else { continue };
                let span = span.unwrap_or_else(|| owner.name_span());
                d.secondary(
                    owner.file,
                    span,
                    format!("selected pods of {}", owner.display()),
                );
            }
        }
    }
}
