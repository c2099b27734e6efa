//! One integration-test binary (fast to link), one module per concern.

mod charts;
mod cli;
mod coding;
mod demo;
mod edge;
mod encoding;
mod export;
mod files;
pub(crate) mod flow;
mod golden;
mod guess_quality;
mod guess_roles;
mod i18n;
mod ingest;
mod inspect;
mod mapping;
mod oracle_check;
mod oracle_compare;
mod oracle_normality;
mod oracle_stats;
mod oracle_survival;
mod props;
mod scales;
mod values;
