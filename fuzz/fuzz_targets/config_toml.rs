//! Reading `tailor.toml` (config/src): the strict, typed reader every
//! subcommand uses. Input: the file's text.
//!
//! Contract: never panics; an accepted file has only known sections, and
//! each present section has a line; a rejected file names the file, and an
//! unknown key is reported with the nearest valid one; `require_run`
//! accepts only a `[run]` with an input, a clinical table and an output;
//! relative paths resolve inside the configuration's folder.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use tailor_config::{line_of, valid_keys, Config, Error};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("cfg/tailor.toml");
    match Config::parse(path, text) {
        Ok(config) => {
            let sections = valid_keys("");
            for section in sections {
                if config.has_section(section) {
                    assert!(config.line(section, None).is_some() || text.contains(section));
                }
            }
            if let Ok(run) = config.require_run() {
                assert!(!run.clinical.is_empty());
                assert!(!run.output.as_os_str().is_empty());
                assert!(!run.inputs.is_empty() || run.reads());
                for input in &run.inputs {
                    if input.is_relative() {
                        assert!(config.resolve(input).starts_with("cfg"));
                    }
                }
            }
        }
        Err(error) => {
            let message = error.to_string();
            assert!(message.starts_with("cfg/tailor.toml"), "{message}");
            if let Error::Unknown { problem, .. } = &error {
                assert!(problem.contains("did you mean"), "{problem}");
            }
        }
    }
    let _ = line_of(text, "join.outcomes", Some("kind"));
});
