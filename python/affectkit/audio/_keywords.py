"""The keywords of the pitch trackers and Praat's voice measures, documented once and filled into every docstring that accepts them."""

from __future__ import annotations



# Keywords of the pitch trackers and Praat's voice measures, documented once and filled
# into every docstring that accepts them.
_KEYWORDS = {
    "pyin_yin": """
        frame_length : int, default 2048
            ``method="pyin"``/``"yin"``: analysis frame in samples (librosa's).
        hop_length : int or None, default None
            ``method="pyin"``/``"yin"``: samples between frames; None = ``frame_length // 4``.
        center : bool, default True
            ``method="pyin"``/``"yin"``: frames centred on ``t * hop_length`` (padded).
        pad_mode : str, default "constant"
            ``method="pyin"``/``"yin"``: padding when ``center`` (``"constant"``,
            ``"reflect"``, ``"symmetric"``, ``"edge"``).
        n_thresholds : int, default 100
            ``method="pyin"``: thresholds of the beta distribution.
        beta_parameters : tuple of float, default (2, 18)
            ``method="pyin"``: the beta distribution of thresholds.
        boltzmann_parameter : float, default 2
            ``method="pyin"``: Boltzmann prior over trough positions.
        resolution : float, default 0.1
            ``method="pyin"``: pitch bins per semitone step (0.1 = 10 cents).
        max_transition_rate : float, default 35.92
            ``method="pyin"``: octaves per second the Viterbi path may move.
        switch_prob : float, default 0.01
            ``method="pyin"``: probability of a voiced/unvoiced switch.
        no_trough_prob : float, default 0.01
            ``method="pyin"``: voicing probability given to frames without a trough.
        trough_threshold : float, default 0.1
            ``method="yin"``: the paper's absolute threshold on the cumulative mean
            normalised difference; a frame whose trough stays above it is unvoiced.""",
    "praat_pitch": """
        time_step : float or None, default None
            Praat pitch (ac): seconds between frames; None = ``0.75 / pitch_floor``.
        pitch_floor : float, default 75.0
            Praat pitch (ac): lowest F0 in Hz (alias ``fmin``); the window is three of its periods.
        pitch_ceiling : float, default 600.0
            Praat pitch (ac): highest F0 in Hz (alias ``fmax``).
        max_number_of_candidates : int, default 15
            Praat pitch (ac): candidates per frame.
        silence_threshold : float, default 0.03
            Praat pitch (ac): frames below this fraction of the global peak are unvoiced.
        voicing_threshold : float, default 0.45
            Praat pitch (ac): strength the unvoiced candidate competes with.
        octave_cost : float, default 0.01
            Praat pitch (ac): favours higher candidates, per octave.
        octave_jump_cost : float, default 0.35
            Praat pitch (ac): Viterbi cost of an octave jump.
        voiced_unvoiced_cost : float, default 0.14
            Praat pitch (ac): Viterbi cost of a voicing switch.""",
    "voice": """
        period_floor : float, default 0.0001
            Shortest period (s) jitter and shimmer use (Praat's default).
        period_ceiling : float, default 0.02
            Longest period (s).
        max_period_factor : float, default 1.3
            Largest ratio of consecutive periods used.
        max_amplitude_factor : float, default 1.6
            Largest ratio of consecutive amplitudes used (shimmer).
        hnr_time_step : float, default 0.01
            To Harmonicity (cc): seconds between frames.
        hnr_minimum_pitch : float, default 75.0
            To Harmonicity (cc): minimum pitch in Hz.
        hnr_silence_threshold : float, default 0.1
            To Harmonicity (cc): silence threshold.
        hnr_periods_per_window : float, default 1.0
            To Harmonicity (cc): periods per window.""",
    "prosody": """
        intensity_minimum_pitch : float, default 100.0
            :func:`intensity`'s ``minimum_pitch`` for the intensity statistics.
        min_pause : float, default 0.1
            Shortest silent stretch (s) counted as a pause.
        silence_threshold_db : float, default -25.0
            Frames this many dB (or more) below the loudest frame are silent.""",
}
