import Foundation
import KubeEmulator
import Testing

@testable import GitOpsKit

/// The kinds GitOpsKit serves, by name (test arguments must be `Sendable` and printable).
let crdKindNames = FluxKinds.all.map { $0.kind.kind }

func fluxType(named kind: String) throws -> any FluxObject.Type {
    try #require(FluxKinds.all.first { $0.kind.kind == kind }, "no Swift type for \(kind)")
}

/// The CRD files in `config/crd` describe exactly the Swift types: names, scope, versions, categories, printer
/// columns, status subresource and the shared Flux conventions.
struct CRDManifestTests {
    static let intervalPattern = #"^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$"#
    static let timeoutPattern = #"^([0-9]+(\.[0-9]+)?(ms|s|m))+$"#

    @Test(arguments: crdKindNames)
    func namesAndScopeMatchTheSwiftType(kind: String) throws {
        let type = try fluxType(named: kind)
        let crd = try CRDTestSupport.manifest(for: type)
        #expect(crd.name == "\(type.plural).\(type.kind.group)")
        #expect(crd.group == type.kind.group)
        #expect(crd.kind == type.kind.kind)
        #expect(crd.plural == type.plural)
        #expect(crd.singular == type.kind.kind.lowercased())
        #expect(crd.object[path: "spec", "names", "listKind"]?.stringValue == "\(type.kind.kind)List")
        #expect(crd.shortNames == type.shortNames)
        #expect(crd.isNamespaced == type.mapping.namespaced)
        let category = try #require(CRDTestSupport.category(ofGroup: type.kind.group))
        #expect(crd.categories == ["all", "fluxcd", category])
        #expect(crd.object[path: "metadata", "annotations", "kustomize.toolkit.fluxcd.io/substitute"] == "disabled")
    }

    @Test(arguments: crdKindNames)
    func servesOnlyTheModelledVersion(kind: String) throws {
        let type = try fluxType(named: kind)
        let crd = try CRDTestSupport.manifest(for: type)
        #expect(crd.versions.map(\.name) == [type.kind.version])
        #expect(crd.servedKinds == [type.kind])
        #expect(crd.storageVersion?.name == type.kind.version)
    }

    @Test(arguments: crdKindNames)
    func statusFollowsTheSwiftType(kind: String) throws {
        let type = try fluxType(named: kind)
        let crd = try CRDTestSupport.manifest(for: type)
        let version = try #require(crd.version(type.kind.version))
        let schema = try CRDTestSupport.schema(for: type)
        let reconciled = type is any ReconcilableObject.Type
        #expect(version.hasStatusSubresource == reconciled)
        #expect((schema[path: "properties", "status"] != nil) == reconciled)
        if reconciled {
            #expect(schema[path: "properties", "status", "default"] == ["observedGeneration": -1])
            for field in ["observedGeneration", "conditions", "lastHandledReconcileAt"] {
                #expect(schema[path: "properties", "status", "properties", field] != nil, "\(kind) status.\(field)")
            }
        }
    }

    @Test(arguments: crdKindNames)
    func printerColumnsShowReadyStatusAndAge(kind: String) throws {
        let type = try fluxType(named: kind)
        let crd = try CRDTestSupport.manifest(for: type)
        let columns = try #require(crd.version(type.kind.version)).printerColumns
        #expect(columns.last == .init(name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp", priority: 0))
        let ready = columns.first { $0.name == "Ready" }
        let status = columns.first { $0.name == "Status" }
        if type is any ReconcilableObject.Type {
            #expect(ready == .init(name: "Ready", type: "string",
                                   jsonPath: #".status.conditions[?(@.type=="Ready")].status"#, priority: 0))
            #expect(status == .init(name: "Status", type: "string",
                                    jsonPath: #".status.conditions[?(@.type=="Ready")].message"#, priority: 0))
        } else {
            #expect(columns.map(\.name) == ["Age"])
        }
        // Every column reads a field the schema declares (or metadata).
        let paths = Set(SchemaPaths.all(try CRDTestSupport.schema(for: type)))
        for column in columns where !column.jsonPath.hasPrefix(".metadata.") {
            let fieldPath = column.jsonPath.dropFirst().replacing(#"[?(@.type=="Ready")]"#, with: "[]")
            #expect(paths.contains(String(fieldPath)), "\(kind) column \(column.name) reads \(column.jsonPath)")
        }
    }

    @Test(arguments: crdKindNames)
    func schemaIsStructural(kind: String) throws {
        let schema = try CRDTestSupport.schema(for: try fluxType(named: kind))
        #expect(SchemaPaths.structuralProblems(schema) == [])
        // The emulator parses it as kube-apiserver would (valid types, patterns, list types).
        _ = try StructuralSchema(openAPIV3Schema: schema)
    }

    @Test(arguments: crdKindNames)
    func everyDefaultSatisfiesItsSchema(kind: String) throws {
        let schema = try CRDTestSupport.schema(for: try fluxType(named: kind))
        for (path, value, fieldSchema) in SchemaPaths.defaults(schema) {
            let wrapper: JSONValue = ["type": "object", "properties": ["field": fieldSchema]]
            let structural = try StructuralSchema(openAPIV3Schema: wrapper)
            let object: JSONValue = ["field": value]
            #expect(structural.pruned(object) == object, "\(kind) \(path): default has pruned fields")
            #expect(structural.validate(object) == [], "\(kind) \(path): default \(value.jsonString()) is invalid")
        }
    }

    @Test(arguments: crdKindNames)
    func durationFieldsCarryTheFluxPatterns(kind: String) throws {
        let schema = try CRDTestSupport.schema(for: try fluxType(named: kind))
        var checked = 0
        for path in SchemaPaths.all(schema) {
            let field = path.split(separator: ".").last.map(String.init) ?? path
            guard ["interval", "retryInterval", "timeout"].contains(field) else { continue }
            var node: JSONValue? = schema
            for part in path.split(separator: ".") {
                node = part.hasSuffix("[]") ? node?[path: "properties", String(part.dropLast(2)), "items"]
                                            : node?[path: "properties", String(part)]
            }
            let pattern = node?["pattern"]?.stringValue
            #expect(pattern == Self.intervalPattern || (field == "timeout" && pattern == Self.timeoutPattern),
                    "\(kind) \(path) has pattern \(pattern ?? "none")")
            checked += 1
        }
        #expect(checked > 0 || kind == "Alert", "\(kind) declares no interval or timeout")
    }

    /// Field names of `apiextensions.k8s.io/v1` (the emulator does not reject unknown CRD fields; kube-apiserver
    /// does with strict field validation, and a typo such as `x-kubernetes-list-typ` would otherwise go unnoticed).
    static let crdFields: [String: Set<String>] = [
        "": ["apiVersion", "kind", "metadata", "spec"],
        "metadata": ["name", "annotations", "labels"],
        "spec": ["group", "names", "scope", "versions", "conversion", "preserveUnknownFields"],
        "spec.names": ["kind", "listKind", "plural", "singular", "shortNames", "categories"],
        "spec.versions[]": ["name", "served", "storage", "deprecated", "deprecationWarning", "schema", "subresources",
                            "additionalPrinterColumns", "selectableFields"],
        "spec.versions[].subresources": ["status", "scale"],
        "spec.versions[].schema": ["openAPIV3Schema"],
        "spec.versions[].additionalPrinterColumns[]": ["name", "type", "format", "description", "priority", "jsonPath"],
    ]
    static let schemaFields: Set<String> = [
        "description", "type", "format", "title", "default", "maximum", "exclusiveMaximum", "minimum",
        "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "multipleOf",
        "enum", "maxProperties", "minProperties", "required", "items", "allOf", "oneOf", "anyOf", "not", "properties",
        "additionalProperties", "nullable", "example", "externalDocs", "x-kubernetes-preserve-unknown-fields",
        "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string", "x-kubernetes-list-map-keys",
        "x-kubernetes-list-type", "x-kubernetes-map-type", "x-kubernetes-validations",
    ]

    @Test(arguments: crdKindNames)
    func manifestUsesOnlyKnownFields(kind: String) throws {
        let crd = try CRDTestSupport.manifest(for: try fluxType(named: kind)).object
        func check(_ value: JSONValue, _ path: String) {
            if let allowed = Self.crdFields[path], let members = value.objectValue {
                for (key, child) in members {
                    #expect(allowed.contains(key), "\(kind): unknown field \(path.isEmpty ? key : "\(path).\(key)")")
                    check(child, path.isEmpty ? key : "\(path).\(key)")
                }
            } else if let items = value.arrayValue {
                for item in items { check(item, path + "[]") }
            } else if path == "spec.versions[].schema.openAPIV3Schema" {
                checkSchema(value, "openAPIV3Schema")
            }
        }
        func checkSchema(_ schema: JSONValue, _ path: String) {
            for key in (schema.objectValue ?? [:]).keys {
                #expect(Self.schemaFields.contains(key), "\(kind): unknown schema keyword \(path).\(key)")
            }
            for (key, child) in schema["properties"]?.objectValue ?? [:] { checkSchema(child, "\(path).\(key)") }
            if let items = schema["items"] { checkSchema(items, path + "[]") }
            if let additional = schema["additionalProperties"], additional.objectValue != nil {
                checkSchema(additional, path + ".{}")
            }
            for (i, rule) in (schema["x-kubernetes-validations"]?.arrayValue ?? []).enumerated() {
                let keys = Set((rule.objectValue ?? [:]).keys)
                let known: Set<String> = ["rule", "message", "messageExpression", "reason", "fieldPath", "optionalOldSelf"]
                #expect(keys.isSubset(of: known), "\(kind): \(path) rule \(i)")
                #expect(rule["rule"]?.stringValue?.isEmpty == false, "\(kind): \(path) rule \(i) has no rule")
            }
        }
        check(crd, "")
        for column in try #require(crd[path: "spec", "versions"]?.arrayValue?.first?["additionalPrinterColumns"]?.arrayValue) {
            let type = column["type"]?.stringValue ?? ""
            #expect(["integer", "number", "string", "boolean", "date"].contains(type), "\(kind) column type \(type)")
        }
    }

    @Test func everyKindHasItsFileAndTheKustomizationListsThemAll() throws {
        let expected = Set(FluxKinds.all.map { CRDManifests.fileName(for: $0) })
        let files = try FileManager.default.contentsOfDirectory(atPath: CRDTestSupport.basesDirectory.path)
        #expect(Set(files) == expected)
        let kustomization = try YAML.decode(String(contentsOf: CRDTestSupport.crdDirectory
            .appendingPathComponent("kustomization.yaml"), encoding: .utf8))
        let resources = (kustomization["resources"]?.arrayValue ?? []).compactMap(\.stringValue)
        #expect(resources.count == expected.count)
        #expect(Set(resources) == Set(expected.map { "bases/\($0)" }))
        let all = try CRDManifests.load(fromDirectory: CRDTestSupport.basesDirectory.path)
        #expect(Set(all.map(\.kind)) == Set(crdKindNames))
    }

    /// `kubectl kustomize config/crd` (the oracle) renders the same eleven CRDs the files hold.
    @Test func kubectlKustomizeRendersEveryCRD() throws {
        let output = try Self.run(["kubectl", "kustomize", CRDTestSupport.crdDirectory.path])
        let rendered = try YAML.decodeAll(output)
        let files = try CRDManifests.load(fromDirectory: CRDTestSupport.basesDirectory.path).map(\.object)
        #expect(rendered.count == files.count)
        for object in files {
            let name = object[path: "metadata", "name"]
            let match = rendered.first { $0[path: "metadata", "name"] == name }
            #expect(match == object, "kubectl kustomize changed \(name?.stringValue ?? "?")")
        }
    }

    // MARK: - Loader errors

    @Test func loaderRejectsWhatIsNotACRD() throws {
        #expect(throws: CRDManifestError(path: "", message: "not an apiextensions.k8s.io/v1 CustomResourceDefinition")) {
            try CRDManifest(["apiVersion": "v1", "kind": "ConfigMap"])
        }
        var crd = try CRDTestSupport.manifest(for: GitRepository.self).object
        crd[path: "spec", "names", "plural"] = nil
        #expect(throws: CRDManifestError(path: "spec.names.plural", message: "required value")) { try CRDManifest(crd) }
        crd = try CRDTestSupport.manifest(for: GitRepository.self).object
        crd[path: "spec", "versions"] = []
        #expect(throws: CRDManifestError(path: "spec.versions", message: "required value")) { try CRDManifest(crd) }
    }

    @Test func loaderNamesTheFileItCannotRead() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crd-loader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("absent.yaml").path
        #expect(throws: CRDManifestError(path: missing, message: "cannot read the file")) {
            try CRDManifests.load(file: missing)
        }
        let broken = directory.appendingPathComponent("broken.yaml")
        try Data("kind: CustomResourceDefinition\n  bad: [indent\n".utf8).write(to: broken)
        do {
            _ = try CRDManifests.load(fromDirectory: directory.path)
            Issue.record("invalid YAML was accepted")
        } catch {
            #expect(error.path == broken.path)
            #expect(error.message.hasPrefix("invalid YAML"))
        }
        try Data("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: x}\n".utf8)
            .write(to: broken)
        #expect(throws: CRDManifestError(path: broken.path, message: "spec.group: required value")) {
            try CRDManifests.load(fromDirectory: directory.path)
        }
        #expect(throws: CRDManifestError.self) { try CRDManifests.load(fromDirectory: missing) }
    }

    static func run(_ command: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0,
                     "\(command.joined(separator: " ")) failed: \(String(decoding: message, as: UTF8.self))")
        return String(decoding: data, as: UTF8.self)
    }
}
