# What a reviewer would run instead of synth: read the extracts sheet with
# readxl and count extracts per code and study with dplyr. Run by
# scripts/bench.sh through benchtool measure; prints the number of
# (code, study) pairs and the codings counted.
suppressPackageStartupMessages({
  library(readxl)
  library(dplyr)
})
path <- commandArgs(trailingOnly = TRUE)[1]
d <- read_excel(path, sheet = "Extracts")
codes <- strsplit(d$Codes, ";", fixed = TRUE)
long <- tibble(Row = rep(seq_len(nrow(d)), lengths(codes)), Study = rep(d$Study, lengths(codes)),
               Code = trimws(unlist(codes)))
# An extract counts once per code, however often its cell repeats the code.
n <- long %>% filter(Code != "") %>% distinct(Row, Code, .keep_all = TRUE) %>% count(Code, Study)
cat(nrow(n), sum(n$n), "\n")
