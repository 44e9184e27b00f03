//! The estimate stage (under construction).
pub mod stats;
