# Reproduces: Modelling/Golden/british_doctors_smoking.json, "expected" (Poisson GLM with offset:
#             coefficients, standard errors, deviance; Dobson & Barnett 2008, section 9.2.1).
# Read by:    tests/Analytics.Models.Tests/Modelling/PoissonGlmTests.cs
#             (Assert.Equal(..., 8): 8 decimal places, i.e. |diff| < 5e-9).
# Computed with: R 4.2.2 (Debian r-base-core), stats::glm. The golden cites statsmodels 0.13.5
#             as its cross-check; R's glm is the same maximum-likelihood fit.
# Run: Rscript british_doctors_glm.R [path/to/tests/Analytics.Models.Tests]
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(), value = TRUE))), "compare.R"))
versions("stats")
g <- read_golden("Modelling/Golden/british_doctors_smoking.json")
d <- g$rows
d$agesq <- d$agecat^2
d$smkage <- d$smoke * d$agecat
fit <- glm(deaths ~ agecat + agesq + smoke + smkage + offset(log(person_years)),
           family = poisson, data = d, control = glm.control(epsilon = 1e-14, maxit = 100))
print(summary(fit)$coefficients)
check("coefficients", coef(fit), g$expected$coefficients, 5e-9)
check("standard_errors", sqrt(diag(vcov(fit))), g$expected$standard_errors, 5e-9)
check("deviance", deviance(fit), g$expected$deviance, 5e-9)
finish()
