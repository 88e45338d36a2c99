//! Every request snapshot in the workspace follows the project's convention:
//! after insta's header, the request line `METHOD /path?query` stands alone on
//! the first line, then `name: value` headers, a blank line, and the body.

use std::path::{Path, PathBuf};

fn snap_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() && name != "target" && name != ".git" {
            snap_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "snap") {
            out.push(path);
        }
    }
}

#[test]
fn request_snapshots_start_with_a_request_line() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    snap_files(&root.join("crates"), &mut files);
    assert!(!files.is_empty(), "no snapshots found");
    let methods = ["GET ", "POST ", "PUT ", "DELETE ", "PATCH "];
    let mut requests = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        // insta's header is `---\n...\n---\n`; the snapshot follows.
        let body = text
            .splitn(3, "---\n")
            .nth(2)
            .unwrap_or_else(|| panic!("{}: no insta header", file.display()));
        let first = body.lines().next().unwrap_or_default();
        if !methods.iter().any(|m| first.starts_with(m)) {
            continue; // not a request snapshot (an HTML page, a rendered form)
        }
        requests += 1;
        let (_, target) = first.split_once(' ').unwrap();
        assert!(
            target.starts_with('/') && !target.contains(' '),
            "{}: bad request line {first:?}",
            file.display()
        );
        let mut lines = body.lines().skip(1);
        for line in lines.by_ref() {
            if line.is_empty() {
                break;
            }
            let (name, _) = line
                .split_once(": ")
                .unwrap_or_else(|| panic!("{}: bad header {line:?}", file.display()));
            assert!(
                !name.is_empty() && !name.contains(' '),
                "{}: bad header name {name:?}",
                file.display()
            );
        }
    }
    assert!(
        requests > 0,
        "no request snapshots among {} files",
        files.len()
    );
}
