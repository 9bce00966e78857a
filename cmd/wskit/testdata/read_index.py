#!/usr/bin/env python3
"""Reads an Autobahn|Testsuite report directory the way WebSocket projects'
CI scripts do, and exits 1 when a case failed.

    read_index.py OUTDIR

For every agent and case of OUTDIR/index.json: the case passes when its
behavior is OK, NON-STRICT or INFORMATIONAL (or UNIMPLEMENTED) and its
behaviorClose is OK or INFORMATIONAL; its "reportfile" must exist in
OUTDIR and hold the same verdicts, the same "id" and the agent. Prints one
line per agent ("agent: N cases, M failed") and one per failed case.
Written for wskit's tests, in the manner of the scripts gws, tungstenite
and coder use with Autobahn's own reports; it knows nothing of wskit.
"""
import json
import os
import sys

PASS = {"OK", "NON-STRICT", "INFORMATIONAL", "UNIMPLEMENTED"}
PASS_CLOSE = {"OK", "INFORMATIONAL"}


def main():
    outdir = sys.argv[1]
    with open(os.path.join(outdir, "index.json")) as f:
        index = json.load(f)
    failed = 0
    for agent in sorted(index):
        cases = index[agent]
        bad = []
        for case_id, entry in sorted(cases.items()):
            for key in ("behavior", "behaviorClose", "duration", "remoteCloseCode", "reportfile"):
                if key not in entry:
                    raise SystemExit("%s %s: no %r in index.json" % (agent, case_id, key))
            with open(os.path.join(outdir, entry["reportfile"])) as f:
                detail = json.load(f)
            if (detail["id"], detail["agent"], detail["behavior"], detail["behaviorClose"]) != (
                case_id, agent, entry["behavior"], entry["behaviorClose"]):
                raise SystemExit("%s %s: %s disagrees with index.json" % (agent, case_id, entry["reportfile"]))
            if entry["behavior"] not in PASS or entry["behaviorClose"] not in PASS_CLOSE:
                bad.append("  %s %s/%s" % (case_id, entry["behavior"], entry["behaviorClose"]))
        print("%s: %d cases, %d failed" % (agent, len(cases), len(bad)))
        for line in bad:
            print(line)
        failed += len(bad)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
