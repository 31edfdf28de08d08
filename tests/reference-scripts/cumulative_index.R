# Reproduces: Indices/Golden/ces_hand_example.json, "expected" (CalEnviroScreen 4.0 scoring steps
#             on six territories: indicator percentiles, component scores, burden, characteristics,
#             scaled scores, score and its percentile). The golden was worked by hand ("working");
#             this script redoes each step in base R from the same definitions.
# Read by:    tests/Analytics.Models.Tests/Indices/CumulativeIndexTests.cs (|diff| < 1e-9, same missing values).
# Computed with: R 4.2.2, base R only.
# Run: Rscript cumulative_index.R [path/to/tests/Analytics.Models.Tests]
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(), value = TRUE))), "compare.R"))
versions("base")
g <- read_golden("Indices/Golden/ces_hand_example.json")
ind <- g$indicators
# Values: numbers, null or "suppressed"; anything not a number is missing.
values <- t(sapply(g$territories$values, function(v) suppressWarnings(as.numeric(v))))

# Percentile: 100 x (average rank - 1) / (n - 1) over territories with a value; low is worse reverses.
percentile <- function(x, higher_is_worse) {
  ok <- !is.na(x)
  out <- rep(NA_real_, length(x))
  r <- rank(if (higher_is_worse) x[ok] else -x[ok], ties.method = "average")
  out[ok] <- 100 * (r - 1) / (sum(ok) - 1)
  out
}
pct <- sapply(seq_len(nrow(ind)), function(j) percentile(values[, j], ind$higher_is_worse[j]))

# Component score: mean of its indicators' percentiles, kept when at least half are present.
components <- c("Exposures", "EnvironmentalEffects", "SensitivePopulations", "SocioeconomicFactors")
comp <- sapply(components, function(cname) {
  cols <- pct[, ind$component == cname, drop = FALSE]
  present <- rowSums(!is.na(cols))
  ifelse(present >= ncol(cols) / 2 & present > 0, rowMeans(cols, na.rm = TRUE), NA)
})
burden <- (comp[, 1] + comp[, 2] / 2) / 1.5
characteristics <- (comp[, 3] + comp[, 4]) / 2
burden_score <- 10 * burden / max(burden, na.rm = TRUE)
characteristics_score <- 10 * characteristics / max(characteristics, na.rm = TRUE)
score <- burden_score * characteristics_score
score_percentile <- percentile(score, TRUE)

e <- g$expected
num <- function(x) as.numeric(sapply(x, function(v) if (is.null(v)) NA else v))
same_missing <- function(name, got, want) {
  want <- num(want)
  if (!identical(is.na(got), is.na(want))) {
    cat("FAIL", name, "missing values differ\n"); .failures <<- .failures + 1
  }
  check(name, got[!is.na(got)], want[!is.na(want)], 1e-9)
}
same_missing("percentiles", as.vector(t(pct)), unlist(lapply(e$percentiles, num)))
same_missing("components", as.vector(t(comp)), unlist(lapply(e$components, num)))
for (field in c("burden", "characteristics", "burden_score", "characteristics_score", "score", "score_percentile"))
  same_missing(field, get(field), e[[field]])
finish()
