# Reproduces: Epidemiology/Golden/down_syndrome_by_birth_order.json, "expected":
#             fay_feuer_published (Fay & Feuer 1997 Table 1, 1 decimal), fay_feuer_full_precision
#             (epitools::ageadjust.direct) and dobson (Dobson et al. 1991 interval, which the golden
#             took from SciPy; here recomputed in R with the same chi-square formula).
# Read by:    tests/Analytics.Models.Tests/Epidemiology/StandardisationTests.cs
#             (rate 1e-9, limits 1e-7, standard error 1e-9; published values after rounding to 1 decimal).
# Computed with: R 4.2.2, epitools 0.5-10.1 (Debian r-cran-epitools).
# Run: Rscript down_syndrome_standardisation.R [path/to/tests/Analytics.Models.Tests]
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(), value = TRUE))), "compare.R"))
suppressPackageStartupMessages(library(epitools))
versions("epitools")
g <- read_golden("Epidemiology/Golden/down_syndrome_by_birth_order.json")
births <- do.call(rbind, g$birth_orders$births)   # 5 x 6: birth order x maternal age
cases <- do.call(rbind, g$birth_orders$cases)
standard <- colMeans(births)      # mean over the five birth orders of each age stratum

for (k in seq_len(nrow(births))) {
  label <- paste("birth order", g$birth_orders$order[k])
  ff <- ageadjust.direct(cases[k, ], births[k, ], stdpop = standard) * 1e5
  check(paste(label, "Fay-Feuer published (1 dp)"), round(ff[c("adj.rate", "lci", "uci")], 1),
        g$expected$fay_feuer_published$by_order[k, ], 0)
  precise <- g$expected$fay_feuer_full_precision$by_order[k, ]
  check(paste(label, "Fay-Feuer rate"), ff["adj.rate"], precise[1], 1e-9)
  check(paste(label, "Fay-Feuer limits"), ff[c("lci", "uci")], precise[2:3], 1e-7)

  # Dobson et al. (1991): exact limits of the total count, mapped linearly onto the rate.
  w <- standard / sum(standard)
  dsr <- sum(w * cases[k, ] / births[k, ])
  variance <- sum((w / births[k, ])^2 * cases[k, ])
  o <- sum(cases[k, ])
  o_lower <- qchisq(0.025, 2 * o) / 2
  o_upper <- qchisq(0.975, 2 * o + 2) / 2
  dob <- g$expected$dobson$by_order[k, ]
  check(paste(label, "Dobson total cases"), o, dob[1], 0)
  check(paste(label, "Dobson rate"), dsr * 1e5, dob[2], 1e-9)
  check(paste(label, "Dobson limits"), 1e5 * (dsr + sqrt(variance / o) * c(o_lower - o, o_upper - o)), dob[3:4], 1e-7)
  check(paste(label, "Dobson standard error"), 1e5 * sqrt(variance), dob[5], 1e-9)
}
finish()
