# Reproduces tests/Analytics.Models.Tests/Epidemiology/Golden/scotland_lip_cancer.json: exact SIR
# intervals, the Poisson-gamma (Clayton & Kaldor) fit and Moran's I of the SMR over the districts
# that have neighbours. Read by Epidemiology/IndirectStandardisationTests, PoissonGammaModelTests
# and Spatial/MoranITests.
# Packages: R 4.2.2, MASS 7.3-58.2, spdep 1.2-7, jsonlite 1.8.4 (Debian 12).
# Not reproduced here: "scan_most_likely_cluster" (SaTScan / SpatialEpi::kulldorff, not packaged by Debian).
source("tests/reference-scripts/common.R")
suppressPackageStartupMessages({ library(MASS); library(spdep) })
g <- golden("Epidemiology/Golden/scotland_lip_cancer.json")
d <- g$districts
e <- g$expected

for (k in names(e$sir_exact$by_district)) {
  i <- as.integer(k)
  t <- poisson.test(d$observed[i], d$expected[i])
  check(sprintf("SIR and exact interval, district %s", k), c(d$observed[i] / d$expected[i], t$conf.int), e$sir_exact$by_district[[k]], 1e-12)
}

fit <- glm.nb(observed ~ offset(log(expected)), data = d, control = glm.control(epsilon = 1e-14, maxit = 200))
shape <- fit$theta
mean <- exp(coef(fit)[[1]])
check("gamma prior shape (glm.nb theta)", shape, e$poisson_gamma$shape, 1e-8)
check("gamma prior mean", mean, e$poisson_gamma$prior_mean, 1e-8)
check("posterior means", (shape + d$observed) / (shape / mean + d$expected), e$poisson_gamma$posterior_mean, 1e-8)
check("P(RR > 1)", pgamma(1, shape + d$observed, shape / mean + d$expected, lower.tail = FALSE), e$poisson_gamma$probability_rr_above_1, 1e-8)

nb <- as_nb(d$neighbours)  # 0-based row indices, as the golden stores them
connected <- card(nb) > 0
smr <- d$observed / d$expected
m <- moran.test(smr[connected], nb2listw(subset(nb, connected), style = "W"), randomisation = TRUE)
check("Moran's I of SMR, districts with neighbours", m$estimate[1], e$moran_smr_connected$i, 1e-12)
check("its variance under randomisation", m$estimate[3], e$moran_smr_connected$variance_randomisation, 1e-12)
check("its variance under normality", moran.test(smr[connected], nb2listw(subset(nb, connected), style = "W"), randomisation = FALSE)$estimate[3],
      e$moran_smr_connected$variance_normality, 1e-12)
done()
