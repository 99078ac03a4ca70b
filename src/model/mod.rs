//! Typed views over the located documents. Views borrow the parsed tree, so
//! every value they hand out still knows its span.

pub mod dockerfile;
pub mod image;
pub mod k8s;
pub mod k8s_pod;
pub mod k8s_set;
pub mod k8s_versions;
pub mod kustomize;
pub mod units;
