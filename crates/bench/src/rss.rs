//! Peak resident memory of this process, per method measured.
//!
//! Linux keeps the peak (`VmHWM` in `/proc/self/status`) and lets a process
//! reset it (`5` written to `/proc/self/clear_refs`), so each method's peak is
//! its own, not the largest of the run so far.

/// Peak resident memory, in MiB, since the last [`reset`] (or the start).
pub(crate) fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib / 1024.0)
}

/// Starts a new peak at the current resident size; false when the kernel
/// does not allow it (the figures are then the run's peak so far).
pub(crate) fn reset() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Runs `f` and returns its value with the peak resident memory (MiB) while it ran.
pub(crate) fn measured<T>(f: impl FnOnce() -> T) -> (T, String) {
    let fresh = reset();
    let value = f();
    let peak = peak_mib().map_or_else(
        || "n/a".to_owned(),
        |mib| {
            if fresh {
                format!("{mib:.0}")
            } else {
                format!("≤{mib:.0}")
            }
        },
    );
    (value, peak)
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_measurement_has_its_own_peak() {
        let (_, big) = super::measured(|| {
            let v = vec![1u8; 64 << 20];
            std::hint::black_box(&v);
            v.len()
        });
        let (_, small) = super::measured(|| 1);
        let mib = |s: &str| s.trim_start_matches('≤').parse::<f64>().expect("a figure");
        assert!(mib(&big) >= 64.0, "{big}");
        if super::reset() {
            assert!(mib(&small) < mib(&big) - 32.0, "{small} after {big}");
        }
    }
}
