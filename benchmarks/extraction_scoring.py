"""How the Article Extraction Benchmark scores an extracted article body.

Copied from scrapinghub/article-extraction-benchmark, ``evaluate.py`` at commit
4a3bc979f76c0df73cb95fe272e2fc1b96f9f010 (1 March 2026), MIT License,
Copyright (c) 2020 Scrapinghub. The scoring is unchanged: only the names are
made private or given type hints in today's syntax, and the bootstrap takes a
seeded random generator (the original uses the ``random`` module's global one),
so a run can be repeated.

Each page: the ground-truth body and the extracted text are cut into words
(``\\w+``), then into 4-word shingles; true positives, false positives and false
negatives are counted over the shingles (with multiplicity) and normalised to
sum to 1, so a long article weighs no more than a short one. Precision is the
mean over pages of tp / (tp + fp) (pages where tp + fp > 0), recall the mean of
tp / (tp + fn) (pages where tp + fn > 0), and F1 is the harmonic mean of those
two means (not a mean of per-page F1s). Accuracy is the share of pages whose
extracted words equal the truth's exactly. The ± is the standard deviation of
each figure over ``n_bootstrap`` resamples of the pages.
"""

import random
import re
import statistics
from collections import Counter

TpFpFn = tuple[float, float, float]

_TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def evaluate(ground_truth: dict, prediction: dict, n_bootstrap: int = 1000, seed: int = 0) -> dict:
    """F1, precision, recall and accuracy (with ``*_std``, and each page's
    ``tp_fp_fns``) of ``prediction`` against
    ``ground_truth``: both map item ids to ``{"articleBody": text}``."""
    if ground_truth.keys() != prediction.keys():
        raise ValueError("prediction keys do not match ground truth")
    tp_fp_fns = []
    accuracies = []
    for key in ground_truth:
        true = ground_truth[key].get("articleBody", "")
        pred = prediction[key].get("articleBody", "")
        tp_fp_fns.append(string_shingle_matching(true=true, pred=pred))
        accuracies.append(get_accuracy(true=true, pred=pred))
    metrics = metrics_from_tp_fp_fns(tp_fp_fns)
    metrics["tp_fp_fns"] = tp_fp_fns
    metrics["accuracy"] = statistics.mean(accuracies)

    # Bootstrap estimates of the figures' spread.
    generator = random.Random(seed)
    b_values: dict[str, list[float]] = {}
    for _ in range(n_bootstrap):
        n = len(tp_fp_fns)
        indices = [generator.randint(0, n - 1) for _ in range(n)]
        b_metrics = metrics_from_tp_fp_fns([tp_fp_fns[i] for i in indices])
        for key in b_metrics:
            b_values.setdefault(key, []).append(b_metrics[key])
        b_values.setdefault("accuracy", []).append(
            statistics.mean([accuracies[i] for i in indices])
        )
    for key, values in sorted(b_values.items()):
        metrics[f"{key}_std"] = statistics.stdev(values) if len(values) > 1 else 0.0
    return metrics


def difference(
    tp_fp_fns: list[TpFpFn], other_tp_fp_fns: list[TpFpFn], n_bootstrap: int = 1000, seed: int = 0
) -> dict[str, tuple[float, float]]:
    """Paired bootstrap of (first minus other) for F1, precision and recall: the
    same resampled pages for both, as evaluate.py's ``print_metrics_diff``.
    (mean, standard deviation) by figure."""
    generator = random.Random(seed)
    diffs: dict[str, list[float]] = {}
    for _ in range(n_bootstrap):
        n = len(tp_fp_fns)
        indices = [generator.randint(0, n - 1) for _ in range(n)]
        metrics = metrics_from_tp_fp_fns([tp_fp_fns[i] for i in indices])
        other_metrics = metrics_from_tp_fp_fns([other_tp_fp_fns[i] for i in indices])
        for key in metrics:
            diffs.setdefault(key, []).append(metrics[key] - other_metrics[key])
    return {
        key: (statistics.mean(values), statistics.stdev(values) if len(values) > 1 else 0.0)
        for key, values in sorted(diffs.items())
    }


def metrics_from_tp_fp_fns(tp_fp_fns: list[TpFpFn]) -> dict[str, float]:
    precision = statistics.mean(
        [precision_score(tp, fp, fn) for tp, fp, fn in tp_fp_fns if tp + fp > 0]
    )
    recall = statistics.mean([recall_score(tp, fp, fn) for tp, fp, fn in tp_fp_fns if tp + fn > 0])
    f1 = 2 * precision * recall / (precision + recall)
    return {"f1": f1, "precision": precision, "recall": recall}


def precision_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def get_accuracy(true: str, pred: str) -> float:
    return float(_tokenize(true) == _tokenize(pred))


def string_shingle_matching(true: str, pred: str, ngram_n: int = 4) -> TpFpFn:
    """TP/FP/FN across shingles (joined ngrams), normalised to sum to 1."""
    true_shingles = _all_shingles(true, ngram_n)
    pred_shingles = _all_shingles(pred, ngram_n)
    tp = fp = fn = 0.0
    for key in set(true_shingles) | set(pred_shingles):
        true_count = true_shingles.get(key, 0)
        pred_count = pred_shingles.get(key, 0)
        tp += min(true_count, pred_count)
        fp += max(0, pred_count - true_count)
        fn += max(0, true_count - pred_count)
    tp_fp_fn = [tp, fp, fn]
    s = sum(tp_fp_fn)
    # Normalize metrics so that longer texts do not have more weight.
    if s > 0:
        tp_fp_fn = [x / s for x in tp_fp_fn]
    return tuple(tp_fp_fn)


def _all_shingles(text: str, ngram_n: int) -> dict[tuple[str, ...], int]:
    return dict(Counter(_ngrams(text, ngram_n)))


def _tokenize(text: str) -> list[str]:
    # Such simple tokenization works for any language, even if several words
    # are clumped together, as extra predicted text is still separated.
    return _TOKEN_RE.findall(text or "")


def _ngrams(text: str, n: int) -> list[tuple[str, ...]]:
    tokens = _tokenize(text)
    result = []
    for i in range(0, max(1, len(tokens) - n + 1)):
        shingle = tuple(tokens[i : i + n])
        if shingle:
            result.append(shingle)
    return result
