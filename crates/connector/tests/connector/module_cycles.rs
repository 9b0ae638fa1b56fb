//! No module cycles in the engine's code: a module that names another through a `crate::` or
//! `super::` path (or through a name it imported that way) depends on it, and no chain of such
//! dependencies may lead back to where it started. A module and its own submodules are one unit
//! here (a `mod.rs` that declares its passes, a pass that names its parent's `Run`): only modules
//! that are not each other's ancestors count. Comments, doc links and string literals are not code.
//!
//! `MODULE_CYCLES_SRC=crates/quipt/src cargo test -p connector --test connector module_cycles --
//! --nocapture` lists the cycles of another crate's `src` (relative to the workspace root).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

#[test]
fn the_engine_has_no_module_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let cycles = cycles(&src);
    assert!(
        cycles.is_empty(),
        "modules that depend on each other cannot be read or changed one at a time: {cycles:#?}"
    );
}

#[test]
fn the_module_cycles_of_another_crate_are_listed_on_request() {
    let Ok(dir) = std::env::var("MODULE_CYCLES_SRC") else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let cycles = cycles(&root.join(dir));
    for cycle in &cycles {
        println!("cycle: {}", cycle.join(" → "));
    }
    println!("{} module cycles", cycles.len());
}

#[test]
fn the_checker_sees_a_cycle_through_a_grouped_import_and_ignores_comments() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::create_dir_all(src.join("store")).unwrap();
    std::fs::write(src.join("lib.rs"), "mod report;\nmod store;\n").unwrap();
    std::fs::write(
        src.join("report.rs"),
        "//! Uses [`crate::store`] in a doc link only.\nuse crate::{store::{self, rows::Row}};\n",
    )
    .unwrap();
    std::fs::write(src.join("store/mod.rs"), "pub mod rows;\n").unwrap();
    std::fs::write(
        src.join("store/rows.rs"),
        "// crate::nothing here\nfn f() { let _ = \"crate::report\"; super::super::report::make(); }\n",
    )
    .unwrap();
    assert_eq!(
        cycles(src),
        vec![vec!["report".to_string(), "store::rows".to_string()]],
        "report imports store::rows and store::rows calls report"
    );
    std::fs::write(src.join("store/rows.rs"), "fn f() {}\n").unwrap();
    assert!(cycles(src).is_empty(), "without the call there is no cycle");
}

/// The strongly connected groups (more than one module) of the dependency graph of the crate whose
/// sources are in `src`, each sorted, in a stable order.
fn cycles(src: &Path) -> Vec<Vec<String>> {
    let files = module_files(src);
    let modules: BTreeSet<String> = files.keys().cloned().collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, file) in &files {
        let code = strip(&std::fs::read_to_string(file).expect("a readable source file"));
        for target in dependencies(module, &code, &modules) {
            if !is_ancestor(&target, module) && !is_ancestor(module, &target) {
                edges.entry(module.clone()).or_default().insert(target);
            }
        }
    }
    let mut groups: Vec<Vec<String>> = strongly_connected(&modules, &edges)
        .into_iter()
        .filter(|g| g.len() > 1)
        .map(|mut g| {
            g.sort();
            g
        })
        .collect();
    groups.sort();
    groups
}

/// Module path (`crate` for the root, `sync::orders_out`, …) → its file.
fn module_files(src: &Path) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("a readable source directory") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(src).expect("under src");
            let mut parts: Vec<String> = relative
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(
                parts.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                parts.pop();
            }
            let module = if parts.is_empty() {
                "crate".to_string()
            } else {
                parts.join("::")
            };
            out.insert(module, path);
        }
    }
    out
}

fn is_ancestor(ancestor: &str, module: &str) -> bool {
    ancestor == "crate" || module == ancestor || module.starts_with(&format!("{ancestor}::"))
}

/// The source without comments and without the contents of string and character literals.
fn strip(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r' && matches!(next, Some('"' | '#')) && !ident_before(&chars, i) {
            // A raw string: r"…" or r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            while j < chars.len() {
                if chars[j] == '"' && (0..hashes).all(|k| chars.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{..}'), or a lifetime / label ('a).
            let end = if next == Some('\\') {
                chars[i + 2..]
                    .iter()
                    .position(|&x| x == '\'')
                    .map(|p| i + 2 + p)
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(end) => {
                    out.push_str("' '");
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn ident_before(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

/// A token of the stripped source: an identifier, `::`, or one punctuation character.
fn tokens(code: &str) -> Vec<String> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push("::".into());
            i += 2;
        } else {
            if !c.is_whitespace() {
                out.push(c.to_string());
            }
            i += 1;
        }
    }
    out
}

/// The modules of `modules` that the code of `module` names.
fn dependencies(module: &str, code: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let tokens = tokens(code);
    // Inline modules (`mod tests { … }`) by brace depth, so `super::` inside one means the file's
    // module.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    // Names brought in by `use crate::…`/`use super::…` that are modules: alias → module path.
    let mut aliases: HashMap<String, String> = HashMap::new();
    let mut paths: Vec<Vec<String>> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i].as_str();
        match t {
            "{" => depth += 1,
            "}" => {
                depth = depth.saturating_sub(1);
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
            }
            "mod" if tokens.get(i + 2).map(String::as_str) == Some("{") => {
                inline.push((tokens[i + 1].clone(), depth));
            }
            _ => {}
        }
        let anchored = (t == "crate" || t == "super")
            && tokens.get(i + 1).map(String::as_str) == Some("::")
            && !(i > 0 && tokens[i - 1] == "::");
        if anchored {
            let here: Vec<String> = module
                .split("::")
                .filter(|s| *s != "crate")
                .map(String::from)
                .chain(inline.iter().map(|(name, _)| name.clone()))
                .collect();
            let is_use = i > 0 && tokens[i - 1] == "use";
            let mut trees = Vec::new();
            let end = path_tree(&tokens, i, &mut Vec::new(), &mut trees);
            for (path, alias) in trees {
                if let Some(absolute) = absolute(&here, &path) {
                    if is_use
                        && let Some(alias) = alias
                        && modules.contains(&absolute.join("::"))
                    {
                        aliases.insert(alias, absolute.join("::"));
                    }
                    paths.push(absolute);
                }
            }
            i = end;
            continue;
        }
        if let Some(target) = aliases.get(t)
            && tokens.get(i + 1).map(String::as_str) == Some("::")
            && !(i > 0 && tokens[i - 1] == "::")
        {
            let mut path: Vec<String> = target.split("::").map(String::from).collect();
            let mut j = i + 2;
            while j < tokens.len() && is_ident(&tokens[j]) {
                path.push(tokens[j].clone());
                if tokens.get(j + 1).map(String::as_str) != Some("::") {
                    break;
                }
                j += 2;
            }
            paths.push(path);
        }
        i += 1;
    }
    paths
        .iter()
        .filter_map(|path| {
            (1..=path.len())
                .rev()
                .map(|n| path[..n].join("::"))
                .find(|candidate| modules.contains(candidate))
        })
        .collect()
}

fn is_ident(token: &str) -> bool {
    token
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// Reads the path (or use tree) starting at `tokens[i]` into `out` as (segments, the name it
/// brings into scope); returns the index after it.
fn path_tree(
    tokens: &[String],
    mut i: usize,
    prefix: &mut Vec<String>,
    out: &mut Vec<(Vec<String>, Option<String>)>,
) -> usize {
    let start = prefix.len();
    while i < tokens.len() {
        let t = tokens[i].as_str();
        if t == "{" {
            i += 1;
            loop {
                match tokens.get(i).map(String::as_str) {
                    None => return i,
                    Some("}") => {
                        i += 1;
                        break;
                    }
                    Some(",") => i += 1,
                    Some(_) => i = path_tree(tokens, i, prefix, out),
                }
            }
            prefix.truncate(start);
            return i;
        }
        if !is_ident(t) && t != "*" {
            break;
        }
        prefix.push(t.to_string());
        i += 1;
        if tokens.get(i).map(String::as_str) == Some("::") {
            i += 1;
            continue;
        }
        break;
    }
    let mut path = prefix.clone();
    let mut alias = path.last().cloned();
    if path.last().map(String::as_str) == Some("self") {
        path.pop();
        alias = path.last().cloned();
    }
    if tokens.get(i).map(String::as_str) == Some("as") {
        alias = tokens.get(i + 1).cloned();
        i += 2;
    }
    if !path.is_empty() {
        out.push((path, alias));
    }
    prefix.truncate(start);
    i
}

/// `crate::a::b` or `super::…` seen from module `here` (its segments, inline modules included) as
/// segments from the crate root.
fn absolute(here: &[String], path: &[String]) -> Option<Vec<String>> {
    let mut base: Vec<String> = here.to_vec();
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => {
            base.clear();
            rest = &rest[1..];
        }
        Some("super") => {
            while rest.first().map(String::as_str) == Some("super") {
                base.pop()?;
                rest = &rest[1..];
            }
        }
        _ => return None,
    }
    base.extend(rest.iter().filter(|s| *s != "self").cloned());
    Some(if base.is_empty() {
        vec!["crate".to_string()]
    } else {
        base
    })
}

/// Tarjan's strongly connected components.
fn strongly_connected(
    nodes: &BTreeSet<String>,
    edges: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<Vec<String>> {
    struct State<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: HashMap<&'a str, usize>,
        low: HashMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        if let Some(targets) = s.edges.get(v) {
            for w in targets {
                let w = w.as_str();
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let low = s.low[v].min(s.low[w]);
                    s.low.insert(v, low);
                } else if s.on_stack.contains(w) {
                    let low = s.low[v].min(s.index[w]);
                    s.low.insert(v, low);
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut group = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                group.push(w.to_string());
                if w == v {
                    break;
                }
            }
            s.out.push(group);
        }
    }
    let mut state = State {
        edges,
        index: HashMap::new(),
        low: HashMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for node in nodes {
        if !state.index.contains_key(node.as_str()) {
            visit(&mut state, node);
        }
    }
    state.out
}
