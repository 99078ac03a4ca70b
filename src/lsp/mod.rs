//! `deploylint lsp`: a language server over stdio on one long-lived
//! [`Session`]. The workspace's config files are loaded as context; open
//! buffers override the files on disk and are the ones reported on. A change
//! re-parses that buffer only, re-runs the project rules whose inputs changed,
//! and republishes every open document whose findings changed (a cross-file
//! finding can appear in another file).
//!
//! Positions are UTF-16 (the LSP default). Handlers run under
//! `catch_unwind`: a panic answers the request with an error and the server
//! stays up.

use crate::catalog::catalog;
use crate::config::Config;
use crate::diagnostic::{Applicability, Diagnostic, FileId, Severity};
use crate::discover::{self, NameGuess};
use crate::engine::{Input, LintOptions, Role, Session};
use crate::source::{FileKind, SourceFile, Span};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types as lt;
use std::collections::{BTreeMap, BTreeSet};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Runs the server on stdin/stdout until `exit`. Returns the process exit code.
pub fn run() -> u8 {
    let (connection, io) = Connection::stdio();
    let code = match serve(&connection) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("deploylint lsp: {e}");
            1
        }
    };
    drop(connection);
    let _ = io.join();
    code
}

fn capabilities() -> lt::ServerCapabilities {
    lt::ServerCapabilities {
        position_encoding: Some(lt::PositionEncodingKind::UTF16),
        text_document_sync: Some(lt::TextDocumentSyncCapability::Kind(
            lt::TextDocumentSyncKind::FULL,
        )),
        hover_provider: Some(lt::HoverProviderCapability::Simple(true)),
        code_action_provider: Some(lt::CodeActionProviderCapability::Options(
            lt::CodeActionOptions {
                code_action_kinds: Some(vec![
                    lt::CodeActionKind::QUICKFIX,
                    lt::CodeActionKind::new("source.fixAll.deploylint"),
                ]),
                ..Default::default()
            },
        )),
        ..Default::default()
    }
}

fn serve(connection: &Connection) -> Result<(), String> {
    let (id, init) = connection.initialize_start().map_err(|e| e.to_string())?;
    let params: lt::InitializeParams = serde_json::from_value(init).unwrap_or_default();
    // UTF-8 positions when the client offers them, else the UTF-16 default.
    let utf8 = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref())
        .is_some_and(|e| e.contains(&lt::PositionEncodingKind::UTF8));
    let mut caps = capabilities();
    if utf8 {
        caps.position_encoding = Some(lt::PositionEncodingKind::UTF8);
    }
    if params
        .capabilities
        .text_document
        .as_ref()
        .is_some_and(|t| t.diagnostic.is_some())
    {
        caps.diagnostic_provider = Some(lt::DiagnosticServerCapabilities::Options(
            lt::DiagnosticOptions {
                identifier: Some("deploylint".into()),
                inter_file_dependencies: true,
                workspace_diagnostics: false,
                ..Default::default()
            },
        ));
    }
    let result = serde_json::json!({
        "capabilities": caps,
        "serverInfo": {"name": "deploylint", "version": env!("CARGO_PKG_VERSION")},
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| e.to_string())?;
    let root = root_of(&params).unwrap_or_else(|| std::env::current_dir().unwrap_or_default());
    let mut server = Server::new(root, utf8, &[]);
    let mut pending: std::collections::VecDeque<Message> = std::collections::VecDeque::new();
    loop {
        let msg = match pending.pop_front() {
            Some(m) => m,
            None => match connection.receiver.recv() {
                Ok(m) => m,
                Err(_) => return Ok(()),
            },
        };
        match msg {
            Message::Request(req) => {
                if connection
                    .handle_shutdown(&req)
                    .map_err(|e| e.to_string())?
                {
                    return Ok(());
                }
                let id = req.id.clone();
                let out = std::panic::catch_unwind(AssertUnwindSafe(|| server.request(req)));
                let response = match out {
                    Ok(r) => r,
                    Err(_) => Response::new_err(
                        id,
                        ErrorCode::InternalError as i32,
                        "deploylint: internal error while handling the request".into(),
                    ),
                };
                send(connection, Message::Response(response));
            }
            Message::Notification(n) => {
                // Debounce: apply every notification already waiting, then
                // lint and publish once.
                let mut changed = apply(&mut server, n);
                while let Ok(next) = connection.receiver.try_recv() {
                    match next {
                        Message::Notification(n) => changed |= apply(&mut server, n),
                        other => {
                            pending.push_back(other);
                            break;
                        }
                    }
                }
                if changed {
                    let out = std::panic::catch_unwind(AssertUnwindSafe(|| server.publish()));
                    for note in out.unwrap_or_default() {
                        send(connection, Message::Notification(note));
                    }
                }
                for note in std::mem::take(&mut server.outbox) {
                    send(connection, Message::Notification(note));
                }
            }
            Message::Response(_) => {}
        }
    }
}

/// Applies one notification; true when the workspace changed.
fn apply(server: &mut Server, n: Notification) -> bool {
    std::panic::catch_unwind(AssertUnwindSafe(|| server.notify(n))).unwrap_or(false)
}

fn send(connection: &Connection, msg: Message) {
    let _ = connection.sender.send(msg);
}

#[allow(deprecated)]
fn root_of(p: &lt::InitializeParams) -> Option<PathBuf> {
    p.workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .and_then(|f| uri_to_path(&f.uri))
        .or_else(|| p.root_uri.as_ref().and_then(uri_to_path))
}

/// `file:///a%20b/c` to `/a b/c`.
pub fn uri_to_path(uri: &lt::Uri) -> Option<PathBuf> {
    let s = uri.as_str().strip_prefix("file://")?;
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok().map(PathBuf::from)
}

pub fn path_to_uri(path: &Path) -> Option<lt::Uri> {
    let mut s = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    lt::Uri::from_str(&s).ok()
}

struct Server {
    root: PathBuf,
    session: Session,
    /// Open documents: display path (relative to the root) to URI.
    open: BTreeMap<String, lt::Uri>,
    /// What was last published per open document (to republish on change).
    published: BTreeMap<String, Vec<lt::Diagnostic>>,
    /// The last findings, for code actions and hover.
    findings: Vec<Diagnostic>,
    /// Positions in UTF-8 bytes (negotiated) instead of UTF-16 units.
    utf8: bool,
    /// Notifications to send after the current one is handled.
    outbox: Vec<Notification>,
}

impl Server {
    /// `also`: files (relative to the root) whose nearest config is loaded
    /// even if the workspace walk does not list them (open buffers).
    fn new(root: PathBuf, utf8: bool, also: &[PathBuf]) -> Server {
        // Paths are shown and linked relative to the workspace root.
        let _ = std::env::set_current_dir(&root);
        let mut outbox = Vec::new();
        let mut config = match Config::discover(Path::new(".")).map(|p| Config::load(&p)) {
            Some(Ok(c)) => c,
            Some(Err(e)) => {
                outbox.push(config_error_message(&e));
                Config::with_defaults(PathBuf::from("."))
            }
            None => Config::with_defaults(PathBuf::from(".")),
        };
        let (candidates, _) = discover::walk(&[PathBuf::from(".")], &config);
        // Each file uses its nearest `.deploylint.yaml` (with its `extends:`
        // and `overrides:`), as `deploylint check` of the workspace does.
        let nested = config.attach_nested(
            candidates
                .iter()
                .map(|c| c.path.as_path())
                .chain(also.iter().map(PathBuf::as_path)),
        );
        if let Err(e) = nested {
            outbox.push(config_error_message(&e));
            config.nested.clear();
        }
        let mut session = Session::new(config, LintOptions::default()).keep_documents(true);
        // The workspace's custom rules run as in `deploylint check`; a rule
        // file with errors is named in a message (the CLI exits 2 on it).
        match crate::custom::CustomRules::load(session.config()) {
            Ok(custom) => session.add_rules(custom.rules()),
            Err(e) => outbox.push(show_message(
                lt::MessageType::ERROR,
                format!("deploylint: custom rules not loaded: {}", e.summary()),
            )),
        }
        for c in candidates {
            session.add(Input::from(c), Role::Context);
        }
        Server {
            root,
            session,
            open: BTreeMap::new(),
            published: BTreeMap::new(),
            findings: Vec::new(),
            utf8,
            outbox,
        }
    }

    fn display_of(&self, uri: &lt::Uri) -> Option<String> {
        let path = uri_to_path(uri)?;
        let rel = path
            .strip_prefix(&self.root)
            .ok()?
            .to_string_lossy()
            .into_owned();
        Some(rel)
    }

    fn notify(&mut self, n: Notification) -> bool {
        match n.method.as_str() {
            "textDocument/didOpen" => {
                let Ok(p) = serde_json::from_value::<lt::DidOpenTextDocumentParams>(n.params)
                else {
                    return false;
                };
                let Some(display) = self.display_of(&p.text_document.uri) else {
                    return false;
                };
                if self.session.file_id(&display).is_none() && self.unloaded_config(&display) {
                    // A `.deploylint.yaml` nearer to it than any loaded one.
                    self.open
                        .insert(display.clone(), p.text_document.uri.clone());
                    self.restart();
                }
                let path = self.root.join(&display);
                let guess =
                    discover::guess(&path, self.session.config()).unwrap_or(NameGuess::Yaml);
                self.session.add(
                    Input {
                        display: display.clone(),
                        path: Some(PathBuf::from(&display)),
                        guess,
                        text: Some(Ok(p.text_document.text)),
                    },
                    Role::Named,
                );
                self.open.insert(display, p.text_document.uri);
                true
            }
            "textDocument/didChange" => {
                let Ok(p) = serde_json::from_value::<lt::DidChangeTextDocumentParams>(n.params)
                else {
                    return false;
                };
                let Some(display) = self.display_of(&p.text_document.uri) else {
                    return false;
                };
                // Full sync: the last change holds the whole text.
                if let Some(change) = p.content_changes.into_iter().last() {
                    self.session.update(&display, change.text);
                }
                true
            }
            "textDocument/didClose" => {
                let Ok(p) = serde_json::from_value::<lt::DidCloseTextDocumentParams>(n.params)
                else {
                    return false;
                };
                let Some(display) = self.display_of(&p.text_document.uri) else {
                    return false;
                };
                self.session.reload(&display);
                self.session.set_role(&display, Role::Context);
                self.open.remove(&display);
                self.published.remove(&display);
                self.outbox
                    .push(publish_note(p.text_document.uri, Vec::new()));
                true
            }
            "workspace/didChangeWatchedFiles" => {
                // A kustomization may have changed: read them again.
                crate::rules::k8s::kustomize::forget_cache();
                if let Ok(p) = serde_json::from_value::<lt::DidChangeWatchedFilesParams>(n.params) {
                    for change in p.changes {
                        let Some(display) = self.display_of(&change.uri) else {
                            continue;
                        };
                        let custom_rule = (display.ends_with(".yaml") || display.ends_with(".yml"))
                            && self.is_custom_rule_file(&display);
                        if display.ends_with(".deploylint.yaml")
                            || display.ends_with(".deploylint.yml")
                            || custom_rule
                        {
                            // New settings: rebuild the session, keeping open buffers.
                            self.restart();
                            continue;
                        }
                        if self.open.contains_key(&display) {
                            continue; // the buffer wins
                        }
                        if change.typ == lt::FileChangeType::DELETED {
                            self.session.remove(&display);
                        } else if !self.session.reload(&display) {
                            let path = PathBuf::from(&display);
                            if let Some(guess) = discover::guess(&path, self.session.config()) {
                                self.session.add(
                                    Input {
                                        display,
                                        path: Some(path),
                                        guess,
                                        text: None,
                                    },
                                    Role::Context,
                                );
                            }
                        }
                    }
                }
                true
            }
            _ => false,
        }
    }

    /// Whether a workspace file sits in a custom-rules directory (its change
    /// reloads the rules).
    fn is_custom_rule_file(&self, display: &str) -> bool {
        let path = self.root.join(display);
        let config = self.session.config();
        let default = config.root.join(crate::custom::DEFAULT_DIR);
        config
            .custom_rules
            .iter()
            .map(|(d, _)| d)
            .chain(std::iter::once(&default))
            .any(|d| {
                let d = if d.is_absolute() {
                    d.clone()
                } else {
                    self.root.join(d)
                };
                path.starts_with(d)
            })
    }

    /// Whether a `.deploylint.yaml` between `display`'s directory and the
    /// workspace root is not loaded.
    fn unloaded_config(&self, display: &str) -> bool {
        let config = self.session.config();
        let loaded = |dir: &Path| {
            config
                .nested
                .iter()
                .any(|c| c.root.components().eq(dir.components()))
        };
        Path::new(display)
            .ancestors()
            .skip(1)
            .take_while(|d| !d.as_os_str().is_empty())
            .any(|d| {
                crate::config::CONFIG_NAMES
                    .iter()
                    .any(|n| self.root.join(d).join(n).is_file())
                    && !loaded(d)
            })
    }

    /// Rebuilds the session (the config changed); open buffers stay open.
    fn restart(&mut self) {
        let buffers: Vec<(String, Option<String>)> = self
            .open
            .keys()
            .map(|d| {
                let id = self.session.file_id(d);
                (
                    d.clone(),
                    id.and_then(|id| self.session.files().get(id))
                        .map(|f| f.source.text.clone()),
                )
            })
            .collect();
        let also: Vec<PathBuf> = self.open.keys().map(PathBuf::from).collect();
        let fresh = Server::new(self.root.clone(), self.utf8, &also);
        self.session = fresh.session;
        self.outbox.extend(fresh.outbox);
        self.published.clear();
        for (display, text) in buffers {
            let guess = discover::guess(Path::new(&display), self.session.config())
                .unwrap_or(NameGuess::Yaml);
            self.session.add(
                Input {
                    display: display.clone(),
                    path: Some(PathBuf::from(&display)),
                    guess,
                    text: text.map(Ok),
                },
                Role::Named,
            );
        }
    }

    /// Re-checks and returns a publish notification for every open document
    /// whose diagnostics changed.
    fn publish(&mut self) -> Vec<Notification> {
        let (diagnostics, _) = self.session.check();
        let mut by_file: BTreeMap<FileId, Vec<lt::Diagnostic>> = BTreeMap::new();
        for d in &diagnostics {
            by_file.entry(d.file).or_default().push(self.to_lsp(d));
        }
        self.findings = diagnostics;
        let mut out = Vec::new();
        for (display, uri) in &self.open {
            let Some(id) = self.session.file_id(display) else {
                continue;
            };
            let list = by_file.remove(&id).unwrap_or_default();
            if self.published.get(display) != Some(&list) {
                self.published.insert(display.clone(), list.clone());
                out.push(publish_note(uri.clone(), list));
            }
        }
        out
    }

    fn source(&self, id: FileId) -> Option<&SourceFile> {
        self.session.files().get(id).map(|f| &f.source)
    }

    fn range(&self, id: FileId, span: Span) -> lt::Range {
        let Some(src) = self.source(id) else {
            return lt::Range::default();
        };
        let utf8 = self.utf8;
        let pos = |o: usize| {
            let p = src.position(o);
            let column = if utf8 {
                p.offset - src.lines.line_start(p.line.saturating_sub(1))
            } else {
                p.utf16_column.saturating_sub(1)
            };
            lt::Position::new(p.line.saturating_sub(1) as u32, column as u32)
        };
        lt::Range::new(pos(span.start), pos(span.end))
    }

    fn offset(&self, id: FileId, p: lt::Position) -> usize {
        let Some(src) = self.source(id) else { return 0 };
        if self.utf8 {
            let range = src.lines.line_range(&src.text, p.line as usize);
            let at = (range.start + p.character as usize).min(range.end);
            return crate::source::clamp_to_char_boundary(&src.text, at);
        }
        src.lines
            .offset_of_utf16(&src.text, p.line as usize, p.character as usize)
    }

    fn uri_of(&self, id: FileId) -> Option<lt::Uri> {
        let display = &self.session.files().get(id)?.source.path;
        self.open
            .get(display)
            .cloned()
            .or_else(|| path_to_uri(&self.root.join(display)))
    }

    fn to_lsp(&self, d: &Diagnostic) -> lt::Diagnostic {
        let meta = catalog().get(&d.code);
        let related: Vec<lt::DiagnosticRelatedInformation> = d
            .labels
            .iter()
            .filter_map(|l| {
                Some(lt::DiagnosticRelatedInformation {
                    location: lt::Location::new(self.uri_of(l.file)?, self.range(l.file, l.span)),
                    message: l.message.clone(),
                })
            })
            .collect();
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        lt::Diagnostic {
            range: self.range(d.file, d.span),
            severity: Some(match d.severity {
                Severity::Error => lt::DiagnosticSeverity::ERROR,
                Severity::Warning => lt::DiagnosticSeverity::WARNING,
                Severity::Info => lt::DiagnosticSeverity::INFORMATION,
            }),
            code: Some(lt::NumberOrString::String(d.code.to_string())),
            code_description: meta
                .and_then(|m| lt::Uri::from_str(&m.docs_url()).ok())
                .map(|href| lt::CodeDescription { href }),
            source: Some("deploylint".into()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            tags: None,
            data: None,
        }
    }

    fn request(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        match req.method.as_str() {
            "textDocument/hover" => {
                let Ok(p) = serde_json::from_value::<lt::HoverParams>(req.params) else {
                    return invalid(id);
                };
                Response::new_ok(id, self.hover(p))
            }
            "textDocument/diagnostic" => {
                let Ok(p) = serde_json::from_value::<lt::DocumentDiagnosticParams>(req.params)
                else {
                    return invalid(id);
                };
                let items = self.pull(&p.text_document.uri);
                Response::new_ok(id, serde_json::json!({"kind": "full", "items": items}))
            }
            "textDocument/codeAction" => {
                let Ok(p) = serde_json::from_value::<lt::CodeActionParams>(req.params) else {
                    return invalid(id);
                };
                Response::new_ok(id, self.code_actions(p))
            }
            _ => Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("unknown method {}", req.method),
            ),
        }
    }

    /// Pull diagnostics: the file's current findings (it is linted as an
    /// open buffer if it is not one yet).
    fn pull(&mut self, uri: &lt::Uri) -> Vec<lt::Diagnostic> {
        let Some(display) = self.display_of(uri) else {
            return Vec::new();
        };
        if self.session.file_id(&display).is_some() {
            self.session.set_role(&display, Role::Named);
        }
        let (diagnostics, _) = self.session.check();
        let Some(id) = self.session.file_id(&display) else {
            return Vec::new();
        };
        let out = diagnostics
            .iter()
            .filter(|d| d.file == id)
            .map(|d| self.to_lsp(d))
            .collect();
        self.findings = diagnostics;
        out
    }

    /// Findings of the file `uri` whose range touches `[start, end]`.
    fn at(
        &self,
        uri: &lt::Uri,
        start: lt::Position,
        end: lt::Position,
    ) -> (Option<FileId>, Vec<&Diagnostic>) {
        let Some(display) = self.display_of(uri) else {
            return (None, Vec::new());
        };
        let Some(file) = self.session.file_id(&display) else {
            return (None, Vec::new());
        };
        let (a, b) = (self.offset(file, start), self.offset(file, end));
        let hits = self
            .findings
            .iter()
            .filter(|d| d.file == file && d.span.start <= b && a <= d.span.end.max(d.span.start))
            .collect();
        (Some(file), hits)
    }

    fn hover(&self, p: lt::HoverParams) -> Option<lt::Hover> {
        let pos = p.text_document_position_params.position;
        let (_, hits) = self.at(&p.text_document_position_params.text_document.uri, pos, pos);
        let mut parts = Vec::new();
        let mut seen = BTreeSet::new();
        for d in hits {
            if !seen.insert(d.code.clone()) {
                continue;
            }
            match catalog().get(&d.code) {
                Some(m) => parts.push(format!(
                    "**{} {}**: {}\n\n{}\n\n**Fix:** {}\n\n[{}]({})",
                    m.code,
                    m.name,
                    m.title,
                    m.rationale.trim(),
                    m.help(),
                    m.docs_url(),
                    m.docs_url()
                )),
                None => parts.push(format!("**{}**: {}", d.code, d.message)),
            }
        }
        (!parts.is_empty()).then(|| lt::Hover {
            contents: lt::HoverContents::Markup(lt::MarkupContent {
                kind: lt::MarkupKind::Markdown,
                value: parts.join("\n\n---\n\n"),
            }),
            range: None,
        })
    }

    // lsp-types keys `WorkspaceEdit.changes` by `Uri`, whose parsed form caches
    // lazily; it is never mutated through the map here.
    #[allow(clippy::mutable_key_type)]
    fn edit(&self, file: FileId, uri: &lt::Uri, edits: Vec<(Span, String)>) -> lt::WorkspaceEdit {
        let text_edits = edits
            .into_iter()
            .map(|(span, new_text)| lt::TextEdit::new(self.range(file, span), new_text))
            .collect();
        let mut changes = std::collections::HashMap::new();
        changes.insert(uri.clone(), text_edits);
        lt::WorkspaceEdit::new(changes)
    }

    fn code_actions(&self, p: lt::CodeActionParams) -> Vec<lt::CodeActionOrCommand> {
        let uri = &p.text_document.uri;
        let (file, hits) = self.at(uri, p.range.start, p.range.end);
        let Some(file) = file else { return Vec::new() };
        let mut out = Vec::new();
        for d in &hits {
            if let Some(fix) = &d.fix {
                let safe = fix.applicability == Applicability::Safe;
                out.push(lt::CodeActionOrCommand::CodeAction(lt::CodeAction {
                    title: if safe {
                        format!("{} ({})", fix.title, d.code)
                    } else {
                        format!("{} ({}, unsafe: changes behaviour)", fix.title, d.code)
                    },
                    kind: Some(lt::CodeActionKind::QUICKFIX),
                    is_preferred: Some(safe),
                    edit: Some(
                        self.edit(
                            file,
                            uri,
                            fix.edits
                                .iter()
                                .map(|e| (e.span, e.replacement.clone()))
                                .collect(),
                        ),
                    ),
                    ..Default::default()
                }));
            }
        }
        for d in &hits {
            if let Some(edit) = self.suppress_edit(file, d) {
                out.push(lt::CodeActionOrCommand::CodeAction(lt::CodeAction {
                    title: format!("Suppress {} on this line", d.code),
                    kind: Some(lt::CodeActionKind::QUICKFIX),
                    edit: Some(self.edit(file, uri, vec![edit])),
                    ..Default::default()
                }));
            }
            if let Some((edit, object)) = self.suppress_object_edit(file, d) {
                out.push(lt::CodeActionOrCommand::CodeAction(lt::CodeAction {
                    title: format!("Suppress {} for {object} (annotation)", d.code),
                    kind: Some(lt::CodeActionKind::QUICKFIX),
                    edit: Some(self.edit(file, uri, vec![edit])),
                    ..Default::default()
                }));
            }
        }
        // Every safe fix of the file at once.
        let all: Vec<(Span, String)> = self
            .findings
            .iter()
            .filter(|d| d.file == file)
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| f.applicability == Applicability::Safe)
            .flat_map(|f| f.edits.iter().map(|e| (e.span, e.replacement.clone())))
            .collect();
        if !all.is_empty() && non_overlapping(&all) {
            out.push(lt::CodeActionOrCommand::CodeAction(lt::CodeAction {
                title: "Fix all safe deploylint findings in this file".into(),
                kind: Some(lt::CodeActionKind::new("source.fixAll.deploylint")),
                edit: Some(self.edit(file, uri, all)),
                ..Default::default()
            }));
        }
        out
    }

    /// An own-line `deploylint ignore=CODE -- reason` above the finding's
    /// line, in the file's comment syntax, with its indentation.
    fn suppress_edit(&self, file: FileId, d: &Diagnostic) -> Option<(Span, String)> {
        let src = self.source(file)?;
        let marker = match src.kind? {
            FileKind::PhpIni | FileKind::PhpFpm => ";",
            FileKind::Octane | FileKind::Horizon | FileKind::LaravelRoutes => "//",
            _ => "#",
        };
        let line = src.lines.line_of(d.span.start);
        let start = src.lines.line_start(line);
        let indent: String = src.text[start..]
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        let eol = if src.text.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        Some((
            Span::new(start, start),
            format!(
                "{indent}{marker} deploylint ignore={} -- reason{eol}",
                d.code
            ),
        ))
    }
}

impl Server {
    /// For a Kubernetes finding: a `deploylint.io/ignore` annotation on the
    /// object that holds it, added under `metadata.annotations` (created
    /// when missing). Block-style metadata only; an object that already has
    /// the annotation is left to the user.
    fn suppress_object_edit(
        &self,
        file: FileId,
        d: &Diagnostic,
    ) -> Option<((Span, String), String)> {
        let f = self.session.files().get(file)?;
        if f.kind() != Some(FileKind::Kubernetes) {
            return None;
        }
        let yaml = f.document.as_yaml()?;
        let text = &f.source.text;
        let doc = yaml
            .documents
            .iter()
            .find(|doc| doc.root.span.start <= d.span.start && d.span.end <= doc.root.span.end)?;
        let obj = crate::model::k8s::objects(yaml)
            .into_iter()
            .filter(|o| o.doc == doc.index)
            .find(|o| o.root.span.start <= d.span.start && d.span.end <= o.root.span.end)?;
        let meta = obj.root.entry("metadata")?;
        let first = meta.value.as_map().first()?;
        let line_start = |at: usize| text[..at].rfind('\n').map_or(0, |i| i + 1);
        let column = |at: usize| at - line_start(at);
        // Block style: the first key starts its own line.
        let key_col = column(first.key.span.start);
        if text[line_start(first.key.span.start)..first.key.span.start].trim() != "" {
            return None;
        }
        let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
        let line_end = |at: usize| text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
        let annotation = format!("deploylint.io/ignore: \"{} -- reason\"", d.code);
        let edit = match meta.value.entry("annotations") {
            Some(a) if a.value.get("deploylint.io/ignore").is_some() => return None,
            Some(a) => {
                let child = a.value.as_map().first()?;
                let col = column(child.key.span.start);
                if text[line_start(child.key.span.start)..child.key.span.start].trim() != "" {
                    return None;
                }
                let at = line_start(child.key.span.start);
                (
                    Span::new(at, at),
                    format!("{}{annotation}{eol}", " ".repeat(col)),
                )
            }
            None => {
                // After the `metadata:` line.
                let at = line_end(meta.key.span.end);
                let pad = " ".repeat(key_col);
                (
                    Span::new(at, at),
                    format!("{pad}annotations:{eol}{pad}  {annotation}{eol}"),
                )
            }
        };
        Some((edit, obj.display()))
    }
}

fn non_overlapping(edits: &[(Span, String)]) -> bool {
    let mut spans: Vec<Span> = edits.iter().map(|(s, _)| *s).collect();
    spans.sort_by_key(|s| (s.start, s.end));
    spans.windows(2).all(|w| w[0].end <= w[1].start)
}

/// A config that cannot be used, named in a message (the defaults apply).
fn config_error_message(e: &crate::config::ConfigError) -> Notification {
    let first = e.diagnostics.first().map_or_else(String::new, |d| {
        let p = e.source.position(d.span.start);
        format!("{}:{}:{}: {}", e.source.path, p.line, p.column, d.message)
    });
    show_message(
        lt::MessageType::ERROR,
        format!("deploylint: configuration not used: {first}"),
    )
}

fn show_message(typ: lt::MessageType, message: String) -> Notification {
    Notification::new(
        "window/showMessage".into(),
        lt::ShowMessageParams { typ, message },
    )
}

fn publish_note(uri: lt::Uri, diagnostics: Vec<lt::Diagnostic>) -> Notification {
    Notification::new(
        "textDocument/publishDiagnostics".into(),
        lt::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        },
    )
}

fn invalid(id: lsp_server::RequestId) -> Response {
    Response::new_err(
        id,
        ErrorCode::InvalidParams as i32,
        "invalid parameters".into(),
    )
}
