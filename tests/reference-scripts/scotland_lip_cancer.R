# Reproduces: Epidemiology/Golden/scotland_lip_cancer.json, "expected": sir_exact, poisson_gamma,
#             moran_smr_connected and scan_most_likely_cluster.
# Read by:    tests/Analytics.Models.Tests/Epidemiology/StandardisationTests.cs (SIR: value 1e-12,
#             limits 1e-9), PoissonGammaModelTests.cs (shape and prior mean 1e-7 relative, posterior
#             mean 1e-6 relative, P(RR > 1) 1e-6), Spatial/MoranITests.cs (I 1e-12, moments 1e-14),
#             Spatial/ScanStatisticTests.cs (same districts and cases, expected and LLR 1e-9).
# Computed with: R 4.2.2, MASS 7.3-58.2, spdep 1.2-7 (Debian r-cran-mass, r-cran-spdep).
#             The golden's scan came from a brute-force Python script; the same definition is
#             written again below in R.
# Data: the districts stored in the golden (observed, expected, population, centroids, GeoBUGS adjacency).
#       With a second argument, the path of geodaData's scotlips.geojson (spatialanalysis/geodaData,
#       data-raw/, CC0), the golden's observed counts, AFF, population and centroids are first
#       checked against that file (centroid: area-weighted, of the polygon rings, in metres).
# Run: Rscript scotland_lip_cancer.R [path/to/tests/Analytics.Models.Tests [path/to/scotlips.geojson]]
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(), value = TRUE))), "compare.R"))
suppressPackageStartupMessages({ library(MASS); library(spdep) })
versions("MASS", "spdep")
g <- read_golden("Epidemiology/Golden/scotland_lip_cancer.json")
d <- g$districts
e <- g$expected

geojson <- commandArgs(trailingOnly = TRUE)[2]
if (!is.na(geojson)) {
  suppressPackageStartupMessages(library(sf))
  map <- st_read(geojson, quiet = TRUE)
  map <- map[order(map$DISTRICT), ]
  st_crs(map) <- 27700 # the file has no CRS member; its coordinates are British National Grid metres
  check("geojson CANCER == observed", map$CANCER, d$observed, 0)
  check("geojson AFF == aff_pct", map$AFF, d$aff_pct, 0)
  check("geojson POP == population", map$POP, d$population, 0)
  centroids <- st_coordinates(st_centroid(st_geometry(map)))
  check("geojson centroids (rounded to the metre)", round(centroids), cbind(d$x, d$y), 0)
}

# Exact SIR limits: Garwood limits of O divided by E.
for (k in names(e$sir_exact$by_district)) {
  i <- as.integer(k)
  t <- poisson.test(d$observed[i], d$expected[i])
  want <- e$sir_exact$by_district[[k]]
  check(paste("sir_exact district", k, "SIR"), t$estimate, want[1], 1e-12)
  check(paste("sir_exact district", k, "limits"), t$conf.int, want[2:3], 1e-9)
}

# Poisson-gamma (negative binomial) by marginal maximum likelihood.
nb <- glm.nb(observed ~ offset(log(expected)), data = d, control = glm.control(epsilon = 1e-14, maxit = 200))
shape <- nb$theta
prior_mean <- exp(coef(nb)[1])
pg <- e$poisson_gamma
check("poisson_gamma shape", shape, pg$shape, 1e-7, rel = TRUE)
check("poisson_gamma prior_mean", prior_mean, pg$prior_mean, 1e-7, rel = TRUE)
rate <- shape / prior_mean
check("poisson_gamma posterior_mean", (shape + d$observed) / (rate + d$expected), pg$posterior_mean, 1e-6, rel = TRUE)
check("poisson_gamma probability_rr_above_1",
      pgamma(1, shape + d$observed, rate + d$expected, lower.tail = FALSE), pg$probability_rr_above_1, 1e-6)

# Moran's I of O/E on the 53 districts that have neighbours (islands removed).
adjacency <- lapply(d$neighbours, function(v) if (length(v) == 0) 0L else sort(as.integer(v) + 1L))
adjacency <- structure(adjacency, class = "nb", region.id = as.character(d$district))
connected <- card(adjacency) > 0
smr <- d$observed / d$expected
listw <- nb2listw(subset(adjacency, connected), style = "W")
mr <- moran.test(smr[connected], listw, randomisation = TRUE)
mn <- moran.test(smr[connected], listw, randomisation = FALSE)
m <- e$moran_smr_connected
check("moran_smr_connected areas", sum(connected), m$areas, 0)
check("moran_smr_connected i", mr$estimate[1], m$i, 1e-12)
check("moran_smr_connected expected", mr$estimate[2], m$expected, 1e-14)
check("moran_smr_connected variance_randomisation", mr$estimate[3], m$variance_randomisation, 1e-14)
check("moran_smr_connected variance_normality", mn$estimate[3], m$variance_normality, 1e-14)

# Kulldorff (1997) circular scan, Poisson model, from the definition: circles centred on each
# centroid grow by nearest centroids (ties enter together) while the window holds at most half
# the population; expected counts are scaled to the observed total.
total <- sum(d$observed)
scaled <- d$expected * total / sum(d$expected)
llr <- function(c, ex) if (c <= ex) 0 else c * log(c / ex) + (total - c) * log((total - c) / (total - ex))
windows <- list()
for (centre in seq_len(nrow(d))) {
  dist2 <- (d$x - d$x[centre])^2 + (d$y - d$y[centre])^2
  for (r in sort(unique(dist2))) {
    members <- which(dist2 <= r)
    if (sum(d$population[members]) > sum(d$population) / 2) break
    c <- sum(d$observed[members]); ex <- sum(scaled[members])
    windows[[length(windows) + 1]] <- list(centre = centre, members = members, cases = c, expected = ex, llr = llr(c, ex))
  }
}
windows <- windows[order(-sapply(windows, `[[`, "llr"))]
best <- windows[[1]]
s <- e$scan_most_likely_cluster
check("scan centre district", best$centre, s$centre_district, 0)
check("scan districts", sort(best$members), sort(s$districts), 0)
check("scan cases", best$cases, s$cases, 0)
check("scan expected", best$expected, s$expected, 1e-9)
check("scan log_likelihood_ratio", best$llr, s$log_likelihood_ratio, 1e-9)
# Secondary clusters: the best windows overlapping no window reported before them.
taken <- best$members
secondary <- list()
for (w in windows[-1]) {
  if (length(secondary) == nrow(s$next_non_overlapping)) break
  if (w$llr > 0 && !any(w$members %in% taken)) { secondary[[length(secondary) + 1]] <- w; taken <- c(taken, w$members) }
}
for (k in seq_len(nrow(s$next_non_overlapping))) {
  check(paste("scan secondary", k, "centre"), secondary[[k]]$centre, s$next_non_overlapping$centre_district[k], 0)
  check(paste("scan secondary", k, "districts"), sort(secondary[[k]]$members), unlist(s$next_non_overlapping$districts[k]), 0)
  check(paste("scan secondary", k, "cases"), secondary[[k]]$cases, s$next_non_overlapping$cases[k], 0)
  check(paste("scan secondary", k, "log_likelihood_ratio"), secondary[[k]]$llr, s$next_non_overlapping$log_likelihood_ratio[k], 1e-9)
}
finish()
