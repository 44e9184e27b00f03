//! Pseudonymisation keys (issue 10, item 7): at least 32 bytes, not
//! trivially guessable, read with a 4 KiB cap (`/dev/zero` is refused, not
//! read until memory runs out), and a warning when the key file is
//! readable by group or others. Refusals exit 2.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::join::{data, join, write_calls};
use common::{run_expect, stderr, temp_dir};

const GOOD_KEY: &str = "9f1c2b7e54a0d3c6b8e1f2a4c6d8e0f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3";

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Runs a pseudonymised join with `key_file = "<key_path>"`; returns
/// stderr after asserting the exit code.
fn join_with_key(dir: &Path, key_path: &str, code: i32) -> String {
    let config = std::fs::read_to_string(data("messy.toml"))
        .unwrap()
        .replace(
            "therapy = \"drug\"",
            &format!("therapy = \"drug\"\nkey_file = \"{key_path}\""),
        );
    let config_path = dir.join("tailor.toml");
    std::fs::write(&config_path, config).unwrap();
    let calls = write_calls(dir, &|s| s.to_owned(), &[]);
    let mut command = join(dir, &config_path, &calls, &[data("clinical_messy.csv")]);
    command.arg("--pseudonymise");
    let output = run_expect(&mut command, code);
    if code != 0 {
        assert!(!dir.join("out/cohort.parquet").exists());
    }
    stderr(&output)
}

fn refused_key(bytes: &[u8]) -> String {
    let dir = temp_dir();
    let key = dir.path().join("join.key");
    std::fs::write(&key, bytes).unwrap();
    set_mode(&key, 0o600);
    join_with_key(dir.path(), "join.key", 2)
}

#[test]
fn key_of_32_nul_bytes_is_refused() {
    let message = refused_key(&[0u8; 32]);
    assert!(
        message.contains("join.key: refused: [join] configuration: the pseudonymisation key is easy to guess: every byte is the same"),
        "{message}"
    );
}

#[test]
fn short_and_patterned_keys_are_refused() {
    let message = refused_key(b"aaaaaaaaaaaaaaaa\n");
    assert!(message.contains("has 16 bytes, fewer than 32"), "{message}");
    let message = refused_key("ab12".repeat(16).as_bytes());
    assert!(
        message.contains("easy to guess: it repeats a pattern of at most 8 bytes"),
        "{message}"
    );
    let message = refused_key("0101100100011110".repeat(4).as_bytes());
    assert!(
        message.contains("easy to guess: it has fewer than 8 distinct byte values"),
        "{message}"
    );
}

#[test]
fn dev_zero_and_large_key_files_are_refused_after_the_cap() {
    let dir = temp_dir();
    let message = join_with_key(dir.path(), "/dev/zero", 2);
    assert!(
        message.contains("the key file /dev/zero is larger than 4096 bytes"),
        "{message}"
    );
    let key = dir.path().join("big.key");
    let text: String = (0..4097u32)
        .map(|i| char::from(b'a' + (i * 7 % 26) as u8))
        .collect();
    std::fs::write(&key, text).unwrap();
    set_mode(&key, 0o600);
    let message = join_with_key(dir.path(), "big.key", 2);
    assert!(
        message.contains("big.key is larger than 4096 bytes"),
        "{message}"
    );
}

#[test]
fn readable_key_files_get_a_warning() {
    let dir = temp_dir();
    let key = dir.path().join("join.key");
    std::fs::write(&key, format!("{GOOD_KEY}\n")).unwrap();
    set_mode(&key, 0o644);
    let message = join_with_key(dir.path(), "join.key", 0);
    assert!(
        message.contains("join.key is readable by everyone (mode 644)"),
        "{message}"
    );
    set_mode(&key, 0o640);
    let message = join_with_key(dir.path(), "join.key", 0);
    assert!(
        message.contains("join.key is readable by its group (mode 640)"),
        "{message}"
    );
    set_mode(&key, 0o600);
    let message = join_with_key(dir.path(), "join.key", 0);
    assert!(!message.contains("readable by"), "{message}");
}
