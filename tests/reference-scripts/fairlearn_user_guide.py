"""Reproduces the Fairlearn user-guide values hard-coded in
tests/Analytics.Models.Tests/Fairness/FairlearnExampleTests.cs with Fairlearn itself.

Source: fairlearn docs/user_guide/assessment/perform_fairness_assessment.rst (commit 0881dec6)
and common_fairness_metrics.rst (commit 04c03763), Fairlearn 0.10 or later.
Needs: fairlearn >= 0.10, scikit-learn, pandas. Fairlearn is not packaged by Debian; this script
was not run where the other scripts were (see README.md). fairlearn_user_guide.R recounts the
same values in base R and was run.
Run: python3 fairlearn_user_guide.py   (exit status 1 when a value differs)
"""
import sys

from fairlearn.metrics import (MetricFrame, count, demographic_parity_difference,
                               demographic_parity_ratio, false_positive_rate,
                               selection_rate, true_positive_rate)

y_true = [0, 1, 1, 1, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1]
y_pred = [0, 0, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0]
sf_data = ["b", "b", "a", "b", "b", "c", "c", "c", "a", "a", "c", "a", "b", "c", "c", "b", "c", "c"]

mf = MetricFrame(metrics={"tpr": true_positive_rate, "fpr": false_positive_rate,
                          "sel": selection_rate, "count": count},
                 y_true=y_true, y_pred=y_pred, sensitive_features=sf_data)
print(mf.by_group)
print(mf.ratio())

expected = {"a": (0.5, 1.0, 0.75, 4), "b": (0.6, 0.0, 0.5, 6), "c": (0.4, 0.666667, 0.5, 8)}
failures = 0
for group, values in expected.items():
    got = tuple(mf.by_group.loc[group, ["tpr", "fpr", "sel", "count"]])
    ok = all(abs(g - w) <= 5e-7 for g, w in zip(got, values))
    failures += not ok
    print("ok  " if ok else "FAIL", group, got, values)
ratio = mf.ratio()
for metric, want in (("tpr", 0.666667), ("fpr", 0.0), ("sel", 0.666667)):
    ok = abs(ratio[metric] - want) <= 5e-7
    failures += not ok
    print("ok  " if ok else "FAIL", "ratio", metric, ratio[metric], want)
dpd = demographic_parity_difference(y_true, y_pred, sensitive_features=sf_data)
dpr = demographic_parity_ratio(y_true, y_pred, sensitive_features=sf_data)
for name, got, want in (("demographic_parity_difference", dpd, 0.25), ("demographic_parity_ratio", dpr, 2 / 3)):
    ok = abs(got - want) <= 5e-7
    failures += not ok
    print("ok  " if ok else "FAIL", name, got, want)
sys.exit(1 if failures else 0)
