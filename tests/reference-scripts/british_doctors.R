# Reproduces tests/Analytics.Models.Tests/Modelling/Golden/british_doctors_smoking.json: the Poisson
# GLM of coronary deaths on age, age², smoking and smoking × age with log person-years as offset
# (Dobson & Barnett, 3rd ed., section 9.2). Read by Modelling/PoissonRiskModelTests.
# Packages: R 4.2.2 stats::glm (Debian 12: r-base-core).
source("tests/reference-scripts/common.R")
g <- golden("Modelling/Golden/british_doctors_smoking.json")
d <- g$rows
d$agesq <- d$agecat^2
d$smkage <- d$smoke * d$agecat
fit <- glm(deaths ~ agecat + agesq + smoke + smkage + offset(log(person_years)), family = poisson, data = d,
           control = glm.control(epsilon = 1e-14, maxit = 100))
# The test compares to 8 decimals (Assert.Equal precision 8); the golden's digits come from statsmodels.
check("coefficients", coef(fit), g$expected$coefficients, 5e-9)
check("standard errors", sqrt(diag(vcov(fit))), g$expected$standard_errors, 5e-9)
check("deviance", deviance(fit), g$expected$deviance, 5e-9)
done()
