# Reproduces: reference values written directly in tests (no golden file):
#   Spatial/FalseDiscoveryRateTests.cs  p.adjust(..., "BH")                  (12 decimals)
#   Modelling/PoissonGlmTests.cs        StandardNormalTests: normal quantiles (1e-8; the test cites
#                                       scipy.stats.norm.ppf, python_crosschecks.py's SciPy agrees)
#   Spatial/GetisOrdTests.cs            two-sided p-values 2 * pnorm(-|z|)   (1e-6)
# Computed with: R 4.2.2, stats only.
# Run: Rscript values_in_tests.R
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(), value = TRUE))), "compare.R"))
versions("stats")
check("p.adjust BH", p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.5, 0.04), "BH"),
      c(0.030, 0.048, 0.048, 0.030, 0.500, 0.048), 5e-13)
p <- c(0.975, 0.995, 0.9977272727272727, 0.01, 0.5, 1e-6)
check("qnorm (StandardNormalTests)", qnorm(p),
      c(1.959963984540054, 2.5758293035489004, 2.8375969129437872, -2.3263478740408408, 0.0, -4.753424308822899), 1e-8)
check("2 pnorm(-|z|) (GetisOrdTests)", 2 * pnorm(-abs(c(2.5, -3, 1))), c(0.0124193, 0.0026998, 0.3173105), 1e-6)
finish()
