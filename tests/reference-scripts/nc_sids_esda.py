"""Reproduces the PySAL/esda values of Spatial/Golden/nc_sids.json, "expected.published_esda_moran_sidr74"
and "expected.published_esda_moran_rate_sid79" (the Moran and Moran_Rate docstrings of esda's moran.py,
'SIDS example replicating OpenGeoda'), read by tests/Analytics.Models.Tests/Spatial/MoranITests.cs.

Needs: esda and libpysal (libpysal's bundled 'sids2' example: sids2.dbf, sids2.gal). Debian packages
python3-libpysal but not esda, and PyPI was not reachable here: this script was not run. nc_sids_spdep.R
reproduces the same values with spdep on the same GeoDa weights, and was run.
Run: python3 nc_sids_esda.py   (exit status 1 when a value differs)
"""
import sys

import esda
import libpysal
import numpy as np

w = libpysal.io.open(libpysal.examples.get_path("sids2.gal")).read()
f = libpysal.io.open(libpysal.examples.get_path("sids2.dbf"))
sidr74 = np.array(f.by_col("SIDR74"))
sid79 = np.array(f.by_col("SID79"))
bir79 = np.array(f.by_col("BIR79"))

m = esda.moran.Moran(sidr74, w)                      # row-standardised by default
mr = esda.moran.Moran_Rate(sid79, bir79, w, two_tailed=False)
checks = [
    ("Moran SIDR74 round(I, 3)", round(m.I, 3), 0.248, 0),
    ("Moran SIDR74 p_norm (two-sided)", m.p_norm, 0.0001158330781489969, 1e-13),
    ("Moran_Rate SID79 round(I, 4)", round(mr.I, 4), 0.1662, 0),
    ("Moran_Rate SID79 round(p_norm, 4) (one-sided)", round(mr.p_norm, 4), 0.0042, 0),
]
failures = 0
for name, got, want, tol in checks:
    ok = abs(got - want) <= tol
    failures += not ok
    print("ok  " if ok else "FAIL", name, got, want)
sys.exit(1 if failures else 0)
