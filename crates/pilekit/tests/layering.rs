//! The layers of DESIGN.md hold: no module uses a layer listed below its own.
//!
//! | Layer | May use |
//! |---|---|
//! | `codec` | base modules only |
//! | `tariff` | base modules only |
//! | `model` | `codec`, `tariff` |
//! | `session` | `codec`, `tariff`, `model` |
//! | `api` | all |

use std::fs;
use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every use of `crate::<layer>` (or `pilekit::<layer>` in doc examples) in the files of `module`.
fn uses_of(module: &str, layer: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root.join(module), &mut files);
    let single = root.join(format!("{module}.rs"));
    if single.exists() {
        files.push(single);
    }
    assert!(!files.is_empty(), "no sources for `{module}`");
    let needles = [format!("crate::{layer}"), format!("pilekit::{layer}::")];
    let mut found = Vec::new();
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            if needles.iter().any(|needle| line.contains(needle.as_str())) {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn no_layer_uses_one_below_it() {
    let rules: &[(&str, &[&str])] = &[
        ("codec", &["tariff", "model", "session", "api"]),
        ("tariff", &["codec", "model", "session", "api"]),
        ("model", &["session", "api"]),
        ("session", &["api"]),
    ];
    let mut violations = Vec::new();
    for (module, forbidden) in rules {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        if !root.join(module).exists() && !root.join(format!("{module}.rs")).exists() {
            continue;
        }
        for layer in *forbidden {
            // Doc links count too: a lower layer's docs name the layer above in prose only.
            violations.extend(uses_of(module, layer));
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn the_check_sees_real_uses() {
    // model does use codec and tariff: the search finds them.
    assert!(!uses_of("model", "codec").is_empty());
    assert!(!uses_of("model", "tariff").is_empty());
}
