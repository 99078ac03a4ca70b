//! JSON Schema keywords for custom rules' `schema:` checks.
//!
//! `minimumQuantity` / `maximumQuantity` compare Kubernetes quantities
//! (`resources.limits.memory: {maximumQuantity: 2Gi}`, `cpu: {minimumQuantity:
//! 100m}`) exactly, as `resource.Quantity` reads them (`500m`, `512Mi`, `1G`,
//! `1e3`, plain numbers). A value that is not a quantity fails the keyword,
//! so a typo (`512MB`) is not silently accepted.

use crate::model::units::{K8sQuantity, parse_k8s_quantity};
use jsonschema::paths::Location;
use jsonschema::{Keyword, ValidationError, ValidationOptions};
use serde_json::{Map, Value};

/// The rule-file schema's options with the custom keywords registered.
pub fn options() -> ValidationOptions<'static> {
    jsonschema::options()
        .should_validate_formats(true)
        .with_keyword("minimumQuantity", minimum_quantity)
        .with_keyword("maximumQuantity", maximum_quantity)
}

type Factory<'a> = Result<Box<dyn for<'i> Keyword<'i>>, ValidationError<'a>>;

fn minimum_quantity<'a>(_: &'a Map<String, Value>, limit: &'a Value, _: Location) -> Factory<'a> {
    bound(Bound::Min, limit)
}

fn maximum_quantity<'a>(_: &'a Map<String, Value>, limit: &'a Value, _: Location) -> Factory<'a> {
    bound(Bound::Max, limit)
}

#[derive(Clone, Copy)]
enum Bound {
    Min,
    Max,
}

impl Bound {
    fn keyword(self) -> &'static str {
        match self {
            Bound::Min => "minimumQuantity",
            Bound::Max => "maximumQuantity",
        }
    }
}

struct QuantityBound {
    bound: Bound,
    limit: K8sQuantity,
    /// The limit as written in the rule.
    shown: String,
}

/// A quantity from a JSON value: a string, or a number (`cpu: 2` in YAML).
fn quantity_of(v: &Value) -> Option<(K8sQuantity, String)> {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    parse_k8s_quantity(&text).map(|q| (q, text))
}

fn bound<'a>(bound: Bound, limit: &'a Value) -> Factory<'a> {
    match quantity_of(limit) {
        Some((limit, shown)) => Ok(Box::new(QuantityBound {
            bound,
            limit,
            shown,
        })),
        None => Err(ValidationError::schema(format!(
            "`{}` takes a Kubernetes quantity such as `512Mi`, `2Gi`, `500m` or `2`, not {}",
            bound.keyword(),
            short(limit)
        ))),
    }
}

/// A value for a message: short, on one line.
fn short(v: &Value) -> String {
    let s = match v {
        Value::String(s) => format!("`{s}`"),
        Value::Object(_) => "an object".to_owned(),
        Value::Array(_) => "an array".to_owned(),
        other => format!("`{other}`"),
    };
    let s: String = s.chars().filter(|c| !c.is_control()).collect();
    if s.chars().count() > 48 {
        format!("{}...`", s.chars().take(44).collect::<String>())
    } else {
        s
    }
}

impl QuantityBound {
    fn check(&self, instance: &Value) -> Result<(), String> {
        let Some((q, shown)) = quantity_of(instance) else {
            return Err(format!(
                "{} is not a Kubernetes quantity (write e.g. `512Mi`, `1G`, `500m` or `2`), so it cannot be compared with {} `{}`",
                short(instance),
                match self.bound {
                    Bound::Min => "the minimum",
                    Bound::Max => "the maximum",
                },
                self.shown
            ));
        };
        match self.bound {
            Bound::Min if q < self.limit => Err(format!(
                "`{shown}` is less than the minimum `{}`",
                self.shown
            )),
            Bound::Max if q > self.limit => Err(format!(
                "`{shown}` is more than the maximum `{}`",
                self.shown
            )),
            _ => Ok(()),
        }
    }
}

impl<'i> Keyword<'i> for QuantityBound {
    fn validate(&self, instance: &'i Value) -> Result<(), ValidationError<'i>> {
        self.check(instance).map_err(ValidationError::custom)
    }

    fn is_valid(&self, instance: &'i Value) -> bool {
        self.check(instance).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    fn errors(schema: Value, instance: Value) -> Vec<String> {
        let v = super::options().build(&schema).expect("schema compiles");
        v.iter_errors(&instance).map(|e| e.to_string()).collect()
    }
    use serde_json::Value;

    #[test]
    fn compares_quantities_exactly() {
        let max = json!({"maximumQuantity": "2Gi"});
        assert!(errors(max.clone(), json!("2Gi")).is_empty());
        assert!(errors(max.clone(), json!("2048Mi")).is_empty());
        assert!(errors(max.clone(), json!("2G")).is_empty());
        assert_eq!(
            errors(max.clone(), json!("3Gi")),
            ["`3Gi` is more than the maximum `2Gi`"]
        );
        assert_eq!(
            errors(max.clone(), json!("2049Mi")),
            ["`2049Mi` is more than the maximum `2Gi`"]
        );
        let min = json!({"minimumQuantity": "100m"});
        assert!(errors(min.clone(), json!(1)).is_empty());
        assert!(errors(min.clone(), json!(0.1)).is_empty());
        assert_eq!(
            errors(min.clone(), json!("50m")),
            ["`50m` is less than the minimum `100m`"]
        );
        let e = errors(min, json!("512MB"));
        assert_eq!(e.len(), 1);
        assert!(
            e[0].starts_with("`512MB` is not a Kubernetes quantity"),
            "{e:?}"
        );
        assert_eq!(errors(max.clone(), json!(true)).len(), 1);
    }

    #[test]
    fn a_bad_limit_does_not_compile() {
        let e = super::options()
            .build(&json!({"maximumQuantity": "lots"}))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            e.contains("`maximumQuantity` takes a Kubernetes quantity"),
            "{e}"
        );
    }
}
