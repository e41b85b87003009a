#!/usr/bin/env python3
"""Regenerates Tests/GitOpsKitTests/PatchStrategicMergeOracle.swift with the real kubectl as the oracle.

Usage: scripts/gen-smp-oracle.py Tests/GitOpsKitTests/PatchStrategicMergeOracle.swift (needs kubectl on PATH; runs in a temp dir)
"""
import json, os, subprocess, sys, tempfile
TARGET = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
os.chdir(tempfile.mkdtemp())
deploy = {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web","tier":"fe"},"finalizers":["a","b"],
  "ownerReferences":[{"apiVersion":"v1","kind":"X","name":"o1","uid":"u1"},{"apiVersion":"v1","kind":"X","name":"o2","uid":"u2"}]},
  "spec":{"replicas":2,"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}},
   "selector":{"matchLabels":{"app":"web"}},
   "template":{"metadata":{"labels":{"app":"web"}},"spec":{
     "containers":[{"name":"a","image":"a:1","args":["x","y"],"env":[{"name":"E1","value":"1"},{"name":"E2","value":"2"}],
        "ports":[{"containerPort":80,"name":"http"},{"containerPort":443,"name":"https"}],"volumeMounts":[{"name":"v1","mountPath":"/v1"}],
        "resources":{"limits":{"cpu":"1"}}},
       {"name":"b","image":"b:1"},{"name":"c","image":"c:1"}],
     "volumes":[{"name":"v1","emptyDir":{}},{"name":"v2","configMap":{"name":"cm"}}],
     "imagePullSecrets":[{"name":"s1"}],
     "tolerations":[{"key":"k1","operator":"Exists"}]}}}}
svc = {"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"selector":{"app":"web"},"ports":[{"name":"http","port":80,"targetPort":8080},{"name":"https","port":443}]}}
cm = {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1","b":"2"}}
C = lambda p: {"spec":{"template":{"spec":{"containers":p}}}}
cases = [
 ("containersMergeByName", deploy, C([{"name":"a","image":"a:2","env":[{"name":"E2","value":"two"},{"name":"E3","value":"3"}],"ports":[{"containerPort":8080,"name":"alt"},{"containerPort":80,"name":"web"}]},{"name":"d","image":"d:1"}])),
 ("deleteContainerItem", deploy, C([{"name":"b","$patch":"delete"}])),
 ("replaceContainerList", deploy, C([{"name":"z","image":"z"},{"$patch":"replace"}])),
 ("replaceMap", deploy, {"metadata":{"labels":{"$patch":"replace","only":"this"}}}),
 ("deleteMap", deploy, {"spec":{"template":{"spec":{"containers":[{"name":"a","resources":{"$patch":"delete"}}]}}}}),
 ("nullDeletes", deploy, {"metadata":{"labels":{"tier":None,"new":"x"}},"spec":{"replicas":None}}),
 ("finalizersMerge", deploy, {"metadata":{"finalizers":["c","a"]}}),
 ("deleteFromPrimitiveList", deploy, {"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}}),
 ("setElementOrderContainers", deploy, {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"a"},{"name":"b"}]}}}}),
 ("setElementOrderWithPatch", deploy, {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"new"},{"name":"a"},{"name":"b"}],"containers":[{"name":"new","image":"n"},{"name":"a","image":"a:3"}]}}}}),
 ("setElementOrderFinalizers", deploy, {"metadata":{"$setElementOrder/finalizers":["b","c","a"],"finalizers":["c"]}}),
 ("retainKeys", deploy, {"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}),
 ("listsWithoutStrategyReplaced", deploy, {"spec":{"template":{"spec":{"containers":[{"name":"a","args":["z"]}],"tolerations":[{"key":"k2","operator":"Exists"}]}}}}),
 ("volumesAndPullSecrets", deploy, {"spec":{"template":{"spec":{"volumes":[{"name":"v2","configMap":{"name":"cm2"}},{"name":"v3","secret":{"secretName":"s"}}],"imagePullSecrets":[{"name":"s2"}]}}}}),
 ("ownerReferencesByUID", deploy, {"metadata":{"ownerReferences":[{"uid":"u2","name":"renamed"},{"uid":"u3","apiVersion":"v1","kind":"Y","name":"o3"}]}}),
 ("newListWithDirectivesDropped", {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"a"}]}}, {"spec":{"volumes":[{"name":"v","$patch":"delete"},{"name":"w","emptyDir":{},"x":None}],"containers":[{"name":"b","image":"b","env":[{"name":"E","$patch":"delete"}],"y":None}]}}),
 ("interleavedOrder", deploy, C([{"name":"c","image":"c:2"},{"name":"d"},{"name":"a","image":"a:9"}])),
 ("servicePortsByPort", svc, {"spec":{"ports":[{"port":443,"targetPort":8443},{"port":8080,"name":"alt"}]}}),
 ("configMapData", cm, {"data":{"a":None,"c":"3"},"metadata":{"annotations":{"x":"y"}}}),
 ("typeChangeReplaces", cm, {"data":"oops"}),
 ("deleteListItemsByKeyEnv", deploy, C([{"name":"a","env":[{"name":"E1","$patch":"delete"}],"$setElementOrder/env":[{"name":"E2"}]}])),
 ("scalarMergeDedup", deploy, {"metadata":{"finalizers":["b","b","d"]}}),
 ("retainKeysVolumes", deploy, {"spec":{"template":{"spec":{"volumes":[{"name":"v2","$retainKeys":["name","secret"],"secret":{"secretName":"s"}}]}}}}),
 ("deleteFromMissingPrimitiveList", cm, {"metadata":{"$deleteFromPrimitiveList/finalizers":["x"]}}),
 ("setElementOrderPrimitivesOnly", deploy, {"metadata":{"$setElementOrder/finalizers":["b","a"]}}),
 ("servicePortsReplace", svc, {"spec":{"ports":[{"$patch":"replace"},{"port":9090}]}}),
 ("envValueFromMerge", deploy, C([{"name":"a","env":[{"name":"E1","valueFrom":{"secretKeyRef":{"name":"s","key":"k"}},"value":None}]}])),
 ("topLevelReplace", cm, {"$patch":"replace","apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"z":"1"}}),
 ("deleteNonexistentItem", deploy, C([{"name":"nope","$patch":"delete"}])),
 ("addToEmptyOriginalList", {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[]}}, {"spec":{"containers":[{"name":"a","image":"a"}]}}),
 ("nullInsideNewMap", cm, {"metadata":{"labels":{"a":"1","b":None}}}),
 ("replaceStrategyPDBSelector", {"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"p"},"spec":{"selector":{"matchLabels":{"a":"1"}},"minAvailable":1}}, {"spec":{"selector":{"matchExpressions":[{"key":"b","operator":"Exists"}]}}}),
]
errors = [
 ("missingMergeKey", deploy, C([{"image":"nokey"}])),
 ("unknownPatchType", deploy, {"metadata":{"labels":{"$patch":"frob"}}}),
 ("mergeDirectiveInList", deploy, C([{"$patch":"merge"}])),
 ("retainKeysNotList", deploy, {"spec":{"strategy":{"$retainKeys":"type","type":"Recreate"}}}),
 ("retainKeysMissingKey", deploy, {"spec":{"strategy":{"$retainKeys":["rollingUpdate"],"type":"Recreate"}}}),
 ("setElementOrderMismatch", deploy, {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"a"}],"containers":[{"name":"b","image":"q"}]}}}}),
 ("mixedListTypes", deploy, {"metadata":{"finalizers":[1]}}),
 ("deleteItemWithoutKey", deploy, C([{"$patch":"delete","image":"x"}])),
 ("setElementOrderNotList", deploy, {"metadata":{"$setElementOrder/finalizers":"a"}}),
 ("badDeleteFromPrimitiveListKey", deploy, {"metadata":{"$deleteFromPrimitiveList":["a"]}}),
]
out = {"ok": [], "err": []}
def run(obj, patch):
    open("obj.json","w").write(json.dumps(obj))
    r = subprocess.run(["kubectl","patch","--local","-f","obj.json","--type","strategic","-p",json.dumps(patch),"-o","json"],capture_output=True,text=True)
    return r
for name, obj, patch in cases:
    r = run(obj, patch)
    if r.returncode != 0:
        print("UNEXPECTED ERROR", name, r.stderr, file=sys.stderr); continue
    out["ok"].append({"name":name,"original":obj,"patch":patch,"expected":json.loads(r.stdout)})
for name, obj, patch in errors:
    r = run(obj, patch)
    if r.returncode == 0:
        print("UNEXPECTED SUCCESS", name, r.stdout[:300], file=sys.stderr); continue
    out["err"].append({"name":name,"original":obj,"patch":patch,"error":r.stderr.strip()})
lines = ["// Generated by scripts/gen-smp-oracle.py from `kubectl patch --local --type strategic -o json` (kubectl v1.32):",
         "// each case's `expected` (or `error`, without kubectl's \"error: \" prefix) is what kubectl printed for `patch`",
         "// applied to `original`. Do not edit by hand.", "", "enum StrategicMergeOracle {"]
for name, key in (("cases", "ok"), ("errors", "err")):
    items = []
    for c in out[key]:
        c = dict(c)
        if "error" in c and c["error"].startswith("error: "):
            c["error"] = c["error"][len("error: "):]
        items.append(json.dumps(c, sort_keys=True, separators=(",", ":")))
    lines += ["    static let %s = #\"\"\"" % name, "[", ",\n".join(items), "]", "\"\"\"#", ""]
lines[-1] = "}"
open(TARGET or "PatchStrategicMergeOracle.swift", "w").write("\n".join(lines) + "\n")
