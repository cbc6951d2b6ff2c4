//! Rate limiting for generators: produce at most `per_second` items per
//! wall-clock second, in small bursts.

use tokio::time::{Duration, Instant};

/// Tracks how many items a generator may have produced by now. An infinite
/// rate never waits.
#[derive(Debug)]
pub(crate) struct Pacer {
    per_second: f64,
    started: Option<Instant>,
    produced: u64,
}

impl Pacer {
    pub(crate) fn new(per_second: f64) -> Self {
        Pacer { per_second, started: None, produced: 0 }
    }

    /// Waits until at least one item is due, then returns how many (≤ `max`).
    pub(crate) async fn next_allowance(&mut self, max: u64) -> u64 {
        if self.per_second.is_infinite() {
            self.produced += max;
            return max;
        }
        let started = *self.started.get_or_insert_with(Instant::now);
        loop {
            let elapsed = started.elapsed().as_secs_f64();
            // Allow a first burst of 1/10 s worth so output starts at once.
            let due = ((elapsed + 0.1) * self.per_second) as u64;
            if due > self.produced {
                let allowed = (due - self.produced).min(max).max(1);
                self.produced += allowed;
                return allowed;
            }
            let next_due = (self.produced + 1) as f64 / self.per_second - 0.1;
            let wait = (next_due - elapsed).max(0.001);
            tokio::time::sleep(Duration::from_secs_f64(wait.min(1.0))).await;
        }
    }
}

impl Pacer {
    /// Returns unused allowance (a generator stopped early).
    pub(crate) fn give_back(&mut self, unused: u64) {
        self.produced -= unused.min(self.produced);
    }
}

/// A deterministic pseudo-random value for item `n` of stream `seed`
/// (SplitMix64), so generated data does not depend on batch sizes.
pub(crate) fn mix(seed: u64, n: u64, salt: u64) -> u64 {
    let mut z =
        seed.wrapping_add(n.wrapping_mul(0x9E37_79B9_7F4A_7C15)).wrapping_add(salt.wrapping_mul(0xD1B5_4A32_D192_ED03));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
