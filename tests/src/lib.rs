//! Tests that span the walletbridge crates live in `tests/`.
