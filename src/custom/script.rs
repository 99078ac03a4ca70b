//! `script:` checks in Rhai, sandboxed: no file, network or module access
//! (`import` is off, `eval` is off), `print`/`debug` silenced, and limits on
//! operations, call depth, expression depth, string, array and map sizes,
//! plus a wall-clock budget per target. One engine and each rule's AST are
//! built once per run and shared across threads.

use rhai::{AST, Dynamic, Engine, EvalAltResult, Position, Scope};
use std::cell::RefCell;
use std::time::{Duration, Instant};

/// What `report(path, message[, hint])` records.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub path: String,
    pub message: String,
    pub hint: Option<String>,
}

pub const MAX_OPERATIONS: u64 = 200_000;
pub const MAX_CALL_LEVELS: usize = 32;
pub const MAX_EXPR_DEPTH: usize = 64;
pub const MAX_STRING_SIZE: usize = 64 * 1024;
pub const MAX_ARRAY_SIZE: usize = 10_000;
pub const MAX_MAP_SIZE: usize = 10_000;
/// Reports one target may make before the script is stopped.
pub const MAX_REPORTS: usize = 100;
/// Wall-clock budget per target (checked every 1,024 operations).
pub const BUDGET: Duration = Duration::from_millis(250);

thread_local! {
    static REPORTS: RefCell<Vec<Report>> = const { RefCell::new(Vec::new()) };
    static DEADLINE: RefCell<Option<Instant>> = const { RefCell::new(None) };
    /// Compiled `glob()` patterns (a script calls it once per target).
    static GLOBS: RefCell<std::collections::HashMap<String, Option<globset::GlobMatcher>>> =
        RefCell::new(std::collections::HashMap::new());
}

/// The sandboxed engine every script runs in.
pub fn engine() -> Engine {
    let mut e = sandboxed(Engine::new());
    register_functions(&mut e);
    e
}

/// The engine of a run without custom rules: nothing is compiled with it, so
/// it is built without rhai's standard packages (most of `engine`'s cost, paid
/// at every start-up), sandboxed all the same.
pub fn idle_engine() -> Engine {
    sandboxed(Engine::new_raw())
}

fn sandboxed(mut e: Engine) -> Engine {
    e.set_max_operations(MAX_OPERATIONS);
    e.set_max_call_levels(MAX_CALL_LEVELS);
    e.set_max_expr_depths(MAX_EXPR_DEPTH, MAX_EXPR_DEPTH);
    e.set_max_string_size(MAX_STRING_SIZE);
    e.set_max_array_size(MAX_ARRAY_SIZE);
    e.set_max_map_size(MAX_MAP_SIZE);
    e.set_max_modules(0);
    e.disable_symbol("eval");
    e.on_print(|_| {});
    e.on_debug(|_, _, _| {});
    e.on_progress(|ops| {
        if ops % 1024 != 0 {
            return None;
        }
        let late = DEADLINE.with(|d| d.borrow().is_some_and(|t| Instant::now() > t));
        late.then(|| Dynamic::from("time budget exceeded"))
    });
    e
}

/// The functions scripts can call.
fn register_functions(e: &mut Engine) {
    e.register_fn("report", |path: &str, message: &str| {
        push(path, message, None)
    });
    e.register_fn("report", |path: &str, message: &str, hint: &str| {
        push(path, message, Some(hint))
    });
    // Kubernetes quantities: bytes (`512Mi`) and millicores (`250m`); -1 when not one.
    e.register_fn("k8s_bytes", |s: &str| {
        crate::model::units::parse_k8s_quantity(s).map_or(-1, |q| clamp(q.bytes()))
    });
    e.register_fn("k8s_millicores", |s: &str| {
        crate::model::units::parse_k8s_quantity(s).map_or(-1, |q| clamp(q.millis()))
    });
    // PHP sizes (`128M`) in bytes; -1 when not one.
    e.register_fn(
        "php_bytes",
        |s: &str| match crate::model::units::parse_quantity(s) {
            crate::model::units::Quantity::Ok(n) => n,
            _ => -1,
        },
    );
    e.register_fn("php_bytes", |n: i64| n);
    // A number from text, or the default.
    e.register_fn("int_or", |s: &str, default: i64| {
        s.trim().parse::<i64>().unwrap_or(default)
    });
    e.register_fn("int_or", |n: i64, _default: i64| n);
    e.register_fn("int_or", |_: (), default: i64| default);
    // Shell-style globs (`registry.example.com/**`); a bad pattern matches nothing.
    e.register_fn("glob", |pattern: &str, s: &str| {
        GLOBS.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.len() > 256 {
                cache.clear();
            }
            cache
                .entry(pattern.to_owned())
                .or_insert_with(|| {
                    globset::Glob::new(pattern)
                        .ok()
                        .map(|g| g.compile_matcher())
                })
                .as_ref()
                .is_some_and(|m| m.is_match(s))
        })
    });
}

fn clamp(n: i128) -> i64 {
    n.clamp(i64::MIN as i128, i64::MAX as i128) as i64
}

fn push(path: &str, message: &str, hint: Option<&str>) -> Result<(), Box<EvalAltResult>> {
    REPORTS.with(|r| {
        let mut r = r.borrow_mut();
        if r.len() >= MAX_REPORTS {
            return Err(format!("more than {MAX_REPORTS} reports for one target").into());
        }
        r.push(Report {
            path: path.to_owned(),
            message: message.to_owned(),
            hint: hint.map(str::to_owned),
        });
        Ok(())
    })
}

/// A failure of the script on one target.
#[derive(Clone, Debug)]
pub struct ScriptError {
    pub message: String,
    /// 1-based line and column in the script, when known.
    pub position: Option<(usize, usize)>,
}

pub fn compile(engine: &Engine, script: &str) -> Result<AST, ScriptError> {
    engine.compile(script).map_err(|e| ScriptError {
        message: e.err_type().to_string(),
        position: pos(e.position()),
    })
}

fn pos(p: Position) -> Option<(usize, usize)> {
    Some((p.line()?, p.position().unwrap_or(1)))
}

/// Runs a compiled script with `target` (and the other scope values)
/// bound read-only; returns what it reported.
pub fn run(
    engine: &Engine,
    ast: &AST,
    target: Dynamic,
    scope_values: Vec<(&'static str, Dynamic)>,
) -> Result<Vec<Report>, ScriptError> {
    let mut scope = Scope::new();
    scope.push_constant("target", target);
    for (k, v) in scope_values {
        scope.push_constant(k, v);
    }
    REPORTS.with(|r| r.borrow_mut().clear());
    DEADLINE.with(|d| *d.borrow_mut() = Some(Instant::now() + BUDGET));
    let result = engine.run_ast_with_scope(&mut scope, ast);
    DEADLINE.with(|d| *d.borrow_mut() = None);
    let reports = REPORTS.with(|r| std::mem::take(&mut *r.borrow_mut()));
    match result {
        Ok(()) => Ok(reports),
        Err(e) => Err(ScriptError {
            message: describe(&e),
            position: pos(e.position()),
        }),
    }
}

fn describe(e: &EvalAltResult) -> String {
    match e {
        EvalAltResult::ErrorTooManyOperations(_) => {
            format!("the script ran more than {MAX_OPERATIONS} operations (an endless loop?)")
        }
        EvalAltResult::ErrorStackOverflow(_) => {
            format!("the script nested calls deeper than {MAX_CALL_LEVELS} levels")
        }
        EvalAltResult::ErrorDataTooLarge(what, _) => {
            format!("the script built a value over the sandbox limit ({what})")
        }
        EvalAltResult::ErrorTerminated(_, _) => format!(
            "the script ran longer than its budget of {} ms per target",
            BUDGET.as_millis()
        ),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_src(src: &str) -> Result<Vec<Report>, ScriptError> {
        let e = engine();
        let ast = compile(&e, src)?;
        run(&e, &ast, Dynamic::from_map(rhai::Map::new()), Vec::new())
    }

    #[test]
    fn hostile_scripts_are_stopped() {
        let endless = run_src("loop { }").unwrap_err();
        assert!(
            endless.message.contains("operations"),
            "{}",
            endless.message
        );
        let big = run_src("let s = \"x\"; loop { s += s; }").unwrap_err();
        assert!(big.message.contains("limit"), "{}", big.message);
        let deep = run_src("fn f(n) { f(n + 1) } f(0)").unwrap_err();
        assert!(deep.message.contains("deeper"), "{}", deep.message);
        let arr = run_src("let a = []; loop { a.push(1); }").unwrap_err();
        assert!(!arr.message.is_empty());
        assert!(run_src("eval(\"1\")").is_err());
        assert!(
            compile(&engine(), "import \"x\" as y;").is_err()
                || run_src("import \"x\" as y;").is_err()
        );
    }

    #[test]
    fn target_is_read_only_and_reports_are_collected() {
        let e = engine();
        let ast = compile(
            &e,
            "if target.n > 1 { report(\"n\", `n is ${target.n}`, \"lower it\") }",
        )
        .expect("compiles");
        let mut m = rhai::Map::new();
        m.insert("n".into(), Dynamic::from_int(3));
        let r = run(&e, &ast, Dynamic::from_map(m.clone()), Vec::new()).expect("runs");
        assert_eq!(
            r,
            vec![Report {
                path: "n".into(),
                message: "n is 3".into(),
                hint: Some("lower it".into())
            }]
        );
        let ast = compile(&e, "target.n = 1;").expect("compiles");
        assert!(run(&e, &ast, Dynamic::from_map(m), Vec::new()).is_err());
    }

    #[test]
    fn helpers_read_units() {
        let r = run_src(
            "if k8s_bytes(\"512Mi\") == 536870912 && php_bytes(\"128M\") == 134217728 \
             && k8s_millicores(\"250m\") == 250 && glob(\"registry.example.com/**\", \"registry.example.com/a/b:1\") \
             { report(\"\", \"ok\") }",
        )
        .expect("runs");
        assert_eq!(r.len(), 1);
    }
}
