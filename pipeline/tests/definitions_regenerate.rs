//! The embedded definitions are exactly what the converter makes of
//! PharmCAT's tables in ../shared/data/pharmcat/alleles.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

#[test]
fn embedded_definitions_are_regenerated_byte_for_byte() {
    let Some(shared) = common::shared_data() else {
        return;
    };
    let dir = common::temp_dir();
    let script = common::workspace().join("definitions/tools/convert_pharmcat.py");
    let status = Command::new("python3")
        .arg(script)
        .arg(shared.join("pharmcat/alleles"))
        .arg(dir.path())
        .arg("PharmCAT 3.1.1")
        .status()
        .expect("running python3");
    assert!(status.success());
    let embedded = common::workspace().join("definitions/data");
    let mut names: Vec<_> = std::fs::read_dir(&embedded)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    let mut generated: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    generated.sort();
    assert_eq!(names, generated);
    for name in names {
        let a = std::fs::read(embedded.join(&name)).unwrap();
        let b = std::fs::read(dir.path().join(&name)).unwrap();
        assert!(a == b, "{name:?} differs from the converter's output");
    }
}
