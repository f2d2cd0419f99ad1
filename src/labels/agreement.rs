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

impl Level {
    pub fn from_name(name: &str) -> Result<Self> {
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

/// Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's alpha-reliability")
/// for a row-major `(n_coders, n_units)` matrix with NaN for missing values, computed
/// from the coincidence matrix as the `krippendorff` package does: units with fewer than
/// two values are not pairable and are left out; `value_domain` defaults to the sorted
/// distinct values (for ordinal data it fixes the order).
///
/// Instead of materialising the `V x V` coincidence and distance matrices this uses
/// closed forms (the ordinal distance is the interval distance between mid-ranks
/// `sum_{g<c} n_g + n_c / 2`), so continuous ratings with many distinct values stay
/// linear in the data (ratio level: quadratic in the distinct values). Returns NaN when
/// the pairable values show no variation at all (alpha is 0/0).
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
    if let Some(x) = data.iter().find(|x| x.is_infinite()) {
        return Err(Error::param(
            "data",
            format!("expected finite values or NaN for missing, found {x}"),
        ));
    }
    // The value domain, and a sorted lookup (value, index in the domain).
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
    let mut lookup: Vec<(f64, usize)> = domain.iter().copied().zip(0..).collect();
    lookup.sort_by(|a, b| a.0.total_cmp(&b.0));
    if lookup.windows(2).any(|w| w[0].0 == w[1].0) {
        return Err(Error::param("value_domain", "contains a value twice"));
    }
    if domain.len() <= 1 {
        return Err(Error::param(
            "data",
            format!(
                "Krippendorff's alpha needs more than one distinct value, got {}",
                domain.len()
            ),
        ));
    }
    let index_of = |x: f64| -> Result<usize> {
        lookup
            .binary_search_by(|p| p.0.total_cmp(&x))
            .map(|j| lookup[j].1)
            .map_err(|_| Error::param("data", format!("value {x} is not in value_domain")))
    };
    // Per pairable unit: the domain indices of its values.
    let mut units: Vec<Vec<usize>> = Vec::new();
    let mut n_v = vec![0.0; domain.len()];
    let mut col = Vec::with_capacity(n_coders);
    for u in 0..n_units {
        col.clear();
        for c in 0..n_coders {
            let x = data[c * n_units + u];
            if !x.is_nan() {
                col.push(index_of(x)?);
            }
        }
        if col.len() >= 2 {
            for &j in &col {
                n_v[j] += 1.0;
            }
            units.push(col.clone());
        }
    }
    if units.is_empty() {
        return Err(Error::param(
            "data",
            "Krippendorff's alpha needs at least one unit with values from two or more \
             coders; every unit has at most one",
        ));
    }
    let n_total: f64 = n_v.iter().sum();
    // Coordinates on which the distance is (x_c - x_k)^2 (ordinal: mid-ranks).
    let coord: Vec<f64> = match level {
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
        _ => domain.clone(),
    };
    let mut counts = vec![0.0; domain.len()];
    let mut observed = 0.0;
    for unit in &units {
        let m = unit.len() as f64;
        let pairs = match level {
            Level::Nominal => {
                for &j in unit {
                    counts[j] += 1.0;
                }
                let mut same = 0.0;
                for &j in unit {
                    if counts[j] > 0.0 {
                        same += counts[j] * counts[j];
                        counts[j] = 0.0;
                    }
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

impl KappaWeights {
    pub fn from_name(name: Option<&str>) -> Result<Self> {
        match name {
            None => Ok(KappaWeights::None),
            Some("linear") => Ok(KappaWeights::Linear),
            Some("quadratic") => Ok(KappaWeights::Quadratic),
            Some(o) => Err(Error::param(
                "weights",
                format!("expected None, \"linear\" or \"quadratic\", got {o:?}"),
            )),
        }
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
    fn krippendorff_bad_input() {
        let d = [1.0, NAN, NAN, 2.0];
        assert!(krippendorff_alpha(&d, 2, 2, Level::Nominal, None).is_err());
        let d = [1.0, 1.0, 1.0, 1.0];
        assert!(krippendorff_alpha(&d, 2, 2, Level::Nominal, None).is_err());
        let d = [1.0, 2.0, 1.0, 5.0];
        assert!(krippendorff_alpha(&d, 2, 2, Level::Nominal, Some(&[1.0, 2.0])).is_err());
        assert!(Level::from_name("cardinal").is_err());
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
