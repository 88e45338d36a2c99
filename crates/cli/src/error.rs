//! One error type for every command: a one-line message and the exit code.

use std::fmt;

use walletbridge::ErrorKind;

/// Exit code of a provider or verification failure.
pub const FAILURE: u8 = 1;
/// Exit code of a usage or configuration error.
pub const USAGE: u8 = 2;

/// A command's failure: what to print (one line) and how to exit.
#[derive(Debug)]
pub struct CliError {
    /// The process exit code (1 or 2).
    pub code: u8,
    /// The message, without the `error: ` prefix.
    pub message: String,
}

/// The result of a command.
pub type CliResult<T = ()> = Result<T, CliError>;

impl CliError {
    /// A usage or configuration error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            code: USAGE,
            message: message.into(),
        }
    }

    /// A provider or verification failure (exit 1).
    pub fn failure(message: impl Into<String>) -> Self {
        Self {
            code: FAILURE,
            message: message.into(),
        }
    }

    /// Adds context in front of the message.
    pub fn context(mut self, what: &str) -> Self {
        self.message = format!("{what}: {}", self.message);
        self
    }

    /// The message on one line.
    pub fn one_line(&self) -> String {
        one_line(&self.message)
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.one_line())
    }
}

/// Collapses line breaks so that an error is always one line.
pub fn one_line(text: &str) -> String {
    text.split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

impl From<walletbridge::Error> for CliError {
    fn from(e: walletbridge::Error) -> Self {
        let code = match e.kind() {
            ErrorKind::Config { .. } | ErrorKind::Validation { .. } => USAGE,
            _ => FAILURE,
        };
        Self {
            code,
            message: e.to_string(),
        }
    }
}

/// Reads a file the user named, as bytes.
pub fn read_file(path: &std::path::Path, what: &str) -> CliResult<Vec<u8>> {
    std::fs::read(path)
        .map_err(|e| CliError::usage(format!("cannot read the {what} {}: {e}", path.display())))
}
