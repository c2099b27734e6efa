# R side of tests/oracles/compare_oracle.py: evaluates every case with base R (stats package).
#
#   Rscript tests/oracles/compare_oracle.R <values.bin> <cases.tsv> <out.tsv>
#
# values.bin: all input vectors, concatenated little-endian float64 (read bit-exactly).
# cases.tsv:  one case a line, tab-separated: kind, id, then integer/real arguments (see below).
# out.tsv:    one line a case: id, "ok" or "error", then key=value pairs printed with %.17g
#             (or the R error message). The Python script owns the JSON; this only computes.
#
# Run by compare_oracle.py; not meant to be called by hand.

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 3L) stop("usage: compare_oracle.R values.bin cases.tsv out.tsv")
size <- file.info(args[1])$size
con <- file(args[1], "rb")
values <- readBin(con, "double", n = size / 8, size = 8, endian = "little")
close(con)
lines <- readLines(args[2])
out <- character(length(lines))

vec <- function(off, n) if (n == 0) numeric(0) else values[(off + 1):(off + n)]
fmt <- function(...) {
  kv <- list(...)
  paste(sprintf("%s=%.17g", names(kv), unlist(kv)), collapse = "\t")
}
groups_of <- function(a) {
  k <- a[1]
  lapply(seq_len(k), function(i) vec(a[2 * i], a[2 * i + 1]))
}

run <- function(kind, a) {
  switch(kind,
    shapiro = {
      r <- shapiro.test(vec(a[1], a[2]))
      fmt(w = unname(r$statistic), p = r$p.value)
    },
    welch = {
      r <- t.test(vec(a[1], a[2]), vec(a[3], a[4]), conf.level = a[5])
      fmt(difference = unname(r$estimate[1] - r$estimate[2]),
          lower = r$conf.int[1], upper = r$conf.int[2],
          t = unname(r$statistic), df = unname(r$parameter), p = r$p.value)
    },
    mannwhitney = {
      r <- suppressWarnings(wilcox.test(vec(a[1], a[2]), vec(a[3], a[4])))
      exact <- if (grepl("exact", r$method)) 1 else 0
      fmt(w = unname(r$statistic), p = r$p.value, exact = exact)
    },
    anova = {
      g <- groups_of(a)
      y <- unlist(g)
      f <- factor(rep(seq_along(g), lengths(g)))
      tab <- suppressWarnings(anova(lm(y ~ f)))
      res <- fmt(statistic = tab[["F value"]][1], df = tab[["Df"]][1],
                 df2 = tab[["Df"]][2], p = tab[["Pr(>F)"]][1])
      # oneway.test refuses groups of fewer than 2; where it runs it must agree with aov.
      ow <- tryCatch(oneway.test(y ~ f, var.equal = TRUE), error = function(e) NULL)
      if (!is.null(ow)) {
        res <- paste(res, fmt(oneway_statistic = unname(ow$statistic),
                              oneway_p = ow$p.value), sep = "\t")
      }
      res
    },
    kruskal = {
      r <- kruskal.test(groups_of(a))
      fmt(statistic = unname(r$statistic), df = unname(r$parameter), p = r$p.value)
    },
    fisher = {
      m <- matrix(a[1:4], nrow = 2, byrow = TRUE)
      fmt(p = fisher.test(m)$p.value)
    },
    newcombe = {
      # Newcombe (1998) method 10: Wilson score intervals of each proportion, combined.
      k1 <- a[1]; n1 <- a[2]; k2 <- a[3]; n2 <- a[4]; level <- a[5]
      z <- qnorm(1 - (1 - level) / 2)
      wilson <- function(k, n) {
        p <- k / n
        centre <- (p + z^2 / (2 * n)) / (1 + z^2 / n)
        half <- z / (1 + z^2 / n) * sqrt(p * (1 - p) / n + z^2 / (4 * n^2))
        c(centre - half, centre + half)
      }
      p1 <- k1 / n1; p2 <- k2 / n2
      w1 <- wilson(k1, n1); w2 <- wilson(k2, n2)
      d <- p1 - p2
      lower <- d - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2)
      upper <- d + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2)
      fmt(difference = 100 * d, lower = 100 * lower, upper = 100 * upper)
    },
    chisq = {
      nr <- a[1]; nc <- a[2]
      m <- matrix(a[3:(2 + nr * nc)], nrow = nr, byrow = TRUE)
      r <- suppressWarnings(chisq.test(m))
      yates <- if (grepl("Yates", r$method)) 1 else 0
      fmt(statistic = unname(r$statistic), df = unname(r$parameter), p = r$p.value,
          yates = yates)
    },
    stop("unknown kind ", kind)
  )
}

for (i in seq_along(lines)) {
  f <- strsplit(lines[i], "\t", fixed = TRUE)[[1]]
  a <- as.numeric(f[-(1:2)])
  res <- tryCatch(paste("ok", run(f[1], a), sep = "\t"),
                  error = function(e) paste("error", gsub("[\t\n]", " ", conditionMessage(e)), sep = "\t"))
  out[i] <- paste(f[2], res, sep = "\t")
}
writeLines(out, args[3])
