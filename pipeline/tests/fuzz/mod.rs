//! A seeded fuzz harness for the VCF/BCF readers: mutated inputs derived
//! from hand-written files and `tailor simulate` output, run through the
//! real binary. See `fuzz_inputs.rs` for what it asserts.

pub mod bgzf;
pub mod case;
pub mod mutate;
pub mod outcome;
pub mod prng;
pub mod seeds;
