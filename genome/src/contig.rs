//! Contig names (`chr10` vs `10`) and genome-build checks from contig
//! lengths.

/// Lengths of chr1..chr22, chrX, chrY in GRCh38 and GRCh37 (from the
/// assemblies' sequence reports), to tell the build from a VCF header.
const LENGTHS: [(&str, u64, u64); 24] = [
    ("1", 248_956_422, 249_250_621),
    ("2", 242_193_529, 243_199_373),
    ("3", 198_295_559, 198_022_430),
    ("4", 190_214_555, 191_154_276),
    ("5", 181_538_259, 180_915_260),
    ("6", 170_805_979, 171_115_067),
    ("7", 159_345_973, 159_138_663),
    ("8", 145_138_636, 146_364_022),
    ("9", 138_394_717, 141_213_431),
    ("10", 133_797_422, 135_534_747),
    ("11", 135_086_622, 135_006_516),
    ("12", 133_275_309, 133_851_895),
    ("13", 114_364_328, 115_169_878),
    ("14", 107_043_718, 107_349_540),
    ("15", 101_991_189, 102_531_392),
    ("16", 90_338_345, 90_354_753),
    ("17", 83_257_441, 81_195_210),
    ("18", 80_373_285, 78_077_248),
    ("19", 58_617_616, 59_128_983),
    ("20", 64_444_167, 63_025_520),
    ("21", 46_709_983, 48_129_895),
    ("22", 50_818_468, 51_304_566),
    ("X", 156_040_895, 155_270_560),
    ("Y", 57_227_415, 59_373_566),
];

/// The build a contig's length points to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Build {
    /// GRCh38 (the definitions' build).
    Grch38,
    /// GRCh37 / hg19.
    Grch37,
}

/// The build a `(contig, length)` header entry belongs to, if it tells.
pub fn build_of(contig: &str, length: u64) -> Option<Build> {
    let name = contig.strip_prefix("chr").unwrap_or(contig);
    let (_, grch38, grch37) = LENGTHS.iter().find(|(n, _, _)| *n == name)?;
    if length == *grch38 {
        Some(Build::Grch38)
    } else if length == *grch37 {
        Some(Build::Grch37)
    } else {
        None
    }
}

/// The names a definition contig may have in a VCF: as written, and with
/// the `chr` prefix removed or added.
pub fn aliases(chrom: &str) -> [String; 2] {
    match chrom.strip_prefix("chr") {
        Some(bare) => [chrom.to_owned(), bare.to_owned()],
        None => [chrom.to_owned(), format!("chr{chrom}")],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_builds_apart() {
        assert_eq!(build_of("chr1", 248_956_422), Some(Build::Grch38));
        assert_eq!(build_of("1", 249_250_621), Some(Build::Grch37));
        assert_eq!(build_of("chrM", 16_569), None);
        assert_eq!(build_of("chr1", 5), None);
    }

    #[test]
    fn aliases_cover_both_spellings() {
        assert_eq!(aliases("chr10"), ["chr10".to_owned(), "10".to_owned()]);
        assert_eq!(aliases("10"), ["10".to_owned(), "chr10".to_owned()]);
    }
}
