#!/usr/bin/env python3
"""Generates Sources/KubeEmulator/Protobuf/ProtobufSchema+Generated.swift: the wire layout (field numbers, JSON
names, types, pointer/omitempty/inline flags) of the Kubernetes kinds whose protobuf request bodies the emulator
decodes (kubectl's typed clients and helm's release storage send protobuf).

Inputs are the `generated.proto` and `types.go` files of kubernetes/api and kubernetes/apimachinery:
    generate-protobuf-schema.py <kubernetes/api checkout> <kubernetes/apimachinery checkout> > out.swift
Only facts of the wire format are extracted; no code is copied.
"""
import os
import re
import sys

API, MACHINERY = sys.argv[1], sys.argv[2]
GROUPS = ["core/v1", "apps/v1", "batch/v1", "rbac/v1", "networking/v1", "policy/v1", "coordination/v1",
          "autoscaling/v2", "autoscaling/v1", "scheduling/v1", "storage/v1", "discovery/v1", "events/v1",
          "admissionregistration/v1", "authorization/v1", "authentication/v1"]
MACHINERY_PACKAGES = ["pkg/apis/meta/v1", "pkg/runtime", "pkg/util/intstr", "pkg/api/resource"]
ROOTS = {
    "k8s.io.api.core.v1": ["Secret", "ConfigMap", "Namespace", "ServiceAccount", "Service", "Pod", "Endpoints",
                           "PersistentVolumeClaim", "PersistentVolume", "ResourceQuota", "LimitRange", "Event", "Node"],
    "k8s.io.api.apps.v1": ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ControllerRevision"],
    "k8s.io.api.batch.v1": ["Job", "CronJob"],
    "k8s.io.api.rbac.v1": ["Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"],
    "k8s.io.api.networking.v1": ["Ingress", "IngressClass", "NetworkPolicy"],
    "k8s.io.api.policy.v1": ["PodDisruptionBudget"],
    "k8s.io.api.coordination.v1": ["Lease"],
    "k8s.io.api.autoscaling.v2": ["HorizontalPodAutoscaler"],
    "k8s.io.api.autoscaling.v1": ["Scale"],
    "k8s.io.api.scheduling.v1": ["PriorityClass"],
    "k8s.io.api.storage.v1": ["StorageClass"],
    "k8s.io.api.discovery.v1": ["EndpointSlice"],
    "k8s.io.api.events.v1": ["Event"],
    "k8s.io.api.admissionregistration.v1": ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"],
    "k8s.io.apimachinery.pkg.apis.meta.v1": ["DeleteOptions"],
    "k8s.io.api.authorization.v1": ["SelfSubjectAccessReview", "SubjectAccessReview", "SelfSubjectRulesReview",
                                    "LocalSubjectAccessReview"],
    "k8s.io.api.authentication.v1": ["SelfSubjectReview", "TokenReview"],
}
SCALARS = {"string": "s", "bytes": "b", "bool": "B", "int32": "i", "int64": "i", "uint32": "i", "uint64": "i",
           "double": "d", "float": "f"}

messages = {}   # full name -> list of (num, name, label, type)
structs = {}    # (package, struct name) -> {proto name: (json name, omitempty, pointer, inline)}


def parse_proto(path):
    text = open(path).read()
    package = re.search(r"^package ([\w.]+);", text, re.M).group(1)
    for m in re.finditer(r"^message (\w+) \{(.*?)^\}", text, re.M | re.S):
        fields = []
        for f in re.finditer(r"^\s*(optional|repeated)\s+([\w.]+)\s+(\w+)\s*=\s*(\d+);", m.group(2), re.M):
            fields.append((int(f.group(4)), f.group(3), f.group(1), f.group(2)))
        for f in re.finditer(r"^\s*map<(\w+),\s*([\w.]+)>\s+(\w+)\s*=\s*(\d+);", m.group(2), re.M):
            fields.append((int(f.group(4)), f.group(3), "map", f.group(2)))
        messages[package + "." + m.group(1)] = (package, fields)
    return package


def parse_types(path, package):
    if not os.path.exists(path):
        return
    text = open(path).read()
    for m in re.finditer(r"^type (\w+) struct \{(.*?)^\}", text, re.M | re.S):
        fields = {}
        for line in m.group(2).splitlines():
            tag = re.search(r"`(.*)`", line)
            if not tag or "protobuf:" not in tag.group(1):
                continue
            proto = re.search(r'protobuf:"[^"]*name=(\w+)', tag.group(1))
            js = re.search(r'json:"([^"]*)"', tag.group(1))
            if not proto:
                continue
            decl = line[:line.index("`")].split()
            gotype = decl[-1] if decl else ""
            embedded = len(decl) == 1
            json_parts = (js.group(1) if js else "").split(",")
            inline = embedded and (json_parts[0] == "" or "inline" in json_parts)
            fields[proto.group(1)] = (json_parts[0], "omitempty" in json_parts, gotype.startswith("*"), inline)
        structs[(package, m.group(1))] = fields


for group in GROUPS:
    package = parse_proto(os.path.join(API, group, "generated.proto"))
    parse_types(os.path.join(API, group, "types.go"), package)
for pkg in MACHINERY_PACKAGES:
    package = parse_proto(os.path.join(MACHINERY, pkg, "generated.proto"))
    for name in ["types.go", "time.go", "micro_time.go", "duration.go", "intstr.go", "quantity.go", "group_version.go"]:
        parse_types(os.path.join(MACHINERY, pkg, name), package)


def resolve(package, type_name):
    if type_name in SCALARS:
        return None
    if type_name.startswith("."):
        return type_name[1:]
    return package + "." + type_name


needed, queue = set(), [pkg + "." + kind for pkg, kinds in ROOTS.items() for kind in kinds]
while queue:
    name = queue.pop()
    if name in needed or name not in messages:
        continue
    needed.add(name)
    package, fields = messages[name]
    for _, _, _, type_name in fields:
        ref = resolve(package, type_name)
        if ref:
            queue.append(ref)

lines = []
for name in sorted(needed):
    package, fields = messages[name]
    info = structs.get((package, name.rsplit(".", 1)[1]), {})
    encoded = []
    for number, proto_name, label, type_name in sorted(fields):
        json_name, omitempty, pointer, inline = info.get(proto_name, (proto_name, True, False, False))
        ref = resolve(package, type_name)
        kind = "m" if ref else SCALARS[type_name]
        flags = ("r" if label == "repeated" else "") + ("M" if label == "map" else "")
        flags += "z" if (pointer or not omitempty) else ""
        flags += "n" if inline else ""
        encoded.append(f"{number},{json_name or proto_name},{kind},{flags},{ref or ''}")
    lines.append(name + "\t" + ";".join(encoded))

print("// Generated by scripts/generate-protobuf-schema.py from kubernetes/api and kubernetes/apimachinery")
print("// (generated.proto field numbers, types.go JSON names and flags). Do not edit.")
print("// Line: <message>\\t<field>;<field>… with field = number,jsonName,kind(s b B i d f m),flags(r M z n),messageType")
print()
print("extension ProtobufSchema {")
print("    static let generatedTable = \"\"\"")
for line in lines:
    print(line.replace("\\", "\\\\"))
print("\"\"\"")
print("}")
