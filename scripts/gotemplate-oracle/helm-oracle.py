#!/usr/bin/env python3
"""oracle.py CASES.json [VALUES.yaml] -> JSON list of {"out": str} or {"err": str}; each case is a template snippet
rendered by helm as `include "sN" .` (so <no value> survives) and read back through toJson."""
import json, subprocess, sys, tempfile, os, re
HELM = "/work/main/.tools/bin/helm"

def render(snippets, values, direct=False):
    d = tempfile.mkdtemp(dir="/tmp/oracle")
    os.makedirs(d + "/chart/templates")
    open(d + "/chart/Chart.yaml", "w").write("apiVersion: v2\nname: c\nversion: 0.1.0\n")
    if values is not None:
        open(d + "/chart/values.yaml", "w").write(values)
    if direct:
        open(d + "/chart/templates/t.yaml", "w").write(snippets[0])
    else:
        tpl = "".join('{{define "s%d"}}%s{{end}}' % (i, s) for i, s in enumerate(snippets))
        open(d + "/chart/templates/_s.tpl", "w").write(tpl)
        open(d + "/chart/templates/t.yaml", "w").write("".join('o%d: {{ include "s%d" .Values | toJson }}\n' % (i, i) for i in range(len(snippets))))
    p = subprocess.run([HELM, "template", "x", d + "/chart"], capture_output=True, text=True)
    subprocess.run(["rm", "-rf", d])
    if p.returncode != 0:
        return None, p.stderr.strip()
    if direct:
        return p.stdout, None
    out = {}
    for line in p.stdout.splitlines():
        m = re.match(r"^o(\d+): (.*)$", line)
        if m:
            out[int(m.group(1))] = json.loads(m.group(2))
    return [out[i] for i in range(len(snippets))], None

cases = json.load(open(sys.argv[1]))
values = open(sys.argv[2]).read() if len(sys.argv) > 2 else None
def classify(e):
    e = e.split("\n\nUse --debug")[0]
    if e.startswith("Error: "):
        e = e[len("Error: "):]
    marker = "error calling include: "
    if e.startswith("parse error"):
        return {"perr": e}
    if marker in e:
        return {"err": e[e.index(marker) + len(marker):]}
    return {"other": e}

res, err = render(cases, values)
if res is None:
    res = []
    for c in cases:
        r, e = render([c], values)
        res.append({"out": r[0]} if r is not None else classify(e))
else:
    res = [{"out": r} for r in res]
json.dump(res, sys.stdout, indent=1, ensure_ascii=False)
