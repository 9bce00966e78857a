"""baseline.py [--timing] BASELINE INDEX.json...: writes a verdict baseline
for "wskit conform -expect" (and serve-cases -expect) from the Autobahn
index.json of several runs of one agent, for .ci/peers.sh and
.ci/clients.sh. A case whose verdicts differ between the runs gets each
in its entry, as a list (its outcome depends on timing). With --timing,
every case that has both OK and NON-STRICT expectations and got either
accepts both (a peer that reads a whole segment before it echoes lands on
either, depending on how the runner's writes fall into segments).
"""
import json, os, sys
timing = len(sys.argv) > 1 and sys.argv[1] == "--timing"
if timing:
    sys.argv.pop(1)
order = ["OK", "NON-STRICT", "INFORMATIONAL", "UNIMPLEMENTED", "FAILED", "WRONG CODE", "UNCLEAN", "FAILED BY CLIENT"]
seen = {}
for path in sys.argv[2:]:
    (cases,) = json.load(open(path)).values()
    for i, c in cases.items():
        s = seen.setdefault(i, {"behavior": set(), "behaviorClose": set()})
        s["behavior"].add(c["behavior"])
        s["behaviorClose"].add(c["behaviorClose"])
        report = json.load(open(os.path.join(os.path.dirname(path), c["reportfile"])))
        if timing and {"OK", "NON-STRICT"} <= set(report["expected"]) and c["behavior"] in ("OK", "NON-STRICT"):
            s["behavior"] |= {"OK", "NON-STRICT"}
out = {}
for i, s in seen.items():
    out[i] = {k: (sorted(v, key=order.index) if len(v) > 1 else v.pop()) for k, v in s.items()}
with open(sys.argv[1], "w") as f:
    json.dump(out, f, indent=1, sort_keys=True)
    f.write("\n")
