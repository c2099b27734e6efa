# Reference computations for tests/oracles/survival_oracle.py (R >= 4.2, package survival 3.x;
# on Debian: apt-get install r-base-core r-cran-survival).
#
#     Rscript tests/oracles/survival_oracle.R IN OUT
#
# Not meant to be run by hand: survival_oracle.py writes IN and reads OUT. Every number crosses
# the boundary as a C99 hexadecimal float ("%a"), so both directions are bit-exact.
#
# IN, one job per line, tab-separated, lists comma-separated:
#   VERSIONS
#   DATA name                               -> lung, aml or ovarian from package survival as
#                                              time, status (0/1), group (0-based)
#   KM  name level times status query_times -> survfit(conf.type = "log" and "log-log"), and
#                                              summary(fit, times = query_times, extend = FALSE / TRUE)
#   LR  name times status groups            -> survdiff(rho = 0)
#   PO  name events person_time level       -> poisson.test(events, T, conf.level = level)
# OUT: lines "name <TAB> field <TAB> comma-separated values" (NA where R has NA or NaN).

suppressPackageStartupMessages(library(survival))

args <- commandArgs(trailingOnly = TRUE)
stopifnot(length(args) == 2)
jobs <- strsplit(readLines(args[1]), "\t", fixed = TRUE)
out <- file(args[2], open = "w")

hex <- function(x) {
  x <- as.numeric(x)
  ifelse(is.na(x), "NA", ifelse(is.infinite(x), ifelse(x > 0, "Inf", "-Inf"), sprintf("%a", x)))
}
emit <- function(name, field, x) {
  writeLines(paste(name, field, paste(hex(x), collapse = ","), sep = "\t"), out)
}
emit_text <- function(name, field, x) writeLines(paste(name, field, x, sep = "\t"), out)
num <- function(s) if (s == "") numeric(0) else as.numeric(strsplit(s, ",", fixed = TRUE)[[1]])

for (job in jobs) {
  kind <- job[1]
  if (kind == "VERSIONS") {
    emit_text("versions", "R", R.version.string)
    emit_text("versions", "survival", as.character(packageVersion("survival")))
  } else if (kind == "DATA") {
    d <- switch(job[2],
      lung = with(survival::lung, list(time, status - 1, sex - 1)),  # sex: 1 male, 2 female
      aml = with(survival::aml, list(time, status, as.integer(x) - 1)),  # Maintained first
      ovarian = with(survival::ovarian, list(futime, fustat, rx - 1)))
    emit(job[2], "time", d[[1]])
    emit(job[2], "status", d[[2]])
    emit(job[2], "group", d[[3]])
  } else if (kind == "KM") {
    name <- job[2]
    level <- as.numeric(job[3])
    time <- num(job[4])
    status <- num(job[5])
    query <- num(job[6])
    for (ct in c("log", "log-log")) {
      fit <- survfit(Surv(time, status) ~ 1, conf.type = ct, conf.int = level)
      p <- paste0(ct, ".")
      emit(name, paste0(p, "time"), fit$time)
      emit(name, paste0(p, "n.risk"), fit$n.risk)
      emit(name, paste0(p, "n.event"), fit$n.event)
      emit(name, paste0(p, "n.censor"), fit$n.censor)
      emit(name, paste0(p, "surv"), fit$surv)
      emit(name, paste0(p, "std.err.log"), fit$std.err)
      emit(name, paste0(p, "std.err"), summary(fit, censored = TRUE)$std.err)
      emit(name, paste0(p, "lower"), fit$lower)
      emit(name, paste0(p, "upper"), fit$upper)
      # print.survfit's median and CI (survmean), and quantile.survfit's for comparison.
      tab <- survival:::survmean(fit, rmean = "none")$matrix
      emit(name, paste0(p, "median"), tab[c("median", paste0(level, "LCL"), paste0(level, "UCL"))])
      q <- quantile(fit, probs = 0.5)
      emit(name, paste0(p, "quantile"), c(q$quantile, q$lower, q$upper))
      s <- tryCatch(summary(fit, times = query, extend = FALSE), error = function(e) NULL)
      if (is.null(s)) {
        emit_text(name, paste0(p, "at.time"), "")
      } else {
        emit(name, paste0(p, "at.time"), s$time)
        emit(name, paste0(p, "at.surv"), s$surv)
        emit(name, paste0(p, "at.lower"), s$lower)
        emit(name, paste0(p, "at.upper"), s$upper)
      }
      # extend = TRUE: every query time, also after the last time (S carried on; 0 once it is 0).
      s <- summary(fit, times = query, extend = TRUE)
      emit(name, paste0(p, "ext.time"), s$time)
      emit(name, paste0(p, "ext.n.risk"), s$n.risk)
      emit(name, paste0(p, "ext.surv"), s$surv)
      emit(name, paste0(p, "ext.std.err"), s$std.err)
      emit(name, paste0(p, "ext.lower"), s$lower)
      emit(name, paste0(p, "ext.upper"), s$upper)
    }
  } else if (kind == "LR") {
    name <- job[2]
    time <- num(job[3])
    status <- num(job[4])
    group <- num(job[5])
    r <- tryCatch(suppressWarnings(survdiff(Surv(time, status) ~ group)), error = function(e) conditionMessage(e))
    if (is.character(r)) {
      emit_text(name, "error", gsub("[\t\n]", " ", r))
    } else {
      df <- sum(r$exp > 0) - 1
      emit(name, "chisq", r$chisq)
      emit(name, "df", df)
      emit(name, "p", suppressWarnings(pchisq(r$chisq, df, lower.tail = FALSE)))
      emit(name, "observed", r$obs)
      emit(name, "expected", r$exp)
    }
  } else if (kind == "PO") {
    name <- job[2]
    ci <- poisson.test(as.numeric(job[3]), as.numeric(job[4]), conf.level = as.numeric(job[5]))$conf.int
    emit(name, "conf.int", ci)
  } else {
    stop("unknown job ", kind)
  }
}
close(out)
