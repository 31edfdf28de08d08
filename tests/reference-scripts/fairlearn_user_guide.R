# Reproduces: the Fairlearn user-guide values hard-coded in
#             tests/Analytics.Models.Tests/Fairness/FairlearnExampleTests.cs (MetricFrame.by_group,
#             MetricFrame.ratio(), demographic parity ratio and difference, precision by group), on
#             the arrays of "Performing a Fairness Assessment" (fairlearn docs, commit 0881dec6).
#             The values were taken from Fairlearn's printed output; fairlearn_user_guide.py asks
#             Fairlearn itself. This script recounts them in base R from the definitions.
# Read by:    FairlearnExampleTests.cs (6 decimal places for printed values, 12 for exact fractions).
# Computed with: R 4.2.2, base R only.
# Run: Rscript fairlearn_user_guide.R
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(), value = TRUE))), "compare.R"))
versions("base")
y_true <- c(0, 1, 1, 1, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1)
y_pred <- c(0, 0, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0)
sf <- c("b", "b", "a", "b", "b", "c", "c", "c", "a", "a", "c", "a", "b", "c", "c", "b", "c", "c")
by_group <- sapply(c("a", "b", "c"), function(s) {
  t <- y_true[sf == s]; p <- y_pred[sf == s]
  c(tpr = sum(t & p) / sum(t), fpr = sum(!t & p) / sum(!t), sel = mean(p), count = length(t),
    precision = sum(t & p) / sum(p))
})
print(by_group)
# mf.by_group as printed in the user guide (tpr, fpr, selection rate, count).
check("by_group a", by_group[1:4, "a"], c(0.5, 1.000000, 0.75, 4), 5e-7)
check("by_group b", by_group[1:4, "b"], c(0.6, 0.000000, 0.50, 6), 5e-7)
check("by_group c", by_group[1:4, "c"], c(0.4, 0.666667, 0.50, 8), 5e-7)
# mf.ratio(): smallest over largest group value of each metric.
ratio <- apply(by_group[1:3, ], 1, function(v) min(v) / max(v))
check("ratio tpr, fpr, sel", ratio, c(0.666667, 0.000000, 0.666667), 5e-7)
check("demographic_parity_difference", max(by_group["sel", ]) - min(by_group["sel", ]), 0.25, 5e-13)
check("precision by group (hand count)", by_group["precision", ], c(1 / 3, 1, 0.5), 5e-13)
finish()
