# Expected values of tests/it/coding.rs: yes/no outcomes coded otherwise than by default (1/2, a cut-off on a
# score) and numbers that are categories, on real data sets (tests/oracles/make_coding_files.py).
#
#   Rscript tests/oracles/coding_oracle.R > tests/data/expected/coding.tsv
#
# Output: one figure a line, "key<TAB>value" with %.17g. Proportions in percent, as the report gives them.

dir <- file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))), "..", "data", "coding")
out <- function(key, x) cat(sprintf("%s\t%.17g\n", key, x))
prop <- function(prefix, k, n) {
  out(paste0(prefix, ".events"), k)
  out(paste0(prefix, ".n"), n)
  out(paste0(prefix, ".percent"), 100 * k / n)
  w <- prop.test(k, n, correct = FALSE)$conf.int
  out(paste0(prefix, ".wilson.lower"), 100 * w[1])
  out(paste0(prefix, ".wilson.upper"), 100 * w[2])
  cp <- binom.test(k, n)$conf.int
  out(paste0(prefix, ".cp.lower"), 100 * cp[1])
  out(paste0(prefix, ".cp.upper"), 100 * cp[2])
}

# ovarian: residual disease present = resid.ds 2; by treatment arm rx (1, 2).
ov <- read.csv(file.path(dir, "ovarian.csv"))
yes <- ov$resid.ds == 2
prop("ovarian.overall", sum(yes), nrow(ov))
for (arm in 1:2) prop(paste0("ovarian.rx", arm), sum(yes[ov$rx == arm]), sum(ov$rx == arm))
out("ovarian.fisher_p", fisher.test(table(factor(ov$rx), yes))$p.value)

# licorice_gargle: sore throat = throat pain on the first morning > 0 (2 missing); by treat (0 sugar, 1 licorice).
lg <- read.csv(file.path(dir, "licorice_gargle.csv"))
known <- !is.na(lg$pod1am_throatPain)
sore <- lg$pod1am_throatPain > 0
prop("licorice.overall", sum(sore[known]), sum(known))
for (t in 0:1) {
  k <- known & lg$treat == t
  prop(paste0("licorice.treat", t), sum(sore[k]), sum(k))
}
out("licorice.fisher_p", fisher.test(table(lg$treat[known], sore[known]))$p.value)
# ASA class (1–3) as categories: n per arm, and Pearson's chi-square across the arms.
for (t in 0:1) for (a in 1:3) out(sprintf("licorice.asa.treat%d.%d", t, a), sum(lg$treat == t & lg$preOp_asa == a))
cs <- suppressWarnings(chisq.test(table(lg$treat, lg$preOp_asa), correct = FALSE))
out("licorice.asa.chisq", cs$statistic)
out("licorice.asa.df", cs$parameter)
out("licorice.asa.p", cs$p.value)
