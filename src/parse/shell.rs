//! Shell words of `RUN` (and other shell text): simple commands split at
//! `&&`, `||`, `|`, `;`, `&`, newlines and parentheses, with source spans.

use super::dockerfile::{Args, Instruction, Keyword, Located, Text};
use crate::source::Span;

/// The shell commands a `RUN` runs (its heredoc script included); `unix` is
/// false for a Windows escape character (`` ` ``).
pub(crate) fn run_commands(inst: &Instruction, unix: bool) -> Vec<Command> {
    if !inst.is(Keyword::Run) {
        return Vec::new();
    }
    match &inst.args {
        Args::Exec { items, span } => vec![Command {
            words: items.clone(),
            span: *span,
        }],
        Args::Shell(text) => {
            let mut out = split_commands_with(text, unix);
            // `RUN <<EOF` (optionally `RUN bash <<EOF`): the body is the script.
            let runs_body = out.iter().all(|c| {
                c.words.iter().all(|w| {
                    w.text.starts_with("<<") || is_shell(&w.text) || w.text.starts_with('-')
                })
            });
            if runs_body {
                out.clear();
                for h in &inst.heredocs {
                    out.extend(split_commands_with(&h.body, unix));
                }
            }
            out
        }
    }
}

fn is_shell(word: &str) -> bool {
    matches!(
        word.rsplit('/').next().unwrap_or(word),
        "sh" | "bash" | "ash" | "dash" | "zsh"
    )
}

/// One simple command: its words (env assignments included), quotes removed.
#[derive(Clone, Debug)]
pub struct Command {
    pub words: Vec<Located>,
    pub span: Span,
}

impl Command {
    /// The program and its arguments: leading `VAR=value` assignments, heredoc
    /// markers and shell keywords (`then apt-get ...`) are skipped; wrappers
    /// such as `sudo` are kept (rules decide about them).
    pub fn argv(&self) -> &[Located] {
        let skip = self
            .words
            .iter()
            .take_while(|w| {
                is_assignment(&w.text)
                    || w.text.starts_with("<<")
                    || matches!(
                        w.text.as_str(),
                        "then"
                            | "else"
                            | "elif"
                            | "do"
                            | "if"
                            | "while"
                            | "until"
                            | "!"
                            | "{"
                            | "time"
                    )
            })
            .count();
        &self.words[skip..]
    }

    /// The program name without its directory (`/usr/bin/composer` is `composer`).
    pub fn program(&self) -> Option<&str> {
        self.argv().first().map(|w| {
            let t = w.text.as_str();
            t.as_bytes()
                .iter()
                .rposition(|&b| b == b'/')
                .map_or(t, |i| &t[i + 1..])
        })
    }

    /// Whether the command is `program sub ...` (`apt-get install`), also when
    /// options come between (`apt-get -y install`).
    pub fn is(&self, programs: &[&str], sub: &str) -> bool {
        self.program().is_some_and(|p| programs.contains(&p)) && self.subcommand() == Some(sub)
    }

    /// The first argument that is not an option.
    pub fn subcommand(&self) -> Option<&str> {
        let args = self.argv().get(1..).unwrap_or(&[]);
        first_operand(args).map(|w| w.text.as_str())
    }

    pub fn has_arg(&self, pred: impl Fn(&str) -> bool) -> bool {
        self.argv().iter().skip(1).any(|w| pred(&w.text))
    }

    pub fn arg(&self, name: &str) -> Option<&Located> {
        self.argv().iter().skip(1).find(|w| w.text == name)
    }
}

/// The first word of `args` that is not an option (`composer --no-ansi install` gives `install`).
pub fn first_operand(args: &[Located]) -> Option<&Located> {
    args.iter().find(|w| !w.text.starts_with('-'))
}

fn is_assignment(word: &str) -> bool {
    // (A byte scan: it runs on the leading words of every command, each
    // time a rule asks for `argv`.)
    let b = word.as_bytes();
    b.iter().position(|&c| c == b'=').is_some_and(|eq| {
        let k = &b[..eq];
        !k.is_empty()
            && k.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
            && !k[0].is_ascii_digit()
    })
}

/// Splits shell text into simple commands at `&&`, `||`, `|`, `;`, `&`,
/// newlines and parentheses, outside quotes. `#` at a word start comments
/// to the end of the line. Words keep their source spans.
pub fn split_commands(text: &Text) -> Vec<Command> {
    split_commands_with(text, true)
}

/// As [`split_commands`]; `backslash_escapes` is false for Windows images
/// (`# escape=` backtick), whose shells read `\` as a path separator.
pub fn split_commands_with(text: &Text, backslash_escapes: bool) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut words: Vec<Located> = Vec::new();
    // A word is its source slice, copied once when it ends, until a quote or
    // an escape makes it differ: from then on it is built in `cur`.
    let mut cur = String::new();
    let mut built = false;
    let mut start: Option<usize> = None;
    let mut quote: Option<char> = None;
    let s = &text.text;
    let mut chars = s.char_indices().peekable();
    // The word so far moves into `cur` (before a quote or escape at `at`).
    let build = |cur: &mut String, built: &mut bool, start: Option<usize>, at: usize| {
        if !*built {
            if let Some(st) = start {
                cur.push_str(&s[st..at]);
            }
            *built = true;
        }
    };
    let flush_word = |words: &mut Vec<Located>,
                      cur: &mut String,
                      built: &mut bool,
                      start: &mut Option<usize>,
                      end: usize| {
        if let Some(st) = start.take() {
            let word = if *built {
                std::mem::take(cur)
            } else {
                s[st..end].to_owned()
            };
            words.push(Located {
                text: word,
                span: text.source_span(st, end),
            });
        }
        cur.clear();
        *built = false;
    };
    let flush_command = |commands: &mut Vec<Command>, words: &mut Vec<Located>| {
        if let (Some(first), Some(last)) = (words.first(), words.last()) {
            let span = first.span.cover(last.span);
            commands.push(Command {
                words: std::mem::take(words),
                span,
            });
        }
    };
    while let Some((i, c)) = chars.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some('"') if c == '\\' && backslash_escapes => {
                if let Some((_, n)) = chars.next() {
                    cur.push(n);
                }
            }
            Some(_) => cur.push(c),
            None => match c {
                '\'' | '"' => {
                    start.get_or_insert(i);
                    build(&mut cur, &mut built, start, i);
                    quote = Some(c);
                }
                '\\' if backslash_escapes => match chars.next() {
                    Some((_, n)) if n != '\n' => {
                        start.get_or_insert(i);
                        build(&mut cur, &mut built, start, i);
                        cur.push(n);
                    }
                    // `\` newline joins lines (heredoc scripts), a trailing
                    // `\` is dropped: a word goes on without them.
                    _ => {
                        if start.is_some() {
                            build(&mut cur, &mut built, start, i);
                        }
                    }
                },
                '#' if start.is_none() => {
                    for (_, n) in chars.by_ref() {
                        if n == '\n' {
                            break;
                        }
                    }
                    flush_command(&mut commands, &mut words);
                }
                '&' | '|' | ';' | '\n' | '(' | ')' => {
                    flush_word(&mut words, &mut cur, &mut built, &mut start, i);
                    flush_command(&mut commands, &mut words);
                }
                c if c.is_whitespace() => {
                    flush_word(&mut words, &mut cur, &mut built, &mut start, i)
                }
                _ => {
                    start.get_or_insert(i);
                    if built {
                        cur.push(c);
                    }
                }
            },
        }
    }
    flush_word(&mut words, &mut cur, &mut built, &mut start, s.len());
    flush_command(&mut commands, &mut words);
    commands
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignments_and_program_names() {
        for (word, yes) in [
            ("A=1", true),
            ("_x=y", true),
            ("PATH=$PATH:/x", true),
            ("A==", true),
            ("1A=2", false),
            ("=x", false),
            ("a-b=c", false),
            ("é=1", false),
            ("plain", false),
            ("", false),
        ] {
            assert_eq!(is_assignment(word), yes, "{word:?}");
        }
        let text = Text::contiguous("A=1 /usr/bin/composer install && ./run.sh x && dir/ y", 0);
        let commands = split_commands(&text);
        let programs: Vec<Option<&str>> = commands.iter().map(Command::program).collect();
        assert_eq!(programs, [Some("composer"), Some("run.sh"), Some("")]);
    }

    /// Words are slices of the text until a quote or an escape makes them
    /// differ; from there they are built: both give the shell's words.
    #[test]
    fn quoted_and_escaped_words() {
        let words = |s: &str, unix: bool| -> Vec<Vec<String>> {
            split_commands_with(&Text::contiguous(s, 0), unix)
                .into_iter()
                .map(|c| c.words.into_iter().map(|w| w.text).collect())
                .collect()
        };
        assert_eq!(
            words("a\"b c\"d 'x y'z plain", true),
            [["ab cd", "x yz", "plain"]]
        );
        assert_eq!(words("ab\\\ncd e\\ f", true), [["abcd", "e f"]]);
        assert_eq!(words("x \"a\\\"b\" y\\", true), [["x", "a\"b", "y"]]);
        assert_eq!(words("C:\\dir a", false), [["C:\\dir", "a"]]);
        assert_eq!(words("a=1 b && c", true), [vec!["a=1", "b"], vec!["c"]]);
    }
}
