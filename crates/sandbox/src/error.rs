//! The sandbox's own errors: starting, binding, the state directory, keys.

/// Result alias for the sandbox's own operations.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong starting or driving the sandbox. Errors of the simulated
/// providers are never this type: they are answered on the wire.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The configuration is not usable (a non-loopback address without
    /// `allow_non_loopback`, a malformed value).
    #[error("sandbox configuration: {0}")]
    Config(String),
    /// A listener could not be bound.
    #[error("cannot bind {addr}: {source}")]
    Bind {
        /// The address tried.
        addr: std::net::SocketAddr,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The state directory or a key file could not be read or written.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// A key file does not hold a usable RSA key.
    #[error("key file {file}: {message}")]
    Key {
        /// The file name.
        file: String,
        /// What is wrong (never the key itself).
        message: String,
    },
    /// The embedded database failed.
    #[error("state database: {0}")]
    Store(String),
    /// An admin operation named something that does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// An admin operation is not allowed in the object's current state.
    #[error("invalid state: {0}")]
    InvalidState(String),
}

impl Error {
    pub(crate) fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        Self::Io {
            what: what.into(),
            source,
        }
    }

    pub(crate) fn store(e: impl std::fmt::Display) -> Self {
        Self::Store(e.to_string())
    }
}
