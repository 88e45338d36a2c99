//! The end-to-end suite: each provider's client runs its main flows against
//! the sandbox, through the umbrella crate in the paths a user writes, and
//! each injected fault surfaces as the right typed error with nothing lost
//! or done twice. One binary, so a 2-core machine links it once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod adapay;
mod common;
mod faults;
mod gsalary;
mod merchant;
mod senior;
mod unsigned_faults;
