//! `deploylint lsp` driven over stdio by a scripted client: diagnostics with
//! UTF-16 positions, edits that clear them, code actions, hover, a cross-file
//! finding that appears in a manifest when the pool file changes, shutdown.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

struct Client {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next_id: i64,
    /// Messages read but not yet asked for.
    backlog: Vec<Value>,
}

impl Client {
    fn start(root: &std::path::Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_deploylint"))
            .arg("lsp")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start deploylint lsp");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = 0usize;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; len];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                if let Ok(v) = serde_json::from_slice::<Value>(&body) {
                    if tx.send(v).is_err() {
                        return;
                    }
                }
            }
        });
        Client {
            child,
            stdin,
            rx,
            next_id: 1,
            backlog: Vec::new(),
        }
    }

    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let msg = self.wait(|m| m["id"] == id);
        assert!(msg.get("error").is_none(), "{method}: {msg}");
        msg["result"].clone()
    }

    /// The first message (read or pending) that satisfies `pred`.
    fn wait(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let msg = self
                .rx
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("timed out; unread: {:?}", self.backlog));
            if pred(&msg) {
                return msg;
            }
            self.backlog.push(msg);
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let msg = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        msg["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

fn codes(list: &[Value]) -> Vec<String> {
    list.iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_owned())
        .collect()
}

const DOCKERFILE: &str = "FROM php:8.3-fpm-alpine\nRUN apk add fcgi\nCOPY docker/www.conf /usr/local/etc/php-fpm.d/zz-www.conf\nUSER www-data\n";
const POOL: &str = "[www]\nlisten = 9000\n";

fn manifest(image: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - {{name: \"café-𝄞\", image: \"{image}\"}}\n    - name: fpm\n      image: registry.example.com/acme/app:1.0.0\n      livenessProbe:\n        httpGet: {{path: /ping, port: 9001}}\n"
    )
}

#[test]
fn language_server_end_to_end() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    std::fs::write(root.join(".deploylint.yaml"), "# workspace\n").unwrap();
    std::fs::write(root.join("Dockerfile"), DOCKERFILE).unwrap();
    std::fs::create_dir_all(root.join("docker")).unwrap();
    std::fs::write(root.join("docker/www.conf"), POOL).unwrap();
    std::fs::write(root.join("pod.yaml"), manifest("nginx:latest")).unwrap();
    let uri = |p: &str| format!("file://{}/{p}", root.display());

    let mut c = Client::start(&root);
    let init = c.request(
        "initialize",
        json!({"processId": null, "rootUri": uri("").trim_end_matches('/'), "capabilities": {}}),
    );
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    c.notify("initialized", json!({}));

    // A manifest: K8S001 on an image after non-ASCII text on the same line.
    let pod = manifest("nginx:latest");
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri("pod.yaml"), "languageId": "yaml", "version": 1, "text": pod}}),
    );
    let diags = c.diagnostics(&uri("pod.yaml"));
    let k001 = diags
        .iter()
        .find(|d| d["code"] == "K8S001")
        .unwrap_or_else(|| panic!("K8S001 in {diags:?}"))
        .clone();
    let line_text = pod.lines().nth(6).unwrap();
    let byte = line_text.find("\"nginx").unwrap();
    let utf16 = line_text[..byte].encode_utf16().count() as u64;
    assert_eq!(k001["range"]["start"]["line"], 6);
    let ch = k001["range"]["start"]["character"].as_u64().unwrap();
    assert!(
        ch == utf16 || ch == utf16 + 1,
        "UTF-16 column {ch}, expected {utf16}"
    );
    assert_eq!(k001["source"], "deploylint");
    assert!(
        !codes(&diags).contains(&"K8S058".into()),
        "php-fpm listens on 9000: {diags:?}"
    );

    // Hover over the finding shows the rule text.
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri("pod.yaml")}, "position": k001["range"]["start"]}),
    );
    let text = hover["contents"]["value"].as_str().unwrap_or("");
    assert!(
        text.contains("K8S001") && text.contains("image-tag-latest"),
        "{hover}"
    );

    // Code actions at the finding: the suppression comment.
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri("pod.yaml")}, "range": k001["range"], "context": {"diagnostics": []}}),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["title"].as_str())
        .collect();
    assert!(
        titles.contains(&"Suppress K8S001 on this line"),
        "{titles:?}"
    );
    // ...and the object-wide annotation, inserted under `metadata:`.
    let object = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Suppress K8S001 for Pod/app (annotation)")
        .unwrap_or_else(|| panic!("annotation action in {titles:?}"));
    let edit = &object["edit"]["changes"][uri("pod.yaml")][0];
    assert_eq!(edit["range"]["start"]["line"], 3, "{edit}");
    assert_eq!(
        edit["newText"],
        "  annotations:\n    deploylint.io/ignore: \"K8S001 -- reason\"\n"
    );

    // An edit that fixes the finding removes it.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri("pod.yaml"), "version": 2},
               "contentChanges": [{"text": manifest("nginx:1.27.3")}]}),
    );
    let diags = c.diagnostics(&uri("pod.yaml"));
    assert!(!codes(&diags).contains(&"K8S001".into()), "{diags:?}");

    // A Dockerfile: DF014 and its safe quick fix (`--no-cache`).
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri("Dockerfile"), "languageId": "dockerfile", "version": 1, "text": DOCKERFILE}}),
    );
    let df = c.diagnostics(&uri("Dockerfile"));
    let df014 = df
        .iter()
        .find(|d| d["code"] == "DF014")
        .unwrap_or_else(|| panic!("DF014 in {df:?}"))
        .clone();
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri("Dockerfile")}, "range": df014["range"], "context": {"diagnostics": []}}),
    );
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["isPreferred"] == true)
        .unwrap_or_else(|| panic!("a preferred quick fix in {actions}"));
    let edits = &fix["edit"]["changes"][uri("Dockerfile")];
    assert!(
        edits[0]["newText"]
            .as_str()
            .unwrap_or("")
            .contains("--no-cache"),
        "{fix}"
    );

    // A pool file with a `#` comment: E021 has a safe quick fix.
    let pool = "# moved to 9001\n[www]\nlisten = 9000\n";
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri("docker/www.conf"), "languageId": "ini", "version": 1, "text": pool}}),
    );
    let pool_diags = c.diagnostics(&uri("docker/www.conf"));
    let e021 = pool_diags
        .iter()
        .find(|d| d["code"] == "E021")
        .unwrap_or_else(|| panic!("E021 in {pool_diags:?}"))
        .clone();
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri("docker/www.conf")}, "range": e021["range"], "context": {"diagnostics": []}}),
    );
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "quickfix" && a["isPreferred"] == true)
        .unwrap_or_else(|| panic!("a preferred quick fix in {actions}"));
    let edits = &fix["edit"]["changes"][uri("docker/www.conf")];
    assert_eq!(edits[0]["newText"], ";", "{fix}");

    // Cross-file: the pool now listens on 9001, where the manifest's HTTP
    // probe goes: K8S058 appears in the manifest, which was not edited.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri("docker/www.conf"), "version": 2},
               "contentChanges": [{"text": "[www]\nlisten = 9001\n"}]}),
    );
    let diags = c.diagnostics(&uri("pod.yaml"));
    assert!(codes(&diags).contains(&"K8S058".into()), "{diags:?}");
    let k058 = diags.iter().find(|d| d["code"] == "K8S058").unwrap();
    let related = k058["relatedInformation"]
        .as_array()
        .expect("related information");
    assert!(
        related.iter().any(|r| r["location"]["uri"]
            .as_str()
            .unwrap_or("")
            .ends_with("docker/www.conf")),
        "{k058}"
    );

    c.request("shutdown", Value::Null);
    c.notify("exit", Value::Null);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = c.child.try_wait().expect("wait") {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(Instant::now() < deadline, "server did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// UTF-8 positions when the client offers them, and pull diagnostics.
#[test]
fn utf8_positions_and_pull_diagnostics() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    std::fs::write(root.join(".deploylint.yaml"), "# workspace\n").unwrap();
    let uri = format!("file://{}/pod.yaml", root.display());
    let mut c = Client::start(&root);
    let init = c.request(
        "initialize",
        json!({"processId": null, "rootUri": format!("file://{}", root.display()),
               "capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]},
                                "textDocument": {"diagnostic": {}}}}),
    );
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    assert!(
        init["capabilities"]["diagnosticProvider"].is_object(),
        "{init}"
    );
    c.notify("initialized", json!({}));
    let pod = manifest("nginx:latest");
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": pod}}),
    );
    let report = c.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(report["kind"], "full");
    let items = report["items"].as_array().expect("items");
    let k001 = items
        .iter()
        .find(|d| d["code"] == "K8S001")
        .expect("K8S001");
    let line_text = pod.lines().nth(6).unwrap();
    let byte = line_text.find("\"nginx").unwrap() as u64;
    let ch = k001["range"]["start"]["character"].as_u64().unwrap();
    assert!(
        ch == byte || ch == byte + 1,
        "UTF-8 column {ch}, expected {byte}"
    );
    c.request("shutdown", Value::Null);
    c.notify("exit", Value::Null);
    let _ = c.child.wait();
}

/// The workspace's custom rules run in the editor as in `check`, and a broken
/// rule file is named in a `window/showMessage`.
#[test]
fn language_server_runs_custom_rules() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    std::fs::write(root.join(".deploylint.yaml"), "custom-rules: [policy]\n").unwrap();
    std::fs::create_dir_all(root.join("policy")).unwrap();
    let rule = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/custom-rules/rules/ACME002-approved-registry.yaml"
    ))
    .unwrap();
    std::fs::write(root.join("policy/ACME002-approved-registry.yaml"), rule).unwrap();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: docker.io/library/nginx:1.27\n";
    std::fs::write(root.join("pod.yaml"), pod).unwrap();
    let uri = |p: &str| format!("file://{}/{p}", root.display());

    let mut c = Client::start(&root);
    c.request(
        "initialize",
        json!({"processId": null, "rootUri": uri("").trim_end_matches('/'), "capabilities": {}}),
    );
    c.notify("initialized", json!({}));
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri("pod.yaml"), "languageId": "yaml", "version": 1, "text": pod}}),
    );
    let diags = c.diagnostics(&uri("pod.yaml"));
    let acme = diags
        .iter()
        .find(|d| d["code"] == "ACME002")
        .unwrap_or_else(|| panic!("ACME002 in {diags:?}"));
    assert_eq!(acme["range"]["start"]["line"], 7, "{acme}");

    // Break the rule file: the server says which file and line, and the rule is gone.
    std::fs::write(
        root.join("policy/ACME002-approved-registry.yaml"),
        "code: ACME002\nname: [\n",
    )
    .unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri("policy/ACME002-approved-registry.yaml"), "type": 2}]}),
    );
    let msg = c.wait(|m| m["method"] == "window/showMessage");
    let text = msg["params"]["message"].as_str().unwrap_or("");
    assert!(text.contains("ACME002-approved-registry.yaml:"), "{msg}");
    let diags = c.diagnostics(&uri("pod.yaml"));
    assert!(!codes(&diags).contains(&"ACME002".into()), "{diags:?}");
    c.request("shutdown", json!(null));
    c.notify("exit", json!(null));
}

/// Each file is judged with its nearest `.deploylint.yaml` (its `extends:`
/// and `overrides:`), as `deploylint check` does; a config that appears
/// later is picked up.
#[test]
fn language_server_resolves_config_per_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27.0\n";
    std::fs::write(root.join("base.yaml"), "rules:\n  K8S044: off\n").unwrap();
    std::fs::write(
        root.join(".deploylint.yaml"),
        "extends: [base.yaml]\noverrides:\n  - files: [\"k8s/quiet/**\"]\n    rules:\n      K8S040: off\n",
    )
    .unwrap();
    for d in ["k8s/app", "k8s/quiet", "k8s/legacy", "k8s/later"] {
        std::fs::create_dir_all(root.join(d)).unwrap();
        std::fs::write(root.join(d).join("pod.yaml"), pod).unwrap();
    }
    std::fs::write(
        root.join("k8s/legacy/.deploylint.yaml"),
        "rules:\n  K8S040: info\n",
    )
    .unwrap();
    let uri = |p: &str| format!("file://{}/{p}", root.display());

    let mut c = Client::start(&root);
    c.request(
        "initialize",
        json!({"processId": null, "rootUri": uri("").trim_end_matches('/'), "capabilities": {}}),
    );
    c.notify("initialized", json!({}));
    let open = |c: &mut Client, p: &str| {
        c.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri(p), "languageId": "yaml", "version": 1, "text": pod}}),
        );
        c.diagnostics(&uri(p))
    };
    let severity = |diags: &[Value], code: &str| {
        diags
            .iter()
            .find(|d| d["code"] == code)
            .map(|d| d["severity"].as_i64().unwrap_or(0))
    };
    // extends: K8S044 off everywhere under the root config.
    let app = open(&mut c, "k8s/app/pod.yaml");
    assert!(codes(&app).contains(&"K8S040".into()), "{app:?}");
    assert!(!codes(&app).contains(&"K8S044".into()), "{app:?}");
    // overrides by glob.
    let quiet = open(&mut c, "k8s/quiet/pod.yaml");
    assert!(!codes(&quiet).contains(&"K8S040".into()), "{quiet:?}");
    // The nearest config wins whole: K8S044 is back, K8S040 is information (3).
    let legacy = open(&mut c, "k8s/legacy/pod.yaml");
    assert!(codes(&legacy).contains(&"K8S044".into()), "{legacy:?}");
    assert_eq!(severity(&legacy, "K8S040"), Some(3), "{legacy:?}");
    assert_ne!(severity(&app, "K8S040"), Some(3), "{app:?}");

    // A nested config written while the server runs.
    std::fs::write(
        root.join("k8s/later/.deploylint.yaml"),
        "extends: ../../.deploylint.yaml\nrules:\n  K8S040: off\n",
    )
    .unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri("k8s/later/.deploylint.yaml"), "type": 1}]}),
    );
    let later = open(&mut c, "k8s/later/pod.yaml");
    assert!(!codes(&later).contains(&"K8S040".into()), "{later:?}");
    assert!(!codes(&later).contains(&"K8S044".into()), "{later:?}");
    c.request("shutdown", json!(null));
    c.notify("exit", json!(null));
}
