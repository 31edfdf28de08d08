# Reproduces tests/Analytics.Models.Tests/Epidemiology/Golden/poisson_exact_intervals.json: Garwood's
# exact limits of a Poisson count. Read by Epidemiology/PoissonIntervalTests.
# Packages: R 4.2.2 stats::poisson.test (Debian 12: r-base-core).
source("tests/reference-scripts/common.R")
g <- golden("Epidemiology/Golden/poisson_exact_intervals.json")
for (i in seq_len(nrow(g$cases))) {
  x <- g$cases$count[i]; level <- g$cases$level[i]
  check(sprintf("count %d at %g", x, level), poisson.test(x, conf.level = level)$conf.int, c(g$cases$lower[i], g$cases$upper[i]), 1e-12)
}
done()
