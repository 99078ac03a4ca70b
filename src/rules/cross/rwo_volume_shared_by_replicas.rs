//! X008: a ReadWriteOnce (or ReadWriteOncePod) PersistentVolumeClaim mounted
//! by a workload that runs several pods.
//!
//! A ReadWriteOnce volume attaches to one node at a time: pods scheduled on
//! another node stay in `ContainerCreating` with a Multi-Attach error, so a
//! second replica, an HPA scale-up or a rolling update stalls; ReadWriteOncePod
//! admits a single pod at all. The claim is resolved across the files of the
//! run (the PVC in the workload's namespace).

use crate::diagnostic::FileId;
use crate::project::Project;
use crate::project::facts::{ObjectFacts, VolumeSource};
use crate::rules::{Context, Rule};
use crate::source::FileKind;
use std::collections::HashMap;

pub struct RwoVolumeSharedByReplicas;

impl Rule for RwoVolumeSharedByReplicas {
    fn code(&self) -> &'static str {
        "X008"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        // Claims by (namespace, name), once per run.
        let mut claims: HashMap<(&str, &str), (FileId, &ObjectFacts)> = HashMap::new();
        for f in project.files {
            let Some(k) = project.facts_of(f.id).kubernetes() else {
                continue;
            };
            for o in k
                .objects
                .iter()
                .filter(|o| o.kind == "PersistentVolumeClaim")
            {
                if let Some(name) = &o.name {
                    claims
                        .entry((o.namespace(), name.as_str()))
                        .or_insert((f.id, o));
                }
            }
        }
        if claims.is_empty() {
            return;
        }
        for w in &project.graph.workloads {
            let Some(obj) = project
                .facts_of(w.object.file)
                .kubernetes()
                .and_then(|k| k.objects.get(w.object.index))
            else {
                continue;
            };
            if !matches!(
                obj.kind.as_str(),
                "Deployment" | "StatefulSet" | "ReplicaSet" | "DaemonSet"
            ) {
                continue;
            }
            let Some(pod) = &obj.pod else { continue };
            let replicas = obj.replicas.unwrap_or(1);
            let why = if obj.kind == "DaemonSet" {
                "a DaemonSet runs one pod per node".to_owned()
            } else if replicas > 1 {
                format!("it runs {replicas} replicas")
            } else if !w.hpas.is_empty() {
                "a HorizontalPodAutoscaler scales it out".to_owned()
            } else {
                continue;
            };
            for v in &pod.volumes {
                let VolumeSource::Pvc(claim, claim_span) = &v.source else {
                    continue;
                };
                let Some((pvc_file, pvc)) = claims.get(&(obj.namespace(), claim.as_str())) else {
                    continue;
                };
                let Some((modes, modes_span)) = &pvc.access_modes else {
                    continue;
                };
                let single = |m: &String| m == "ReadWriteOnce" || m == "ReadWriteOncePod";
                if modes.is_empty() || !modes.iter().all(single) {
                    continue;
                }
                let mode = if modes.iter().any(|m| m == "ReadWriteOncePod") {
                    "ReadWriteOncePod"
                } else {
                    "ReadWriteOnce"
                };
                let effect = if mode == "ReadWriteOncePod" {
                    "only one pod can use it at a time, so every other pod stays Pending"
                } else {
                    "it attaches to one node at a time, so pods scheduled on another node hang in ContainerCreating (Multi-Attach error) and scale-ups and rolling updates stall"
                };
                ctx.report_in(
                    w.object.file,
                    *claim_span,
                    format!(
                        "{} mounts PersistentVolumeClaim `{claim}` ({mode}) but {why}: {effect}",
                        obj.display()
                    ),
                )
                .label_text(format!("{mode} claim"))
                .hint("Use a `ReadWriteMany` storage class (NFS, EFS, Filestore, CephFS) for data every replica shares, move the data to object storage (S3 with Laravel's `s3` disk), or use a StatefulSet's `volumeClaimTemplates` for per-pod data")
                .secondary(*pvc_file, *modes_span, format!("access mode {mode}"));
            }
        }
    }
}
