"""Writes a synth project of N coded extracts with a spreadsheet library
other than synth's own generator, so that scripts/bench.sh also times synth
on workbooks it did not write:

    python3 scripts/bench_gen.py N DIR openpyxl    # inline strings, as
                                                  # openpyxl's write-only
                                                  # mode writes them
    python3 scripts/bench_gen.py N DIR xlsxwriter  # a shared-string table
    python3 scripts/bench_gen.py N DIR openpyxl 60 180  # texts of 60-180
                                                  # words (about 700
                                                  # characters), not 15-45

DIR gets synth.yaml, codebook.yaml (40 codes, 10 descriptive themes, 2
analytical themes) and extracts.xlsx with the columns Study, Extract, Codes
(1-3 codes joined by "; "), ID, Type, Page (a number) and Coder, one row per
extract. Texts are 15-45 words; the random seed is fixed, so a run is
repeatable."""
import os
import random
import sys

n, out, writer = int(sys.argv[1]), sys.argv[2], sys.argv[3]
fewest, most = (int(sys.argv[4]), int(sys.argv[5])) if len(sys.argv) > 5 else (15, 45)
codes = ("Anxiety,Bereavement,Carer role,Confidence,Continuity,Coping,Cost,Cultural fit,"
         "Debt,Dependency,Digital exclusion,Employment,Empowerment,Ending support,Feeling heard,"
         "Friendship,GP referral,Health literacy,Hope,Housing,Language,Loneliness,"
         "Long-term condition,Low mood,Mismatch of activity,Motivation,Pain,Peer support,"
         "Physical activity,Routine,Safety,Self-referral,Sense of purpose,Sleep,Stigma,Transport,"
         "Trust in link worker,Volunteering,Waiting times,Weight").split(",")
words = ("the patient said link worker group felt alone again support helped me garden walk "
         "every week nobody knew what to do waiting months doctor referral confidence came back "
         "slowly friends cafe volunteer routine money worries & <it> was \"fine\"").split()

os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "synth.yaml"), "w") as f:
    f.write("version: 1\ntitle: Benchmark (%s)\nextracts:\n  - file: extracts.xlsx\n"
            "    columns: {location: Page}\n" % writer)
with open(os.path.join(out, "codebook.yaml"), "w") as f:
    f.write("version: 1\nthemes:\n")
    for a in range(2):
        f.write("  - name: Analytical theme %d\n    themes:\n" % (a + 1))
        for d in range(5):
            names = ", ".join(codes[a * 20 + d * 4:a * 20 + d * 4 + 4])
            f.write("      - name: Descriptive theme %d.%d\n        codes: [%s]\n" % (a + 1, d + 1, names))

rnd = random.Random(20261201)
head = ["Study", "Extract", "Codes", "ID", "Type", "Page", "Coder"]


def rows():
    for i in range(n):
        text = " ".join(rnd.choice(words) for _ in range(rnd.randint(fewest, most)))
        yield ["Study %02d" % rnd.randint(1, 19), text[0].upper() + text[1:] + ".",
               "; ".join(rnd.sample(codes, rnd.randint(1, 3))), "X%07d" % (i + 1),
               rnd.choice(["participant", "author"]), rnd.randint(1, 30), rnd.choice(["AH", "MW"])]


path = os.path.join(out, "extracts.xlsx")
if writer == "openpyxl":
    import openpyxl
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Extracts")
    ws.append(head)
    for row in rows():
        ws.append(row)
    wb.save(path)
elif writer == "xlsxwriter":
    import xlsxwriter
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Extracts")
    ws.write_row(0, 0, head)
    for r, row in enumerate(rows(), 1):
        ws.write_row(r, 0, row)
    wb.close()
else:
    sys.exit("bench_gen.py: the writer is openpyxl or xlsxwriter, not %r" % writer)
