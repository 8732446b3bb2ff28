#!/usr/bin/env bash
# Times synth build --format json on generated workbooks of coded extracts
# (into an empty folder, and again over its own last output) beside the
# floor (unzip -p of the sheet XML), synth's reader alone,
# excelize's Rows(), and what a reviewer would use instead: R readxl + dplyr
# and Python pandas.read_excel (openpyxl), each counting extracts per code
# and study. Commands run interleaved, RUNS times, in the same run on the
# same machine (the page cache synced to disk before each, untimed); it
# prints median (min–max) times, ratios to the floor of the
# same run, and peak RSS.
#
#   scripts/bench.sh                       # 100000 and 1000000 rows
#   scripts/bench.sh 10000 100000 300000   # any sizes (the cost curve)
#   RUNS=3 scripts/bench.sh 100000         # 3 runs instead of 5
#   BOMBS=0 scripts/bench.sh               # without the zip bombs
#   LAYOUTS="shared inline" scripts/bench.sh  # the rows' text in the
#                                          # shared-string table (Excel's
#                                          # way, the default) and/or inline
#                                          # in the sheet XML (excelize's)
#   LAYOUTS="openpyxl xlsxwriter" scripts/bench.sh  # workbooks written by
#                                          # another program: Python's
#                                          # openpyxl (inline strings) or
#                                          # XlsxWriter (a shared-string
#                                          # table), by scripts/bench_gen.py
#   LAYOUTS="openpyxl-long xlsxwriter-long" scripts/bench.sh 1000000
#                                          # the same with texts of 60-180
#                                          # words (about 700 characters),
#                                          # not 15-45: memory must not grow
#                                          # with the texts' length
#
# R (r-cran-readxl, r-cran-dplyr) and pandas (python3-pandas) are installed
# with apt-get when missing and possible, else skipped with a message; they,
# like excelize, are timed only up to 300,000 rows.
#
# Then it times the worked example, every format (7 runs), and synth
# refusing a zip bomb of each shape (benchtool bombs):
# each inflates past the default 2 GiB part limit, packed under 1000:1, and
# must be refused with the part-size message in under 10 s and 200 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v unzip >/dev/null || { echo "bench.sh needs unzip (apt-get install unzip)" >&2; exit 1; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)

have_r() { command -v Rscript >/dev/null && Rscript -e 'library(readxl); library(dplyr)' >/dev/null 2>&1; }
have_pandas() { /usr/bin/python3 -c 'import pandas, openpyxl' 2>/dev/null; }
have_writer() { /usr/bin/python3 -c "import $1" 2>/dev/null; }
need=()
have_r || need+=(r-cran-readxl r-cran-dplyr)
have_pandas || need+=(python3-pandas python3-openpyxl)
case " ${LAYOUTS:-} " in *" xlsxwriter "* | *" xlsxwriter-long "*) have_writer xlsxwriter || need+=(python3-xlsxwriter) ;; esac
if [ ${#need[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "installing: ${need[*]}"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null) \
      || echo "could not install ${need[*]}"
  else
    echo "cannot install ${need[*]} (needs apt-get as root)"
  fi
fi
others=()
if have_r; then others+=(-readxl scripts/bench_readxl.R); else echo "skipping R readxl + dplyr: not installed"; fi
if have_pandas; then others+=(-pandas scripts/bench_pandas.py); else echo "skipping pandas: not installed"; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/synth" ./cmd/synth
go build -o "$work/benchtool" ./internal/benchtool
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(go version | cut -d' ' -f3-), load $(cut -d' ' -f1-3 /proc/loadavg)"
for layout in ${LAYOUTS:-shared}; do
  for n in "${sizes[@]}"; do
    dir="$work/$n"
    case "$layout" in
      shared|inline)
        flags=()
        [ "$layout" = inline ] && flags=(-inline)
        echo "layout: $layout strings"
        "$work/benchtool" gen -rows "$n" -dir "$dir" "${flags[@]}"
        ;;
      openpyxl|xlsxwriter|openpyxl-long|xlsxwriter-long)
        words=()
        case "$layout" in *-long) words=(60 180) ;; esac
        if ! have_writer "${layout%-long}"; then
          echo "skipping layout $layout: Python's $layout is not installed"
          continue
        fi
        if [ ${#words[@]} -gt 0 ]; then
          echo "layout: written by ${layout%-long} (scripts/bench_gen.py), texts of ${words[0]}-${words[1]} words"
          /usr/bin/python3 scripts/bench_gen.py "$n" "$dir" "${layout%-long}" "${words[@]}"
        else
          echo "layout: written by $layout (scripts/bench_gen.py)"
          /usr/bin/python3 scripts/bench_gen.py "$n" "$dir" "$layout"
        fi
        ;;
      *)
        echo "bench.sh: unknown layout $layout (shared, inline, openpyxl, xlsxwriter, openpyxl-long, xlsxwriter-long)" >&2
        exit 1
        ;;
    esac
    skip=()
    [ "$n" -le 300000 ] || skip=(-skip-others)
    "$work/benchtool" measure -dir "$dir" -synth "$work/synth" -runs "${RUNS:-5}" "${skip[@]}" "${others[@]}"
    rm -rf "$dir"
  done
done
# The worked example, every format, as the README's first command builds it.
TIMEFORMAT=%R
for i in 1 2 3 4 5 6 7; do
  { time "$work/synth" build testdata/social-prescribing --out "$work/example" -q; } 2>>"$work/example.times"
done
sort -n "$work/example.times" | awk '{t[NR]=$1} END {printf "worked example, every format, 7 runs: median %.2f s (%.2f s–%.2f s)\n", t[4], t[1], t[NR]}'
if [ "${BOMBS:-1}" != 0 ]; then
  "$work/benchtool" bombs -synth "$work/synth"
fi
