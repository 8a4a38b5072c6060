//! The house rules of the code, read from its source: no two modules of `server` or of `shared`
//! import each other in a circle, the command line and the use cases never reach into the HTTP
//! layer, and no source file outside the string tables grows past 700 lines.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Files allowed past [`MAX_LINES`]: tables of strings, not code.
const STRING_TABLES: &[&str] = &["frontend/src/i18n/en.rs", "frontend/src/i18n/it.rs"];
const MAX_LINES: usize = 700;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("server/ sits in the workspace")
        .to_path_buf()
}

fn rust_files(dir: &Path, into: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("source folder readable") {
        let path = entry.expect("entry readable").path();
        if path.is_dir() {
            rust_files(&path, into);
        } else if path.extension().is_some_and(|e| e == "rs") {
            into.push(path);
        }
    }
}

/// `src/http/routes/team.rs` → `http::routes::team`; `src/http/mod.rs` → `http`.
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).expect("file under src");
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts
        .last()
        .is_some_and(|p| p == "mod" || p == "lib" || p == "main")
    {
        parts.pop();
    }
    parts.join("::")
}

/// The code a file compiles outside its tests: everything before `#[cfg(test)]` + `mod`.
fn code_outside_tests(text: &str) -> String {
    let mut kept = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]"
            && lines
                .peek()
                .is_some_and(|next| next.trim_start().starts_with("mod "))
        {
            break;
        }
        // Comments name modules without importing them.
        if !line.trim_start().starts_with("//") {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    kept
}

/// Every path a text names after `crate::`, braces expanded: `crate::{a, b::{c, d}}` gives
/// `a`, `b::c`, `b::d`.
fn crate_paths(text: &str) -> Vec<String> {
    paths_after(text, "crate::")
}

fn paths_after(text: &str, anchor: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(anchor) {
        let before = rest[..at].chars().last();
        rest = &rest[at + anchor.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        let (paths, _) = expand(rest);
        found.extend(paths);
    }
    found
}

/// Reads one path (or brace group) from the start of `text`; returns the paths and the bytes read.
fn expand(text: &str) -> (Vec<String>, usize) {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut prefix = String::new();
    loop {
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        let segment = &text[start..i];
        if text[i..].starts_with("::{") {
            if !segment.is_empty() {
                prefix.push_str(segment);
                prefix.push_str("::");
            }
            i += 3;
            return group(text, i, &prefix);
        }
        if text[i..].starts_with('{') && segment.is_empty() {
            return group(text, i + 1, &prefix);
        }
        if text[i..].starts_with("::") && !segment.is_empty() {
            prefix.push_str(segment);
            prefix.push_str("::");
            i += 2;
            continue;
        }
        prefix.push_str(segment);
        return (vec![prefix], i);
    }
}

fn group(text: &str, mut i: usize, prefix: &str) -> (Vec<String>, usize) {
    let mut paths = Vec::new();
    loop {
        while i < text.len() && text.as_bytes()[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= text.len() || text.as_bytes()[i] == b'}' {
            return (paths, i + 1);
        }
        let (inner, read) = expand(&text[i..]);
        paths.extend(inner.into_iter().map(|p| format!("{prefix}{p}")));
        i += read;
        // Skip `as name`, then the comma.
        while i < text.len() && !matches!(text.as_bytes()[i], b',' | b'}') {
            i += 1;
        }
        if i < text.len() && text.as_bytes()[i] == b',' {
            i += 1;
        }
    }
}

/// The module a path names: its longest prefix that is a module of the crate.
fn target_module(path: &str, modules: &BTreeSet<String>) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("::"))
        .find(|candidate| modules.contains(candidate))
}

struct Crate {
    /// Module → the modules its code (tests aside) names.
    imports: BTreeMap<String, BTreeSet<String>>,
}

fn read_crate(src: &Path) -> Crate {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(src, f)).collect();
    let mut imports = BTreeMap::new();
    for file in &files {
        let module = module_of(src, file);
        let code = code_outside_tests(&fs::read_to_string(file).expect("source readable"));
        // `super::x` in `a::b` is `a::x` (a file's module is its own folder's child).
        let parent = module.rsplit_once("::").map_or("", |(p, _)| p);
        let from_parent = paths_after(&code, "super::").into_iter().map(|p| {
            if parent.is_empty() {
                p
            } else {
                format!("{parent}::{p}")
            }
        });
        let targets: BTreeSet<String> = crate_paths(&code)
            .into_iter()
            .chain(from_parent)
            .collect::<Vec<_>>()
            .iter()
            .filter_map(|p| target_module(p, &modules))
            .filter(|t| *t != module && !t.is_empty())
            .collect();
        imports.insert(module, targets);
    }
    Crate { imports }
}

/// One circle of imports, if there is any: `[a, b, a]`.
fn a_circle(imports: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        module: &str,
        imports: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|m| m == module) {
            let mut circle = path[at..].to_vec();
            circle.push(module.to_string());
            return Some(circle);
        }
        if done.contains(module) {
            return None;
        }
        path.push(module.to_string());
        for next in imports.get(module).into_iter().flatten() {
            if let Some(circle) = visit(next, imports, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(module.to_string());
        None
    }
    let mut done = BTreeSet::new();
    imports
        .keys()
        .find_map(|m| visit(m, imports, &mut Vec::new(), &mut done))
}

#[test]
fn no_two_modules_of_server_or_shared_import_each_other_in_a_circle() {
    let mut circles = Vec::new();
    for krate in ["server", "shared"] {
        let mut read = read_crate(&workspace().join(krate).join("src"));
        assert!(
            read.imports.len() > 10,
            "{krate}: the source was not read ({} modules)",
            read.imports.len()
        );
        // Every circle, not just the first: break each one found and look again.
        while let Some(circle) = a_circle(&read.imports) {
            circles.push(format!("{krate}: {}", circle.join(" → ")));
            let (from, to) = (&circle[circle.len() - 2], &circle[circle.len() - 1]);
            read.imports.get_mut(from).expect("module read").remove(to);
        }
    }
    assert!(
        circles.is_empty(),
        "modules import each other in a circle:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_command_line_and_the_use_cases_never_import_the_http_layer() {
    let read = read_crate(&workspace().join("server").join("src"));
    let mut checked = 0;
    for (module, targets) in &read.imports {
        if module.starts_with("cli") || module.starts_with("service") {
            checked += 1;
            let http: Vec<&String> = targets.iter().filter(|t| t.starts_with("http")).collect();
            assert!(http.is_empty(), "{module} imports {http:?}");
        }
    }
    assert!(checked >= 2, "cli/ and service/ were not found");
}

#[test]
fn no_source_file_outside_the_string_tables_passes_700_lines() {
    let root = workspace();
    let mut files = Vec::new();
    for krate in ["server", "shared", "frontend"] {
        rust_files(&root.join(krate).join("src"), &mut files);
    }
    let too_long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let name = f.strip_prefix(&root).ok()?.to_string_lossy().to_string();
            let lines = fs::read_to_string(f).ok()?.lines().count();
            (lines > MAX_LINES && !STRING_TABLES.contains(&name.as_str()))
                .then(|| format!("{name} ({lines} lines)"))
        })
        .collect();
    assert!(too_long.is_empty(), "past {MAX_LINES} lines: {too_long:?}");
}

#[test]
fn the_reader_expands_brace_groups_and_finds_a_circle() {
    let paths = crate_paths("use crate::{a, b::{c, d as e}, f::g};\nlet x = crate::h::i();");
    assert_eq!(paths, ["a", "b::c", "b::d", "f::g", "h::i"]);
    let mut imports = BTreeMap::new();
    imports.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    imports.insert("b".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(
        a_circle(&imports),
        Some(vec!["a".into(), "b".into(), "a".into()])
    );
    imports.insert("b".to_string(), BTreeSet::new());
    assert_eq!(a_circle(&imports), None);
}

#[test]
fn each_endpoint_is_declared_once_by_its_handler() {
    let src = workspace().join("server").join("src").join("http");
    let openapi = fs::read_to_string(src.join("openapi.rs")).expect("openapi.rs readable");
    assert!(
        !openapi.contains("paths("),
        "openapi.rs keeps a list of paths: the handlers' #[utoipa::path] route and describe them"
    );
    let mut files = Vec::new();
    rust_files(&src.join("routes"), &mut files);
    // The test clock (`--unsafe-test-clock`) is left out of the document on purpose.
    files.retain(|f| !f.ends_with("test_clock.rs"));
    assert!(files.len() >= 7, "the route modules were not found");
    for file in files {
        let text = fs::read_to_string(&file).expect("route file readable");
        let annotated = text.matches("#[utoipa::path(").count();
        let routed: usize = text
            .split("routes!(")
            .skip(1)
            .map(|call| call[..call.find(')').unwrap_or(0)].split(',').count())
            .sum();
        // Axum's own `.route(` would route a handler the document does not describe.
        assert!(
            !text.contains(".route("),
            "{} routes a path outside routes!",
            file.display()
        );
        assert_eq!(
            annotated,
            routed,
            "{}: every documented handler is routed",
            file.display()
        );
    }
}

#[test]
fn imports_use_cases_and_storage_return_what_they_found_and_only_the_command_line_prints() {
    let src = workspace().join("server").join("src");
    let mut files = Vec::new();
    for folder in ["import", "service", "store"] {
        rust_files(&src.join(folder), &mut files);
    }
    assert!(files.len() > 10, "the folders were not read");
    for file in files {
        let code = code_outside_tests(&fs::read_to_string(&file).expect("source readable"));
        for print in ["println!", "eprintln!", "print!("] {
            assert!(!code.contains(print), "{} uses {print}", file.display());
        }
    }
}
