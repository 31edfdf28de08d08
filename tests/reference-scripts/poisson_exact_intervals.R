# Reproduces: Epidemiology/Golden/poisson_exact_intervals.json (Garwood exact Poisson limits).
# Read by:    tests/Analytics.Models.Tests/Epidemiology/PoissonIntervalTests.cs
#             (tolerance: 1e-9 relative; lower bound absolute floor 1e-12).
# Computed with: R 4.2.2 (Debian r-base-core 4.2.2), stats::poisson.test.
# Run: Rscript poisson_exact_intervals.R [path/to/tests/Analytics.Models.Tests]
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(), value = TRUE))), "compare.R"))
versions("stats")
g <- read_golden("Epidemiology/Golden/poisson_exact_intervals.json")$cases
for (k in seq_len(nrow(g))) {
  ci <- poisson.test(g$count[k], conf.level = g$level[k])$conf.int
  label <- sprintf("count %d level %.2f", g$count[k], g$level[k])
  check(paste(label, "lower"), ci[1], g$lower[k], max(1e-12, g$lower[k] * 1e-9))
  check(paste(label, "upper"), ci[2], g$upper[k], 1e-9, rel = TRUE)
}
finish()
