import Testing
@testable import GitOpsKit

/// `spec.ignore` machinery: label-selector strings, kustomize-style object selectors, rule compilation, and how an
/// ignored field is kept at its live value when an object is applied (left out when another `Apply` manager owns it,
/// sent with the live value otherwise).
struct ApplyIgnoreRulesTests {
    @Test func labelSelectorExpressions() throws {
        let selector = try LabelSelectorExpression("app=web, tier!=db,env in (dev, prod),release notin (x),beta,!legacy")
        #expect(selector.requirements.count == 6)
        #expect(selector.matches(["app": "web", "env": "dev", "beta": ""]))
        #expect(!selector.matches(["app": "web", "env": "dev"]))
        #expect(!selector.matches(["app": "web", "env": "dev", "beta": "1", "legacy": "1"]))
        #expect(!selector.matches(["app": "web", "env": "qa", "beta": "1"]))
        #expect(!selector.matches(["app": "web", "env": "dev", "beta": "1", "tier": "db"]))
        #expect(!selector.matches(["app": "web", "env": "dev", "beta": "1", "release": "x"]))
        #expect(try LabelSelectorExpression("a==b").matches(["a": "b"]))
        #expect(try LabelSelectorExpression("n>3").matches(["n": "4"]))
        #expect(try !LabelSelectorExpression("n<3").matches(["n": "4"]))
        #expect(try LabelSelectorExpression("").matches([:]))
        #expect(try LabelSelectorExpression("hpa=true").matches(JSONValue.object(["hpa": "true"])))
        for bad in ["a in b", "a=b,", "=b", "a in (b", "n>x", "a b"] {
            #expect(throws: LabelSelectorExpression.ParseError.self, "\(bad)") { try LabelSelectorExpression(bad) }
        }
    }

    static let deployment: JSONValue = [
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": ["name": "web-1", "namespace": "apps", "labels": ["autoscaled": "true"], "annotations": ["team": "a"]],
    ]

    @Test func objectSelectorsMatchLikeKustomizeTargets() throws {
        #expect(try ObjectSelector(KustomizeSelector(kind: "Deployment")).matches(Self.deployment))
        #expect(try ObjectSelector(KustomizeSelector(group: "apps", version: "v1", kind: "Deploy.*", name: "web-[0-9]",
                                                     namespace: "apps|infra", annotationSelector: "team=a",
                                                     labelSelector: "autoscaled=true")).matches(Self.deployment))
        // Patterns match the whole value.
        #expect(try !ObjectSelector(KustomizeSelector(name: "web")).matches(Self.deployment))
        let configMap: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "web-1"]]
        #expect(try ObjectSelector(KustomizeSelector(group: "")).matches(configMap))
        #expect(try !ObjectSelector(KustomizeSelector(group: "apps")).matches(configMap))
        #expect(try !ObjectSelector(KustomizeSelector(kind: "StatefulSet")).matches(Self.deployment))
        #expect(try !ObjectSelector(KustomizeSelector(labelSelector: "autoscaled=false")).matches(Self.deployment))
        #expect(throws: ObjectSelector.InvalidSelector(field: "spec.ignore[0].target.name", reason: "invalid regular expression 'web-('")) {
            try ObjectSelector(KustomizeSelector(name: "web-("), fieldPrefix: "spec.ignore[0].target")
        }
    }

    @Test func rulesCompileWithFieldNames() throws {
        let rule = try DriftIgnoreRule(IgnoreRule(paths: ["/spec/replicas", "/metadata/annotations/a~1b"],
                                                  target: KustomizeSelector(kind: "Deployment")), field: "spec.ignore[0]")
        #expect(rule.paths.map(\.tokens) == [["spec", "replicas"], ["metadata", "annotations", "a/b"]])
        #expect(DriftIgnoreRule.paths(for: Self.deployment, in: [rule]).count == 2)
        #expect(DriftIgnoreRule.paths(for: ["apiVersion": "v1", "kind": "ConfigMap"], in: [rule]).isEmpty)
        #expect(throws: DriftIgnoreRule.Invalid.self) { try DriftIgnoreRule(IgnoreRule(paths: ["spec/replicas"]), field: "spec.ignore[1]") }
        do {
            _ = try DriftIgnoreRule(IgnoreRule(paths: ["/ok", ""]), field: "spec.ignore[2]")
            Issue.record("the empty pointer was accepted")
        } catch {
            #expect(error.field == "spec.ignore[2].paths[1]")
        }
        do {
            _ = try DriftIgnoreRule(IgnoreRule(paths: ["/x"], target: KustomizeSelector(labelSelector: "a in b")), field: "spec.ignore[3]")
            Issue.record("a bad label selector was accepted")
        } catch {
            #expect(error.field == "spec.ignore[3].target.labelSelector")
        }
    }

    @Test func pointerEditing() throws {
        let document: JSONValue = ["a": ["b": [1, 2, 3]], "c": "x"]
        #expect(try JSONPointer("/a/b/1").removingValue(from: document) == ["a": ["b": [1, 3]], "c": "x"])
        #expect(try JSONPointer("/missing/x").removingValue(from: document) == document)
        #expect(try JSONPointer("/a/b/0").settingValue(9, in: document) == ["a": ["b": [9, 2, 3]], "c": "x"])
        #expect(try JSONPointer("/a/new").settingValue("v", in: document) == ["a": ["b": [1, 2, 3], "new": "v"], "c": "x"])
        let missingParent = try JSONPointer("/missing/x").settingValue("v", in: document)
        #expect(missingParent == Optional<JSONValue>.none, "\(String(describing: missingParent))")
        let outOfRange = try JSONPointer("/a/b/7").settingValue("v", in: document)
        #expect(outOfRange == Optional<JSONValue>.none, "\(String(describing: outOfRange))")
    }

    static func entry(_ manager: String, _ operation: String, _ fields: JSONValue) -> JSONValue {
        ["manager": .string(manager), "operation": .string(operation), "apiVersion": "apps/v1", "fieldsType": "FieldsV1",
         "fieldsV1": fields]
    }

    static let containers: JSONValue = [["name": "app", "image": "nginx:1.27", "resources": ["limits": ["cpu": "2"]]],
                                        ["name": "sidecar", "image": "envoy"]]

    @Test func ignoredFieldsKeepTheirLiveValues() throws {
        let paths = [try JSONPointer("/spec/replicas"), try JSONPointer("/spec/template/spec/containers/0/resources"),
                     try JSONPointer("/spec/paused")]
        var live: JSONValue = ["metadata": ["managedFields": [
            Self.entry("kc", "Apply", ["f:spec": ["f:replicas": [:], "f:template": ["f:spec": ["f:containers": [
                "k:{\"name\":\"app\"}": ["f:image": [:], "f:resources": [:]]]]]]]),
            Self.entry("vpa", "Apply", ["f:spec": ["f:template": ["f:spec": ["f:containers": [
                "k:{\"name\":\"app\"}": ["f:resources": ["f:limits": ["f:cpu": [:]]]]]]]]]),
            Self.entry("horizontal-pod-autoscaler", "Update", ["f:spec": ["f:replicas": [:]]]),
        ]], "spec": ["replicas": 5, "template": ["spec": ["containers": Self.containers]]]]
        var dryRun = live
        dryRun[path: "spec", "replicas"] = 1
        dryRun[path: "spec", "template", "spec", "containers"] = [["name": "app", "image": "nginx:1.28"], ["name": "sidecar", "image": "envoy"]]
        dryRun[path: "spec", "paused"] = false

        // Drift only in ignored fields is no drift; other drift (the image) still counts.
        var onlyIgnored = live
        onlyIgnored[path: "spec", "replicas"] = 1
        onlyIgnored[path: "spec", "paused"] = false
        #expect(ResourceApplier.stripping(live, paths) == ResourceApplier.stripping(onlyIgnored, paths))
        #expect(ResourceApplier.stripping(live, paths) != ResourceApplier.stripping(dryRun, paths))

        let resolutions = ResourceApplier.ignoredFieldResolutions(existing: live, dryRun: dryRun, paths: paths, fieldManager: "kc")
        #expect(resolutions.map(\.0.description) == ["/spec/replicas", "/spec/template/spec/containers/0/resources", "/spec/paused"])
        // replicas: only kc (Apply) and an Update manager own it → send the live value; resources: vpa's → leave out;
        // paused: absent live → leave out.
        #expect(resolutions.map(\.1) == [.adopt(.int(5)), .strip, .adopt(Optional<JSONValue>.none)])
        let payload: JSONValue = ["spec": ["replicas": 1, "paused": false, "template": ["spec": ["containers": [
            ["name": "app", "image": "nginx:1.28", "resources": ["limits": ["cpu": "1"]]], ["name": "sidecar", "image": "envoy"]]]]]]
        #expect(ResourceApplier.resolving(payload, resolutions) == ["spec": ["replicas": 5, "template": ["spec": ["containers": [
            ["name": "app", "image": "nginx:1.28"], ["name": "sidecar", "image": "envoy"]]]]]])

        // Unchanged ignored fields need nothing.
        live[path: "spec", "replicas"] = 1
        #expect(ResourceApplier.ignoredFieldResolutions(existing: live, dryRun: dryRun, paths: [paths[0]], fieldManager: "kc").isEmpty)
    }
}
