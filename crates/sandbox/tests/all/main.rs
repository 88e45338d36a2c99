//! The sandbox's test suite, in one binary (one link on a 2-core machine).
#![allow(clippy::type_complexity)]

mod adapay;
mod common;
mod docs_example;
mod durability;
mod faults;
mod fuzz;
mod gsalary;
mod merchant;
mod protocol;
mod senior;
mod vectors;
mod webhooks;
