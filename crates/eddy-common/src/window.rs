//! Window kinds and how a row's event time maps to windows.
//!
//! All windows are half-open `[start, end)` in epoch milliseconds and aligned
//! to the epoch. Tumbling, hopping and cumulating windows are unions of
//! *panes* (slices of `pane_size`), so hopping windows can share partial
//! aggregates per pane instead of keeping one copy per window.

use std::fmt;

use crate::EventTime;

/// A window table function with its sizes in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowSpec {
    Tumble {
        size: i64,
    },
    Hop {
        slide: i64,
        size: i64,
    },
    Cumulate {
        step: i64,
        max_size: i64,
    },
    /// Per group key: rows closer than `gap` share a session.
    Session {
        gap: i64,
    },
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

impl WindowSpec {
    /// The SQL name of the table function.
    pub fn function_name(&self) -> &'static str {
        match self {
            WindowSpec::Tumble { .. } => "TUMBLE",
            WindowSpec::Hop { .. } => "HOP",
            WindowSpec::Cumulate { .. } => "CUMULATE",
            WindowSpec::Session { .. } => "SESSION",
        }
    }

    /// The width of the slices every window is made of (`None` for sessions).
    pub fn pane_size(&self) -> Option<i64> {
        match *self {
            WindowSpec::Tumble { size } => Some(size),
            WindowSpec::Hop { slide, size } => Some(gcd(slide, size)),
            WindowSpec::Cumulate { step, .. } => Some(step),
            WindowSpec::Session { .. } => None,
        }
    }

    /// The start of the pane holding `ts`.
    pub fn pane_start(&self, ts: EventTime) -> EventTime {
        let pane = self.pane_size().expect("sessions have no panes");
        ts - ts.rem_euclid(pane)
    }

    /// Calls `f(start, end)` for every window containing `ts`, in order of end.
    pub fn for_each_window(&self, ts: EventTime, mut f: impl FnMut(EventTime, EventTime)) {
        match *self {
            WindowSpec::Tumble { size } => {
                let start = ts - ts.rem_euclid(size);
                f(start, start + size);
            }
            WindowSpec::Hop { slide, size } => {
                let last_start = ts - ts.rem_euclid(slide);
                let mut start = last_start - (size - slide);
                // Windows start at multiples of slide; skip those ending at or before ts.
                start -= start.rem_euclid(slide);
                while start <= last_start {
                    if start + size > ts {
                        f(start, start + size);
                    }
                    start += slide;
                }
            }
            WindowSpec::Cumulate { step, max_size } => {
                let base = ts - ts.rem_euclid(max_size);
                let mut end = base + step;
                while end <= base + max_size {
                    if end > ts {
                        f(base, end);
                    }
                    end += step;
                }
            }
            WindowSpec::Session { gap } => f(ts, ts + gap),
        }
    }
}

impl fmt::Display for WindowSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WindowSpec::Tumble { size } => write!(f, "TUMBLE(size={size}ms)"),
            WindowSpec::Hop { slide, size } => write!(f, "HOP(slide={slide}ms, size={size}ms)"),
            WindowSpec::Cumulate { step, max_size } => write!(f, "CUMULATE(step={step}ms, max_size={max_size}ms)"),
            WindowSpec::Session { gap } => write!(f, "SESSION(gap={gap}ms)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn windows(spec: WindowSpec, ts: i64) -> Vec<(i64, i64)> {
        let mut v = Vec::new();
        spec.for_each_window(ts, |s, e| v.push((s, e)));
        v
    }

    #[test]
    fn tumble_assigns_one_epoch_aligned_window() {
        assert_eq!(windows(WindowSpec::Tumble { size: 10 }, 27), vec![(20, 30)]);
        assert_eq!(windows(WindowSpec::Tumble { size: 10 }, -3), vec![(-10, 0)]);
    }

    #[test]
    fn hop_assigns_size_over_slide_windows() {
        assert_eq!(windows(WindowSpec::Hop { slide: 5, size: 15 }, 27), vec![(15, 30), (20, 35), (25, 40)]);
        assert_eq!(windows(WindowSpec::Hop { slide: 5, size: 15 }, 25), vec![(15, 30), (20, 35), (25, 40)]);
        assert_eq!(windows(WindowSpec::Hop { slide: 4, size: 6 }, 9), vec![(4, 10), (8, 14)]);
    }

    #[test]
    fn cumulate_assigns_growing_windows_from_the_base() {
        assert_eq!(windows(WindowSpec::Cumulate { step: 10, max_size: 30 }, 42), vec![(30, 50), (30, 60)]);
        assert_eq!(windows(WindowSpec::Cumulate { step: 10, max_size: 30 }, 30).len(), 3);
    }
}
