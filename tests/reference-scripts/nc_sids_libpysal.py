"""Checks the GeoDa inputs of Spatial/Golden/nc_sids.json against libpysal's own 'sids2' example
(Debian python3-libpysal 4.7.0 ships it: libpysal/examples/sids2/sids2.dbf, sids2.gal), then recomputes
the two esda docstring values from them with esda's formulas written out in NumPy (esda itself is not
packaged by Debian; nc_sids_esda.py is the script that calls it):
- "geoda_sids2" neighbour lists == sids2.gal, "sidr74" == SIDR74 of sids2.dbf, counts == SID74/BIR74/SID79/BIR79;
- Moran(SIDR74), row-standardised: I and two-sided normality p ("published_esda_moran_sidr74",
  spdep "geoda_sids2_sidr74_normality");
- Moran_Rate(SID79, BIR79) = Moran of the Assuncao-Reis EB standardised rates, one-sided normality p.
Read by: tests/Analytics.Models.Tests/Spatial/MoranITests.cs (I 1e-12, p 1e-13 / 1e-12, published values rounded).
Versions: Python 3.11.2, libpysal 4.7.0, NumPy 1.24.2, SciPy 1.10.1 (Debian bookworm).
Run: /usr/bin/python3 nc_sids_libpysal.py [path/to/tests/Analytics.Models.Tests]   (exit status 1 when a value differs)
"""
import json
import os
import sys

import libpysal
import numpy as np
from scipy import stats

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Analytics.Models.Tests")
with open(os.path.join(root, "Spatial/Golden/nc_sids.json")) as f:
    golden = json.load(f)
failures = 0


def check(name, got, want, tol):
    global failures
    diff = np.max(np.abs(np.asarray(got, float) - np.asarray(want, float)))
    ok = diff <= tol
    failures += not ok
    print(f"{'ok  ' if ok else 'FAIL'} {name:45s} max |diff| = {diff:.3g} (tolerance {tol:g})")


w = libpysal.io.open(libpysal.examples.get_path("sids2.gal")).read()
dbf = libpysal.io.open(libpysal.examples.get_path("sids2.dbf"))
column = lambda name: np.array(dbf.by_col(name), float)
counties = golden["counties"]

# The golden's GeoDa neighbour lists are sids2.gal's, in the same row order.
ids = w.id_order
same = all(sorted(ids.index(j) for j in w.neighbors[ids[i]]) == sorted(golden["geoda_sids2"][i]) for i in range(len(ids)))
failures += not same
print(f"{'ok  ' if same else 'FAIL'} geoda_sids2 lists == sids2.gal ({w.s0:.0f} directed links)")
check("sidr74 == sids2.dbf SIDR74", [c["sidr74"] for c in counties], column("SIDR74"), 5e-6)
for name in ("SID74", "BIR74", "SID79", "BIR79"):
    check(f"{name.lower()} == sids2.dbf {name}", [c[name.lower()] for c in counties], column(name), 0)


def moran_normality(y, w):
    """esda.Moran with row-standardised weights: I and the variance under normality."""
    w.transform = "r"
    n, z = len(y), y - y.mean()
    W = w.full()[0]
    i = n / W.sum() * (z @ W @ z) / (z @ z)
    s0, s1, s2 = w.s0, w.s1, w.s2
    expected = -1 / (n - 1)
    variance = (n * n * s1 - n * s2 + 3 * s0 * s0) / ((n * n - 1) * s0 * s0) - expected ** 2
    return i, (i - expected) / np.sqrt(variance)


i, z = moran_normality(column("SIDR74"), w)
spdep = golden["expected"]["spdep"]["geoda_sids2_sidr74_normality"]
published = golden["expected"]["published_esda_moran_sidr74"]
check("Moran SIDR74 I (spdep value)", i, spdep["i"], 1e-12)
check("Moran SIDR74 p two-sided (spdep value)", 2 * stats.norm.sf(abs(z)), spdep["p_two_sided"], 1e-13)
check("Moran SIDR74 round(I, 3) (esda docstring)", round(i, 3), published["i_3dp"], 0)
check("Moran SIDR74 p two-sided (esda docstring)", 2 * stats.norm.sf(abs(z)), published["p_normality_two_sided"], 1e-13)

# esda.smoothing.assuncao_rate: EB standardised rates.
e, b = column("SID79"), column("BIR79")
y = e / b
rate = e.sum() / b.sum()
a = np.sum(b * (y - rate) ** 2) / b.sum() - rate / b.mean()
v = a + rate / b
v[v < 0] = rate / b[v < 0]
i, z = moran_normality((y - rate) / np.sqrt(v), w)
spdep = golden["expected"]["spdep"]["geoda_sids2_eb_sid79_normality"]
published = golden["expected"]["published_esda_moran_rate_sid79"]
check("Moran_Rate SID79 I (spdep value)", i, spdep["i"], 1e-12)
check("Moran_Rate SID79 p one-sided (spdep value)", stats.norm.sf(z), spdep["p_one_sided"], 1e-12)
check("Moran_Rate round(I, 4) (esda docstring)", round(i, 4), published["i_4dp"], 0)
check("Moran_Rate round(p, 4) (esda docstring)", round(stats.norm.sf(z), 4), published["p_normality_one_sided_4dp"], 0)
print("all checks agree" if failures == 0 else f"{failures} failed")
sys.exit(1 if failures else 0)
