#!/usr/bin/env python3
"""Generates Sources/GitOpsKit/Patch/BuiltInSchemas.swift: patch strategies, merge keys, list types and atomic
struct/map markers of the built-in Kubernetes kinds, read from the Go type definitions (struct tags
`patchStrategy`/`patchMergeKey` and the `+listType`, `+listMapKey`, `+structType`, `+mapType` markers).

Usage: scripts/gen-builtin-schemas.py API_REPO APIMACHINERY_REPO [API_REF] [APIMACHINERY_REF] > out.swift
  API_REPO: a git checkout (or bare mirror) of k8s.io/api; APIMACHINERY_REPO: of k8s.io/apimachinery.
  Refs default to v0.32.13 and v0.32.0 (the kubectl 1.32 the tests use as an oracle).

Only what changes behaviour is emitted: a struct appears when it (transitively) holds a merge list, a non-atomic
list type or an atomic struct/map; everything else is "untyped" to the Swift side, which behaves the same
(objects merge key by key, lists are replaced / owned whole).
"""
import json
import re
import subprocess
import sys

API, MACHINERY = sys.argv[1], sys.argv[2]
API_REF = sys.argv[3] if len(sys.argv) > 3 else "v0.32.13"
MACHINERY_REF = sys.argv[4] if len(sys.argv) > 4 else "v0.32.0"

# Go package path -> (repo, ref, file)
PACKAGES = {
    "k8s.io/apimachinery/pkg/apis/meta/v1": (MACHINERY, MACHINERY_REF, "pkg/apis/meta/v1/types.go"),
}
for p in ["core/v1", "apps/v1", "batch/v1", "networking/v1", "rbac/v1", "coordination/v1", "policy/v1",
          "autoscaling/v1", "autoscaling/v2", "events/v1", "storage/v1", "scheduling/v1", "discovery/v1",
          "node/v1", "admissionregistration/v1", "certificates/v1"]:
    PACKAGES["k8s.io/api/" + p] = (API, API_REF, p + "/types.go")

# Types whose JSON form is a scalar (custom marshallers) or free-form.
SCALAR_TYPES = {
    ("k8s.io/apimachinery/pkg/apis/meta/v1", "Time"), ("k8s.io/apimachinery/pkg/apis/meta/v1", "MicroTime"),
    ("k8s.io/apimachinery/pkg/apis/meta/v1", "Duration"), ("k8s.io/apimachinery/pkg/api/resource", "Quantity"),
    ("k8s.io/apimachinery/pkg/util/intstr", "IntOrString"),
}
UNTYPED_TYPES = {
    ("k8s.io/apimachinery/pkg/runtime", "RawExtension"), ("k8s.io/apimachinery/pkg/apis/meta/v1", "FieldsV1"),
}
SCALAR_PACKAGES = {"k8s.io/apimachinery/pkg/types"}
GO_SCALARS = {"string", "bool", "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32",
              "uint64", "float32", "float64", "byte"}

# (group, version, kind) -> (package, Go type). The kinds the emulator and the clients patch.
ROOTS = []
def roots(group, version, pkg, kinds):
    for k in kinds:
        ROOTS.append((group, version, k, "k8s.io/api/" + pkg, k))
roots("", "v1", "core/v1", ["Pod", "PodTemplate", "ReplicationController", "Service", "Endpoints", "Namespace",
                              "ConfigMap", "Secret", "ServiceAccount", "PersistentVolume", "PersistentVolumeClaim",
                              "Node", "LimitRange", "ResourceQuota", "Event"])
roots("apps", "v1", "apps/v1", ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ControllerRevision"])
roots("batch", "v1", "batch/v1", ["Job", "CronJob"])
roots("networking.k8s.io", "v1", "networking/v1", ["Ingress", "IngressClass", "NetworkPolicy"])
roots("rbac.authorization.k8s.io", "v1", "rbac/v1", ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"])
roots("coordination.k8s.io", "v1", "coordination/v1", ["Lease"])
roots("policy", "v1", "policy/v1", ["PodDisruptionBudget"])
roots("autoscaling", "v1", "autoscaling/v1", ["HorizontalPodAutoscaler"])
roots("autoscaling", "v2", "autoscaling/v2", ["HorizontalPodAutoscaler"])
roots("events.k8s.io", "v1", "events/v1", ["Event"])
roots("storage.k8s.io", "v1", "storage/v1", ["StorageClass", "CSIDriver", "CSINode", "VolumeAttachment"])
roots("scheduling.k8s.io", "v1", "scheduling/v1", ["PriorityClass"])
roots("discovery.k8s.io", "v1", "discovery/v1", ["EndpointSlice"])
roots("node.k8s.io", "v1", "node/v1", ["RuntimeClass"])
roots("admissionregistration.k8s.io", "v1", "admissionregistration/v1",
      ["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"])
roots("certificates.k8s.io", "v1", "certificates/v1", ["CertificateSigningRequest"])


def git_show(repo, ref, path):
    return subprocess.run(["git", "-C", repo, "show", f"{ref}:{path}"], check=True, capture_output=True,
                          text=True).stdout


class GoType:
    def __init__(self, pkg, name, markers):
        self.pkg, self.name, self.markers = pkg, name, markers
        self.fields = None      # list of (jsonName|None for inline, typeExpr, tags, markers) for structs
        self.underlying = None  # type expression for named non-struct types


TYPES = {}    # (pkg, name) -> GoType
IMPORTS = {}  # pkg -> {alias: pkg path}

MARKER = re.compile(r"^\s*//\s*\+(\w+)=(\S+)")


def parse_package(pkg, text):
    aliases = {}
    m = re.search(r"^import \((.*?)^\)", text, re.S | re.M)
    block = m.group(1) if m else "\n".join(re.findall(r"^import (.*)$", text, re.M))
    for line in block.splitlines():
        im = re.match(r'\s*(\w+)?\s*"([^"]+)"', line)
        if im:
            path = im.group(2)
            aliases[im.group(1) or path.rsplit("/", 1)[-1]] = path
    IMPORTS[pkg] = aliases

    lines = text.splitlines()
    markers = {}
    i = 0
    while i < len(lines):
        line = lines[i]
        mm = MARKER.match(line)
        if mm:
            markers.setdefault(mm.group(1), []).append(mm.group(2))
            i += 1
            continue
        if line.startswith("//") or not line.strip():
            if not line.strip():
                markers = {}
            i += 1
            continue
        sm = re.match(r"^type (\w+) struct \{\s*$", line)
        if sm:
            t = GoType(pkg, sm.group(1), markers)
            t.fields = []
            fmarkers = {}
            i += 1
            depth = 1
            while i < len(lines):
                fl = lines[i]
                if fl.startswith("}") and depth == 1:
                    break
                fmm = MARKER.match(fl)
                if fmm:
                    fmarkers.setdefault(fmm.group(1), []).append(fmm.group(2))
                elif fl.strip().startswith("//") or not fl.strip():
                    pass
                else:
                    fm = re.match(r"^\s*(\w+)\s+([^\s`]+)\s+`([^`]*)`", fl)
                    em = re.match(r"^\s*([\w.*]+)\s+`([^`]*)`", fl)
                    if fm:
                        tags = dict(re.findall(r'(\w+):"([^"]*)"', fm.group(3)))
                        t.fields.append((fm.group(1), fm.group(2), tags, fmarkers))
                    elif em:
                        tags = dict(re.findall(r'(\w+):"([^"]*)"', em.group(2)))
                        t.fields.append((None, em.group(1), tags, fmarkers))
                    fmarkers = {}
                i += 1
            TYPES[(pkg, t.name)] = t
            markers = {}
            i += 1
            continue
        nm = re.match(r"^type (\w+) (\S.*?)\s*(//.*)?$", line)
        if nm and not nm.group(2).startswith("struct") and not nm.group(2).startswith("interface"):
            t = GoType(pkg, nm.group(1), markers)
            t.underlying = nm.group(2)
            TYPES[(pkg, t.name)] = t
        markers = {}
        i += 1


for pkg, (repo, ref, path) in PACKAGES.items():
    parse_package(pkg, git_show(repo, ref, path))


# Node representation: ("scalar",) ("untyped",) ("object", (pkg,name)) ("map", node, atomic) ("list", node, listType)
def resolve(pkg, expr, markers):
    expr = expr.strip()
    if expr.startswith("*"):
        return resolve(pkg, expr[1:], markers)
    if expr == "[]byte":
        return ("scalar",)
    if expr.startswith("[]"):
        return ("list", resolve(pkg, expr[2:], {}), list_type(markers, None, None))
    if expr.startswith("map["):
        depth, j = 0, 3
        for j in range(3, len(expr)):
            if expr[j] == "[":
                depth += 1
            elif expr[j] == "]":
                depth -= 1
                if depth == 0:
                    break
        return ("map", resolve(pkg, expr[j + 1:], {}), "atomic" in markers.get("mapType", []))
    if expr in GO_SCALARS:
        return ("scalar",)
    if "." in expr:
        alias, name = expr.split(".", 1)
        target_pkg = IMPORTS[pkg].get(alias)
        if target_pkg is None:
            print(f"warning: unknown alias {alias} in {pkg}", file=sys.stderr)
            return ("untyped",)
    else:
        target_pkg, name = pkg, expr
    key = (target_pkg, name)
    if key in SCALAR_TYPES or target_pkg in SCALAR_PACKAGES:
        return ("scalar",)
    if key in UNTYPED_TYPES:
        return ("untyped",)
    t = TYPES.get(key)
    if t is None:
        print(f"warning: unknown type {key}, treated as untyped", file=sys.stderr)
        return ("untyped",)
    if t.fields is not None:
        return ("object", key)
    merged = dict(t.markers)
    merged.update(markers)
    return resolve(t.pkg, t.underlying, merged)


def list_type(markers, strategy, merge_key):
    lt = markers.get("listType", [None])[0]
    if lt == "atomic":
        return ("atomic",)
    if lt == "set":
        return ("set",)
    if lt == "map":
        return ("map", tuple(markers.get("listMapKey", [])))
    if strategy and "merge" in strategy.split(","):
        return ("map", (merge_key,)) if merge_key else ("set",)
    return ("atomic",)


STRUCTS = {}  # key -> {"atomic": bool, "fields": {json: (node, strategy, mergeKey, retainKeys)}}


def struct_fields(key, seen=()):
    t = TYPES[key]
    fields = {}
    for name, expr, tags, markers in t.fields:
        js = tags.get("json", "")
        jname = js.split(",")[0]
        if jname == "-":
            continue
        if jname == "" and (name is None or "inline" in js.split(",")):
            inner = resolve(t.pkg, expr, {})
            if inner[0] == "object":
                fields.update(struct_fields(inner[1]))
            continue
        strategies = [s for s in tags.get("patchStrategy", "").split(",") if s]
        retain = "retainKeys" in strategies
        strategy = next((s for s in strategies if s != "retainKeys"), None)
        merge_key = tags.get("patchMergeKey") or None
        node = resolve(t.pkg, expr, markers)
        if node[0] == "list":
            node = ("list", node[1], list_type(markers, strategy, merge_key))
        if node[0] == "object" and "atomic" in markers.get("structType", []):
            node = ("object", node[1], "atomic")
        fields[jname or name.split(".")[-1]] = (node, strategy, merge_key, retain)
    return fields


def load(key):
    if key in STRUCTS:
        return
    STRUCTS[key] = None
    t = TYPES[key]
    fields = struct_fields(key)
    STRUCTS[key] = {"atomic": "atomic" in t.markers.get("structType", []), "fields": fields}
    for node, *_ in fields.values():
        walk(node)


def walk(node):
    if node[0] == "object":
        load(node[1])
    elif node[0] in ("map", "list"):
        walk(node[1])


for g, v, k, pkg, name in ROOTS:
    load((pkg, name))

# Cycles would make the Swift side recurse forever: break back edges (none exist in the kinds above today).
def deps(node):
    if node[0] == "object":
        return [node[1]]
    if node[0] in ("map", "list"):
        return deps(node[1])
    return []


BROKEN = set()
STATE = {}


def visit(key):
    STATE[key] = "active"
    for jname, (node, *_) in STRUCTS[key]["fields"].items():
        for d in deps(node):
            if STATE.get(d) == "active":
                BROKEN.add((key, jname))
                print(f"warning: cycle through {key}.{jname}, field left untyped", file=sys.stderr)
            elif d not in STATE:
                visit(d)
    STATE[key] = "done"


for key in sorted(STRUCTS):
    if key not in STATE:
        visit(key)


def type_name(key):
    pkg, name = key
    return pkg.replace("k8s.io/apimachinery/pkg/apis/", "").replace("k8s.io/api/", "").replace("/", ".") + "." + name


def dsl(node):
    kind = node[0]
    if kind == "scalar":
        return "s"
    if kind == "untyped":
        return "u"
    if kind == "object":
        return "@" + type_name(node[1]) + ("!" if len(node) > 2 else "")
    if kind == "map":
        return ("M:" if node[2] else "m:") + dsl(node[1])
    if kind == "list":
        lt = node[2]
        if lt[0] == "atomic":
            return "l:" + dsl(node[1])
        if lt[0] == "set":
            return "S:" + dsl(node[1])
        return "K(" + ",".join(lt[1]) + "):" + dsl(node[1])
    raise ValueError(node)


# The JSON of each root type's Go zero value (what kube-apiserver compares a create against).
ZERO_NULL_TYPES = {("k8s.io/apimachinery/pkg/apis/meta/v1", "Time"), ("k8s.io/apimachinery/pkg/apis/meta/v1", "MicroTime"),
                   ("k8s.io/apimachinery/pkg/runtime", "RawExtension")}


def zero_of(pkg, expr, omitempty):
    expr = expr.strip()
    if expr.startswith("*") or expr.startswith("[]") or expr.startswith("map["):
        return None if omitempty else ("value", None)
    if expr in GO_SCALARS:
        if omitempty:
            return None
        return ("value", False if expr == "bool" else ("" if expr == "string" else 0))
    if "." in expr:
        alias, name = expr.split(".", 1)
        target = (IMPORTS[pkg].get(alias), name)
    else:
        target = (pkg, expr)
    if target in ZERO_NULL_TYPES:
        return ("value", None)
    if target in SCALAR_TYPES:
        return None if omitempty else ("value", 0 if target[1] == "IntOrString" else "")
    t = TYPES.get(target)
    if t is None or target in UNTYPED_TYPES:
        return None if omitempty else ("value", None)
    if t.fields is not None:
        return ("value", zero_struct(target))
    return zero_of(t.pkg, t.underlying, omitempty)


def zero_struct(key):
    t = TYPES[key]
    out = {}
    for name, expr, tags, markers in t.fields:
        parts = tags.get("json", "").split(",")
        jname = parts[0]
        if jname == "-":
            continue
        if jname == "" and (name is None or "inline" in parts):
            inner = resolve(t.pkg, expr, {})
            if inner[0] == "object":
                out.update(zero_struct(inner[1]))
            continue
        z = zero_of(t.pkg, expr, "omitempty" in parts)
        if z is not None:
            out[jname or name.split(".")[-1]] = z[1]
    return out


lines = []
for g, v, k, pkg, name in ROOTS:
    zero = json.dumps(zero_struct((pkg, name)), sort_keys=True, separators=(",", ":"))
    lines.append(f"R {g or '-'} {v} {k} {type_name((pkg, name))} {zero}")
for key in sorted(STRUCTS, key=type_name):
    s = STRUCTS[key]
    lines.append(("T! " if s["atomic"] else "T ") + type_name(key))
    for jname in sorted(s["fields"]):
        node, strategy, merge_key, retain = s["fields"][jname]
        text = "u" if (key, jname) in BROKEN else dsl(node)
        lines.append(f"F {jname} {text} {strategy or '-'} {merge_key or '-'} {'retain' if retain else '-'}")

out = []
out.append("// Generated by scripts/gen-builtin-schemas.py from the Go types of k8s.io/api "
           f"{API_REF} and k8s.io/apimachinery {MACHINERY_REF}")
out.append("// (struct tags patchStrategy/patchMergeKey; markers +listType, +listMapKey, +structType, +mapType).")
out.append("// Do not edit by hand: re-run the script. Format (parsed by BuiltInSchemaCatalog):")
out.append("//   R <group|-> <version> <kind> <type> <zero JSON>   a served kind, its Go type and its zero value")
out.append("//   T[!] <type>                              a struct (`!`: +structType=atomic), followed by its fields:")
out.append("//   F <json name> <shape> <patchStrategy|-> <patchMergeKey|-> <retain|->")
out.append("//   shapes: s scalar, u untyped, @T struct (@T! atomic here), m:X map, M:X atomic map, l:X atomic list,")
out.append("//           S:X set, K(k1,k2):X list keyed by k1,k2")
out.append("")
out.append("extension BuiltInSchemaCatalog {")
out.append('    static let text = """')
out.extend(lines)
out.append('"""')
out.append("}")
print("\n".join(out))
