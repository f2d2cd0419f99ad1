//! Agreement between annotators: Krippendorff's alpha, Fleiss' kappa, Cohen's kappa and
//! per-item label entropy.

use crate::error::{Error, Result};

/// Krippendorff's level of measurement (the distance metric between two values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Nominal,
    Ordinal,
    Interval,
    Ratio,
}

impl std::str::FromStr for Level {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        match name {
            "nominal" => Ok(Level::Nominal),
            "ordinal" => Ok(Level::Ordinal),
            "interval" => Ok(Level::Interval),
            "ratio" => Ok(Level::Ratio),
            _ => Err(Error::param(
                "level",
                format!(
                    "expected \"nominal\", \"ordinal\", \"interval\" or \"ratio\", got {name:?}"
                ),
            )),
        }
    }
}

fn ratio_distance(a: f64, b: f64) -> f64 {
    let s = a + b;
    if s == 0.0 {
        0.0
    } else {
        let r = (a - b) / s;
        r * r
    }
}

/// Sum over ordered pairs of `xs` of squared differences: `2 m sum (x - mean)^2`.
fn pair_sq_sum(xs: impl Iterator<Item = (f64, f64)> + Clone) -> f64 {
    // (value, weight) pairs
    let (mut w, mut s) = (0.0, 0.0);
    for (x, n) in xs.clone() {
        w += n;
        s += n * x;
    }
    if w == 0.0 {
        return 0.0;
    }
    let mean = s / w;
    let ss: f64 = xs.map(|(x, n)| n * (x - mean) * (x - mean)).sum();
    2.0 * w * ss
}

/// Codes of the values of `data` in the value domain (`u32::MAX` for NaN), and the domain.
///
/// Without a given domain it is the sorted distinct values.
fn encode(data: &[f64], value_domain: Option<&[f64]>) -> Result<(Vec<f64>, Vec<u32>)> {
    const NONE: u32 = u32::MAX;
    let domain: Vec<f64> = match value_domain {
        Some(d) => {
            if let Some(x) = d.iter().find(|x| !x.is_finite()) {
                return Err(Error::param(
                    "value_domain",
                    format!("expected finite values, found {x}"),
                ));
            }
            d.to_vec()
        }
        None => {
            let mut v: Vec<f64> = data.iter().copied().filter(|x| !x.is_nan()).collect();
            v.sort_by(|a, b| a.total_cmp(b));
            v.dedup();
            v
        }
    };
    let mut lookup: Vec<(f64, u32)> = domain.iter().copied().zip(0..).collect();
    lookup.sort_by(|a, b| a.0.total_cmp(&b.0));
    if lookup.windows(2).any(|w| w[0].0 == w[1].0) {
        return Err(Error::param("value_domain", "contains a value twice"));
    }
    let codes = data
        .iter()
        .map(|&x| {
            if x.is_nan() {
                return Ok(NONE);
            }
            lookup
                .binary_search_by(|p| p.0.total_cmp(&x))
                .map(|j| lookup[j].1)
                .map_err(|_| Error::param("data", format!("value {x} is not in value_domain")))
        })
        .collect::<Result<Vec<u32>>>()?;
    Ok((domain, codes))
}

/// Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's alpha-reliability")
/// for a row-major `(n_coders, n_units)` matrix with NaN for missing values, computed
/// from the coincidence matrix as the `krippendorff` package does: units with fewer than
/// two values are not pairable and are left out; `value_domain` defaults to the sorted
/// distinct values (for ordinal data it fixes the order).
///
/// With few distinct values (rating scales) it works on per-unit value counts and the
/// `V x V` distance matrix, as the package. With many (continuous ratings) it uses closed
/// forms instead (the ordinal distance is the interval distance between mid-ranks
/// `sum_{g<c} n_g + n_c / 2`), so the cost stays linear in the data (ratio level:
/// quadratic in the distinct values). Returns NaN when the pairable values show no
/// variation at all (alpha is 0/0).
pub fn krippendorff_alpha(
    data: &[f64],
    n_coders: usize,
    n_units: usize,
    level: Level,
    value_domain: Option<&[f64]>,
) -> Result<f64> {
    if data.len() != n_coders * n_units {
        return Err(Error::Internal(format!(
            "data has {} values, expected {n_coders} x {n_units}",
            data.len()
        )));
    }
    // One branch-free scan: range (min/max skip NaN), integrality, infinities.
    let (mut lo, mut hi, mut integral) = (f64::INFINITY, f64::NEG_INFINITY, true);
    // 1.5 * 2^52: adding and subtracting it rounds |x| < 2^51 to an integer (no libm)
    const ROUND: f64 = 6_755_399_441_055_744.0;
    for &x in data {
        if x < lo {
            lo = x;
        }
        if x > hi {
            hi = x;
        }
        integral &= x.is_nan() | ((x.abs() < 2.0e15) & ((x + ROUND) - ROUND == x));
    }
    if lo == f64::NEG_INFINITY || hi == f64::INFINITY {
        let x = if lo == f64::NEG_INFINITY { lo } else { hi };
        return Err(Error::param(
            "data",
            format!("expected finite values or NaN for missing, found {x}"),
        ));
    }
    // Rating scales (few integers): count values per unit straight from the data, NaN
    // into a spare last column.
    if value_domain.is_none() && integral && lo <= hi && hi - lo < 64.0 {
        let r = (hi - lo) as usize + 1;
        let stride = r + 1;
        let mut counts = vec![0u32; n_units * stride];
        // Per coder: value codes first (a branch-free select: missing values are random,
        // so a branch mispredicts), then the increments, no bounds checks on the stride.
        let mut codes = vec![0u8; n_units];
        for row in data.chunks_exact(n_units.max(1)) {
            for (c, &x) in codes.iter_mut().zip(row) {
                let j = (x - lo) as u8;
                *c = if x.is_nan() { r as u8 } else { j };
            }
            for (unit, &j) in counts.chunks_exact_mut(stride).zip(&codes) {
                unit[(j as usize).min(r)] += 1;
            }
        }
        let domain: Vec<f64> = (0..r).map(|j| lo + j as f64).collect();
        return alpha_from_counts(&counts, stride, &domain, level, false);
    }
    const NONE: u32 = u32::MAX;
    let (domain, codes) = encode(data, value_domain)?;
    let v = domain.len();
    if v <= 64 && n_units.saturating_mul(v) <= 1 << 26 {
        let mut counts = vec![0u32; n_units * v];
        for row in codes.chunks_exact(n_units.max(1)) {
            for (u, &c) in row.iter().enumerate() {
                if c != NONE {
                    counts[u * v + c as usize] += 1;
                }
            }
        }
        return alpha_from_counts(&counts, v, &domain, level, value_domain.is_some());
    }
    alpha_closed_form(&codes, n_coders, n_units, &domain, level)
}

fn too_few_values(v: usize) -> Error {
    Error::param(
        "data",
        format!("Krippendorff's alpha needs more than one distinct value, got {v}"),
    )
}

fn no_pairable_unit() -> Error {
    Error::param(
        "data",
        "Krippendorff's alpha needs at least one unit with values from two or more \
         coders; every unit has at most one",
    )
}

/// Coordinates on which the distance is `(x_c - x_k)^2`: the values, or for ordinal data
/// the mid-ranks `sum_{g<c} n_g + n_c / 2`.
fn coordinates(level: Level, domain: &[f64], n_v: &[f64]) -> Vec<f64> {
    match level {
        Level::Ordinal => {
            let mut before = 0.0;
            n_v.iter()
                .map(|&n| {
                    let r = before + n / 2.0;
                    before += n;
                    r
                })
                .collect()
        }
        _ => domain.to_vec(),
    }
}

/// Alpha from per-unit value counts (row-major, `stride >= V` columns, the first `V` the
/// domain's values), through the coincidence matrix and the `V x V` distances.
/// `whole_domain`: the domain was given, so its size counts even where values are unused
/// (as the `krippendorff` package).
fn alpha_from_counts(
    counts: &[u32],
    stride: usize,
    domain: &[f64],
    level: Level,
    whole_domain: bool,
) -> Result<f64> {
    let v = domain.len();
    if v == 0 {
        return Err(too_few_values(0));
    }
    let mut used = vec![false; v];
    let mut n_v = vec![0.0; v];
    let mut any_pairable = false;
    for row in counts.chunks_exact(stride) {
        let row = &row[..v];
        let m: u32 = row.iter().sum();
        for (u, &n) in used.iter_mut().zip(row) {
            *u |= n > 0;
        }
        if m >= 2 {
            any_pairable = true;
            for (t, &n) in n_v.iter_mut().zip(row) {
                *t += n as f64;
            }
        }
    }
    let n_values = if whole_domain {
        v
    } else {
        used.iter().filter(|&&u| u).count()
    };
    if n_values <= 1 {
        return Err(too_few_values(n_values));
    }
    if !any_pairable {
        return Err(no_pairable_unit());
    }
    let n_total: f64 = n_v.iter().sum();
    let coord = coordinates(level, domain, &n_v);
    let mut d = vec![0.0; v * v];
    for a in 0..v {
        for b in 0..v {
            d[a * v + b] = match level {
                Level::Nominal => f64::from(u8::from(a != b)),
                Level::Ordinal | Level::Interval => (coord[a] - coord[b]) * (coord[a] - coord[b]),
                Level::Ratio => ratio_distance(domain[a], domain[b]),
            };
        }
    }
    // Centred coordinates keep the moment form below free of cancellation.
    let centre = coord.iter().copied().fold(0.0, f64::max) / 2.0
        + coord.iter().copied().fold(0.0, f64::min) / 2.0;
    let xc: Vec<f64> = coord.iter().map(|x| x - centre).collect();
    let mut observed = 0.0;
    let mut nz: Vec<(usize, f64)> = Vec::with_capacity(v);
    for row in counts.chunks_exact(stride) {
        let row = &row[..v];
        let m: u32 = row.iter().sum();
        if m < 2 {
            continue;
        }
        let mf = m as f64;
        // sum over ordered pairs of values in the unit of their distance
        let pairs = match level {
            Level::Nominal => mf * mf - row.iter().map(|&n| (n as f64) * (n as f64)).sum::<f64>(),
            Level::Ordinal | Level::Interval => {
                let (mut s1, mut s2) = (0.0, 0.0);
                for (&n, &x) in row.iter().zip(&xc) {
                    let n = n as f64;
                    s1 += n * x;
                    s2 += n * x * x;
                }
                2.0 * (mf * s2 - s1 * s1)
            }
            // rating scales: dense rows, no index list (the inner loop vectorises)
            Level::Ratio if v <= 16 => {
                let mut p = 0.0;
                for (a, &na) in row.iter().enumerate() {
                    if na > 0 {
                        let da = &d[a * v..(a + 1) * v];
                        let s: f64 = (a + 1..v).map(|b| row[b] as f64 * da[b]).sum();
                        p += na as f64 * s;
                    }
                }
                2.0 * p
            }
            Level::Ratio => {
                nz.clear();
                for (c, &n) in row.iter().enumerate() {
                    if n > 0 {
                        nz.push((c, n as f64));
                    }
                }
                let mut p = 0.0;
                for (x, &(a, na)) in nz.iter().enumerate() {
                    for &(b, nb) in &nz[x + 1..] {
                        p += na * nb * d[a * v + b];
                    }
                }
                2.0 * p
            }
        };
        observed += pairs / (mf - 1.0);
    }
    let mut expected = 0.0;
    for a in 0..v {
        for b in a + 1..v {
            expected += n_v[a] * n_v[b] * d[a * v + b];
        }
    }
    Ok(1.0 - (n_total - 1.0) * observed / (2.0 * expected))
}

/// Alpha for many distinct values: per-unit pair sums and the expected disagreement in
/// closed form (linear in the data; ratio level quadratic in the distinct values).
fn alpha_closed_form(
    codes: &[u32],
    n_coders: usize,
    n_units: usize,
    domain: &[f64],
    level: Level,
) -> Result<f64> {
    const NONE: u32 = u32::MAX;
    let v = domain.len();
    if v <= 1 {
        return Err(too_few_values(v));
    }
    let mut m_u = vec![0u32; n_units];
    for row in codes.chunks_exact(n_units.max(1)) {
        for (m, &c) in m_u.iter_mut().zip(row) {
            *m += u32::from(c != NONE);
        }
    }
    if !m_u.iter().any(|&m| m >= 2) {
        return Err(no_pairable_unit());
    }
    let mut n_v = vec![0.0; v];
    for row in codes.chunks_exact(n_units.max(1)) {
        for (&m, &c) in m_u.iter().zip(row) {
            if c != NONE && m >= 2 {
                n_v[c as usize] += 1.0;
            }
        }
    }
    let n_total: f64 = n_v.iter().sum();
    let coord = coordinates(level, domain, &n_v);
    let mut observed = 0.0;
    let mut unit: Vec<usize> = Vec::with_capacity(n_coders);
    let mut tally = vec![0.0; v];
    for (u, &m) in m_u.iter().enumerate() {
        if m < 2 {
            continue;
        }
        unit.clear();
        for c in 0..n_coders {
            let code = codes[c * n_units + u];
            if code != NONE {
                unit.push(code as usize);
            }
        }
        let m = m as f64;
        let pairs = match level {
            Level::Nominal => {
                for &j in &unit {
                    tally[j] += 1.0;
                }
                let mut same = 0.0;
                for &j in &unit {
                    same += tally[j] * tally[j];
                    tally[j] = 0.0;
                }
                m * m - same
            }
            Level::Ordinal | Level::Interval => pair_sq_sum(unit.iter().map(|&j| (coord[j], 1.0))),
            Level::Ratio => {
                let mut s = 0.0;
                for (a, &i) in unit.iter().enumerate() {
                    for &j in &unit[a + 1..] {
                        s += 2.0 * ratio_distance(domain[i], domain[j]);
                    }
                }
                s
            }
        };
        observed += pairs / (m - 1.0);
    }
    let expected = match level {
        Level::Nominal => n_total * n_total - n_v.iter().map(|n| n * n).sum::<f64>(),
        Level::Ordinal | Level::Interval => {
            pair_sq_sum(coord.iter().copied().zip(n_v.iter().copied()))
        }
        Level::Ratio => {
            let used: Vec<(f64, f64)> = domain
                .iter()
                .zip(&n_v)
                .filter(|(_, &n)| n > 0.0)
                .map(|(&x, &n)| (x, n))
                .collect();
            let mut s = 0.0;
            for (a, &(x, nx)) in used.iter().enumerate() {
                for &(y, ny) in &used[a + 1..] {
                    s += 2.0 * nx * ny * ratio_distance(x, y);
                }
            }
            s
        }
    };
    Ok(1.0 - (n_total - 1.0) * observed / expected)
}

/// Fleiss' kappa (Fleiss 1971) from a row-major `(n_subjects, n_categories)` table of
/// counts, every subject rated by the same number of raters, as
/// `statsmodels.stats.inter_rater.fleiss_kappa`; `randolph` uses chance agreement
/// `1 / n_categories` (Randolph's free-marginal kappa). NaN when chance agreement is 1.
pub fn fleiss_kappa(
    table: &[f64],
    n_subjects: usize,
    n_categories: usize,
    randolph: bool,
) -> Result<f64> {
    if table.len() != n_subjects * n_categories {
        return Err(Error::Internal("table shape".into()));
    }
    if n_subjects == 0 || n_categories == 0 {
        return Err(Error::param(
            "table",
            format!("expected at least one subject and one category, got shape ({n_subjects}, {n_categories})"),
        ));
    }
    if let Some(x) = table.iter().find(|x| !(x.is_finite() && **x >= 0.0)) {
        return Err(Error::param(
            "table",
            format!("expected non-negative finite counts, found {x}"),
        ));
    }
    let rows: Vec<f64> = table
        .chunks(n_categories)
        .map(|r| r.iter().sum::<f64>())
        .collect();
    let n_rat = rows[0];
    if let Some((i, r)) = rows.iter().enumerate().find(|(_, r)| **r != n_rat) {
        return Err(Error::param(
            "table",
            format!(
                "Fleiss' kappa needs the same number of ratings for every subject; subject 0 \
                 has {n_rat}, subject {i} has {r} (use krippendorff_alpha for missing ratings)"
            ),
        ));
    }
    if n_rat < 2.0 {
        return Err(Error::param(
            "table",
            format!("Fleiss' kappa needs at least two ratings per subject, got {n_rat}"),
        ));
    }
    let n_total = n_rat * n_subjects as f64;
    let mut p_mean = 0.0;
    let mut cat = vec![0.0; n_categories];
    for r in table.chunks(n_categories) {
        let sq: f64 = r.iter().map(|x| x * x).sum();
        p_mean += (sq - n_rat) / (n_rat * (n_rat - 1.0));
        for (c, x) in cat.iter_mut().zip(r) {
            *c += x;
        }
    }
    p_mean /= n_subjects as f64;
    let p_exp = if randolph {
        1.0 / n_categories as f64
    } else {
        cat.iter().map(|c| (c / n_total) * (c / n_total)).sum()
    };
    if p_exp == 1.0 {
        return Ok(f64::NAN);
    }
    Ok((p_mean - p_exp) / (1.0 - p_exp))
}

/// Weighting of disagreements in Cohen's kappa.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KappaWeights {
    None,
    Linear,
    Quadratic,
}

/// `"linear"` or `"quadratic"` (unweighted kappa is [`KappaWeights::from_option`]`(None)`).
impl std::str::FromStr for KappaWeights {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        match name {
            "linear" => Ok(KappaWeights::Linear),
            "quadratic" => Ok(KappaWeights::Quadratic),
            o => Err(Error::param(
                "weights",
                format!("expected None, \"linear\" or \"quadratic\", got {o:?}"),
            )),
        }
    }
}

impl KappaWeights {
    /// Unweighted for `None`, else the [`FromStr`](std::str::FromStr) name.
    pub fn from_option(name: Option<&str>) -> Result<Self> {
        name.map_or(Ok(KappaWeights::None), str::parse)
    }
}

/// Cohen's kappa (Cohen 1960; weighted: Cohen 1968) of two raters' class codes
/// `0..n_classes` (`-1` = missing: the pair is left out), as
/// `sklearn.metrics.cohen_kappa_score`: weights by class index distance. NaN where
/// kappa is undefined (no pairs, or a single class in common), as scikit-learn's
/// `replace_undefined_by=np.nan`.
pub fn cohen_kappa(a: &[i64], b: &[i64], n_classes: usize, weights: KappaWeights) -> Result<f64> {
    if a.len() != b.len() {
        return Err(Error::param(
            "a, b",
            format!(
                "expected two ratings of the same items (equal lengths), got {} and {}",
                a.len(),
                b.len()
            ),
        ));
    }
    let k = n_classes;
    let mut conf = vec![0.0; k * k];
    for (i, (&x, &y)) in a.iter().zip(b).enumerate() {
        if x < 0 || y < 0 {
            continue;
        }
        if x as usize >= k || y as usize >= k {
            return Err(Error::param(
                "a, b",
                format!("class code out of range at position {i}"),
            ));
        }
        conf[x as usize * k + y as usize] += 1.0;
    }
    let mut s0 = vec![0.0; k];
    let mut s1 = vec![0.0; k];
    for i in 0..k {
        for j in 0..k {
            s0[j] += conf[i * k + j];
            s1[i] += conf[i * k + j];
        }
    }
    let total: f64 = s0.iter().sum();
    if total == 0.0 {
        return Ok(f64::NAN);
    }
    let w = |i: usize, j: usize| -> f64 {
        let d = (i as f64 - j as f64).abs();
        match weights {
            KappaWeights::None => f64::from(u8::from(i != j)),
            KappaWeights::Linear => d,
            KappaWeights::Quadratic => d * d,
        }
    };
    let (mut num, mut den) = (0.0, 0.0);
    for i in 0..k {
        for j in 0..k {
            num += w(i, j) * conf[i * k + j];
            // sklearn's expected[i, j] = outer(sum0, sum1)[i, j] / total
            den += w(i, j) * (s0[i] * s1[j] / total);
        }
    }
    if den == 0.0 {
        return Ok(f64::NAN);
    }
    Ok(1.0 - num / den)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAN: f64 = f64::NAN;

    /// Krippendorff's (2011) worked example, as in the `krippendorff` package docs.
    fn example() -> Vec<f64> {
        vec![
            NAN, NAN, NAN, NAN, NAN, 3., 4., 1., 2., 1., 1., 3., 3., NAN, 3., //
            1., NAN, 2., 1., 3., 3., 4., 3., NAN, NAN, NAN, NAN, NAN, NAN, NAN, //
            NAN, NAN, 2., 1., 3., 4., 4., NAN, 2., 1., 1., 3., 3., NAN, 4.,
        ]
    }

    #[test]
    fn krippendorff_reference_values() {
        let d = example();
        let nominal = krippendorff_alpha(&d, 3, 15, Level::Nominal, None).unwrap();
        assert!((nominal - 0.691358).abs() < 1e-6, "{nominal}");
        let interval = krippendorff_alpha(&d, 3, 15, Level::Interval, None).unwrap();
        assert!((interval - 0.810845).abs() < 1e-6, "{interval}");
    }

    #[test]
    fn krippendorff_count_and_closed_form_paths_agree() {
        // 80 distinct values forces the closed-form path; the same data coded 0..79
        // through a value domain of the same order takes it too, so compare against the
        // small-domain path on a coarsened copy instead: shift every value by a constant
        // (alpha is invariant for nominal/ordinal/interval).
        let mut rng = crate::labels::vote::SplitMix64::new(1);
        let (n_coders, n_units) = (5, 300);
        let small: Vec<f64> = (0..n_coders * n_units)
            .map(|_| {
                if rng.below(5) == 0 {
                    NAN
                } else {
                    rng.below(6) as f64 + 1.0
                }
            })
            .collect();
        for level in [
            Level::Nominal,
            Level::Ordinal,
            Level::Interval,
            Level::Ratio,
        ] {
            let a = krippendorff_alpha(&small, n_coders, n_units, level, None).unwrap();
            // non-integer values avoid the lookup table but keep V small
            let frac: Vec<f64> = small.iter().map(|x| x + 0.5).collect();
            let b = krippendorff_alpha(&frac, n_coders, n_units, level, None).unwrap();
            if level != Level::Ratio {
                assert!((a - b).abs() < 1e-12, "{level:?}: {a} vs {b}");
            }
            // a domain with 70 unused values forces the closed-form path
            let mut dom: Vec<f64> = (1..=6).map(f64::from).collect();
            dom.extend((100..170).map(f64::from));
            let c = krippendorff_alpha(&small, n_coders, n_units, level, Some(&dom)).unwrap();
            assert!((a - c).abs() < 1e-12, "{level:?}: {a} vs {c}");
        }
    }

    #[test]
    fn krippendorff_bad_input() {
        let d = [1.0, NAN, NAN, 2.0];
        assert!(krippendorff_alpha(&d, 2, 2, Level::Nominal, None).is_err());
        let d = [1.0, 1.0, 1.0, 1.0];
        assert!(krippendorff_alpha(&d, 2, 2, Level::Nominal, None).is_err());
        assert!(krippendorff_alpha(&[NAN; 4], 2, 2, Level::Nominal, None).is_err());
        assert!(krippendorff_alpha(&[], 2, 0, Level::Interval, None).is_err());
        assert!(krippendorff_alpha(&[], 0, 3, Level::Interval, None).is_err());
        let d = [0.5, NAN, NAN, 1.5];
        assert!(krippendorff_alpha(&d, 2, 2, Level::Interval, None).is_err());
        let d = [1.0, 2.0, 1.0, 5.0];
        assert!(krippendorff_alpha(&d, 2, 2, Level::Nominal, Some(&[1.0, 2.0])).is_err());
        assert!("cardinal".parse::<Level>().is_err());
    }

    #[test]
    fn fleiss_hand_computed() {
        // two subjects, three raters: full agreement on one, 2-1 split on the other
        let t = [3.0, 0.0, 2.0, 1.0];
        // P_i = 1, 1/3 -> 2/3; p = (5/6, 1/6) -> Pe = 26/36
        let want = (2.0 / 3.0 - 26.0 / 36.0) / (1.0 - 26.0 / 36.0);
        assert!((fleiss_kappa(&t, 2, 2, false).unwrap() - want).abs() < 1e-15);
        assert!(fleiss_kappa(&[3.0, 0.0, 1.0, 1.0], 2, 2, false).is_err());
        assert!(fleiss_kappa(&[1.0, 0.0], 1, 2, false).is_err());
    }

    #[test]
    fn cohen_hand_computed() {
        let a = [0, 0, 1, 1];
        let b = [0, 1, 1, 1];
        // po = 3/4, pe = (2*1 + 2*3)/16 = 1/2
        let k = cohen_kappa(&a, &b, 2, KappaWeights::None).unwrap();
        assert!((k - 0.5).abs() < 1e-15);
        assert!(cohen_kappa(&a, &b[..3], 2, KappaWeights::None).is_err());
        assert!(cohen_kappa(&[0, 0], &[0, 0], 1, KappaWeights::None)
            .unwrap()
            .is_nan());
    }
}
