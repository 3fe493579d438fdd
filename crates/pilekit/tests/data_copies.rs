//! The data the tests read lives in `tests/data/`, inside the package, so that the published
//! crate's tests run from the `.crate` file. It is a copy of the repository's shipped examples
//! (`examples/captures/`, `examples/plans/`) and test vectors (`testdata/vectors/`): in the
//! repository, this test keeps the copies identical (outside it, from the package, there is
//! nothing to compare with). The crate's README is the repository's, kept identical the same way.

use std::path::Path;

const COPIES: &[(&str, &str)] = &[
    ("examples/captures", "captures"),
    ("examples/logs", "logs"),
    ("examples/plans", "plans"),
    ("testdata/vectors", "vectors"),
];

#[test]
fn test_data_is_a_copy_of_the_shipped_files() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = crate_dir.join("../..");
    if !root.join("Cargo.toml").is_file() || !root.join("examples").is_dir() {
        return; // built from the package
    }
    for (original, copy) in COPIES {
        let original = root.join(original);
        let copy = crate_dir.join("tests/data").join(copy);
        let mut names: Vec<_> = std::fs::read_dir(&original)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        let mut copies: Vec<_> = std::fs::read_dir(&copy)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        copies.sort();
        assert_eq!(
            names,
            copies,
            "{} and {}",
            original.display(),
            copy.display()
        );
        for name in names {
            let a = std::fs::read(original.join(&name)).unwrap();
            let b = std::fs::read(copy.join(&name)).unwrap();
            assert!(
                a == b,
                "{} differs from its copy in {}: copy it again",
                original.join(&name).display(),
                copy.display()
            );
        }
    }
}

/// The crate's README (its documentation on docs.rs and crates.io) is the repository's.
#[test]
fn the_crate_readme_is_the_repository_readme() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = crate_dir.join("../..");
    if !root.join("Cargo.toml").is_file() || !root.join("README.md").is_file() {
        return; // built from the package
    }
    let a = std::fs::read(root.join("README.md")).unwrap();
    let b = std::fs::read(crate_dir.join("README.md")).unwrap();
    assert!(
        a == b,
        "crates/pilekit/README.md differs from README.md: copy it again"
    );
}
