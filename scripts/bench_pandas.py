"""What a reviewer would run instead of synth: read the extracts sheet with
pandas.read_excel (openpyxl engine) and count extracts per code and study.
Run by scripts/bench.sh through benchtool measure; prints the number of
(code, study) pairs and the codings counted."""
import sys

import pandas as pd

d = pd.read_excel(sys.argv[1], sheet_name="Extracts", engine="openpyxl")
long = d.assign(Code=d["Codes"].str.split(";")).explode("Code")
long["Code"] = long["Code"].str.strip()
# An extract counts once per code, however often its cell repeats the code.
long = long[long["Code"] != ""].reset_index().drop_duplicates(["index", "Code"])
n = long.groupby(["Code", "Study"]).size()
print(len(n), int(n.sum()))
