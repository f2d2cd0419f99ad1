"""Label fusion: aggregate several annotators' answers, keep their disagreement, measure
their agreement.

Categorical answers come as three equal-length arrays ``items, annotators, labels`` (one
entry per answer) or as a pandas DataFrame with ``task, worker, label`` columns, as in
crowd-kit (other column names through ``columns=``). Item and annotator ids may be any
hashable NumPy-sortable values; labels may be strings or numbers and are encoded to the
sorted distinct values, or to ``classes=`` when given (then any other label is an error).
Every method returns a :class:`LabelResult` whose rows follow ``result.items`` (sorted
item ids, or ``item_ids=`` when given; items nobody annotated are NaN rows, or dropped
with ``missing="drop"``).

>>> import affectkit as ak
>>> r = ak.labels.dawid_skene(["a", "a", "b", "b"], [1, 2, 1, 2], ["pos", "pos", "neg", "pos"])
>>> r.classes, r.labels
(array(['neg', 'pos'], dtype='<U3'), array(['pos', 'pos'], dtype='<U3'))

Definitions follow the reference tools so that numbers can be compared:

- ``majority``: crowd-kit ``MajorityVote`` (vote fractions as posterior), with an
  explicit tie policy;
- ``dawid_skene``, ``one_coin``: crowd-kit 1.4 ``DawidSkene`` / ``OneCoinDawidSkene``
  (Dawid and Skene 1979): same initialisation, update order and stopping rule;
- ``krippendorff_alpha``: the ``krippendorff`` package (Krippendorff 2011);
- ``fleiss_kappa``: ``statsmodels.stats.inter_rater.fleiss_kappa`` (Fleiss 1971);
- ``cohen_kappa``: ``sklearn.metrics.cohen_kappa_score`` (Cohen 1960, 1968);
- ``label_set``, ``map_labels``, ``to_valence_arousal``: the corpora's emotion label sets
  (IEMOCAP, MSP-Podcast, RAVDESS, CREMA-D, EmoDB, MELD, GoEmotions, Ekman), mappings
  between them, and category valence/arousal/dominance from the norms of Warriner,
  Kuperman and Brysbaert (2013).
"""

from .agreement import (AnnotatorAgreement, annotator_agreement, cohen_kappa, entropy, fleiss_kappa,
                        krippendorff_alpha)
from .continuous import (AlignedTraces, RatingResult, RatingsMatrix, align_traces, ewe, mean, median,
                         ratings_matrix, trimmed_mean, znorm)
from .latent import dawid_skene, glad, mace, one_coin
from .results import LabelResult, MultiLabelResult
from .taxonomy import LABEL_SETS, LabelSet, label_set, map_labels, to_valence_arousal
from .voting import all_inclusive, binary_relevance, majority, soft, unanimous, wawa

__all__ = [
    "LabelResult",
    "MultiLabelResult",
    "majority",
    "soft",
    "all_inclusive",
    "binary_relevance",
    "unanimous",
    "wawa",
    "dawid_skene",
    "one_coin",
    "glad",
    "mace",
    "RatingResult",
    "RatingsMatrix",
    "ratings_matrix",
    "ewe",
    "mean",
    "median",
    "trimmed_mean",
    "znorm",
    "AlignedTraces",
    "align_traces",
    "krippendorff_alpha",
    "fleiss_kappa",
    "cohen_kappa",
    "entropy",
    "AnnotatorAgreement",
    "annotator_agreement",
    "LabelSet",
    "LABEL_SETS",
    "label_set",
    "map_labels",
    "to_valence_arousal",
]
