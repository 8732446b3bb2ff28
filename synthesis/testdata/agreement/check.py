"""Inter-coder agreement of generated projects, computed independently of synth.

Reads each project's extracts CSV (columns ID, Study, Extract, Codes, Coder;
codes separated by ";") and its codebook code names, builds the units from
the rules synth documents, and computes the figures with scikit-learn's
cohen_kappa_score and nltk's AnnotationTask (kappa_pairwise, alpha):

- names (IDs, codes, coders) match after NFC, case folding and collapsing
  white space;
- a coder coded an extract when a row of the extract names the coder, with
  codes or without; a row with a blank coder is no coder's;
- units: (extract, code) for extracts coded by two or more coders, codes =
  the codebook's plus every other code seen;
- a pair of coders is compared on the extracts both coded; pooled kappa of
  three or more coders is the mean of the pairs' defined kappas (Light 1971).

Usage: check.py CASES.json, where CASES.json is a list of
{"csv": path, "codes": [codebook code names]}; prints a JSON list of results.
Undefined coefficients are null.
"""

import csv
import json
import math
import sys
import unicodedata
import warnings
from itertools import combinations

from nltk.metrics.agreement import AnnotationTask
from sklearn.metrics import cohen_kappa_score

warnings.simplefilter("ignore", RuntimeWarning)  # sklearn warns on 0/0 before returning nan


def fold(s):
    return unicodedata.normalize("NFC", " ".join(s.split())).casefold()


def sk_kappa(x, y):
    k = float(cohen_kappa_score(x, y, labels=[0, 1]))
    return None if math.isnan(k) else k


def nltk_kappa(pair, items):
    """items: list of (item, value_a, value_b)."""
    a, b = pair
    data = [(a, i, va) for i, va, _ in items] + [(b, i, vb) for i, _, vb in items]
    try:
        return AnnotationTask(data).kappa_pairwise(a, b)
    except ZeroDivisionError:
        return None


def nltk_alpha(data):
    """data: (coder, item, value) triples of the units."""
    task = AnnotationTask(data)
    if len(task.K) < 2:
        return None  # one value throughout: no expected disagreement
    return task.alpha()


def reliability(units, coders, values):
    """units: list of (extract, code); values[(extract, coder)] = set of codes
    or absent when the coder did not code the extract."""
    pairs = []
    kappas = []
    pooled = [0, 0, 0, 0]
    for a, b in combinations(coders, 2):
        items = [(f"{x}\x00{c}", int(c in values[x, a]), int(c in values[x, b]))
                 for x, c in units if (x, a) in values and (x, b) in values]
        if not items:
            continue
        xa = [va for _, va, _ in items]
        xb = [vb for _, _, vb in items]
        cells = [sum(1 for _, va, vb in items if (va, vb) == cell)
                 for cell in ((1, 1), (1, 0), (0, 1), (0, 0))]
        k = sk_kappa(xa, xb)
        pairs.append({"a": a, "b": b, "units": len(items), "cells": cells,
                      "agreement": (cells[0] + cells[3]) / len(items),
                      "kappa": k, "kappa_nltk": nltk_kappa((a, b), items)})
        pooled = [p + c for p, c in zip(pooled, cells)]
        if k is not None:
            kappas.append(k)
    data = [(k, f"{x}\x00{c}", int(c in values[x, k]))
            for x, c in units for k in coders if (x, k) in values]
    return {"units": len(units), "pairs": pairs, "cells": pooled,
            "agreement": (pooled[0] + pooled[3]) / sum(pooled),
            "kappa": sum(kappas) / len(kappas) if kappas else None,
            "alpha": nltk_alpha(data)}


def check(case):
    book = {fold(c): c for c in case["codes"]}
    codes = list(book)
    study = {}
    coders_of = {}
    values = {}
    with open(case["csv"], newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            x = fold(row["ID"])
            study.setdefault(x, fold(row["Study"]))
            coders_of.setdefault(x, [])
            applied = [fold(p) for p in row["Codes"].replace("\r", "\n").replace("\n", ";").split(";")]
            applied = [p for p in applied if p]
            for p in applied:
                if p not in codes:
                    codes.append(p)
            coder = fold(row["Coder"])
            if not coder:
                continue
            if coder not in coders_of[x]:
                coders_of[x].append(coder)
            values.setdefault((x, coder), set()).update(applied)
    coders = []
    for x in coders_of:
        for c in coders_of[x]:
            if c not in coders:
                coders.append(c)
    counted = [x for x in coders_of if len(coders_of[x]) >= 2]
    out = {"coders": coders, "extracts": len(counted),
           "one_coder": sum(1 for x in coders_of if len(coders_of[x]) == 1),
           "no_coder": sum(1 for x in coders_of if not coders_of[x])}
    out["overall"] = reliability([(x, c) for x in counted for c in codes], coders, values)
    out["codes"] = {c: reliability([(x, c) for x in counted], coders, values) for c in codes}
    out["studies"] = {s: reliability([(x, c) for x in counted if study[x] == s for c in codes], coders, values)
                      for s in sorted({study[x] for x in counted})}
    return out


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        cases = json.load(f)
    json.dump([check(c) for c in cases], sys.stdout)
