# Reproduces tests/Analytics.Models.Tests/Spatial/Golden/nc_sids.json, "expected"."spdep",
# read by Spatial/MoranITests, LocalMoranTests, GetisOrdTests and EmpiricalBayesTests.
# Packages: R 4.2.2, spdep 1.2-7, jsonlite 1.8.4 (Debian 12: r-base-core, r-cran-spdep, r-cran-jsonlite).
# Data: the 100 counties and neighbour lists stored in the golden itself (Cressie 1993 counts;
# queen contiguity identical to spdep::poly2nb on spData's nc.shp; GeoDa's sids2.gal).
source("tests/reference-scripts/common.R")
suppressPackageStartupMessages(library(spdep))
g <- golden("Spatial/Golden/nc_sids.json")
e <- g$expected$spdep
c <- g$counties
queen <- as_nb(g$queen)
W <- nb2listw(queen, style = "W")
B <- nb2listw(queen, style = "B")
rate74 <- 1000 * c$sid74 / c$bir74

s <- spweights.constants(B)
check("binary weights S0, S1, S2", c(s$S0, s$S1, s$S2), e$queen_binary_s0_s1_s2, 1e-9)
m <- moran.test(rate74, W, randomisation = TRUE)
check("Moran's I (W), rate74", m$estimate[1], e$moran_rate74_W$i, 1e-12)
check("variance under randomisation (W)", m$estimate[3], e$moran_rate74_W$variance_randomisation, 1e-12)
n <- moran.test(rate74, W, randomisation = FALSE)
check("variance under normality (W)", n$estimate[3], e$moran_rate74_W$variance_normality, 1e-12)
b <- moran.test(rate74, B, randomisation = TRUE)
check("Moran's I (B), rate74", b$estimate[1], e$moran_rate74_B$i, 1e-12)
set.seed(1)
check("EB Moran (B)", EBImoran.mc(c$sid74, c$bir74, B, nsim = 99)$statistic, e$ebimoran_B, 1e-12)
check("EB Moran (W)", EBImoran.mc(c$sid74, c$bir74, W, nsim = 99)$statistic, e$ebimoran_W, 1e-12)
eb <- EBest(c$sid74, c$bir74)
check("EBest estmm", eb$estmm, e$ebest_estmm, 1e-12)
check("EBest a, b", c(attr(eb, "parameters")$a, attr(eb, "parameters")$b), e$ebest_a_b, 1e-12)
check("local Moran Ii (W)", localmoran(rate74, W)[, "Ii"], e$localmoran_Ii, 1e-12)
check("local G* (binary, self included)", as.numeric(localG(rate74, nb2listw(include.self(queen), style = "B"))), e$localG_include_self, 1e-12)
check("EBlocal (geoda = TRUE) est", EBlocal(c$sid74, c$bir74, queen, geoda = TRUE)$est, e$eblocal_geoda_est, 1e-12)
sids2 <- nb2listw(as_nb(g$geoda_sids2), style = "W")
p <- moran.test(c$sidr74, sids2, randomisation = FALSE)
check("esda docstring: Moran(SIDR74, sids2.gal) I", p$estimate[1], e$geoda_sids2_sidr74_normality$i, 1e-12)
check("esda docstring: round(I, 3)", round(p$estimate[1], 3), g$expected$published_esda_moran_sidr74$i_3dp, 0)
done()
