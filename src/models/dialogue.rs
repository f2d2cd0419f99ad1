//! Emotion recognition in conversation: one network that classifies every utterance of a
//! dialogue from the utterance and its context.
//!
//! 1. Each utterance is encoded by an MLP over its modalities concatenated, each block
//!    followed by a presence bit (zero block and bit 0 where the modality is missing, the
//!    early fusion of `MultimodalClassifier`), giving an embedding of `hidden_size`.
//! 2. The context over the dialogue's turns:
//!    - [`Context::None`]: the embedding itself (the utterance-only baseline);
//!    - [`Context::Gru`]: a bidirectional GRU (Cho et al. 2014, PyTorch's gate layout),
//!      each direction run over the dialogue's own turns (the backward one starts at the
//!      dialogue's last turn, not at the batch's padding); `causal` keeps the forward
//!      direction only;
//!    - [`Context::Transformer`]: `n_layers` pre-norm transformer encoder layers (Vaswani
//!      et al. 2017) over the embeddings plus sinusoidal turn positions plus a learned
//!      embedding of the speaking party; `causal` masks the future turns (online
//!      prediction), `window` the turns more than `window` away.
//! 3. With `speaker_state`, in the spirit of DialogueRNN (Majumder et al. 2019, AAAI): a
//!    state per party, updated by a GRU cell at that party's turns only from the
//!    utterance and its context; an utterance is classified from its speaker's updated
//!    state and the context. Party indices at or beyond `n_parties` (the training data's
//!    count) share the state and embedding of `party % n_parties`.
//! 4. A linear softmax head per utterance.
//!
//! Padding turns are masked everywhere (attention keys, the backward GRU, the loss), so
//! a dialogue's predictions do not depend on which dialogues share its batch, and with
//! `causal` an utterance's prediction does not depend on any later turn, bit for bit.
//! Unlabelled utterances (weight 0) give no loss but stay in the context.
//! Weights are drawn from affectkit's seeded streams (as every network here), not from
//! Burn's initialisers.

use burn::module::{Module, Param};
use burn::nn::{LayerNorm, LayerNormConfig, Linear};
use burn::tensor::activation::softmax;
use burn::tensor::{Device, Int, Tensor, TensorData};
use serde::{Deserialize, Serialize};

use super::fusion::{to_vec, Modalities};
use super::gru::GruCell;
use super::loss::cross_entropy;
use super::network::{dense, drop_units, glorot, Activation, Mlp, MlpSpec};
use super::train::{matrix, Task};
use crate::error::{Error, Result};
use crate::labels::vote::SplitMix64;

/// What an utterance sees of its dialogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Context {
    None,
    Gru,
    Transformer,
}

impl std::str::FromStr for Context {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        match name {
            "none" => Ok(Self::None),
            "gru" => Ok(Self::Gru),
            "transformer" => Ok(Self::Transformer),
            other => Err(Error::param(
                "context",
                format!("expected 'none', 'gru' or 'transformer', got {other:?}"),
            )),
        }
    }
}

/// Shape of a dialogue network; stored in model files next to the weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DialogueSpec {
    /// Feature columns of each modality.
    pub widths: Vec<usize>,
    /// Inner layer widths of the utterance encoder (may be empty).
    pub hidden: Vec<usize>,
    /// Width of the utterance embedding, the GRU states and the transformer.
    pub hidden_size: usize,
    pub context: Context,
    pub speaker_state: bool,
    /// No look at later turns.
    pub causal: bool,
    /// Transformer only: attend to turns at most this far away.
    pub window: Option<usize>,
    pub n_heads: usize,
    pub n_layers: usize,
    /// Parties with their own embedding and state.
    pub n_parties: usize,
    pub n_classes: usize,
    pub activation: Activation,
    pub dropout: f64,
    pub layer_norm: bool,
}

impl DialogueSpec {
    fn encoder(&self) -> MlpSpec {
        MlpSpec {
            n_inputs: self.widths.iter().sum::<usize>() + self.widths.len(),
            hidden: self.hidden.clone(),
            n_outputs: self.hidden_size,
            activation: self.activation,
            dropout: self.dropout,
            layer_norm: self.layer_norm,
        }
    }

    /// Width of the context vector of each turn.
    pub fn context_width(&self) -> usize {
        match self.context {
            Context::Gru if !self.causal => 2 * self.hidden_size,
            _ => self.hidden_size,
        }
    }

    /// Width of what the head reads.
    fn head_width(&self) -> usize {
        self.context_width()
            + if self.speaker_state {
                self.hidden_size
            } else {
                0
            }
    }

    pub fn validate(&self) -> Result<()> {
        if self.widths.is_empty() || self.widths.contains(&0) {
            return Err(Error::param(
                "D",
                "expected at least one modality of at least one feature",
            ));
        }
        if self.n_classes < 2 {
            return Err(Error::param("y", "expected at least two classes"));
        }
        if self.hidden_size == 0 {
            return Err(Error::param("hidden_size", "expected a positive width"));
        }
        if self.n_parties == 0 {
            return Err(Error::Internal("no party".into()));
        }
        if self.context == Context::Transformer {
            if self.n_heads == 0 || self.hidden_size % self.n_heads != 0 {
                return Err(Error::param(
                    "n_heads",
                    format!(
                        "expected a positive divisor of hidden_size ({}), got {}",
                        self.hidden_size, self.n_heads
                    ),
                ));
            }
            if self.n_layers == 0 {
                return Err(Error::param("n_layers", "expected at least 1 layer"));
            }
        }
        match self.window {
            Some(0) => return Err(Error::param("window", "expected at least 1 turn")),
            Some(_) if self.context != Context::Transformer => {
                return Err(Error::param(
                    "window",
                    "a window of turns needs context='transformer'",
                ))
            }
            _ => {}
        }
        self.encoder().validate()
    }
}

/// Seeds of the separate random streams of the parts.
fn stream(seed: u64, part: u64) -> u64 {
    seed ^ part.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// One pre-norm transformer encoder layer: multi-head self-attention and a feed-forward
/// block of twice the width, each added to its input.
#[derive(Module, Debug)]
pub struct EncoderLayer {
    pub norm1: LayerNorm,
    pub qkv: Linear,
    pub out: Linear,
    pub norm2: LayerNorm,
    pub ff1: Linear,
    pub ff2: Linear,
}

impl EncoderLayer {
    fn init(h: usize, rng: &mut SplitMix64, device: &Device) -> Self {
        Self {
            norm1: LayerNormConfig::new(h).init(device),
            qkv: dense(h, 3 * h, rng, device),
            out: dense(h, h, rng, device),
            norm2: LayerNormConfig::new(h).init(device),
            ff1: dense(h, 2 * h, rng, device),
            ff2: dense(2 * h, h, rng, device),
        }
    }

    fn n_params(h: usize) -> Option<usize> {
        let hh = h.checked_mul(h)?;
        // qkv 3hh + 3h, out hh + h, ff 2hh + 2h and 2hh + h, two norms 4h
        hh.checked_mul(8)?.checked_add(h.checked_mul(11)?)
    }

    /// `x` `(b * t, h)`; `bias` `(b, heads, t, t)`: 0 where a query may see a key, a large
    /// negative number where not.
    fn forward(
        &self,
        x: Tensor<2>,
        bias: Tensor<4>,
        spec: &DialogueSpec,
        rng: Option<&mut SplitMix64>,
    ) -> Tensor<2> {
        let [b, heads, t, _] = bias.dims();
        let h = spec.hidden_size;
        let dh = h / heads;
        let qkv = self.qkv.forward(self.norm1.forward(x.clone()));
        let part = |i: usize| {
            qkv.clone()
                .narrow(1, i * h, h)
                .reshape([b, t, heads, dh])
                .swap_dims(1, 2)
        };
        let (q, k, v) = (part(0), part(1), part(2));
        let scores = q
            .matmul(k.swap_dims(2, 3))
            .mul_scalar(1.0 / (dh as f32).sqrt())
            + bias;
        let att = softmax(scores, 3)
            .matmul(v)
            .swap_dims(1, 2)
            .reshape([b * t, h]);
        let x = x + self.out.forward(att);
        let mut f = spec
            .activation
            .apply(self.ff1.forward(self.norm2.forward(x.clone())));
        if let Some(rng) = rng {
            if spec.dropout > 0.0 {
                f = drop_units(f, spec.dropout, rng);
            }
        }
        x + self.ff2.forward(f)
    }
}

/// The Burn module.
#[derive(Module, Debug)]
pub struct DialogueNet {
    pub encoder: Mlp,
    /// Forward GRU (context "gru").
    pub forward_gru: Option<GruCell>,
    /// Backward GRU (context "gru" without `causal`).
    pub backward_gru: Option<GruCell>,
    /// Party embeddings `(n_parties, hidden_size)` (context "transformer").
    pub party: Option<Param<Tensor<2>>>,
    pub layers: Vec<EncoderLayer>,
    pub final_norm: Option<LayerNorm>,
    /// The per-party state update (speaker_state).
    pub party_gru: Option<GruCell>,
    pub head: Linear,
    #[module(skip)]
    pub spec: DialogueSpec,
}

/// Stream numbers of the parts.
const CONTEXT: u64 = 1;
const PARTY: u64 = 2;
const HEAD: u64 = 3;

impl DialogueNet {
    pub fn init(spec: &DialogueSpec, seed: u64, device: &Device) -> Result<Self> {
        spec.validate()?;
        let h = spec.hidden_size;
        let encoder = Mlp::init(&spec.encoder(), seed, device)?;
        let mut ctx = SplitMix64::new(stream(seed, CONTEXT));
        let (mut forward_gru, mut backward_gru, mut party) = (None, None, None);
        let (mut layers, mut final_norm) = (Vec::new(), None);
        match spec.context {
            Context::None => {}
            Context::Gru => {
                forward_gru = Some(GruCell::init(h, h, &mut ctx, device));
                if !spec.causal {
                    backward_gru = Some(GruCell::init(h, h, &mut ctx, device));
                }
            }
            Context::Transformer => {
                let p = spec.n_parties;
                party = Some(Param::from_tensor(Tensor::from_data(
                    TensorData::new(glorot(p * h, p, h, &mut ctx), [p, h]),
                    device,
                )));
                layers = (0..spec.n_layers)
                    .map(|_| EncoderLayer::init(h, &mut ctx, device))
                    .collect();
                final_norm = Some(LayerNormConfig::new(h).init(device));
            }
        }
        let party_gru = spec.speaker_state.then(|| {
            GruCell::init(
                h + spec.context_width(),
                h,
                &mut SplitMix64::new(stream(seed, PARTY)),
                device,
            )
        });
        let head = dense(
            spec.head_width(),
            spec.n_classes,
            &mut SplitMix64::new(stream(seed, HEAD)),
            device,
        );
        Ok(Self {
            encoder,
            forward_gru,
            backward_gru,
            party,
            layers,
            final_norm,
            party_gru,
            head,
            spec: spec.clone(),
        })
    }

    /// Parameters of a network of shape `spec` (None: overflow).
    pub fn n_params(spec: &DialogueSpec) -> Option<usize> {
        let h = spec.hidden_size;
        let e = spec.encoder();
        let mut total = super::persist::mlp_params(e.n_inputs, &e.hidden, h, e.layer_norm)?;
        total = total.checked_add(match spec.context {
            Context::None => 0,
            Context::Gru => {
                GruCell::n_params(h, h)?.checked_mul(if spec.causal { 1 } else { 2 })?
            }
            Context::Transformer => spec
                .n_parties
                .checked_mul(h)?
                .checked_add(EncoderLayer::n_params(h)?.checked_mul(spec.n_layers)?)?
                .checked_add(h.checked_mul(2)?)?,
        })?;
        if spec.speaker_state {
            total =
                total.checked_add(GruCell::n_params(h.checked_add(spec.context_width())?, h)?)?;
        }
        total.checked_add(super::persist::mlp_params(
            spec.head_width(),
            &[],
            spec.n_classes,
            false,
        )?)
    }

    /// Logits `(b * t, n_classes)` of a padded batch.
    fn forward(&self, batch: &Batch, mut rng: Option<&mut SplitMix64>) -> Tensor<2> {
        let spec = &self.spec;
        let (b, t, h) = (batch.b, batch.t, spec.hidden_size);
        let mut u = spec
            .activation
            .apply(self.encoder.forward(batch.x.clone(), rng.as_deref_mut()));
        if let Some(r) = rng.as_deref_mut() {
            if spec.dropout > 0.0 {
                u = drop_units(u, spec.dropout, r);
            }
        }
        let c = match spec.context {
            Context::None => u.clone(),
            Context::Gru => {
                let mut parts = Vec::with_capacity(2);
                if let Some(g) = &self.forward_gru {
                    parts.push(g.run(u.clone(), b, t).reshape([b * t, h]));
                }
                if let Some(g) = &self.backward_gru {
                    // each dialogue's turns reversed in place (the permutation is its own
                    // inverse), so the backward pass starts at the dialogue's last turn
                    let rev = batch.reversed.clone();
                    let states = g
                        .run(u.clone().select(0, rev.clone()), b, t)
                        .reshape([b * t, h]);
                    parts.push(states.select(0, rev));
                }
                Tensor::cat(parts, 1)
            }
            Context::Transformer => {
                let table = self.party.as_ref().map(|p| p.val());
                let mut z = u.clone() + batch.positions.clone();
                if let Some(table) = table {
                    z = z + batch
                        .parties
                        .clone()
                        .reshape([b * t, spec.n_parties])
                        .matmul(table);
                }
                for layer in &self.layers {
                    z = layer.forward(z, batch.bias.clone(), spec, rng.as_deref_mut());
                }
                match &self.final_norm {
                    Some(norm) => norm.forward(z),
                    None => z,
                }
            }
        };
        let features = match &self.party_gru {
            None => c,
            Some(cell) => {
                let xi = cell
                    .input
                    .forward(Tensor::cat(vec![u, c.clone()], 1))
                    .reshape([b, t, 3 * h]);
                let p = spec.n_parties;
                let mut states = Tensor::<3>::zeros([b, p, h], &xi.device());
                let mut out = Vec::with_capacity(t);
                for s in 0..t {
                    // (b, p, 1): 1 at the speaking party (all 0 on padding turns)
                    let sel = batch.parties.clone().narrow(1, s, 1).reshape([b, p, 1]);
                    let prev = (states.clone() * sel.clone()).sum_dim(1).reshape([b, h]);
                    let new =
                        cell.step(xi.clone().narrow(1, s, 1).reshape([b, 3 * h]), prev.clone());
                    states = states + sel * (new.clone() - prev).reshape([b, 1, h]);
                    out.push(new);
                }
                let q = Tensor::stack::<3>(out, 1).reshape([b * t, h]);
                Tensor::cat(vec![q, c], 1)
            }
        };
        self.head.forward(features)
    }
}

/// Dialogues as utterance rows back to back: modality blocks (all-NaN row = missing),
/// each dialogue's length and each utterance's party index.
#[derive(Debug, Clone)]
pub struct Dialogues {
    pub inputs: Modalities,
    /// Start of each dialogue in utterances; one more entry than dialogues.
    pub offsets: Vec<usize>,
    pub parties: Vec<usize>,
}

/// A padded batch of dialogues.
struct Batch {
    b: usize,
    t: usize,
    /// `(b * t, sum(widths) + n_modalities)`: blocks and presence bits, zero on padding.
    x: Tensor<2>,
    /// `(b, t, n_parties)` one-hot speaking party, zero on padding.
    parties: Tensor<3>,
    /// Row permutation reversing each dialogue's turns.
    reversed: Tensor<1, Int>,
    /// `(b * t, h)` sinusoidal turn positions (transformer).
    positions: Tensor<2>,
    /// `(b, heads, t, t)` attention bias (transformer).
    bias: Tensor<4>,
}

/// Large enough that exp() of it underflows to exactly 0 next to any real score, finite
/// so that no row of the softmax is NaN.
const MASKED: f32 = -1e9;

impl Dialogues {
    /// Checks the blocks (see [`Modalities::new`]), that the lengths (each >= 1) cover the
    /// rows and that there is one party index per utterance.
    pub fn new(
        blocks: &[&[f32]],
        widths: &[usize],
        names: &[String],
        lengths: &[usize],
        parties: &[usize],
    ) -> Result<Self> {
        let inputs = Modalities::new(blocks, widths, names)?;
        if lengths.is_empty() {
            return Err(Error::param("D", "expected at least one dialogue"));
        }
        if let Some(i) = lengths.iter().position(|&l| l == 0) {
            return Err(Error::param(
                &format!("D[{i}]"),
                "the dialogue has no utterances",
            ));
        }
        let total: usize = lengths.iter().sum();
        if total != inputs.n || parties.len() != total {
            return Err(Error::Internal(format!(
                "{total} utterances in the dialogues, {} feature rows, {} parties",
                inputs.n,
                parties.len()
            )));
        }
        let mut offsets = Vec::with_capacity(lengths.len() + 1);
        offsets.push(0);
        for &l in lengths {
            offsets.push(offsets[offsets.len() - 1] + l);
        }
        Ok(Self {
            inputs,
            offsets,
            parties: parties.to_vec(),
        })
    }

    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn length(&self, i: usize) -> usize {
        self.offsets[i + 1] - self.offsets[i]
    }

    /// The number of parties (largest index + 1).
    pub fn n_parties(&self) -> usize {
        self.parties.iter().max().map_or(1, |&p| p + 1)
    }

    fn batch(&self, idx: &[usize], spec: &DialogueSpec, device: &Device) -> Batch {
        let (b, width) = (idx.len(), spec.encoder().n_inputs);
        let t = idx.iter().map(|&i| self.length(i)).max().unwrap_or(1);
        let (n_mod, p, h) = (self.inputs.widths.len(), spec.n_parties, spec.hidden_size);
        let mut x = vec![0.0f32; b * t * width];
        let mut parties = vec![0.0f32; b * t * p];
        let mut reversed = Vec::with_capacity(b * t);
        for (j, &i) in idx.iter().enumerate() {
            let len = self.length(i);
            for s in 0..t {
                reversed.push((j * t + if s < len { len - 1 - s } else { s }) as i64);
            }
            for s in 0..len {
                let u = self.offsets[i] + s;
                let row = &mut x[(j * t + s) * width..(j * t + s + 1) * width];
                let mut at = 0;
                for (block, &w) in self.inputs.blocks.iter().zip(&self.inputs.widths) {
                    row[at..at + w].copy_from_slice(&block[u * w..(u + 1) * w]);
                    at += w;
                }
                row[at..].copy_from_slice(&self.inputs.mask[u * n_mod..(u + 1) * n_mod]);
                parties[(j * t + s) * p + self.parties[u] % p] = 1.0;
            }
        }
        let transformer = spec.context == Context::Transformer;
        let positions = if transformer {
            let mut pe = vec![0.0f32; b * t * h];
            for (r, row) in pe.chunks_exact_mut(h).enumerate() {
                let pos = (r % t) as f64;
                for (c, v) in row.iter_mut().enumerate() {
                    let angle = pos / 10000f64.powf((c - c % 2) as f64 / h as f64);
                    *v = if c % 2 == 0 { angle.sin() } else { angle.cos() } as f32;
                }
            }
            matrix(pe, b * t, h, device)
        } else {
            Tensor::zeros([1, 1], device)
        };
        let bias = if transformer {
            let heads = spec.n_heads;
            let mut m = vec![MASKED; b * heads * t * t];
            for (j, &i) in idx.iter().enumerate() {
                let len = self.length(i);
                for q in 0..t {
                    for k in 0..len {
                        let seen = !(spec.causal && k > q)
                            && spec.window.is_none_or(|w| q.abs_diff(k) <= w);
                        if seen {
                            for head in 0..heads {
                                m[((j * heads + head) * t + q) * t + k] = 0.0;
                            }
                        }
                    }
                    // a padding query with nothing in its window sees itself (ignored)
                    if q >= len && spec.window.is_some_and(|w| q - (len - 1) > w) {
                        for head in 0..heads {
                            m[((j * heads + head) * t + q) * t + q] = 0.0;
                        }
                    }
                }
            }
            Tensor::from_data(TensorData::new(m, [b, heads, t, t]), device)
        } else {
            Tensor::zeros([1, 1, 1, 1], device)
        };
        Batch {
            b,
            t,
            x: matrix(x, b * t, width, device),
            parties: Tensor::from_data(TensorData::new(parties, [b, t, p]), device),
            reversed: Tensor::from_data(TensorData::new(reversed, [b * t]), device),
            positions,
            bias,
        }
    }
}

/// Training data of a dialogue network.
pub struct DialogueTask<'a> {
    pub inputs: &'a Dialogues,
    /// Row-major `(n_utterances, n_classes)` target distributions.
    pub targets: &'a [f32],
    /// One per utterance; 0 = unlabelled (no loss, still context).
    pub weights: &'a [f32],
}

impl DialogueTask<'_> {
    pub fn validate(&self, spec: &DialogueSpec) -> Result<()> {
        let n = self.inputs.inputs.n;
        if self.targets.len() != n * spec.n_classes || self.weights.len() != n {
            return Err(Error::Internal(
                "dialogue targets do not match the utterances".into(),
            ));
        }
        if self.inputs.inputs.widths != spec.widths {
            return Err(Error::Internal(
                "dialogue data do not match the network".into(),
            ));
        }
        if self.weights.iter().any(|w| !w.is_finite() || *w < 0.0)
            || !self.weights.iter().any(|&w| w > 0.0)
        {
            return Err(Error::param(
                "D",
                "expected at least one labelled utterance and finite non-negative weights",
            ));
        }
        Ok(())
    }

    /// Targets and weights of a batch's padded rows (zero on padding).
    fn padded(&self, idx: &[usize], t: usize, k: usize) -> (Vec<f32>, Vec<f32>) {
        let d = self.inputs;
        let mut y = vec![0.0f32; idx.len() * t * k];
        let mut w = vec![0.0f32; idx.len() * t];
        for (j, &i) in idx.iter().enumerate() {
            let (a, e) = (d.offsets[i], d.offsets[i + 1]);
            y[j * t * k..(j * t + e - a) * k].copy_from_slice(&self.targets[a * k..e * k]);
            w[j * t..j * t + e - a].copy_from_slice(&self.weights[a..e]);
        }
        (y, w)
    }
}

impl Task for DialogueTask<'_> {
    type Net = DialogueNet;

    fn n_rows(&self) -> usize {
        self.inputs.len()
    }

    fn loss(
        &self,
        net: &DialogueNet,
        idx: &[usize],
        device: &Device,
        rng: Option<&mut SplitMix64>,
    ) -> Tensor<1> {
        let k = net.spec.n_classes;
        let batch = self.inputs.batch(idx, &net.spec, device);
        let rows = batch.b * batch.t;
        let (y, w) = self.padded(idx, batch.t, k);
        let logits = net.forward(&batch, rng);
        cross_entropy(
            logits,
            matrix(y, rows, k, device),
            Tensor::from_data(TensorData::new(w, [rows]), device),
        )
    }
}

/// Class probabilities `(n_utterances, n_classes)` in the input's utterance order.
/// Runs on the current rayon pool.
pub fn predict(net: &DialogueNet, inputs: &Dialogues) -> Result<Vec<f32>> {
    if inputs.inputs.widths != net.spec.widths {
        return Err(Error::param(
            "D",
            format!(
                "expected modalities of widths {:?} as in fit, got {:?}",
                net.spec.widths, inputs.inputs.widths
            ),
        ));
    }
    let k = net.spec.n_classes;
    let device = Device::flex();
    let mut proba = vec![0.0f32; inputs.inputs.n * k];
    // by length, so that batches carry little padding
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    order.sort_by_key(|&i| inputs.length(i));
    for idx in order.chunks(64) {
        crate::cancel::check()?;
        let batch = inputs.batch(idx, &net.spec, &device);
        let t = batch.t;
        let p = to_vec(softmax(net.forward(&batch, None), 1))?;
        for (j, &i) in idx.iter().enumerate() {
            let (a, e) = (inputs.offsets[i], inputs.offsets[i + 1]);
            proba[a * k..e * k].copy_from_slice(&p[j * t * k..(j * t + e - a) * k]);
        }
    }
    Ok(proba)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::train::{run, Optimizer, Schedule, TrainOptions};

    fn spec(context: Context, speaker_state: bool, causal: bool) -> DialogueSpec {
        DialogueSpec {
            widths: vec![2, 1],
            hidden: vec![],
            hidden_size: 8,
            context,
            speaker_state,
            causal,
            window: None,
            n_heads: 2,
            n_layers: 1,
            n_parties: 2,
            n_classes: 2,
            activation: Activation::Tanh,
            dropout: 0.0,
            layer_norm: false,
        }
    }

    /// Dialogues of 3, 1 and 5 turns; utterance 2's second modality is missing.
    fn data(shift: f32) -> Dialogues {
        let a: Vec<f32> = (0..18).map(|i| ((i * 7 % 5) as f32 - 2.0) / 2.0).collect();
        let mut c: Vec<f32> = (0..9).map(|i| (i % 3) as f32 - 1.0).collect();
        c[2] = f32::NAN;
        c[8] += shift;
        Dialogues::new(
            &[&a, &c],
            &[2, 1],
            &["a".into(), "c".into()],
            &[3, 1, 5],
            &[0, 1, 0, 0, 0, 1, 0, 1, 2],
        )
        .unwrap()
    }

    #[test]
    fn batch_mates_and_later_turns() {
        let d = data(0.0);
        for context in [Context::None, Context::Gru, Context::Transformer] {
            for (state, causal) in [(false, false), (true, false), (true, true), (false, true)] {
                let net =
                    DialogueNet::init(&spec(context, state, causal), 1, &Device::flex()).unwrap();
                let spec = &net.spec;
                assert_eq!(DialogueNet::n_params(spec), Some(net.num_params()));
                let p = predict(&net, &d).unwrap();
                // the second dialogue alone gives the same probabilities
                let alone = Dialogues::new(
                    &[&d.inputs.blocks[0][6..8], &d.inputs.blocks[1][3..4]],
                    &[2, 1],
                    &["a".into(), "c".into()],
                    &[1],
                    &[0],
                )
                .unwrap();
                let q = predict(&net, &alone).unwrap();
                assert!((q[0] - p[6]).abs() < 1e-5, "{context:?} {state} {causal}");
                // the last turn changed: with causal, the earlier turns bit-identical
                let later = predict(&net, &data(3.0)).unwrap();
                if causal {
                    assert_eq!(p[..16], later[..16], "{context:?} {state}");
                } else if context != Context::None {
                    assert_ne!(p[8..16], later[8..16], "{context:?} {state}");
                }
            }
        }
    }

    #[test]
    fn unlabelled_utterances_give_no_loss_and_training_runs() {
        let d = data(0.0);
        let targets: Vec<f32> = (0..9)
            .flat_map(|i| if i % 2 == 0 { [1.0, 0.0] } else { [0.0, 1.0] })
            .collect();
        let mut weights = vec![1.0f32; 9];
        weights[4] = 0.0;
        let task = DialogueTask {
            inputs: &d,
            targets: &targets,
            weights: &weights,
        };
        let s = spec(Context::Transformer, true, false);
        task.validate(&s).unwrap();
        let opts = TrainOptions {
            batch_size: 2,
            max_epochs: 30,
            learning_rate: 0.01,
            schedule: Schedule::Constant,
            optimizer: Optimizer::Adam,
            alpha: 0.0,
            tol: 0.0,
            early_stopping: false,
            validation_fraction: 0.1,
            n_iter_no_change: 100,
            seed: 0,
            groups: None,
        };
        let net = DialogueNet::init(&s, 0, &Device::flex().autodiff()).unwrap();
        let t = run(net, &task, &opts).unwrap();
        assert!(t.loss_curve[29] < t.loss_curve[0]);
        let n = DialogueNet::n_params(&s).unwrap();
        assert_eq!(n, t.model.num_params());
        let none = vec![0.0f32; 9];
        let bad = DialogueTask {
            inputs: &d,
            targets: &targets,
            weights: &none,
        };
        assert!(bad
            .validate(&s)
            .unwrap_err()
            .to_string()
            .contains("labelled"));
    }
}
