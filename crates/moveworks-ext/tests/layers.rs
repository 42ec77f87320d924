//! The crate's modules are layers that import one way only: each folder of
//! `src/` imports its own modules and those of the layers before it, and no
//! modules import each other, directly or around a circle.
//!
//! Read from the `use crate::..`, `crate::..` and `super::..` paths of the
//! code outside `#[cfg(test)]` modules, the way a reader sees the
//! dependencies.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers, lowest first.
const LAYERS: [&str; 7] = [
    "config",
    "auth",
    "error",
    "transport",
    "client",
    "flows",
    "resources",
];

#[test]
fn each_layer_imports_only_itself_and_the_layers_below() {
    let graph = Graph::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(graph.modules.len() > 30, "read {:?}", graph.modules);
    let wrong = graph.layer_violations();
    assert!(wrong.is_empty(), "imports of a higher layer: {wrong:#?}");
    let circles = graph.circles();
    assert!(circles.is_empty(), "import circles: {circles:#?}");
}

#[test]
fn the_check_catches_a_circle_and_an_upward_import() {
    let graph = Graph::from_sources([
        ("config/mod.rs", "mod url;"),
        ("config/url.rs", "use crate::error::Error;"),
        (
            "error/mod.rs",
            "mod kinds;\n#[cfg(test)]\nmod tests { use crate::resources::x; }",
        ),
        (
            "error/kinds.rs",
            "use super::call::Facts; // crate::resources",
        ),
        ("error/call.rs", "fn f() -> super::kinds::Kind { todo!() }"),
        ("resources/mod.rs", "use crate::{config, error::kinds};"),
    ]);
    assert_eq!(
        graph.layer_violations(),
        [("config::url".to_owned(), "error".to_owned())]
    );
    assert_eq!(
        graph.circles(),
        [vec!["error::call".to_owned(), "error::kinds".to_owned()]]
    );
}

/// Modules and the modules they import.
struct Graph {
    modules: BTreeSet<String>,
    edges: BTreeMap<String, BTreeSet<String>>,
}

impl Graph {
    fn read(src: &Path) -> Graph {
        let mut sources = Vec::new();
        collect(src, src, &mut sources);
        Graph::from_sources(sources.iter().map(|(p, t)| (p.as_str(), t.as_str())))
    }

    /// From `(path relative to src/, text)` pairs.
    fn from_sources<'a>(sources: impl IntoIterator<Item = (&'a str, &'a str)>) -> Graph {
        let sources: Vec<(String, String)> = sources
            .into_iter()
            .map(|(path, text)| (module_of(path), without_tests_and_comments(text)))
            .collect();
        let modules: BTreeSet<String> = sources.iter().map(|(m, _)| m.clone()).collect();
        let mut edges = BTreeMap::new();
        for (module, text) in &sources {
            let targets: BTreeSet<String> = paths(text)
                .iter()
                .filter_map(|path| resolve(&modules, module, path))
                // A module's own ancestors are where it is declared, not a
                // dependency.
                .filter(|t| t != module && !t.is_empty() && !module.starts_with(&format!("{t}::")))
                .collect();
            edges.insert(module.clone(), targets);
        }
        Graph { modules, edges }
    }

    /// `(module, imported module)` pairs where the import is of a higher layer.
    fn layer_violations(&self) -> Vec<(String, String)> {
        let layer = |module: &str| {
            let top = module.split("::").next().unwrap_or_default();
            LAYERS.iter().position(|l| *l == top)
        };
        let mut wrong = Vec::new();
        for (from, targets) in &self.edges {
            for to in targets {
                if let (Some(a), Some(b)) = (layer(from), layer(to))
                    && b > a
                {
                    wrong.push((from.clone(), to.clone()));
                }
            }
        }
        wrong
    }

    /// Groups of modules that import each other (Tarjan's algorithm).
    fn circles(&self) -> Vec<Vec<String>> {
        struct Walk<'a> {
            graph: &'a Graph,
            index: BTreeMap<&'a str, usize>,
            low: BTreeMap<&'a str, usize>,
            stack: Vec<&'a str>,
            circles: Vec<Vec<String>>,
        }
        fn visit<'a>(walk: &mut Walk<'a>, v: &'a str) {
            let n = walk.index.len();
            walk.index.insert(v, n);
            walk.low.insert(v, n);
            walk.stack.push(v);
            for w in walk.graph.edges.get(v).into_iter().flatten() {
                if !walk.index.contains_key(w.as_str()) {
                    visit(walk, w);
                    let low = walk.low[v].min(walk.low[w.as_str()]);
                    walk.low.insert(v, low);
                } else if walk.stack.contains(&w.as_str()) {
                    let low = walk.low[v].min(walk.index[w.as_str()]);
                    walk.low.insert(v, low);
                }
            }
            if walk.low[v] == walk.index[v] {
                let mut group = Vec::new();
                while let Some(w) = walk.stack.pop() {
                    group.push(w.to_owned());
                    if w == v {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    walk.circles.push(group);
                }
            }
        }
        let mut walk = Walk {
            graph: self,
            index: BTreeMap::new(),
            low: BTreeMap::new(),
            stack: Vec::new(),
            circles: Vec::new(),
        };
        for module in &self.modules {
            if !walk.index.contains_key(module.as_str()) {
                visit(&mut walk, module);
            }
        }
        walk.circles
    }
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(root).unwrap().to_string_lossy();
            let text = std::fs::read_to_string(&path).unwrap();
            out.push((relative.replace('\\', "/"), text));
        }
    }
}

/// `error/mod.rs` is `error`, `error/kinds.rs` is `error::kinds`, `lib.rs`
/// is the root (`""`).
fn module_of(path: &str) -> String {
    let path = path.trim_end_matches(".rs");
    let parts: Vec<&str> = path
        .split('/')
        .filter(|p| !matches!(*p, "mod" | "lib"))
        .collect();
    parts.join("::")
}

/// The text without `#[cfg(test)]` modules and `//` comments.
fn without_tests_and_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        match after.find('{') {
            Some(open) => {
                let mut depth = 0;
                let mut end = after.len();
                for (i, c) in after[open..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = open + i + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                rest = &after[end..];
            }
            None => rest = "",
        }
    }
    out.push_str(rest);
    out.lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::..` and `super::..` path, `use` groups expanded.
fn paths(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let starts_path = (rest.starts_with("crate::") || rest.starts_with("super::"))
            && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_'));
        if !starts_path {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        }
        let end = path_end(rest);
        expand(&rest[..end], &mut found);
        i += end.max(1);
    }
    found
}

/// Where the path at the start of `text` ends, a `{..}` group included.
fn path_end(text: &str) -> usize {
    let mut depth = 0;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            c if depth == 0 && !(c.is_alphanumeric() || c == '_' || c == ':') => return i,
            _ => {}
        }
    }
    text.len()
}

/// `crate::a::{b, c::d}` is `crate::a::b` and `crate::a::c::d`.
fn expand(path: &str, out: &mut Vec<String>) {
    let Some(open) = path.find('{') else {
        out.push(path.trim_end_matches(':').to_owned());
        return;
    };
    let head = &path[..open];
    let inner = &path[open + 1..path.len() - 1];
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                push_item(head, &inner[start..i], out);
                start = i + 1;
            }
            _ => {}
        }
    }
    push_item(head, &inner[start..], out);
}

fn push_item(head: &str, item: &str, out: &mut Vec<String>) {
    let item = item.trim().split(" as ").next().unwrap_or_default().trim();
    if item.is_empty() || item == "self" {
        out.push(head.trim_end_matches(':').to_owned());
    } else {
        expand(&format!("{head}{item}"), out);
    }
}

/// The module `path` (written in `module`) points into: the longest prefix
/// that is a module.
fn resolve(modules: &BTreeSet<String>, module: &str, path: &str) -> Option<String> {
    let mut segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let mut base: Vec<&str> = if module.is_empty() {
        Vec::new()
    } else {
        module.split("::").collect()
    };
    match segments.first() {
        Some(&"crate") => {
            base.clear();
            segments.remove(0);
        }
        Some(&"super") => {
            // `super` of `a::b` (in a/b.rs) is `a`; of `a` (a/mod.rs), the root.
            while segments.first() == Some(&"super") {
                base.pop();
                segments.remove(0);
            }
        }
        _ => return None,
    }
    (0..=segments.len()).rev().find_map(|n| {
        let candidate = base
            .iter()
            .chain(&segments[..n])
            .copied()
            .collect::<Vec<_>>()
            .join("::");
        modules.contains(&candidate).then_some(candidate)
    })
}
