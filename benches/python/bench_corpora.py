"""Indexing time of the corpus indexers on full-size fake trees (real file names and table
formats, empty audio files: the indexers never open audio), against reading the same
annotation tables with pandas.read_csv (a lower bound: parsing only, no checks, no rows
joined to files; IEMOCAP has no CSV tables). Sizes as in the releases: CREMA-D 7,442 clips, 22,326 tabulated votes,
2,443 raters x 90 answers; MSP-Podcast 100,000 segments, 5 workers each; IEMOCAP
10,039 turns in 151 dialogs, 3-4 evaluators each.

    chrt -f 1 python benches/python/bench_corpora.py
"""

import random
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import affectkit as ak

SENTENCES = ["IEO", "TIE", "IOM", "IWW", "TAI", "MTI", "IWL", "ITH", "DFA", "ITS", "TSI", "WSI"]
EMOS = ["ANG", "DIS", "FEA", "HAP", "NEU", "SAD"]


def crema(root: Path, rng: random.Random):
    (root / "AudioWAV").mkdir(parents=True)
    (root / "processedResults").mkdir()
    names = []
    while len(names) < 7442:
        level = rng.choice(["LO", "MD", "HI", "XX"])
        n = f"{1001 + rng.randrange(91)}_{rng.choice(SENTENCES)}_{rng.choice(EMOS)}_{level}"
        if n not in names:
            names.append(n)
    names = sorted(set(names))
    for n in names:
        (root / "AudioWAV" / f"{n}.wav").touch()
    with open(root / "VideoDemographics.csv", "w") as f:
        f.write('"ActorID","Age","Sex","Race","Ethnicity"\n')
        f.writelines(f'{a},{rng.randrange(20, 75)},"{rng.choice(["Male", "Female"])}","Caucasian","Not Hispanic"\n'
                     for a in range(1001, 1092))
    with open(root / "processedResults" / "tabulatedVotes.csv", "w") as f:
        f.write('"","A","D","F","H","N","S","fileName","numResponses","agreement","emoVote","meanEmoResp"\n')
        for q in (1, 2, 3):
            for i, n in enumerate(names):
                f.write(f'"{100000 * q + i + 1}",3,0,0,1,0,0,"{n}",4,0.75,"{n[9]}",55\n')
    with open(root / "finishedResponses.csv", "w") as f:
        f.write('"","localid","pos","ans","ttr","queryType","numTries","clipNum","questNum","subType","clipName",'
                '"sessionNums","respEmo","respLevel","dispEmo","dispVal","dispLevel"\n')
        k = 0
        for rater in range(2443):
            for q in (1, 2, 3):
                for clip in rng.sample(range(len(names)), 30):
                    k += 1
                    e = rng.choice("ADFHNS")
                    f.write(f'"{k}","{10000 + rater}",{k},"{e}_50",1200,{q},0,{clip + 1},{k},4,"{names[clip]}",'
                            f'{rater},"{e}",50,"{names[clip][9]}","XX",50\n')
    return [root / "processedResults" / "tabulatedVotes.csv", root / "finishedResponses.csv"]


def msp(root: Path, rng: random.Random):
    (root / "Audios").mkdir(parents=True)
    (root / "Labels").mkdir()
    splits = ["Train"] * 6 + ["Development", "Test1", "Test2"]
    names = [f"MSP-PODCAST_{i // 40 + 1:04d}_{i % 40 + 1:04d}.wav" for i in range(100_000)]
    for n in names:
        (root / "Audios" / n).touch()
    with open(root / "Labels" / "labels_consensus.csv", "w") as f:
        f.write("FileName,EmoClass,EmoAct,EmoVal,EmoDom,SpkrID,Gender,Split_Set\n")
        f.writelines(f"{n},{rng.choice('AHSNUFDCOX')},4.2,4.0,4.4,{rng.randrange(1500)},Female,{rng.choice(splits)}\n"
                     for n in names)
    with open(root / "Labels" / "labels_detailed.csv", "w") as f:
        f.write("FileName,EmoDetail\n")
        for n in names:
            for w in rng.sample(range(2000), 5):
                f.write(f'{n},"WORKER{w:05d}; {rng.choice(["Angry", "Happy", "Sad", "Neutral", "Other-Curious"])}; '
                        f'Annoyed,Frustrated; A:4.0; V:3.0; D:5.0;"\n')
    return [root / "Labels" / "labels_consensus.csv", root / "Labels" / "labels_detailed.csv"]


def iemocap(root: Path, rng: random.Random):
    cats = ["Neutral", "Frustration", "Anger", "Sadness", "Excited", "Happiness"]
    codes = ["neu", "fru", "ang", "sad", "exc", "hap", "xxx"]
    n_turns = 0
    for d in range(151):
        s = d % 5 + 1
        dialog = f"Ses0{s}{'FM'[d % 2]}_impro{d:03d}"
        ev = root / f"Session{s}" / "dialog" / "EmoEvaluation"
        wav = root / f"Session{s}" / "sentences" / "wav" / dialog
        ev.mkdir(parents=True, exist_ok=True)
        wav.mkdir(parents=True)
        lines = ["% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]", ""]
        for t in range(66 + (d < 73)):
            if n_turns == 10039:
                break
            n_turns += 1
            turn = f"{dialog}_{'FM'[t % 2]}{t:03d}"
            (wav / f"{turn}.wav").touch()
            lines.append(f"[{t * 3.0:.4f} - {t * 3.0 + 2.5:.4f}]\t{turn}\t{rng.choice(codes)}"
                         "\t[2.5000, 3.0000, 3.5000]")
            for e in rng.sample(["E1", "E2", "E3", "E4"], 3):
                lines.append(f"C-{e}:\t{rng.choice(cats)};\t()")
            for e in ("E1", "E2"):
                lines.append(f"A-{e}:\tval 3; act 2; dom  2;\t()")
            lines.append("")
        (ev / f"{dialog}.txt").write_text("\n".join(lines))
    return []  # no CSV tables: nothing for pandas to read


def read_with_pandas(tables):
    for t in tables:
        pd.read_csv(t, dtype=str, keep_default_na=False)


def main() -> None:
    rng = random.Random(0)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cases = [("crema-d", crema(tmp / "crema", rng), tmp / "crema"),
                 ("msp-podcast", msp(tmp / "msp", rng), tmp / "msp"),
                 ("iemocap", iemocap(tmp / "iemocap", rng), tmp / "iemocap")]
        print(f"{'corpus':12s} {'rows':>7s} {'answers':>8s} {'ak.datasets.index':>18s} {'pandas read only':>17s} ratio")
        for name, tables, root in cases:
            ours, peer = [], []
            for _ in range(3):  # interleaved
                t = time.perf_counter()
                man = ak.datasets.index(name, root)
                ours.append(time.perf_counter() - t)
                t = time.perf_counter()
                read_with_pandas(tables)
                peer.append(time.perf_counter() - t)
            n_answers = len(ak.datasets.annotations(man))
            o, p = np.median(ours), np.median(peer)
            if tables:
                print(f"{name:12s} {len(man):7d} {n_answers:8d} {o:16.2f} s {p:15.2f} s {o / p:5.1f}x")
            else:
                print(f"{name:12s} {len(man):7d} {n_answers:8d} {o:16.2f} s {'-':>17s}")


if __name__ == "__main__":
    main()
