//! walletbridge client (work in progress).
