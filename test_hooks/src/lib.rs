//! The pause the kill tests need, and nothing in an installed binary.
//!
//! Built with feature `pause` (the pipeline's tests turn it on), [`install`]
//! registers a hook with `tailor-tables`: when
//! [`PAUSE_BEFORE_RENAME_ENV`] names a file, the writer creates that file
//! and waits before renaming a finished table into place, so a test can
//! SIGKILL the process mid-write deterministically;
//! [`PAUSE_ONLY_TABLE_ENV`] narrows the pause to one table's file name
//! (e.g. `cohort.parquet`), to kill a multi-stage run inside a chosen
//! stage. Built without it (`cargo install`), [`install`] does nothing and
//! the variables are ignored; `.ci/run` checks that.

#[cfg(feature = "pause")]
use std::path::Path;

/// Names the marker file the writer creates before it pauses.
pub const PAUSE_BEFORE_RENAME_ENV: &str = "TAILOR_TEST_PAUSE_BEFORE_RENAME";

/// Names the one table (a file name) before whose rename to pause.
pub const PAUSE_ONLY_TABLE_ENV: &str = "TAILOR_TEST_PAUSE_ONLY_TABLE";

/// Registers the pause when this build carries it; otherwise nothing.
pub fn install() {
    #[cfg(feature = "pause")]
    tailor_tables::set_before_rename(pause_if_requested);
}

#[cfg(feature = "pause")]
fn pause_if_requested(path: &Path) {
    if let Some(only) = std::env::var_os(PAUSE_ONLY_TABLE_ENV) {
        if path.file_name() != Some(only.as_os_str()) {
            return;
        }
    }
    if let Some(marker) = std::env::var_os(PAUSE_BEFORE_RENAME_ENV) {
        if std::fs::write(&marker, b"paused\n").is_ok() {
            loop {
                std::thread::sleep(std::time::Duration::from_secs(3600));
            }
        }
    }
}
