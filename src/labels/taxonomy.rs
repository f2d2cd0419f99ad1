//! Emotion label sets of the common corpora, mappings between them, and a category ->
//! valence/arousal/dominance table.
//!
//! Every class has the code its corpus writes in its files (`"hap"`, `"A"`, `"01"`), a
//! name (an English noun) and a *concept*, the emotion it stands for. A label maps to the
//! target class of the same concept; when the target has no such class, two published
//! coarsenings are used and nothing else:
//!
//! * IEMOCAP's 4-class convention merges excitement into happiness;
//! * GoEmotions' 27 emotions go to Ekman's six by the authors' own table (Demszky et al.
//!   2020, `goemotions/data/ekman_mapping.json`).
//!
//! Anything else has no target (for example frustration or calm into Ekman's classes), so
//! the caller decides what to do instead of getting a guess.
//!
//! Valence, arousal and dominance come from Warriner, Kuperman and Brysbaert (2013),
//! "Norms of valence, arousal, and dominance for 13,915 English lemmas", Behavior
//! Research Methods 45, 1191-1207: the means over all raters (`V.Mean.Sum`,
//! `A.Mean.Sum`, `D.Mean.Sum`, 1 = unhappy / calm / controlled, 9 = happy / excited /
//! in control) of the lemma that names the class, copied from the CSV row by row.
//! GoEmotions' "caring" has no row of its own (the norms rate lemmas; the CSV goes from
//! "cargo" to "carjack"), so it takes the row of its lemma "care" (see [`LEMMAS`]).
//! "Other" and "no agreement" have none.

use crate::error::{Error, Result};

/// One class of a label set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EmotionClass {
    /// What the corpus writes (file names, label files).
    pub code: &'static str,
    /// English noun; also the lemma looked up in [`VAD_NORMS`] unless [`LEMMAS`] names
    /// another.
    pub name: &'static str,
    /// The emotion this class stands for, shared across label sets.
    pub concept: &'static str,
    /// Integer code where the corpus numbers its classes (RAVDESS file names, GoEmotions
    /// ids), else `None`.
    pub number: Option<i64>,
}

/// A named list of classes, in the corpus's order.
#[derive(Debug, Clone, Copy)]
pub struct LabelSet {
    pub name: &'static str,
    pub description: &'static str,
    pub classes: &'static [EmotionClass],
}

const fn c(code: &'static str, name: &'static str, concept: &'static str) -> EmotionClass {
    EmotionClass {
        code,
        name,
        concept,
        number: None,
    }
}

const fn n(
    number: i64,
    code: &'static str,
    name: &'static str,
    concept: &'static str,
) -> EmotionClass {
    EmotionClass {
        code,
        name,
        concept,
        number: Some(number),
    }
}

const EKMAN6: &[EmotionClass] = &[
    c("ang", "anger", "anger"),
    c("dis", "disgust", "disgust"),
    c("fea", "fear", "fear"),
    c("hap", "happiness", "happiness"),
    c("sad", "sadness", "sadness"),
    c("sur", "surprise", "surprise"),
];

const EKMAN7: &[EmotionClass] = &[
    c("ang", "anger", "anger"),
    c("dis", "disgust", "disgust"),
    c("fea", "fear", "fear"),
    c("hap", "happiness", "happiness"),
    c("sad", "sadness", "sadness"),
    c("sur", "surprise", "surprise"),
    c("neu", "neutral", "neutral"),
];

const IEMOCAP: &[EmotionClass] = &[
    c("neu", "neutral", "neutral"),
    c("hap", "happiness", "happiness"),
    c("sad", "sadness", "sadness"),
    c("ang", "anger", "anger"),
    c("sur", "surprise", "surprise"),
    c("fea", "fear", "fear"),
    c("dis", "disgust", "disgust"),
    c("fru", "frustration", "frustration"),
    c("exc", "excitement", "excitement"),
    c("oth", "other", "other"),
    c("xxx", "no_agreement", "no_agreement"),
];

const IEMOCAP4: &[EmotionClass] = &[
    c("neu", "neutral", "neutral"),
    c("hap", "happiness", "happiness"),
    c("sad", "sadness", "sadness"),
    c("ang", "anger", "anger"),
];

const MSP_PODCAST: &[EmotionClass] = &[
    c("A", "anger", "anger"),
    c("H", "happiness", "happiness"),
    c("S", "sadness", "sadness"),
    c("N", "neutral", "neutral"),
    c("U", "surprise", "surprise"),
    c("F", "fear", "fear"),
    c("D", "disgust", "disgust"),
    c("C", "contempt", "contempt"),
    c("O", "other", "other"),
    c("X", "no_agreement", "no_agreement"),
];

const RAVDESS: &[EmotionClass] = &[
    n(1, "01", "neutral", "neutral"),
    n(2, "02", "calm", "calm"),
    n(3, "03", "happiness", "happiness"),
    n(4, "04", "sadness", "sadness"),
    n(5, "05", "anger", "anger"),
    n(6, "06", "fear", "fear"),
    n(7, "07", "disgust", "disgust"),
    n(8, "08", "surprise", "surprise"),
];

const CREMA_D: &[EmotionClass] = &[
    c("ANG", "anger", "anger"),
    c("DIS", "disgust", "disgust"),
    c("FEA", "fear", "fear"),
    c("HAP", "happiness", "happiness"),
    c("NEU", "neutral", "neutral"),
    c("SAD", "sadness", "sadness"),
];

// Letter = German initial: Wut (anger), Langeweile, Ekel, Angst, Freude, Trauer, Neutral.
const EMODB: &[EmotionClass] = &[
    c("W", "anger", "anger"),
    c("L", "boredom", "boredom"),
    c("E", "disgust", "disgust"),
    c("A", "fear", "fear"),
    c("F", "happiness", "happiness"),
    c("T", "sadness", "sadness"),
    c("N", "neutral", "neutral"),
];

const MELD: &[EmotionClass] = &[
    c("neutral", "neutral", "neutral"),
    c("joy", "joy", "happiness"),
    c("surprise", "surprise", "surprise"),
    c("anger", "anger", "anger"),
    c("sadness", "sadness", "sadness"),
    c("disgust", "disgust", "disgust"),
    c("fear", "fear", "fear"),
];

// Ids are the line numbers of the dataset's emotions.txt.
const GOEMOTIONS: &[EmotionClass] = &[
    n(0, "admiration", "admiration", "admiration"),
    n(1, "amusement", "amusement", "amusement"),
    n(2, "anger", "anger", "anger"),
    n(3, "annoyance", "annoyance", "annoyance"),
    n(4, "approval", "approval", "approval"),
    n(5, "caring", "caring", "caring"),
    n(6, "confusion", "confusion", "confusion"),
    n(7, "curiosity", "curiosity", "curiosity"),
    n(8, "desire", "desire", "desire"),
    n(9, "disappointment", "disappointment", "disappointment"),
    n(10, "disapproval", "disapproval", "disapproval"),
    n(11, "disgust", "disgust", "disgust"),
    n(12, "embarrassment", "embarrassment", "embarrassment"),
    n(13, "excitement", "excitement", "excitement"),
    n(14, "fear", "fear", "fear"),
    n(15, "gratitude", "gratitude", "gratitude"),
    n(16, "grief", "grief", "grief"),
    n(17, "joy", "joy", "happiness"),
    n(18, "love", "love", "love"),
    n(19, "nervousness", "nervousness", "nervousness"),
    n(20, "optimism", "optimism", "optimism"),
    n(21, "pride", "pride", "pride"),
    n(22, "realization", "realization", "realization"),
    n(23, "relief", "relief", "relief"),
    n(24, "remorse", "remorse", "remorse"),
    n(25, "sadness", "sadness", "sadness"),
    n(26, "surprise", "surprise", "surprise"),
    n(27, "neutral", "neutral", "neutral"),
];

/// Every built-in label set.
pub const LABEL_SETS: &[LabelSet] = &[
    LabelSet {
        name: "ekman6",
        description: "Ekman's six basic emotions (Ekman 1992)",
        classes: EKMAN6,
    },
    LabelSet {
        name: "ekman7",
        description: "Ekman's six basic emotions plus neutral, as MELD and FER-2013 use them",
        classes: EKMAN7,
    },
    LabelSet {
        name: "iemocap",
        description: "IEMOCAP categorical labels (Busso et al. 2008), EmoEvaluation codes",
        classes: IEMOCAP,
    },
    LabelSet {
        name: "iemocap4",
        description: "IEMOCAP 4-class setup: neutral, happiness (happy + excited), sadness, anger",
        classes: IEMOCAP4,
    },
    LabelSet {
        name: "msp_podcast",
        description: "MSP-Podcast primary emotion codes (Lotfian and Busso 2019)",
        classes: MSP_PODCAST,
    },
    LabelSet {
        name: "ravdess",
        description: "RAVDESS emotion, third field of the file name (Livingstone and Russo 2018)",
        classes: RAVDESS,
    },
    LabelSet {
        name: "crema_d",
        description: "CREMA-D emotion, third field of the file name (Cao et al. 2014)",
        classes: CREMA_D,
    },
    LabelSet {
        name: "emodb",
        description:
            "Berlin EmoDB emotion letter, sixth character of the file name (Burkhardt et al. 2005)",
        classes: EMODB,
    },
    LabelSet {
        name: "meld",
        description: "MELD emotion labels (Poria et al. 2019)",
        classes: MELD,
    },
    LabelSet {
        name: "goemotions",
        description:
            "GoEmotions 27 emotions plus neutral, ids as in emotions.txt (Demszky et al. 2020)",
        classes: GOEMOTIONS,
    },
];

/// Published coarsenings `(concept, coarser concept)`, used only when the target set has
/// no class of the concept itself.
const MERGES: &[(&str, &str)] = &[
    // IEMOCAP 4-class convention
    ("excitement", "happiness"),
    // GoEmotions -> Ekman (Demszky et al. 2020, ekman_mapping.json); joy is "happiness"
    ("annoyance", "anger"),
    ("disapproval", "anger"),
    ("nervousness", "fear"),
    ("amusement", "happiness"),
    ("approval", "happiness"),
    ("gratitude", "happiness"),
    ("love", "happiness"),
    ("optimism", "happiness"),
    ("relief", "happiness"),
    ("pride", "happiness"),
    ("admiration", "happiness"),
    ("desire", "happiness"),
    ("caring", "happiness"),
    ("disappointment", "sadness"),
    ("embarrassment", "sadness"),
    ("grief", "sadness"),
    ("remorse", "sadness"),
    ("realization", "surprise"),
    ("confusion", "surprise"),
    ("curiosity", "surprise"),
];

/// Other spellings accepted for a concept in every set that has it (adjectives, the
/// corpora's long names, EmoDB's German words).
const ALIASES: &[(&str, &[&str])] = &[
    ("anger", &["angry", "wut", "ärger", "aerger"]),
    ("happiness", &["happy", "freude"]),
    ("sadness", &["sad", "trauer"]),
    ("fear", &["fearful", "angst"]),
    ("disgust", &["disgusted", "ekel"]),
    ("surprise", &["surprised"]),
    ("neutral", &["neutral state"]),
    ("boredom", &["bored", "langeweile"]),
    ("frustration", &["frustrated"]),
    ("excitement", &["excited"]),
    ("contempt", &["contemptuous"]),
    ("no_agreement", &["no agreement"]),
];

/// Warriner et al. (2013) means over all raters, 1-9: `(lemma, valence, arousal,
/// dominance)` as `V.Mean.Sum`, `A.Mean.Sum`, `D.Mean.Sum` of the published CSV.
pub const VAD_NORMS: &[(&str, f64, f64, f64)] = &[
    ("admiration", 7.58, 5.52, 6.11),
    ("amusement", 7.00, 4.82, 6.59),
    ("anger", 2.50, 5.93, 5.14),
    ("annoyance", 2.95, 4.10, 3.45),
    ("approval", 6.75, 3.52, 6.63),
    ("boredom", 2.77, 2.58, 5.04),
    ("calm", 6.89, 1.67, 7.44),
    ("care", 7.64, 2.67, 6.56),
    ("confusion", 3.32, 4.64, 3.08),
    ("contempt", 3.22, 4.61, 4.45),
    ("curiosity", 6.37, 5.90, 6.21),
    ("desire", 7.05, 6.20, 6.07),
    ("disappointment", 2.79, 4.90, 4.08),
    ("disapproval", 3.40, 4.23, 5.26),
    ("disgust", 3.32, 5.00, 4.84),
    ("embarrassment", 2.72, 5.45, 2.92),
    ("excitement", 7.62, 6.21, 6.33),
    ("fear", 2.93, 6.14, 3.32),
    ("frustration", 2.45, 5.94, 3.27),
    ("gratitude", 6.67, 5.09, 6.71),
    ("grief", 2.33, 4.95, 3.26),
    ("happiness", 8.48, 6.50, 7.05),
    ("joy", 8.21, 5.55, 7.00),
    ("love", 8.00, 5.36, 5.92),
    ("nervousness", 3.10, 4.45, 3.93),
    ("neutral", 5.50, 3.45, 5.81),
    ("optimism", 7.21, 4.95, 6.90),
    ("pride", 6.50, 5.54, 5.83),
    ("realization", 6.42, 3.67, 5.68),
    ("relief", 6.63, 4.42, 5.64),
    ("remorse", 3.63, 4.29, 4.57),
    ("sadness", 2.40, 2.81, 3.84),
    ("surprise", 7.44, 6.57, 5.17),
];

/// Class names the norms do not rate, with the lemma whose row they take instead: the
/// norms rate lemmas (base forms), and "caring" is the participle of "care".
pub const LEMMAS: &[(&str, &str)] = &[("caring", "care")];

/// The built-in label set called `name` (case-insensitive; `-` and ` ` read as `_`).
pub fn label_set(name: &str) -> Result<&'static LabelSet> {
    let key = name.trim().to_lowercase().replace(['-', ' '], "_");
    LABEL_SETS.iter().find(|s| s.name == key).ok_or_else(|| {
        let known: Vec<&str> = LABEL_SETS.iter().map(|s| s.name).collect();
        Error::param(
            "taxonomy",
            format!("unknown label set {name:?}, expected one of {known:?}"),
        )
    })
}

impl LabelSet {
    /// Index of the class a label names: its code, name, concept or an alias
    /// (case-insensitive, surrounding blanks ignored), or for sets with numbered classes
    /// an integer such as `"3"` or `"03"`.
    pub fn find(&self, label: &str) -> Option<usize> {
        let key = label.trim().to_lowercase();
        if let Ok(number) = key.parse::<i64>() {
            return self.classes.iter().position(|c| c.number == Some(number));
        }
        self.classes.iter().position(|c| {
            c.code.to_lowercase() == key
                || c.name == key
                || c.concept == key
                || ALIASES
                    .iter()
                    .any(|(concept, words)| *concept == c.concept && words.contains(&key.as_str()))
        })
    }

    /// Index of the class of `concept`, if the set has one.
    fn of_concept(&self, concept: &str) -> Option<usize> {
        self.classes.iter().position(|c| c.concept == concept)
    }
}

/// The class of `target` that class `class` of `source` corresponds to, if any: same
/// concept, else a published coarsening of it (see the module documentation).
pub fn map_class(source: &LabelSet, class: usize, target: &LabelSet) -> Option<usize> {
    let concept = source.classes[class].concept;
    target.of_concept(concept).or_else(|| {
        MERGES
            .iter()
            .find(|(from, _)| *from == concept)
            .and_then(|(_, to)| target.of_concept(to))
    })
}

/// Class indices of `labels` in `set`; a label the set does not know is an error naming
/// it (with the argument name `argument`).
pub fn classes_of(set: &LabelSet, labels: &[String], argument: &str) -> Result<Vec<usize>> {
    labels
        .iter()
        .map(|l| {
            set.find(l).ok_or_else(|| {
                let known: Vec<&str> = set.classes.iter().map(|c| c.code).collect();
                Error::param(
                    argument,
                    format!(
                        "label {l:?} is not a class of {:?} (codes {known:?}, or their names)",
                        set.name
                    ),
                )
            })
        })
        .collect()
}

/// Maps labels of `source` to class indices of `target`, `-1` where `target` has no
/// corresponding class.
pub fn map_labels(labels: &[String], source: &LabelSet, target: &LabelSet) -> Result<Vec<i64>> {
    Ok(classes_of(source, labels, "y")?
        .into_iter()
        .map(|c| map_class(source, c, target).map_or(-1, |t| t as i64))
        .collect())
}

/// Warriner et al. (2013) valence, arousal, dominance (1-9) of a class, if its lemma (its
/// name, or the [`LEMMAS`] entry for it) was rated.
pub fn valence_arousal_dominance(class: &EmotionClass) -> Option<[f64; 3]> {
    let lemma = LEMMAS
        .iter()
        .find(|(name, _)| *name == class.name)
        .map_or(class.name, |&(_, lemma)| lemma);
    VAD_NORMS
        .iter()
        .find(|(l, ..)| *l == lemma)
        .map(|&(_, v, a, d)| [v, a, d])
}

/// Row-major `(n, 3)` valence, arousal, dominance of `labels` of `set` (NaN rows for
/// classes without norms); a label the set does not know is an error.
pub fn vad_of_labels(labels: &[String], set: &LabelSet) -> Result<Vec<f64>> {
    Ok(classes_of(set, labels, "y")?
        .into_iter()
        .flat_map(|c| valence_arousal_dominance(&set.classes[c]).unwrap_or([f64::NAN; 3]))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(xs: &[&str]) -> Vec<String> {
        xs.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn no_label_is_ambiguous_within_a_set() {
        for set in LABEL_SETS {
            for (i, cl) in set.classes.iter().enumerate() {
                let mut words = vec![cl.code.to_lowercase(), cl.name.to_string()];
                words.extend(
                    ALIASES
                        .iter()
                        .filter(|a| a.0 == cl.concept)
                        .flat_map(|a| a.1.iter().map(|w| w.to_string())),
                );
                for w in words {
                    assert_eq!(set.find(&w), Some(i), "{} {w}", set.name);
                }
            }
        }
    }

    #[test]
    fn maps_between_corpora() {
        let iemocap = label_set("IEMOCAP").unwrap();
        let four = label_set("iemocap4").unwrap();
        let ekman7 = label_set("ekman7").unwrap();
        let got = map_labels(
            &strings(&["hap", "exc", "Neutral state", "fru", "xxx", "ANG"]),
            iemocap,
            four,
        )
        .unwrap();
        assert_eq!(got, vec![1, 1, 0, -1, -1, 3]);
        let got = map_labels(&strings(&["exc", "fru", "sur"]), iemocap, ekman7).unwrap();
        assert_eq!(got, vec![3, -1, 5]);
        let ravdess = label_set("ravdess").unwrap();
        let got = map_labels(&strings(&["03", "2", "8", "fearful"]), ravdess, ekman7).unwrap();
        assert_eq!(got, vec![3, -1, 5, 2]);
        let emodb = label_set("emodb").unwrap();
        let msp = label_set("msp-podcast").unwrap();
        let got = map_labels(&strings(&["W", "L", "a", "F"]), emodb, msp).unwrap();
        assert_eq!(got, vec![0, -1, 5, 1]);
        let go = label_set("goemotions").unwrap();
        let ekman6 = label_set("ekman6").unwrap();
        let got = map_labels(
            &strings(&["17", "gratitude", "grief", "curiosity", "neutral"]),
            go,
            ekman6,
        )
        .unwrap();
        assert_eq!(got, vec![3, 3, 4, 5, -1]);
    }

    #[test]
    fn unknown_labels_and_sets_are_errors() {
        let e = map_labels(
            &strings(&["hap", "joyful"]),
            label_set("iemocap").unwrap(),
            label_set("ekman6").unwrap(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("\"joyful\""), "{e}");
        // integers only where the corpus numbers its classes
        assert!(label_set("iemocap").unwrap().find("1").is_none());
        assert!(label_set("nope")
            .unwrap_err()
            .to_string()
            .starts_with("taxonomy:"));
    }

    #[test]
    fn vad_of_classes() {
        let meld = label_set("meld").unwrap();
        assert_eq!(
            valence_arousal_dominance(&meld.classes[1]),
            Some([8.21, 5.55, 7.00])
        );
        let iemocap = label_set("iemocap").unwrap();
        assert_eq!(
            valence_arousal_dominance(&iemocap.classes[7]),
            Some([2.45, 5.94, 3.27])
        );
        assert_eq!(valence_arousal_dominance(&iemocap.classes[9]), None);
        // every GoEmotions class is rated; caring takes the row of its lemma "care"
        let go = label_set("goemotions").unwrap();
        assert!(go
            .classes
            .iter()
            .all(|c| valence_arousal_dominance(c).is_some()));
        assert_eq!(
            valence_arousal_dominance(&go.classes[5]),
            Some([7.64, 2.67, 6.56])
        );
    }
}
