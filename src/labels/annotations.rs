//! The annotation table: sparse (item, annotator, label) triples, encoded as class codes.
//!
//! Callers (the Python layer) map item ids, annotator ids and label values to dense codes
//! `0..n`; this module checks the codes and builds the per-item index every aggregation
//! method walks.

use crate::error::{Error, Result};

/// Encoded annotations with a per-item index (compressed rows).
///
/// Answers are kept in their given order; `item_ptr[i]..item_ptr[i + 1]` indexes
/// `by_item`, the `(annotator, label)` pairs of item `i` in input order.
#[derive(Debug, Clone)]
pub struct Annotations {
    n_items: usize,
    n_annotators: usize,
    n_classes: usize,
    n_answers: usize,
    item_ptr: Vec<usize>,
    by_item: Vec<(u32, u32)>,
}

/// Checks that every code lies in `0..n` (one branch-free pass, then the error search).
fn check_codes(values: &[i64], n: usize, argument: &str, what: &str) -> Result<()> {
    if n > u32::MAX as usize {
        return Err(Error::param(
            argument,
            format!(
                "at most {} distinct {what}s are supported, got {n}",
                u32::MAX
            ),
        ));
    }
    let bad = values
        .iter()
        .fold(false, |bad, &v| bad | (v < 0) | (v >= n as i64));
    if !bad {
        return Ok(());
    }
    let (i, v) = values
        .iter()
        .enumerate()
        .find(|(_, &v)| v < 0 || v >= n as i64)
        .map_or((0, 0), |(i, &v)| (i, v));
    Err(Error::param(
        argument,
        format!("{what} code at position {i} is {v}, expected 0 <= code < {n}"),
    ))
}

impl Annotations {
    /// Builds the table from three equal-length code arrays. `n_items`, `n_annotators`,
    /// `n_classes` bound the codes (items or classes without answers are allowed).
    pub fn new(
        items: &[i64],
        annotators: &[i64],
        labels: &[i64],
        n_items: usize,
        n_annotators: usize,
        n_classes: usize,
    ) -> Result<Self> {
        if items.len() != annotators.len() || items.len() != labels.len() {
            return Err(Error::param(
                "items, annotators, labels",
                format!(
                    "expected three arrays of equal length, got lengths {}, {} and {}",
                    items.len(),
                    annotators.len(),
                    labels.len()
                ),
            ));
        }
        if n_classes == 0 && !labels.is_empty() {
            return Err(Error::param("classes", "expected at least one class"));
        }
        check_codes(items, n_items, "items", "item")?;
        check_codes(annotators, n_annotators, "annotators", "annotator")?;
        check_codes(labels, n_classes, "labels", "label")?;
        let mut item_ptr = huge_pages_vec(n_items + 1, 0usize);
        for &i in items {
            item_ptr[i as usize + 1] += 1;
        }
        for i in 0..n_items {
            item_ptr[i + 1] += item_ptr[i];
        }
        let pair = |(&a, &l): (&i64, &i64)| (a as u32, l as u32);
        let by_item = if items.windows(2).all(|w| w[0] <= w[1]) {
            // already grouped by item (the usual layout): one sequential copy
            let mut v = Vec::with_capacity(items.len());
            advise_huge_pages(&v);
            v.extend(annotators.iter().zip(labels).map(pair));
            v
        } else {
            // counting sort by item keeps each item's answers in input order; item_ptr[i]
            // serves as item i's cursor and is shifted back afterwards
            let mut v = huge_pages_vec(items.len(), (0u32, 0u32));
            for (&i, al) in items.iter().zip(annotators.iter().zip(labels)) {
                let slot = &mut item_ptr[i as usize];
                v[*slot] = pair(al);
                *slot += 1;
            }
            item_ptr.copy_within(0..n_items, 1);
            item_ptr[0] = 0;
            v
        };
        Ok(Self {
            n_items,
            n_annotators,
            n_classes,
            n_answers: items.len(),
            item_ptr,
            by_item,
        })
    }

    pub fn n_items(&self) -> usize {
        self.n_items
    }
    pub fn n_annotators(&self) -> usize {
        self.n_annotators
    }
    pub fn n_classes(&self) -> usize {
        self.n_classes
    }
    /// Number of answers.
    pub fn len(&self) -> usize {
        self.n_answers
    }
    pub fn is_empty(&self) -> bool {
        self.n_answers == 0
    }

    /// All `(annotator, label)` pairs, grouped by item (item order, then input order).
    pub fn answers(&self) -> &[(u32, u32)] {
        &self.by_item
    }

    /// `(annotator, label)` pairs of item `i`, in input order.
    pub fn answers_of(&self, i: usize) -> &[(u32, u32)] {
        &self.by_item[self.item_ptr[i]..self.item_ptr[i + 1]]
    }

    /// Number of answers item `i` received.
    pub fn count_of(&self, i: usize) -> usize {
        self.item_ptr[i + 1] - self.item_ptr[i]
    }

    /// Checks gold labels: one class code per item, `-1` where the truth is unknown.
    pub fn check_gold(&self, gold: &[i64]) -> Result<()> {
        let (n, k) = (self.n_items, self.n_classes);
        if gold.len() != n {
            return Err(Error::param(
                "gold",
                format!("expected one code per item ({n}), got {}", gold.len()),
            ));
        }
        match gold
            .iter()
            .enumerate()
            .find(|(_, &c)| c >= k as i64 || c < -1)
        {
            Some((i, c)) => Err(Error::param(
                "gold",
                format!("item {i} has gold class code {c}, expected -1 or 0 <= code < {k}"),
            )),
            None => Ok(()),
        }
    }

    /// Per-item label counts, optionally weighting each answer by its annotator's weight:
    /// a row-major `(n_items, n_classes)` matrix.
    pub fn vote_counts(&self, weights: Option<&[f64]>) -> Result<Vec<f64>> {
        if let Some(w) = weights {
            if w.len() != self.n_annotators {
                return Err(Error::param(
                    "weights",
                    format!(
                        "expected one weight per annotator ({}), got {}",
                        self.n_annotators,
                        w.len()
                    ),
                ));
            }
            if let Some((j, x)) = w
                .iter()
                .enumerate()
                .find(|(_, x)| !x.is_finite() || **x < 0.0)
            {
                return Err(Error::param(
                    "weights",
                    format!("expected finite non-negative weights, annotator {j} has {x}"),
                ));
            }
        }
        let k = self.n_classes;
        let mut counts = huge_pages_vec(self.n_items * k, 0.0);
        for i in 0..self.n_items {
            let row = &mut counts[i * k..(i + 1) * k];
            for &(a, l) in self.answers_of(i) {
                row[l as usize] += weights.map_or(1.0, |w| w[a as usize]);
            }
        }
        Ok(counts)
    }
}

/// A `Vec` of `n` copies of `value` whose pages the kernel is asked to back with
/// transparent huge pages (see [`advise_huge_pages`]).
pub fn huge_pages_vec<T: Clone>(n: usize, value: T) -> Vec<T> {
    let mut v = Vec::with_capacity(n);
    advise_huge_pages(&v);
    v.resize(n, value);
    v
}

/// Asks Linux to back the (not yet touched) capacity of a large buffer with 2 MiB
/// transparent huge pages. Fresh 4 KiB pages cost a fault each on first touch and crowd
/// the TLB on every EM pass: at 10M answers that made the per-answer time 2.4x the 1M
/// time (where freed heap memory is reused). Only a hint; a no-op elsewhere.
pub fn advise_huge_pages<T>(v: &Vec<T>) {
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        const MADV_HUGEPAGE: i32 = 14;
        extern "C" {
            fn madvise(addr: *mut std::ffi::c_void, len: usize, advice: i32) -> i32;
        }
        let bytes = v.capacity() * std::mem::size_of::<T>();
        let start = v.as_ptr() as usize;
        let first = (start + HUGE - 1) & !(HUGE - 1);
        let end = (start + bytes) & !(HUGE - 1);
        if bytes >= 4 * HUGE && end > first {
            // SAFETY: the range lies inside `v`'s allocation and MADV_HUGEPAGE changes
            // neither its contents nor its validity; failure is harmless.
            unsafe {
                madvise(first as *mut std::ffi::c_void, end - first, MADV_HUGEPAGE);
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = v;
}

/// Pins a posterior row to its gold class (one-hot); `gold < 0` (unknown) leaves it.
pub fn pin_gold(row: &mut [f64], gold: i64) {
    if gold >= 0 {
        row.iter_mut().for_each(|x| *x = 0.0);
        row[gold as usize] = 1.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_item_index_in_input_order() {
        let a = Annotations::new(&[1, 0, 1, 2], &[0, 1, 1, 0], &[2, 0, 1, 1], 4, 2, 3).unwrap();
        assert_eq!(a.len(), 4);
        assert_eq!(a.answers_of(0), &[(1, 0)]);
        assert_eq!(a.answers_of(1), &[(0, 2), (1, 1)]);
        assert_eq!(a.answers_of(2), &[(0, 1)]);
        assert_eq!(a.count_of(3), 0);
        let c = a.vote_counts(None).unwrap();
        assert_eq!(&c[3..6], &[0.0, 1.0, 1.0]);
        let c = a.vote_counts(Some(&[2.0, 0.5])).unwrap();
        assert_eq!(&c[3..6], &[0.0, 0.5, 2.0]);
        // grouped input takes the copy path and gives the same index
        let b = Annotations::new(&[0, 1, 1, 2], &[1, 0, 1, 0], &[0, 2, 1, 1], 4, 2, 3).unwrap();
        assert_eq!(b.answers(), a.answers());
        assert_eq!(b.item_ptr, a.item_ptr);
        let big = huge_pages_vec(5 << 20, 1u8);
        assert!(big.len() == 5 << 20 && big.iter().all(|&x| x == 1));
    }

    #[test]
    fn rejects_bad_codes_and_lengths() {
        let e = Annotations::new(&[0, 1], &[0], &[0, 1], 2, 1, 2).unwrap_err();
        assert!(e.to_string().contains("equal length"), "{e}");
        let e = Annotations::new(&[0, 1], &[0, 0], &[0, 2], 2, 1, 2).unwrap_err();
        assert!(e.to_string().starts_with("labels:"), "{e}");
        let e = Annotations::new(&[0, -1], &[0, 0], &[0, 1], 2, 1, 2).unwrap_err();
        assert!(e.to_string().starts_with("items:"), "{e}");
        let a = Annotations::new(&[0], &[0], &[0], 1, 1, 1).unwrap();
        assert!(a.vote_counts(Some(&[-1.0])).is_err());
        assert!(a.vote_counts(Some(&[1.0, 1.0])).is_err());
        assert!(a.check_gold(&[0, 0]).is_err());
        assert!(a
            .check_gold(&[1])
            .unwrap_err()
            .to_string()
            .starts_with("gold:"));
        assert!(a.check_gold(&[-1]).is_ok());
    }
}
