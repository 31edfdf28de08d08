"""The Python cross-checks the goldens cite, run again:
- Modelling/Golden/british_doctors_smoking.json: statsmodels GLM(Poisson, offset) coefficients,
  standard errors, deviance (read by Modelling/PoissonGlmTests.cs, 8 decimals);
- Epidemiology/Golden/poisson_exact_intervals.json: scipy.stats.chi2.ppf Garwood limits
  (Epidemiology/PoissonIntervalTests.cs, 1e-9 relative);
- Epidemiology/Golden/down_syndrome_by_birth_order.json, "dobson": the Dobson et al. (1991)
  interval, which the golden took from SciPy (Epidemiology/StandardisationTests.cs, 1e-9 / 1e-7);
- Epidemiology/Golden/scotland_lip_cancer.json, "poisson_gamma": negative binomial marginal
  maximum likelihood by scipy.optimize (Epidemiology/PoissonGammaModelTests.cs, 1e-7 relative).
Versions: Python 3.11, SciPy 1.10.1, statsmodels 0.13.5, NumPy 1.24 (Debian bookworm python3-scipy,
python3-statsmodels). Golden folder: first argument, default ../Analytics.Models.Tests.
Run: /usr/bin/python3 python_crosschecks.py [path/to/tests/Analytics.Models.Tests]   (exit status 1 when a value differs)
"""
import json
import os
import sys

import numpy as np
import statsmodels.api as sm
from scipy import optimize, special, stats

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Analytics.Models.Tests")
failures = 0


def golden(relative):
    with open(os.path.join(root, relative)) as f:
        return json.load(f)


def check(name, got, want, tol, rel=False):
    global failures
    got, want = np.atleast_1d(np.asarray(got, float)), np.atleast_1d(np.asarray(want, float))
    bound = tol * np.abs(want) if rel else tol
    diff = np.abs(got - want)
    ok = bool(np.all(diff <= bound))
    failures += not ok
    print(f"{'ok  ' if ok else 'FAIL'} {name:45s} max |diff| = {diff.max():.3g} (tolerance {'relative ' if rel else ''}{tol:g})")


# British doctors: Poisson GLM with log person-years offset.
g = golden("Modelling/Golden/british_doctors_smoking.json")
rows = g["rows"]
age = np.array([r["agecat"] for r in rows], float)
smoke = np.array([r["smoke"] for r in rows], float)
X = np.column_stack([np.ones_like(age), age, age ** 2, smoke, smoke * age])
fit = sm.GLM(np.array([r["deaths"] for r in rows], float), X, family=sm.families.Poisson(),
             offset=np.log([r["person_years"] for r in rows])).fit(tol=1e-14)
check("british doctors coefficients", fit.params, g["expected"]["coefficients"], 5e-9)
check("british doctors standard errors", fit.bse, g["expected"]["standard_errors"], 5e-9)
check("british doctors deviance", fit.deviance, g["expected"]["deviance"], 5e-9)

# Garwood exact limits.
for c in golden("Epidemiology/Golden/poisson_exact_intervals.json")["cases"]:
    x, a = c["count"], 1 - c["level"]
    lower = 0.0 if x == 0 else stats.chi2.ppf(a / 2, 2 * x) / 2
    upper = stats.chi2.ppf(1 - a / 2, 2 * x + 2) / 2
    check(f"garwood {x} at {c['level']}", [lower, upper], [c["lower"], c["upper"]], 1e-9, rel=True)

# Dobson interval of a directly standardised rate (per 100,000).
g = golden("Epidemiology/Golden/down_syndrome_by_birth_order.json")
births = np.array([o["births"] for o in g["birth_orders"]], float)
cases = np.array([o["cases"] for o in g["birth_orders"]], float)
w = births.mean(axis=0) / births.mean(axis=0).sum()
for k, want in enumerate(g["expected"]["dobson"]["by_order"]):
    dsr = np.sum(w * cases[k] / births[k])
    var = np.sum((w / births[k]) ** 2 * cases[k])
    o = cases[k].sum()
    lo, hi = stats.chi2.ppf(0.025, 2 * o) / 2, stats.chi2.ppf(0.975, 2 * o + 2) / 2
    check(f"dobson order {k + 1} rate", 1e5 * dsr, want[1], 1e-9)
    check(f"dobson order {k + 1} limits", 1e5 * (dsr + np.sqrt(var / o) * np.array([lo - o, hi - o])), want[2:4], 1e-7)
    check(f"dobson order {k + 1} standard error", 1e5 * np.sqrt(var), want[4], 1e-9)

# Poisson-gamma: maximise the negative binomial marginal likelihood over (log shape, log mean).
g = golden("Epidemiology/Golden/scotland_lip_cancer.json")
obs = np.array([d["observed"] for d in g["districts"]], float)
exp_ = np.array([d["expected"] for d in g["districts"]], float)


def negative_log_likelihood(p):
    shape, mean = np.exp(p)
    rate = shape / mean
    return -np.sum(special.gammaln(shape + obs) - special.gammaln(shape) - special.gammaln(obs + 1)
                   + shape * np.log(rate / (rate + exp_)) + obs * np.log(exp_ / (rate + exp_)))


p = optimize.minimize(negative_log_likelihood, [0.0, 0.0], method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-12}).x
p = optimize.minimize(negative_log_likelihood, p, method="BFGS", options={"gtol": 1e-10}).x
shape, mean = np.exp(p)
check("poisson-gamma shape", shape, g["expected"]["poisson_gamma"]["shape"], 1e-7, rel=True)
check("poisson-gamma prior mean", mean, g["expected"]["poisson_gamma"]["prior_mean"], 1e-7, rel=True)

print("all cross-checks agree" if failures == 0 else f"{failures} failed")
sys.exit(1 if failures else 0)
