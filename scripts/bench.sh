#!/usr/bin/env bash
# Times synth build --format json on generated 100k- and 1M-extract workbooks
# beside the floor (unzip -p of the sheet XML) and excelize's Rows(), in the
# same run on the same machine, and prints ratios and peak RSS.
#
#   scripts/bench.sh                 # 100000 and 1000000 rows
#   scripts/bench.sh 100000          # only 100k
#   RUNS=5 scripts/bench.sh 100000   # best of 5
#   BOMBS=0 scripts/bench.sh         # without the zip bombs
#
# Then it times synth refusing a zip bomb of each shape (benchtool bombs):
# each inflates past the default 2 GiB part limit, packed under 1000:1, and
# must be refused with the part-size message in under 10 s and 200 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v unzip >/dev/null || { echo "bench.sh needs unzip (apt-get install unzip)" >&2; exit 1; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/synth" ./cmd/synth
go build -o "$work/benchtool" ./internal/benchtool
echo "machine: $(nproc) cores, $(go version | cut -d' ' -f3-)"
for n in "${sizes[@]}"; do
  dir="$work/$n"
  "$work/benchtool" gen -rows "$n" -dir "$dir"
  skip=""
  [ "$n" -le 200000 ] || skip="-skip-excelize"
  "$work/benchtool" measure -dir "$dir" -synth "$work/synth" -runs "${RUNS:-3}" $skip
done
if [ "${BOMBS:-1}" != 0 ]; then
  "$work/benchtool" bombs -synth "$work/synth"
fi
