//! Label fusion and annotator agreement: aggregate the answers of several annotators into
//! hard or soft labels (majority, soft, Dawid-Skene, one-coin), fuse dimensional ratings
//! (EWE, mean, median, trimmed mean) and measure agreement (Krippendorff's alpha, Fleiss'
//! and Cohen's kappa).

pub mod agreement;
pub mod annotations;
pub mod continuous;
pub mod dawid_skene;
pub mod glad;
pub mod mace;
pub mod taxonomy;
pub mod vote;

pub use annotations::Annotations;
