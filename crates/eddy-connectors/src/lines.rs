//! Splitting file bytes into numbered lines, without copying per line.

/// Complete lines taken from a growing byte buffer, each with its 1-based
/// line number in the file.
#[derive(Debug, Default)]
pub(crate) struct LineSplitter {
    pending: Vec<u8>,
    next_line: u64,
}

impl LineSplitter {
    pub(crate) fn new() -> Self {
        LineSplitter { pending: Vec::new(), next_line: 1 }
    }

    /// Appends bytes read from the file.
    pub(crate) fn push(&mut self, bytes: &[u8]) {
        self.pending.extend_from_slice(bytes);
    }

    /// Takes up to `max` complete, non-blank lines (all remaining bytes count
    /// as a line when `at_eof`). Returns the joined bytes (`\n`-separated) and
    /// the line number of each line taken.
    pub(crate) fn take_lines(&mut self, max: usize, at_eof: bool) -> (Vec<u8>, Vec<u64>) {
        let mut joined = Vec::new();
        let mut numbers = Vec::new();
        let mut consumed = 0;
        while numbers.len() < max {
            let rest = &self.pending[consumed..];
            if rest.is_empty() {
                break;
            }
            let (line, advance) = match rest.iter().position(|&b| b == b'\n') {
                Some(end) => (&rest[..end], end + 1),
                None if at_eof => (rest, rest.len()),
                None => break,
            };
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if !line.iter().all(|b| b.is_ascii_whitespace()) {
                joined.extend_from_slice(line);
                joined.push(b'\n');
                numbers.push(self.next_line);
            }
            self.next_line += 1;
            consumed += advance;
        }
        self.pending.drain(..consumed);
        (joined, numbers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_numbered_across_reads_and_blank_lines_skipped() {
        let mut s = LineSplitter::new();
        s.push(b"a\n\nb\r\nc");
        assert_eq!(s.take_lines(10, false), (b"a\nb\n".to_vec(), vec![1, 3]));
        s.push(b"d\ne");
        assert_eq!(s.take_lines(1, false), (b"cd\n".to_vec(), vec![4]));
        assert_eq!(s.take_lines(10, true), (b"e\n".to_vec(), vec![5]));
    }
}
