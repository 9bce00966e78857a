#!/usr/bin/env python3
"""Writes the golden reports that report_golden_test.go compares against.

An independent witness of the report format: it reads the test fixtures
(dumped by the Go test with encoding/json) and writes index.json and the
per-case reports with Python's own json module, configured as
Autobahn|Testsuite configures it (sort_keys, indent 3, separators "," and
": ", ensure_ascii), with payload previews built from the rules in
shared/reference/autobahn.md section 5. Python 3's UTF-8 decoder with
"surrogatepass" accepts exactly what Python 2's decoder accepts (encoded
surrogates included), and Python 3 sorts int keys numerically, as Python 2
does.

Regenerate (from the repository root):

  go test ./conformance/report -run TestReportGolden -args -report.dump=/tmp/fixtures.json
  python3 conformance/report/testdata/autobahn_golden.py /tmp/fixtures.json conformance/report/testdata/golden
"""
import base64
import datetime
import json
import os
import re
import sys

MAX = 64
MORE = " ..."


def raw(b64):
    return base64.b64decode(b64) if b64 else b""


def text_preview(data, n):
    n = max(n, len(data))
    dd = data[:MAX] + MORE.encode() if n > MAX - len(MORE) else data
    try:
        return dd.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return hex_preview(data, n, "0x")


def hex_preview(data, n, prefix=""):
    n = max(n, len(data))
    if n > MAX - len(MORE):
        return prefix + data[:MAX].hex() + MORE
    return prefix + data.hex()


def event(e):
    p = raw(e.get("Payload"))
    if e["Kind"] == "message":
        return ["message", text_preview(p, len(p)), e["Binary"]]
    if e["Kind"] == "pong":
        return ["pong", text_preview(p, len(p))]
    return [e["Kind"], e["Tag"]]


def null(v):
    return v if v else None


def delay(d):
    return int(d) if d == int(d) else d


def wire(e):
    k, data, n = e["Kind"], raw(e.get("Data")), e["Len"]
    mask = raw(e.get("Mask")).hex() or None
    if k == "RO":
        return [k, [n, hex_preview(data, n)]]
    if k == "TO":
        return [k, [n, hex_preview(data, n)], e["Sync"]]
    if k == "RF":
        return [k, [n, text_preview(data, n)], e["Opcode"], e["Fin"], e["Rsv"], e["Masked"], mask]
    if k == "TF":
        return [k, [n, text_preview(data, n)], e["Opcode"], e["Fin"], e["Rsv"], mask,
                null(e["RepeatLength"]), null(e["ChopSize"]), e["Sync"]]
    if k == "CT":
        return [k, delay(e["Delay"]), null(e["Tag"])]
    if k == "CTE":
        return [k, null(e["Tag"])]
    if k in ("KL", "TI"):
        return [k, delay(e["Delay"])]
    if k == "WLM":
        return [k, e["Enabled"]]
    return [k]


def stats(m):
    return {int(k): v for k, v in (m or {}).items()}


def ms(ns):
    return (ns + 500000) // 1000000 if ns >= 0 else -((-ns + 500000) // 1000000)


def started(s):
    if s.startswith("0001-01-01"):
        return None
    m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z$", s)
    frac = (m.group(2) or ".")[1:].ljust(3, "0")[:3]
    return m.group(1) + "." + frac + "Z"


def filename(agent, case_id):
    s = "".join(c if c in "abcdefghijklmnopqrstuvwxyz0123456789" else " "
                for c in "".join(ch.lower() if "A" <= ch <= "Z" else ch for ch in agent.strip()))
    return s.strip().replace(" ", "_") + "_case_" + case_id.replace(".", "_") + ".json"


def case(r):
    ec = r.get("ExpectedClose")
    expected_close = {}
    if ec:
        expected_close = {"closeCode": ec["CloseCode"] or [], "closedByMe": ec["ClosedByMe"],
                          "requireClean": ec["RequireClean"]}
        if ec["ClosedByWrongEndpointIsFatal"]:
            expected_close["closedByWrongEndpointIsFatal"] = True
    return {
        "agent": r["Agent"], "behavior": r["Behavior"], "behaviorClose": r["BehaviorClose"],
        "case": r["Index"], "closedByMe": r["ClosedByMe"], "createStats": True,
        "createWirelog": r["CreateWirelog"], "description": r["Description"],
        "droppedByMe": r["DroppedByMe"], "duration": ms(r["Duration"]),
        "expectation": r["Expectation"],
        "expected": {v: [event(e) for e in evs or []] for v, evs in (r.get("Expected") or {}).items()},
        "expectedClose": expected_close, "failedByMe": r["FailedByMe"],
        "httpRequest": r["HTTPRequest"], "httpResponse": r["HTTPResponse"], "id": r["ID"],
        "isServer": False, "localCloseCode": null(r["LocalCloseCode"]),
        "localCloseReason": null(r["LocalCloseReason"]),
        "received": [event(e) for e in r.get("Received") or []],
        "remoteCloseCode": null(r["RemoteCloseCode"]), "remoteCloseReason": null(r["RemoteCloseReason"]),
        "reportCompressionRatio": False, "reportTime": r["ReportTime"], "result": r["Result"],
        "resultClose": r["ResultClose"], "rxFrameStats": stats(r.get("RxFrameStats")),
        "rxOctetStats": stats(r.get("RxOctetStats")), "started": started(r["Started"]),
        "trafficStats": None, "txFrameStats": stats(r.get("TxFrameStats")),
        "txOctetStats": stats(r.get("TxOctetStats")), "wasClean": r["WasClean"],
        "wasCloseHandshakeTimeout": r["WasCloseHandshakeTimeout"],
        "wasNotCleanReason": null(r["WasNotCleanReason"]),
        "wasOpenHandshakeTimeout": r["WasOpenHandshakeTimeout"],
        "wasServerConnectionDropTimeout": r["WasServerConnectionDropTimeout"],
        "wirelog": [wire(e) for e in r.get("WireLog") or []],
        # wskit's additions
        "protocolErrors": r.get("ProtocolErrors") or [], "reason": r["Reason"],
        "requirements": r.get("Requirements") or [],
        "truncated": null(r.get("Truncated", "")), "wirelogDropped": r.get("WireLogDropped", 0),
    }


def dump(obj, path):
    with open(path, "w") as f:
        f.write(json.dumps(obj, sort_keys=True, indent=3, separators=(",", ": "), ensure_ascii=True))


def main():
    results = json.load(open(sys.argv[1]))
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    index = {}
    for r in results:
        name = filename(r["Agent"], r["ID"])
        index.setdefault(r["Agent"], {})[r["ID"]] = {
            "behavior": r["Behavior"], "behaviorClose": r["BehaviorClose"], "duration": ms(r["Duration"]),
            "remoteCloseCode": null(r["RemoteCloseCode"]), "reportfile": name}
        dump(case(r), os.path.join(out, name))
    dump(index, os.path.join(out, "index.json"))


main()
