# Reproduces tests/Analytics.Models.Tests/Epidemiology/Golden/down_syndrome_by_birth_order.json:
# directly standardised rates with Fay & Feuer's gamma interval (epitools::ageadjust.direct, written
# out below because Debian does not package epitools) and Dobson's interval. Standard population:
# the births of all birth orders in each maternal-age stratum. Read by Epidemiology/DirectStandardisationTests.
# Packages: R 4.2.2 stats (Debian 12: r-base-core).
source("tests/reference-scripts/common.R")
g <- golden("Epidemiology/Golden/down_syndrome_by_birth_order.json")
births <- do.call(rbind, g$birth_orders$births)
cases <- do.call(rbind, g$birth_orders$cases)
standard <- colSums(births)
w <- standard / sum(standard)
for (k in seq_len(nrow(births))) {
  n <- births[k, ]; d <- cases[k, ]
  dsr <- sum(w * d / n); var <- sum(w^2 * d / n^2); wm <- max(w / n)
  fay <- c(dsr, qgamma(0.025, shape = dsr^2 / var, scale = var / dsr),
           qgamma(0.975, shape = (dsr + wm)^2 / (var + wm^2), scale = (var + wm^2) / (dsr + wm))) * 1e5
  check(sprintf("Fay-Feuer, birth order %s", g$birth_orders$order[k]), fay, g$expected$fay_feuer_full_precision$by_order[k, ], 1e-9)
  check(sprintf("Fay-Feuer published (1 decimal), order %s", g$birth_orders$order[k]), round(fay, 1), g$expected$fay_feuer_published$by_order[k, ], 1e-9)
  o <- sum(d)
  limits <- c(qchisq(0.025, 2 * o) / 2, qchisq(0.975, 2 * o + 2) / 2)
  se <- sqrt(var / o)
  dobson <- c(o, dsr * 1e5, (dsr + se * (limits - o)) * 1e5, sqrt(var) * 1e5)
  check(sprintf("Dobson, birth order %s", g$birth_orders$order[k]), dobson, g$expected$dobson$by_order[k, ], 1e-8)
}
done()
