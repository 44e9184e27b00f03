//! The definition files compiled into the binary.

macro_rules! embed {
    ($gene:literal) => {
        (
            concat!($gene, ".tsv"),
            include_str!(concat!("../data/", $gene, ".tsv")),
        )
    };
}

/// `(file name, contents)` of every embedded gene definition file.
pub(crate) const GENES: &[(&str, &str)] = &[
    embed!("ABCG2"),
    embed!("CACNA1S"),
    embed!("CFTR"),
    embed!("CYP2B6"),
    embed!("CYP2C19"),
    embed!("CYP2C9"),
    embed!("CYP2D6"),
    embed!("CYP3A4"),
    embed!("CYP3A5"),
    embed!("CYP4F2"),
    embed!("DPYD"),
    embed!("G6PD"),
    embed!("IFNL3"),
    embed!("NAT2"),
    embed!("NUDT15"),
    embed!("RYR1"),
    embed!("SLCO1B1"),
    embed!("TPMT"),
    embed!("UGT1A1"),
    embed!("VKORC1"),
];

/// The embedded exemptions file.
pub(crate) const EXEMPTIONS: &str = include_str!("../data/exemptions.tsv");
