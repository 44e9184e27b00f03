//! Running one case through the real binary, with a timeout, and judging
//! the result.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A case that does not end within this is a hang.
const TIMEOUT: Duration = Duration::from_secs(60);

/// How the process ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ending {
    /// Exit code.
    Exit(i32),
    /// Killed by a signal.
    Signal(i32),
    /// Still running after [`TIMEOUT`] (then killed).
    Hang,
}

/// How one case went.
#[derive(Debug)]
pub struct Verdict {
    /// How the process ended.
    pub ending: Ending,
    /// What is wrong, if anything.
    pub problem: Option<String>,
}

/// Runs `tailor args -o dir/out input` in `dir` and judges it: no panic
/// (101), no signal, no hang, exit 0 or 3 (2 only for usage), stderr naming
/// the input on exit 3, and an empty output folder after a failure.
pub fn run(tailor: &Path, dir: &Path, args: &[&str], input: &Path) -> Verdict {
    let out = dir.join("out");
    let stderr_path = dir.join("stderr.txt");
    let mut child = Command::new(tailor)
        .current_dir(dir)
        .args(args)
        .arg("-o")
        .arg(&out)
        .arg(input)
        .env("RUST_BACKTRACE", "0")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&stderr_path).unwrap())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let ending = match status {
        None => Ending::Hang,
        Some(status) => match status.code() {
            Some(code) => Ending::Exit(code),
            None => {
                use std::os::unix::process::ExitStatusExt;
                Ending::Signal(status.signal().unwrap_or(0))
            }
        },
    };
    let stderr =
        String::from_utf8_lossy(&std::fs::read(&stderr_path).unwrap_or_default()).into_owned();
    let name = input.file_name().unwrap().to_string_lossy().into_owned();
    let left: Vec<String> = std::fs::read_dir(&out)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let problem = match ending {
        Ending::Hang => Some(format!("no exit within {} s", TIMEOUT.as_secs())),
        Ending::Signal(signal) => Some(format!("killed by signal {signal}")),
        Ending::Exit(101) => Some(format!("panic: {}", tail(&stderr))),
        Ending::Exit(0) => None,
        Ending::Exit(3) if !stderr.contains(&name) => {
            Some(format!("exit 3 without naming {name}: {}", tail(&stderr)))
        }
        Ending::Exit(2 | 3) if !left.is_empty() => Some(format!("left behind: {left:?}")),
        Ending::Exit(2 | 3) => None,
        Ending::Exit(code) => Some(format!("exit {code}: {}", tail(&stderr))),
    };
    Verdict { ending, problem }
}

/// The last 400 bytes of `text`, on one line.
fn tail(text: &str) -> String {
    let start = text
        .char_indices()
        .map(|(i, _)| i)
        .find(|&i| text.len() - i <= 400)
        .unwrap_or(0);
    text[start..].replace('\n', " | ")
}
