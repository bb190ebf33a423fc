//! The channel plugins and the template are written in plain Rust: their code (tests aside)
//! names no ABI type. Host calls go through `switchboard_sdk::Services` and views are built with
//! the SDK's builders, so a third party copying any of them learns the plain way.

use std::path::{Path, PathBuf};

/// ABI names plugin code should not need.
const ABI_NAMES: [&str; 7] = [
    "RResult",
    "ROk(",
    "RErr(",
    "RString",
    "RVec",
    "RStr<",
    "abi_stable",
];

fn rust_files(folder: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(folder)
        .expect("readable folder")
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs")
            && path.file_name().is_some_and(|n| n != "tests.rs")
        {
            found.push(path);
        }
    }
}

/// The code of a file before its test module.
fn code_before_tests(text: &str) -> &str {
    text.split("#[cfg(test)]").next().unwrap_or(text)
}

#[test]
fn plugin_code_names_no_abi_type() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(root.join("plugins"))
        .expect("plugins")
        .flatten()
    {
        let src = entry.path().join("src");
        if src.is_dir() {
            rust_files(&src, &mut files);
        }
    }
    rust_files(&root.join("sdk/template/src"), &mut files);
    assert!(
        files.len() >= 8,
        "the plugins' sources were found: {files:?}"
    );
    let offences: Vec<String> = files
        .iter()
        .flat_map(|file| {
            let text = std::fs::read_to_string(file).expect("readable source");
            code_before_tests(&text)
                .lines()
                .enumerate()
                .filter(|(_, line)| ABI_NAMES.iter().any(|name| line.contains(name)))
                .map(|(n, line)| format!("{}:{}: {}", file.display(), n + 1, line.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        offences.is_empty(),
        "plugin code names ABI types; use Services and the view builders:\n{}",
        offences.join("\n")
    );
}
