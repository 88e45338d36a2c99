//! The sandbox's test suite, in one binary (one link on a 2-core machine).

mod common;
mod gsalary;
