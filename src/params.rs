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
#[derive(Debug, Default)]
pub struct Params {
    map: BTreeMap<String, Value>,
    read: RefCell<BTreeSet<String>>,
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

    fn bad(names: &[&str], expected: &str, got: &Value) -> Error {
        Error::param(
            names[0],
            format!("expected {expected}, got {}", got.describe()),
        )
    }

    /// A number (`None` -> `default`).
    pub fn f64(&self, names: &[&str], default: f64) -> Result<f64> {
        Ok(self.opt_f64(names)?.unwrap_or(default))
    }

    /// A number or `None`.
    pub fn opt_f64(&self, names: &[&str]) -> Result<Option<f64>> {
        match self.get(names)? {
            None | Some(Value::None) => Ok(None),
            Some(Value::Int(i)) => Ok(Some(*i as f64)),
            Some(Value::Float(f)) if f.is_finite() => Ok(Some(*f)),
            Some(v) => Err(Self::bad(names, "a finite number", v)),
        }
    }

    /// A whole number (floats with no fractional part accepted) or `None`.
    pub fn opt_int(&self, names: &[&str]) -> Result<Option<i64>> {
        match self.get(names)? {
            None | Some(Value::None) => Ok(None),
            Some(Value::Int(i)) => Ok(Some(*i)),
            Some(Value::Float(f)) if f.fract() == 0.0 && f.is_finite() => Ok(Some(*f as i64)),
            Some(v) => Err(Self::bad(names, "an integer", v)),
        }
    }

    /// A positive count.
    pub fn count(&self, names: &[&str], default: usize) -> Result<usize> {
        self.opt_count(names).map(|v| v.unwrap_or(default))
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
        match self.opt_int(names)? {
            None => Ok(default),
            Some(i) if i >= 0 => Ok(i as usize),
            Some(i) => Err(Error::param(names[0], format!("must be >= 0, got {i}"))),
        }
    }

    pub fn bool(&self, names: &[&str], default: bool) -> Result<bool> {
        match self.get(names)? {
            None | Some(Value::None) => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            Some(Value::Int(i)) if *i == 0 || *i == 1 => Ok(*i == 1),
            Some(v) => Err(Self::bad(names, "True or False", v)),
        }
    }

    /// A string or `None`.
    pub fn opt_str(&self, names: &[&str]) -> Result<Option<String>> {
        match self.get(names)? {
            None | Some(Value::None) => Ok(None),
            Some(Value::Str(s)) => Ok(Some(s.clone())),
            Some(v) => Err(Self::bad(names, "a string", v)),
        }
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
