//! Messages on stderr: text or JSON lines, filtered by verbosity.

use std::io::Write;
use std::sync::OnceLock;

use crate::cli::{Global, LogFormat};

#[derive(Debug, Clone, Copy)]
struct Settings {
    format: LogFormat,
    quiet: bool,
    verbose: u8,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();

/// Records the message settings; call once at start-up.
pub fn init(global: &Global) {
    let _ = SETTINGS.set(Settings {
        format: global.log_format,
        quiet: global.quiet,
        verbose: global.verbose,
    });
}

fn settings() -> Settings {
    SETTINGS.get().copied().unwrap_or(Settings {
        format: LogFormat::Text,
        quiet: false,
        verbose: 0,
    })
}

/// Whether informational messages (and progress) are shown.
pub fn is_quiet() -> bool {
    settings().quiet
}

fn emit(level: &str, message: &str) {
    let line = match settings().format {
        LogFormat::Text if level == "info" => format!("tailor: {message}"),
        LogFormat::Text => format!("tailor: {level}: {message}"),
        LogFormat::Json => serde_json::json!({
            "time": timestamp(),
            "level": level,
            "message": message,
        })
        .to_string(),
    };
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{line}");
}

/// The current time in UTC, RFC 3339 with milliseconds
/// (`2026-12-02T14:05:09.123Z`), as log collectors expect.
fn timestamp() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A summary or progress line (hidden by `--quiet`).
pub fn info(message: &str) {
    if !settings().quiet {
        emit("info", message);
    }
}

/// Detail shown with `-v`.
pub fn detail(message: &str) {
    if settings().verbose > 0 && !settings().quiet {
        emit("debug", message);
    }
}

/// A warning (always shown).
pub fn warn(message: &str) {
    emit("warning", message);
}

/// An error (always shown).
pub fn error(message: &str) {
    emit("error", message);
}
