//! One integration-test binary (fast to link), one module per concern.

mod cli;
mod demo;
mod edge;
mod files;
mod oracle_compare;
mod oracle_normality;
mod oracle_stats;
mod oracle_survival;
