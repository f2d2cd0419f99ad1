//! Keyword parameters by name, as the reference tools spell them.
//!
//! A preset reads the names it knows from a [`Params`] bag, with its reference's default
//! for each; [`Params::finish`] then refuses any name nobody read, so a misspelt or
//! foreign keyword is an error instead of being ignored.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Error, Result};

/// A parameter value as it arrives from Python (or from Rust callers).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Array(Vec<f64>),
}

impl Value {
    fn describe(&self) -> String {
        match self {
            Value::None => "None".into(),
            Value::Bool(b) => format!("{b}"),
            Value::Int(i) => format!("{i}"),
            Value::Float(f) => format!("{f}"),
            Value::Str(s) => format!("{s:?}"),
            Value::Array(a) => format!("an array of {} numbers", a.len()),
        }
    }
}

/// Named parameters with read tracking.
///
/// Every typed read also records the value it resolved to (the reference's default when
/// the name was not given) under the first of its names, so that [`Params::resolved`]
/// lists the full parameter set a preset ran with: the feature settings a table records.
#[derive(Debug, Default)]
pub struct Params {
    map: BTreeMap<String, Value>,
    read: RefCell<BTreeSet<String>>,
    resolved: RefCell<BTreeMap<String, Value>>,
}

impl Params {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn set(&mut self, name: impl Into<String>, value: Value) -> &mut Self {
        self.map.insert(name.into(), value);
        self
    }

    pub fn with(mut self, name: &str, value: Value) -> Self {
        self.set(name, value);
        self
    }

    /// The raw value of the first of `names` present (aliases), `None` if absent.
    /// Giving two aliases at once is an error.
    pub fn get(&self, names: &[&str]) -> Result<Option<&Value>> {
        let mut found: Option<(&str, &Value)> = None;
        for n in names {
            self.read.borrow_mut().insert((*n).to_string());
            if let Some(v) = self.map.get(*n) {
                if let Some((first, _)) = found {
                    return Err(Error::param(
                        n,
                        format!("give either {first} or {n}, not both"),
                    ));
                }
                found = Some((n, v));
            }
        }
        Ok(found.map(|(_, v)| v))
    }

    /// Records `value` as what `name` resolved to (for defaults applied outside the
    /// typed readers: a window name, `fmax = sr / 2`, ...).
    pub fn note(&self, name: &str, value: Value) {
        self.resolved.borrow_mut().insert(name.to_string(), value);
    }

    /// Every parameter read so far with the value it resolved to, by its first name.
    pub fn resolved(&self) -> BTreeMap<String, Value> {
        self.resolved.borrow().clone()
    }

    fn bad(names: &[&str], expected: &str, got: &Value) -> Error {
        Error::param(
            names[0],
            format!("expected {expected}, got {}", got.describe()),
        )
    }

    /// A number (`None` -> `default`).
    pub fn f64(&self, names: &[&str], default: f64) -> Result<f64> {
        let v = self.opt_f64(names)?.unwrap_or(default);
        self.note(names[0], Value::Float(v));
        Ok(v)
    }

    /// A number or `None`.
    pub fn opt_f64(&self, names: &[&str]) -> Result<Option<f64>> {
        let v = match self.get(names)? {
            None | Some(Value::None) => None,
            Some(Value::Int(i)) => Some(*i as f64),
            Some(Value::Float(f)) if f.is_finite() => Some(*f),
            Some(v) => return Err(Self::bad(names, "a finite number", v)),
        };
        self.note(names[0], v.map_or(Value::None, Value::Float));
        Ok(v)
    }

    /// A whole number (floats with no fractional part accepted) or `None`.
    pub fn opt_int(&self, names: &[&str]) -> Result<Option<i64>> {
        let v = match self.get(names)? {
            None | Some(Value::None) => None,
            Some(Value::Int(i)) => Some(*i),
            Some(Value::Float(f)) if f.fract() == 0.0 && f.is_finite() => Some(*f as i64),
            Some(v) => return Err(Self::bad(names, "an integer", v)),
        };
        self.note(names[0], v.map_or(Value::None, Value::Int));
        Ok(v)
    }

    /// A positive count.
    pub fn count(&self, names: &[&str], default: usize) -> Result<usize> {
        let v = self.opt_count(names)?.unwrap_or(default);
        self.note(names[0], Value::Int(v as i64));
        Ok(v)
    }

    pub fn opt_count(&self, names: &[&str]) -> Result<Option<usize>> {
        match self.opt_int(names)? {
            None => Ok(None),
            Some(i) if i > 0 => Ok(Some(i as usize)),
            Some(i) => Err(Error::param(
                names[0],
                format!("must be a positive integer, got {i}"),
            )),
        }
    }

    /// A non-negative integer.
    pub fn index(&self, names: &[&str], default: usize) -> Result<usize> {
        let v = match self.opt_int(names)? {
            None => default,
            Some(i) if i >= 0 => i as usize,
            Some(i) => return Err(Error::param(names[0], format!("must be >= 0, got {i}"))),
        };
        self.note(names[0], Value::Int(v as i64));
        Ok(v)
    }

    pub fn bool(&self, names: &[&str], default: bool) -> Result<bool> {
        let v = match self.get(names)? {
            None | Some(Value::None) => default,
            Some(Value::Bool(b)) => *b,
            Some(Value::Int(i)) if *i == 0 || *i == 1 => *i == 1,
            Some(v) => return Err(Self::bad(names, "True or False", v)),
        };
        self.note(names[0], Value::Bool(v));
        Ok(v)
    }

    /// A string or `None`.
    pub fn opt_str(&self, names: &[&str]) -> Result<Option<String>> {
        let v = match self.get(names)? {
            None | Some(Value::None) => None,
            Some(Value::Str(s)) => Some(s.clone()),
            Some(v) => return Err(Self::bad(names, "a string", v)),
        };
        self.note(names[0], v.clone().map_or(Value::None, Value::Str));
        Ok(v)
    }

    /// Errors on any parameter that no reader asked for, listing the accepted ones.
    pub fn finish(&self, context: &str) -> Result<()> {
        let read = self.read.borrow();
        let unknown: Vec<&String> = self.map.keys().filter(|k| !read.contains(*k)).collect();
        if let Some(first) = unknown.first() {
            let accepted: Vec<&str> = read.iter().map(|s| s.as_str()).collect();
            return Err(Error::param(
                first,
                format!(
                    "not a parameter of {context}; accepted: {}",
                    accepted.join(", ")
                ),
            ));
        }
        Ok(())
    }
}

/// Errors naming the first of `values` that is not a finite positive number.
pub fn check_positive(values: &[(&str, f64)]) -> Result<()> {
    match values.iter().find(|(_, v)| !(v.is_finite() && *v > 0.0)) {
        Some((name, v)) => Err(Error::param(
            name,
            format!("must be a finite positive number, got {v}"),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_reads_record_the_resolved_value_under_the_first_name() {
        let p = Params::new().with("n_mfcc", Value::Int(13));
        assert_eq!(p.count(&["num_ceps", "n_mfcc"], 20).unwrap(), 13);
        assert_eq!(p.f64(&["fmin"], 20.0).unwrap(), 20.0);
        assert!(p.bool(&["center"], true).unwrap());
        assert_eq!(p.opt_str(&["cmvn"]).unwrap(), None);
        let r = p.resolved();
        assert_eq!(r["num_ceps"], Value::Int(13));
        assert_eq!(r["fmin"], Value::Float(20.0));
        assert_eq!(r["center"], Value::Bool(true));
        assert_eq!(r["cmvn"], Value::None);
        assert!(!r.contains_key("n_mfcc"));
        p.note("fmax", Value::Float(8000.0));
        assert_eq!(p.resolved()["fmax"], Value::Float(8000.0));
    }
}
