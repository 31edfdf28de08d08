# Shared by the reference scripts: read a golden file of tests/Analytics.Models.Tests and compare
# a value computed here with the one it stores. Run from the repository root:
#   Rscript tests/reference-scripts/<script>.R
suppressPackageStartupMessages(library(jsonlite))

golden <- function(path) fromJSON(file.path("tests/Analytics.Models.Tests", path), simplifyVector = TRUE)

failures <- 0L
check <- function(what, computed, stored, tolerance) {
  computed <- as.numeric(unlist(computed)); stored <- as.numeric(unlist(stored))
  # Absolute below 1, relative above: a count's limit near 1,000 is compared to its 15th digit, not its 12th decimal.
  gap <- if (length(computed) != length(stored)) Inf else max(abs(computed - stored) / pmax(1, abs(stored)))
  ok <- is.finite(gap) && gap <= tolerance
  cat(sprintf("%-4s %-55s largest gap %.3g (tolerance %.0g)\n", if (ok) "ok" else "FAIL", what, gap, tolerance))
  if (!ok) failures <<- failures + 1L
}
done <- function() {
  cat(sprintf("R %s; %d check(s) failed\n", getRversion(), failures))
  quit(status = if (failures == 0L) 0L else 1L)
}

# A neighbour list (0-based indices in row order, as the goldens store them) as an spdep nb object.
as_nb <- function(lists) {
  nb <- lapply(lists, function(n) if (length(n) == 0) 0L else sort(as.integer(n) + 1L))
  class(nb) <- "nb"
  attr(nb, "region.id") <- as.character(seq_along(nb))
  nb
}
