//! Paired-end reads drawn from a [`Source`]: fragment lengths from a
//! normal distribution, uniform fragment starts (or starts overlapping a
//! capture target, for exome-like coverage), substitution errors at a
//! fixed rate.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::reads::alignment::{align, Alignment};
use crate::reads::bam::MAPQ;
use crate::reads::reference::Island;
use crate::reads::source::{Source, INSERTED};

/// Mapping quality of a junction read with CYP2D7 sequence: an aligner
/// places a read with both paralogs' bases on either, with a low mapping
/// quality (the pileup's minimum of 20 leaves it out; the copy-number
/// stage, which reads each differing site at both paralogs, counts it).
const JUNCTION_MAPQ: u8 = 0;

/// How reads are drawn.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ReadSettings {
    /// Mean depth each chromosome copy contributes (the diploid depth / 2).
    pub depth_per_copy: f64,
    /// Read length.
    pub read_length: usize,
    /// Per-base substitution error rate.
    pub error_rate: f64,
    /// Mean fragment (insert) length.
    pub insert_mean: f64,
    /// Standard deviation of the fragment length.
    pub insert_sd: f64,
}

/// One simulated, aligned read.
#[derive(Clone, Debug)]
pub(crate) struct SimulatedRead {
    /// Contig index.
    pub tid: usize,
    /// The true alignment.
    pub alignment: Alignment,
    /// Bases in reference orientation, errors included.
    pub bases: Vec<u8>,
    /// Whether the read is on the reverse strand.
    pub reverse: bool,
    /// Whether it is the first read of its pair.
    pub first: bool,
    /// The pair's number within the sample.
    pub pair: u32,
    /// The mate's 0-based position.
    pub mate_pos: u32,
    /// Whether the mate is on the reverse strand.
    pub mate_reverse: bool,
    /// Signed observed template length.
    pub tlen: i64,
    /// Mapping quality.
    pub mapq: u8,
}

/// Appends the read pairs of `source` to `reads`, numbering pairs from
/// `next_pair`.
pub(crate) fn simulate_source(
    source: &Source,
    island: &Island,
    settings: &ReadSettings,
    rng: &mut ChaCha8Rng,
    next_pair: &mut u32,
    reads: &mut Vec<SimulatedRead>,
) {
    let length = source.bases.len();
    let read_length = settings.read_length;
    if length < read_length {
        return;
    }
    let per_base = settings.depth_per_copy / (2.0 * read_length as f64);
    if let Some(junction) = source.junction {
        let draw = JunctionDraw {
            crossing: junction.crossing,
            per_base,
        };
        simulate_junction(source, island, settings, draw, rng, next_pair, reads);
        return;
    }
    let whole = [(0, length)];
    let windows: &[(usize, usize)] = source.targets.as_deref().unwrap_or(&whole);
    let targeted = source.targets.is_some();
    for &(from, to) in windows {
        // Fragment starts are uniform over the `length - fragment` places a
        // fragment fits, so drawing `length / (2 * read_length)` per unit of
        // depth inflated the interior by `length / (length - fragment)`:
        // 6 % in a duplicated CYP2D6 copy's 6.3 kb, which then read as 1.06
        // copies. Counting from the places a fragment fits gives every
        // source the requested depth away from its ends.
        let span = if targeted {
            (to - from) as f64 + settings.insert_mean
        } else {
            (length as f64 - settings.insert_mean).max(0.0)
        };
        let fragments = (per_base * span).round() as usize;
        for _ in 0..fragments {
            let fragment = fragment_length(settings, rng).clamp(read_length, length);
            let last_start = length - fragment;
            let start = if targeted {
                let hi = to.saturating_sub(1).min(last_start);
                let lo = (from + 1).saturating_sub(fragment).min(hi);
                rng.gen_range(lo..=hi)
            } else {
                rng.gen_range(0..=last_start)
            };
            if let Some(pair) =
                draw_pair(source, island, settings, rng, start, fragment, *next_pair)
            {
                reads.extend(pair);
                *next_pair += 1;
            }
        }
    }
}

/// Where a junction source's fragments cross, and their rate per start.
struct JunctionDraw {
    /// 0-based reference position every fragment covers with the one
    /// before it.
    crossing: u32,
    /// Fragments per start position (as in any source).
    per_base: f64,
}

/// Appends the read pairs of a hybrid's junction source: only fragments
/// that cross the breakpoint, at the rate of any source per start (so the
/// hybrid's two parts and these give even depth across it). Targeted
/// (exome-like) coverage draws them only where a target lies within a
/// fragment of the breakpoint.
fn simulate_junction(
    source: &Source,
    island: &Island,
    settings: &ReadSettings,
    draw: JunctionDraw,
    rng: &mut ChaCha8Rng,
    next_pair: &mut u32,
    reads: &mut Vec<SimulatedRead>,
) {
    let length = source.bases.len();
    let Some(cross) = source
        .positions
        .iter()
        .position(|&p| p != INSERTED && p >= draw.crossing)
        .filter(|&i| i > 0)
    else {
        return;
    };
    let reach = settings.insert_mean as usize;
    if let Some(targets) = &source.targets {
        if !targets
            .iter()
            .any(|&(from, to)| from <= cross + reach && cross <= to + reach)
        {
            return;
        }
    }
    let fragments = (draw.per_base * settings.insert_mean).round() as usize;
    for _ in 0..fragments {
        let fragment = fragment_length(settings, rng).clamp(settings.read_length, length);
        let lo = (cross + 1).saturating_sub(fragment);
        let hi = (cross - 1).min(length - fragment);
        if lo > hi {
            continue;
        }
        let start = rng.gen_range(lo..=hi);
        if let Some(pair) = draw_pair(source, island, settings, rng, start, fragment, *next_pair) {
            reads.extend(pair);
            *next_pair += 1;
        }
    }
}

/// Mapping quality of a read aligned at `alignment`: low where a junction
/// read touches CYP2D7 sequence (see `SourceJunction`).
fn mapq(source: &Source, alignment: &Alignment) -> u8 {
    match source.junction {
        Some(j) if alignment.pos < j.cyp2d7_side.1 && j.cyp2d7_side.0 < alignment.end => {
            JUNCTION_MAPQ
        }
        _ => MAPQ,
    }
}

fn fragment_length(settings: &ReadSettings, rng: &mut ChaCha8Rng) -> usize {
    let u1: f64 = rng.gen_range(f64::MIN_POSITIVE..1.0);
    let u2: f64 = rng.gen();
    let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
    (settings.insert_mean + settings.insert_sd * z)
        .round()
        .max(1.0) as usize
}

fn draw_pair(
    source: &Source,
    island: &Island,
    settings: &ReadSettings,
    rng: &mut ChaCha8Rng,
    start: usize,
    fragment: usize,
    pair: u32,
) -> Option<[SimulatedRead; 2]> {
    let left_is_first = rng.gen_bool(0.5);
    let left_range = start..start + settings.read_length;
    let right_range = start + fragment - settings.read_length..start + fragment;
    let mut left_bases = source.bases[left_range.clone()].to_vec();
    let mut right_bases = source.bases[right_range.clone()].to_vec();
    add_errors(&mut left_bases, settings.error_rate, rng);
    add_errors(&mut right_bases, settings.error_rate, rng);
    let left = align(source, island, left_range, &left_bases)?;
    let right = align(source, island, right_range, &right_bases)?;
    let span = i64::from(left.end.max(right.end)) - i64::from(left.pos.min(right.pos));
    let left_leftmost = left.pos <= right.pos;
    let (left_mapq, right_mapq) = (mapq(source, &left), mapq(source, &right));
    let (left_pos, right_pos) = (left.pos, right.pos);
    let read =
        |alignment, bases, reverse: bool, first: bool, mate_pos, leftmost: bool, mapq: u8| {
            SimulatedRead {
                tid: source.tid,
                alignment,
                bases,
                reverse,
                first,
                pair,
                mate_pos,
                mate_reverse: !reverse,
                tlen: if leftmost { span } else { -span },
                mapq,
            }
        };
    Some([
        read(
            left,
            left_bases,
            false,
            left_is_first,
            right_pos,
            left_leftmost,
            left_mapq,
        ),
        read(
            right,
            right_bases,
            true,
            !left_is_first,
            left_pos,
            !left_leftmost,
            right_mapq,
        ),
    ])
}

/// Substitutes each base with another with probability `rate` (draws the
/// gap to the next error, so error-free stretches cost one draw).
fn add_errors(bases: &mut [u8], rate: f64, rng: &mut ChaCha8Rng) {
    if rate <= 0.0 {
        return;
    }
    let log_keep = (1.0 - rate.min(0.75)).ln();
    let mut index = 0usize;
    loop {
        let u: f64 = rng.gen_range(f64::MIN_POSITIVE..1.0);
        let gap = (u.ln() / log_keep).floor();
        if gap >= (bases.len() - index) as f64 {
            return;
        }
        index += gap as usize;
        let current = b"ACGT".iter().position(|&b| b == bases[index]).unwrap_or(0);
        bases[index] = b"ACGT"[(current + rng.gen_range(1..4usize)) % 4];
        index += 1;
        if index >= bases.len() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn error_rate_is_kept() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut bases = vec![b'A'; 1_000_000];
        add_errors(&mut bases, 0.01, &mut rng);
        let errors = bases.iter().filter(|&&b| b != b'A').count();
        assert!((9_500..10_500).contains(&errors), "{errors}");
    }
}
