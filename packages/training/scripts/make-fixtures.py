#!/usr/bin/python3
"""Writes the scikit-learn reference fixtures that @heed/training's tests compare with.

Run with Debian's Python (CI has no scikit-learn, so the JSON files are committed):

    apt-get install -y python3-sklearn python3-numpy
    /usr/bin/python3 packages/training/scripts/make-fixtures.py

Outputs (in src/__fixtures__/):
- metrics.json: label sets (multi-class with an unpredicted class, binary, scores for top-k and
  log loss) with sklearn's accuracy, precision/recall/F1 (per class, macro, micro, weighted),
  confusion matrix, top-k accuracy and log loss.
- float16.json: float32 values and numpy's float16 rounding of them.
- digits.json: sklearn's 8x8 digits (1797 images, pixel values 0..16) with a fixed split.
"""
import json
import os

import numpy as np
import sklearn
from sklearn import metrics
from sklearn.datasets import load_digits

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', '__fixtures__')


def classification_case(name, y_true, y_pred, labels):
    case = {
        'name': name,
        'labels': labels,
        'yTrue': [int(v) for v in y_true],
        'yPred': [int(v) for v in y_pred],
        'accuracy': metrics.accuracy_score(y_true, y_pred),
        'confusionMatrix': metrics.confusion_matrix(y_true, y_pred, labels=labels).tolist(),
    }
    for average in ['macro', 'micro', 'weighted']:
        p, r, f, _ = metrics.precision_recall_fscore_support(
            y_true, y_pred, labels=labels, average=average, zero_division=0)
        case[average] = {'precision': p, 'recall': r, 'f1': f}
    p, r, f, s = metrics.precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average=None, zero_division=0)
    case['perClass'] = {'precision': p.tolist(), 'recall': r.tolist(), 'f1': f.tolist(), 'support': s.tolist()}
    return case


def main():
    rng = np.random.default_rng(20261121)
    cases = []

    # Five classes, noisy predictions; class 4 is never predicted (zero_division=0 path).
    y_true = rng.integers(0, 5, size=120)
    y_pred = np.where((rng.random(120) < 0.6) & (y_true < 4), y_true, rng.integers(0, 4, size=120))
    cases.append(classification_case('multiclass-5', y_true, y_pred, [0, 1, 2, 3, 4]))

    # Binary.
    y_true = rng.integers(0, 2, size=60)
    y_pred = np.where(rng.random(60) < 0.7, y_true, 1 - y_true)
    cases.append(classification_case('binary', y_true, y_pred, [0, 1]))

    # Scores: top-k accuracy and log loss (categorical cross-entropy on probabilities).
    logits = rng.normal(size=(40, 6))
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    score_labels = rng.integers(0, 6, size=40)
    scores = {
        'probabilities': probabilities.tolist(),
        'labels': score_labels.tolist(),
        'topK': {str(k): metrics.top_k_accuracy_score(score_labels, probabilities, k=k, labels=list(range(6)))
                 for k in [1, 2, 3, 5]},
        'logLoss': metrics.log_loss(score_labels, probabilities, labels=list(range(6))),
    }

    # Binary probabilities: binary cross-entropy.
    binary_probabilities = rng.uniform(0.02, 0.98, size=50)
    binary_labels = rng.integers(0, 2, size=50)
    binary = {
        'probabilities': binary_probabilities.tolist(),
        'labels': binary_labels.tolist(),
        'logLoss': metrics.log_loss(binary_labels, binary_probabilities, labels=[0, 1]),
    }

    with open(os.path.join(OUT, 'metrics.json'), 'w') as handle:
        json.dump({'sklearn': sklearn.__version__, 'classification': cases, 'scores': scores, 'binary': binary},
                  handle, indent=1)
        handle.write('\n')

    # float32 -> float16 rounding (numpy rounds to nearest even), for the compression tests.
    values = np.concatenate([
        np.array([0.0, -0.0, 1.0, -2.0, 0.1, 1 / 3, 65504.0, 6e-5, 3e-7, 1e-8, 2.0 ** -24, 1.5 * 2.0 ** -24]),
        rng.normal(scale=3.0, size=40),
    ]).astype(np.float32)
    with open(os.path.join(OUT, 'float16.json'), 'w') as handle:
        json.dump({'numpy': np.__version__, 'float32': [float(v) for v in values],
                   'float16': [float(v) for v in values.astype(np.float16).astype(np.float32)]}, handle)
        handle.write('\n')

    digits = load_digits()
    order = np.random.default_rng(7).permutation(len(digits.target))
    test_size = 360
    with open(os.path.join(OUT, 'digits.json'), 'w') as handle:
        json.dump({
            'source': 'sklearn.datasets.load_digits() (UCI optical recognition of handwritten digits, 8x8)',
            'sklearn': sklearn.__version__,
            'images': digits.data.astype(int).tolist(),
            'labels': digits.target.astype(int).tolist(),
            'testIndices': sorted(order[:test_size].tolist()),
        }, handle, separators=(',', ':'))
        handle.write('\n')


if __name__ == '__main__':
    main()
