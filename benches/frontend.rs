//! Front-end kernels on 4 s of 16 kHz audio with speech settings (512-point FFT,
//! 400-sample window, hop 160, 40 mels, 13 MFCCs), single thread.
//!
//! `rfft_frames` is the floor: the real FFTs of the same frames and nothing else. The
//! ratio `mfcc_* / rfft_frames` is our distance to that limit.
//!
//!     cargo bench --no-default-features --bench frontend

use std::hint::black_box;

use _core::audio::{Extractor, Preset};
use _core::params::{Params, Value};
use criterion::{criterion_group, criterion_main, Criterion};
use realfft::RealFftPlanner;

fn speech(n: usize) -> Vec<f32> {
    (0..n)
        .map(|i| {
            let t = i as f32 / 16000.0;
            0.1 * (2.0 * std::f32::consts::PI * 150.0 * t).sin()
                + 0.05 * (2.0 * std::f32::consts::PI * 1250.0 * t).sin()
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let y = speech(4 * 16000);
    let mut planner = RealFftPlanner::<f32>::new();
    let fft = planner.plan_fft_forward(512);
    let mut inbuf = fft.make_input_vec();
    let mut out = fft.make_output_vec();
    let mut scratch = fft.make_scratch_vec();
    let n_frames = 1 + (y.len() - 400) / 160;
    c.bench_function("rfft_frames", |b| {
        b.iter(|| {
            for t in 0..n_frames {
                inbuf[..400].copy_from_slice(&y[t * 160..t * 160 + 400]);
                inbuf[400..].iter_mut().for_each(|v| *v = 0.0);
                let _ = fft.process_with_scratch(&mut inbuf, &mut out, &mut scratch);
                black_box(&out);
            }
        })
    });
    let librosa = Params::new()
        .with("n_fft", Value::Int(512))
        .with("win_length", Value::Int(400))
        .with("hop_length", Value::Int(160))
        .with("n_mels", Value::Int(40))
        .with("n_mfcc", Value::Int(13));
    let kaldi = Params::new().with("num_mel_bins", Value::Int(40));
    let htk = Params::new().with("nfilt", Value::Int(40));
    for (name, preset, p) in [
        ("mfcc_librosa", Preset::Librosa, librosa),
        ("mfcc_kaldi", Preset::Kaldi, kaldi),
        ("mfcc_htk", Preset::Htk, htk),
    ] {
        let ex = Extractor::<f32>::mfcc(preset, 16000.0, &p).expect("valid parameters");
        c.bench_function(name, |b| {
            b.iter(|| black_box(ex.compute(black_box(&y)).expect("mfcc")))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
