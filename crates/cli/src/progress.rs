//! Progress indicators, shown only when stderr is a terminal.

use std::io::IsTerminal as _;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// Whether progress may be drawn.
pub fn enabled() -> bool {
    std::io::stderr().is_terminal()
}

/// A spinner with `message`, or nothing when stderr is not a terminal.
pub fn spinner(message: &str) -> Option<ProgressBar> {
    if !enabled() {
        return None;
    }
    let p = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        p.set_style(style);
    }
    p.set_message(message.to_owned());
    p.enable_steady_tick(Duration::from_millis(100));
    Some(p)
}

/// A bar of `len` steps, or nothing when stderr is not a terminal.
pub fn bar(len: u64) -> Option<ProgressBar> {
    // Only when the lines it runs beside also go to the terminal.
    if !enabled() || !std::io::stdout().is_terminal() {
        return None;
    }
    let p = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg}") {
        p.set_style(style.progress_chars("=> "));
    }
    p.enable_steady_tick(Duration::from_millis(100));
    Some(p)
}
