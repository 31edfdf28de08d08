# Shared by every script here: reads a golden JSON file of tests/Analytics.Models.Tests and
# compares values recomputed by R with the ones stored, at the tolerance the C# test uses.
# A script ends with finish(), which exits non-zero when any value differs.
suppressPackageStartupMessages(library(jsonlite))

# Golden folder: first command-line argument, else the test project beside this folder.
golden_root <- function() {
  args <- commandArgs(trailingOnly = TRUE)
  if (length(args) >= 1) return(args[1])
  file.path("..", "Analytics.Models.Tests")
}

read_golden <- function(relative) {
  path <- file.path(golden_root(), relative)
  if (!file.exists(path)) stop("golden file not found: ", path, " (pass the test project folder as first argument)")
  fromJSON(path, simplifyVector = TRUE)
}

.failures <- 0
.checks <- 0

# got and want are numeric vectors of equal length; tol is absolute, or relative when rel = TRUE.
check <- function(name, got, want, tol, rel = FALSE) {
  got <- as.numeric(got); want <- as.numeric(unlist(want))
  if (length(got) != length(want)) {
    cat(sprintf("FAIL %-45s length %d, golden %d\n", name, length(got), length(want)))
    .failures <<- .failures + 1; return(invisible(FALSE))
  }
  bound <- if (rel) tol * pmax(abs(want), .Machine$double.xmin) else rep(tol, length(want))
  diff <- abs(got - want)
  ok <- all(diff <= bound)
  .checks <<- .checks + 1
  cat(sprintf("%s %-45s n=%-3d max |diff| = %.3g (tolerance %s%g)\n", if (ok) "ok  " else "FAIL",
              name, length(want), max(diff), if (rel) "relative " else "", tol))
  if (!ok) .failures <<- .failures + 1
  invisible(ok)
}

finish <- function() {
  cat(sprintf("%d checks, %d failed\n", .checks, .failures))
  quit(status = if (.failures == 0) 0 else 1)
}

versions <- function(...) {
  cat(R.version.string, "\n")
  for (p in c(...)) cat(sprintf("  %s %s\n", p, as.character(packageVersion(p))))
}
