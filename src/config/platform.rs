//! `platform:` guarantees: what the cluster enforces at admission or at run
//! time (a mutating policy, a LimitRange, VPA, an image policy), and the
//! rules each one satisfies. A finding of such a rule is absorbed (not
//! reported, counted by `--statistics`) when the guarantee is declared for
//! its file.

/// One guarantee: its `platform:` key and the rules it satisfies.
#[derive(Debug)]
pub struct Guarantee {
    pub name: &'static str,
    /// What the cluster does (for `--statistics` and the README).
    pub means: &'static str,
    pub rules: &'static [&'static str],
}

pub const GUARANTEES: &[Guarantee] = &[
    Guarantee {
        name: "seccomp",
        means: "a mutating policy sets seccompProfile RuntimeDefault on every pod",
        rules: &["K8S019"],
    },
    Guarantee {
        name: "drop-all-capabilities",
        means: "a mutating policy adds capabilities.drop [ALL] to every container",
        rules: &["K8S017"],
    },
    Guarantee {
        name: "default-requests",
        means: "a LimitRange gives every container default CPU and memory requests",
        rules: &["K8S043", "K8S044", "K8S051"],
    },
    Guarantee {
        name: "default-limits",
        means: "a LimitRange gives every container default CPU and memory limits",
        rules: &["K8S002", "K8S045"],
    },
    Guarantee {
        name: "vpa",
        means: "the VerticalPodAutoscaler sets every container's requests",
        rules: &["K8S043", "K8S044"],
    },
    Guarantee {
        name: "image-digests",
        means: "an image policy resolves every image tag to a digest at admission",
        rules: &["K8S001"],
    },
];

/// The first guarantee in force that satisfies `code`.
pub fn absorbed_by(code: &str, active: &[&'static str]) -> Option<&'static str> {
    if active.is_empty() {
        return None;
    }
    GUARANTEES
        .iter()
        .find(|g| active.contains(&g.name) && g.rules.contains(&code))
        .map(|g| g.name)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_guarantee_names_catalog_rules() {
        for g in super::GUARANTEES {
            for code in g.rules {
                assert!(
                    crate::catalog::catalog().get(code).is_some(),
                    "{}: {code} is no rule",
                    g.name
                );
            }
        }
    }
}
