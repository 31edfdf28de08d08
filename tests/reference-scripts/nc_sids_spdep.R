# Reproduces: Spatial/Golden/nc_sids.json, "expected.spdep" (Moran's I, EB Moran, EBest, EBlocal,
#             local Moran, local G) and the PySAL/esda values of "expected.published_esda_*",
#             which R reproduces on the same GeoDa weights (sids2.gal).
# Read by:    tests/Analytics.Models.Tests/Spatial/MoranITests.cs, LocalMoranTests.cs,
#             GetisOrdTests.cs, SpatialWeightsTests.cs, NorthCarolinaSids.cs and
#             Epidemiology/EmpiricalBayesRatesTests.cs (tolerances repeated on each check below).
# Computed with: R 4.2.2, spdep 1.2-7, sf 1.0-9 (Debian r-base-core, r-cran-spdep, r-cran-sf).
# Data: the counts and neighbour lists stored in the golden itself; the queen list is checked
#       against spdep::poly2nb on sf's own copy of nc.shp (system.file("shape/nc.shp", package = "sf")).
# Run: Rscript nc_sids_spdep.R [path/to/tests/Analytics.Models.Tests]
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(), value = TRUE))), "compare.R"))
suppressPackageStartupMessages({ library(spdep); library(sf) })
versions("spdep", "sf")
g <- read_golden("Spatial/Golden/nc_sids.json")
e <- g$expected$spdep
d <- g$counties

as_nb <- function(lists) {
  nb <- lapply(lists, function(v) if (length(v) == 0) 0L else sort(as.integer(v) + 1L))
  structure(nb, class = "nb", region.id = as.character(seq_along(nb)))
}
queen <- as_nb(g$queen)
geoda <- as_nb(g$geoda_sids2)

# The golden's queen list is spdep's own on the published geometry.
nc <- st_read(system.file("shape/nc.shp", package = "sf"), quiet = TRUE)
stopifnot(identical(as.character(nc$FIPS), d$fips))
from_shape <- poly2nb(nc)
same <- all(mapply(function(a, b) identical(sort(as.integer(a)), sort(as.integer(b))), from_shape, queen))
cat(if (same) "ok  " else "FAIL", "queen list of the golden == poly2nb(nc.shp)\n")
if (!same) .failures <- .failures + 1
check("counts == nc.shp BIR74/SID74/BIR79/SID79",
      c(nc$BIR74, nc$SID74, nc$BIR79, nc$SID79), c(d$bir74, d$sid74, d$bir79, d$sid79), 0)

B <- nb2listw(queen, style = "B")
W <- nb2listw(queen, style = "W")
sc <- spweights.constants(B)
check("queen_binary_s0_s1_s2 (exact)", c(sc$S0, sc$S1, sc$S2), e$queen_binary_s0_s1_s2, 0)

rate74 <- 1000 * d$sid74 / d$bir74
mr <- moran.test(rate74, W, randomisation = TRUE, alternative = "two.sided")
mn <- moran.test(rate74, W, randomisation = FALSE, alternative = "two.sided")
m <- e$moran_rate74_W
check("moran_rate74_W i", mr$estimate[1], m$i, 1e-12)
check("moran_rate74_W expected", mr$estimate[2], m$expected, 1e-14)
check("moran_rate74_W variance_randomisation", mr$estimate[3], m$variance_randomisation, 1e-14)
check("moran_rate74_W variance_normality", mn$estimate[3], m$variance_normality, 1e-14)
check("moran_rate74_W z_randomisation", mr$statistic, m$z_randomisation, 1e-10)
check("moran_rate74_W p_randomisation_two_sided", mr$p.value, m$p_randomisation_two_sided, 1e-12)
check("moran_rate74_W z_normality", mn$statistic, m$z_normality, 1e-10)
check("moran_rate74_W p_normality_two_sided", mn$p.value, m$p_normality_two_sided, 1e-12)
mb <- moran.test(rate74, B, randomisation = TRUE)
check("moran_rate74_B i", mb$estimate[1], e$moran_rate74_B$i, 1e-12)
check("moran_rate74_B variance_randomisation", mb$estimate[3], e$moran_rate74_B$variance_randomisation, 1e-14)

set.seed(1) # the statistic does not depend on the permutations
check("ebimoran_B", suppressMessages(EBImoran.mc(d$sid74, d$bir74, B, nsim = 99))$statistic, e$ebimoran_B, 1e-12)
check("ebimoran_W", suppressMessages(EBImoran.mc(d$sid74, d$bir74, W, nsim = 99))$statistic, e$ebimoran_W, 1e-12)

eb <- EBest(d$sid74, d$bir74)
check("ebest_estmm", eb$estmm, e$ebest_estmm, 1e-14)
p <- attr(eb, "parameters")
check("ebest_a (prior variance)", p$a, e$ebest_a_b[1], 1e-18)
check("ebest_b (prior mean)", p$b, e$ebest_a_b[2], 1e-15)
check("eblocal_geoda_est", EBlocal(d$sid74, d$bir74, queen, geoda = TRUE)$est, e$eblocal_geoda_est, 1e-14)

check("localmoran_Ii", localmoran(rate74, W)[, "Ii"], e$localmoran_Ii, 1e-12)
check("localG_include_self", as.numeric(localG(rate74, nb2listw(include.self(queen), style = "B"))),
      e$localG_include_self, 1e-11)

# PySAL esda docstring values, on GeoDa's sids2.gal weights.
Wg <- nb2listw(geoda, style = "W")
gs <- moran.test(d$sidr74, Wg, randomisation = FALSE, alternative = "two.sided")
check("geoda_sids2_sidr74 i", gs$estimate[1], e$geoda_sids2_sidr74_normality$i, 1e-12)
check("geoda_sids2_sidr74 variance_normality", gs$estimate[3], e$geoda_sids2_sidr74_normality$variance_normality, 1e-14)
check("geoda_sids2_sidr74 p_two_sided", gs$p.value, e$geoda_sids2_sidr74_normality$p_two_sided, 1e-13)
pub <- g$expected$published_esda_moran_sidr74
check("esda published round(I, 3)", round(gs$estimate[1], 3), pub$i_3dp, 0)
check("esda published p_norm", gs$p.value, pub$p_normality_two_sided, 1e-13)

# Assuncao-Reis EB standardised rates of SID79 (esda assuncao_rate, spdep EBImoran), normality test.
b <- sum(d$sid79) / sum(d$bir79)
r <- d$sid79 / d$bir79
a <- sum(d$bir79 * (r - b)^2) / sum(d$bir79) - b / mean(d$bir79)
v <- a + b / d$bir79
v[v < 0] <- b / d$bir79[v < 0]
z <- (r - b) / sqrt(v)
ge <- moran.test(z, Wg, randomisation = FALSE, alternative = "greater")
check("geoda_sids2_eb_sid79 i", ge$estimate[1], e$geoda_sids2_eb_sid79_normality$i, 1e-12)
check("geoda_sids2_eb_sid79 p_one_sided", ge$p.value, e$geoda_sids2_eb_sid79_normality$p_one_sided, 1e-12)
pub <- g$expected$published_esda_moran_rate_sid79
check("esda published round(I, 4)", round(ge$estimate[1], 4), pub$i_4dp, 0)
check("esda published round(p_norm, 4)", round(ge$p.value, 4), pub$p_normality_one_sided_4dp, 0)
finish()
