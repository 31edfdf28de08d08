#!/bin/sh
# Runs every R reference script and the Python cross-checks against the goldens of tests/Analytics.Models.Tests and stops at
# the first one whose recomputed values differ from the stored ones. Not run in CI.
# Usage: tests/reference-scripts/run-all.sh [path/to/tests/Analytics.Models.Tests]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
golden=${1:-$here/../Analytics.Models.Tests}
for script in poisson_exact_intervals.R british_doctors_glm.R down_syndrome_standardisation.R \
              scotland_lip_cancer.R nc_sids_spdep.R fairlearn_user_guide.R cumulative_index.R \
              values_in_tests.R; do
  printf '== %s\n' "$script"
  # Keep the whole output when a script fails, its last line otherwise.
  if ! out=$(Rscript "$here/$script" "$golden" 2>&1); then printf '%s\n' "$out"; exit 1; fi
  printf '%s\n' "$out" | tail -n 1
done
# The Python checks (SciPy, statsmodels, libpysal from Debian: the system interpreter).
python=${PYTHON:-/usr/bin/python3}
for script in python_crosschecks.py nc_sids_libpysal.py; do
  printf '== %s (%s)\n' "$script" "$python"
  if ! out=$("$python" "$here/$script" "$golden" 2>&1); then printf '%s\n' "$out"; exit 1; fi
  printf '%s\n' "$out" | tail -n 1
done
echo "all reference scripts agree with the goldens"
