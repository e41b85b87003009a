import Foundation
import KubeEmulator
import Testing

@testable import GitOpsKit

/// The CRD schemas and the Swift types cannot drift: every property a schema declares is modelled by the Swift type,
/// every field the Swift type models is declared by the schema, and every API fixture is a valid custom resource.
struct CRDSchemaTests {
    /// Decodes `object` as `T` and returns the fields `T` drops and the keys `T` asked for that `object` lacks.
    private static func modelGaps<T: FluxObject>(_ type: T.Type, _ object: JSONValue) throws
        -> (unsupported: [String], unknownToSchema: [String])
    {
        _ = try T(from: object)
        let recorder = KeyRecordingDecoder()
        _ = try recorder.decode(T.self, from: object)
        let unknown = recorder.missingPaths.filter { !$0.hasPrefix("metadata.") && $0 != "metadata" }.sorted()
        return (T.unsupportedFields(in: object), unknown)
    }

    /// Decodes and validates an object as its Swift type (after CRD defaulting).
    private static func swiftProblems<T: FluxObject>(_ type: T.Type, _ object: JSONValue) throws -> [FluxFieldError] {
        try T(from: object).validate()
    }

    @Test(arguments: crdKindNames)
    func maximalObjectSatisfiesItsOwnSchema(kind: String) throws {
        let type = try fluxType(named: kind)
        let schema = try CRDTestSupport.schema(for: type)
        let maximal = try MaximalObject.resource(type, schema: schema)
        let structural = try StructuralSchema(openAPIV3Schema: schema)
        #expect(structural.pruned(maximal) == maximal)
        #expect(structural.validate(maximal).map { "\($0.field ?? ""): \($0.message)" } == [])
        // It really is maximal: every declared path is present.
        for path in SchemaPaths.all(schema) where !path.hasPrefix("metadata") {
            #expect(Self.value(at: path, in: maximal) != nil, "\(kind): \(path) missing from the maximal object")
        }
    }

    /// Every schema field is modelled: the maximal object decodes and the Swift type reports nothing unsupported.
    @Test(arguments: crdKindNames)
    func everySchemaFieldIsModelled(kind: String) throws {
        let type = try fluxType(named: kind)
        let maximal = try MaximalObject.resource(type, schema: try CRDTestSupport.schema(for: type))
        let gaps = try Self.modelGaps(type, maximal)
        #expect(gaps.unsupported == [], "\(kind): fields in the CRD that the Swift type does not model")
    }

    /// Every modelled field is in the schema: decoding the maximal object never asks for a key the schema lacks.
    @Test(arguments: crdKindNames)
    func everyModelledFieldIsInTheSchema(kind: String) throws {
        let type = try fluxType(named: kind)
        let maximal = try MaximalObject.resource(type, schema: try CRDTestSupport.schema(for: type))
        let gaps = try Self.modelGaps(type, maximal)
        #expect(gaps.unknownToSchema == [], "\(kind): Swift fields the CRD does not declare (the API server prunes them)")
    }

    /// Enum fields the Swift types model as plain strings, with the list their `validate()` checks against.
    static let stringEnums: [String: [String: [String]]] = [
        "HelmChart": ["spec.sourceRef.kind": HelmChart.SourceReference.allowedKinds],
        "Kustomization": ["spec.sourceRef.kind": Kustomization.sourceKinds, "spec.decryption.provider": ["sops"]],
        "HelmRelease": ["spec.chart.spec.sourceRef.kind": HelmRelease.chartSourceKinds,
                        "spec.chartRef.kind": HelmRelease.chartRefKinds],
        "Alert": ["spec.eventSources[].kind": Alert.eventSourceKinds],
        "Receiver": ["spec.resources[].kind": Alert.eventSourceKinds],
        "ImageUpdateAutomation": ["spec.sourceRef.kind": ["GitRepository"]],
    ]
    /// Enum fields whose Swift type is shared with fields that allow more values (CRD values ⊆ Swift values).
    static let widerSwiftEnums: Set<String> = ["HelmRelease status.lastAttemptedReleaseAction"]

    /// Every schema enum lists exactly the values the Swift type allows, in the same order, and every closed
    /// Swift enum field of the spec has a schema enum (so the API server rejects what `validate()` rejects).
    @Test(arguments: crdKindNames)
    func enumsMatchTheSwiftTypes(kind: String) throws {
        let type = try fluxType(named: kind)
        let schema = try CRDTestSupport.schema(for: type)
        let maximal = try MaximalObject.resource(type, schema: schema)
        let swift = try Self.swiftEnums(type, maximal).merging(Self.stringEnums[kind] ?? [:]) { first, _ in first }
        let crd = SchemaPaths.enums(schema)
        for (path, values) in crd {
            guard let swiftValues = swift[path] else {
                Issue.record("\(kind) \(path): CRD enum \(values) has no Swift counterpart")
                continue
            }
            if Self.widerSwiftEnums.contains("\(kind) \(path)") {
                #expect(Set(values).isSubset(of: swiftValues), "\(kind) \(path)")
            } else {
                #expect(values == swiftValues, "\(kind) \(path)")
            }
        }
        // Status is written by the controllers, not users; Flux leaves e.g. `history[].action` a plain string.
        for path in swift.keys where crd[path] == nil && !path.hasPrefix("status.") {
            Issue.record("\(kind) \(path): Swift allows only \(swift[path] ?? []) but the CRD has no enum")
        }
    }

    private static func swiftEnums<T: FluxObject>(_ type: T.Type, _ object: JSONValue) throws -> [String: [String]] {
        let recorder = KeyRecordingDecoder()
        _ = try recorder.decode(T.self, from: object)
        return recorder.enumValues
    }

    /// `validate()` enforces every `spec` constraint of the CRD: breaking one (an unknown enum value, a string that
    /// misses the pattern, too long, too short, too many items) is reported by the Swift type at that field.
    @Test(arguments: crdKindNames)
    func swiftValidationEnforcesTheSpecConstraints(kind: String) throws {
        let type = try fluxType(named: kind)
        let schema = try CRDTestSupport.schema(for: type)
        let maximal = try MaximalObject.resource(type, schema: schema)
        let structural = try StructuralSchema(openAPIV3Schema: schema)
        let before = try Self.errorPaths(type, maximal)
        for (path, fieldSchema) in SchemaPaths.constrained(schema) where path.hasPrefix("spec.") {
            let valid = try #require(Self.value(at: path, in: maximal))
            guard let bad = SchemaPaths.violation(of: fieldSchema, valid: valid) else { continue }
            let broken = SchemaPaths.setting(bad, at: path, in: maximal)
            let apiErrors = structural.validate(broken).compactMap(\.field).map(Self.normalized)
            #expect(apiErrors.contains(path), "\(kind) \(path): the schema does not reject \(bad.jsonString())")
            let after = try Self.errorPaths(type, broken)
            let reported = after.filter { $0 == path }.count > before.filter { $0 == path }.count
            #expect(reported, "\(kind) \(path): validate() accepts \(bad.jsonString()) which the CRD rejects")
        }
    }

    /// The field paths of the Swift type's decoding or validation errors, array indices normalised to `[]`.
    private static func errorPaths<T: FluxObject>(_ type: T.Type, _ object: JSONValue) throws -> [String] {
        do {
            return try T(from: object).validate().map { normalized($0.path) }
        } catch {
            return [normalized(error.path)]
        }
    }

    static func normalized(_ path: String) -> String {
        path.replacing(/\[[0-9]+\]/, with: "[]")
    }

    /// Every fixture is a valid custom resource: nothing pruned, no validation error, and after the CRD's defaults
    /// it still decodes and passes the Swift type's own validation.
    @Test(arguments: apiFixtures.map(\.name))
    func fixtureIsAValidCustomResource(name: String) throws {
        let json = try fixture(name)
        let kind = try #require(GroupVersionKind(of: json))
        let type = try #require(FluxKinds.type(for: kind))
        let structural = try StructuralSchema(openAPIV3Schema: try CRDTestSupport.schema(for: type))
        let pruned = structural.pruned(json)
        #expect(JSONPathDiff.pathsMissing(from: pruned, presentIn: json) == [], "\(name): fields the CRD would prune")
        let defaulted = structural.defaulted(pruned)
        #expect(structural.validate(defaulted).map { "\($0.field ?? ""): \($0.message)" } == [], "\(name)")
        #expect(try Self.swiftProblems(type, defaulted) == [], "\(name) after CRD defaulting")
    }

    // MARK: - The checks can fail

    /// A schema field the Swift type does not model shows up in `unsupportedFields`.
    @Test func extraSchemaFieldIsReported() throws {
        var schema = try CRDTestSupport.schema(for: GitRepository.self)
        schema[path: "properties", "spec", "properties", "depth"] = ["type": "integer"]
        let maximal = try MaximalObject.resource(GitRepository.self, schema: schema)
        #expect(try Self.modelGaps(GitRepository.self, maximal).unsupported == ["spec.depth"])
    }

    /// A Swift field missing from the schema shows up as a key asked for and absent.
    @Test func fieldMissingFromTheSchemaIsReported() throws {
        var schema = try CRDTestSupport.schema(for: GitRepository.self)
        schema[path: "properties", "spec", "properties", "verify", "properties", "mode"] = nil
        schema[path: "properties", "spec", "properties", "include", "items", "properties", "toPath"] = nil
        let maximal = try MaximalObject.resource(GitRepository.self, schema: schema)
        #expect(try Self.modelGaps(GitRepository.self, maximal).unknownToSchema == ["spec.include[].toPath", "spec.verify.mode"])
    }

    /// A fixture field the schema lacks is pruned (and reported).
    @Test func prunedFixtureFieldIsReported() throws {
        var schema = try CRDTestSupport.schema(for: GitRepository.self)
        schema[path: "properties", "spec", "properties", "sparseCheckout"] = nil
        let structural = try StructuralSchema(openAPIV3Schema: schema)
        let json = try fixture("gitRepositoryReconciled")
        #expect(JSONPathDiff.pathsMissing(from: structural.pruned(json), presentIn: json) == ["spec.sparseCheckout"])
    }

    @Test func maximalObjectNeedsASampleForEveryPattern() {
        let schema: JSONValue = ["type": "object", "properties": ["code": ["type": "string", "pattern": "^zz[0-9]$"]]]
        #expect(throws: MaximalObject.Failure.self) { try MaximalObject.value(for: schema, path: "") }
    }

    @Test func maximalObjectHonoursEnumsFormatsAndBounds() throws {
        let schema: JSONValue = ["type": "object", "properties": [
            "mode": ["type": "string", "enum": ["b", "a"]],
            "when": ["type": "string", "format": "date-time"],
            "name": ["type": "string", "minLength": 3],
            "count": ["type": "integer", "minimum": 4],
            "items": ["type": "array", "minItems": 2, "items": ["type": "boolean"]],
            "labels": ["type": "object", "additionalProperties": ["type": "string"]],
        ]]
        let value = try MaximalObject.value(for: schema, path: "")
        #expect(value == ["mode": "b", "when": .string(MaximalObject.timestamp), "name": "xxx", "count": 4,
                          "items": [true, true], "labels": ["key": "x"]])
    }

    /// The value at a `SchemaPaths` path (`a.b[].c`, `a.{}.b`), following the first element of arrays and maps.
    static func value(at path: String, in object: JSONValue) -> JSONValue? {
        var current: JSONValue? = object
        for part in path.split(separator: ".") {
            if part == "{}" {
                current = current?.objectValue?.values.first
                continue
            }
            var name = Substring(part)
            var arrays = 0
            while name.hasSuffix("[]") {
                name = name.dropLast(2)
                arrays += 1
            }
            if !name.isEmpty { current = current?[String(name)] }
            for _ in 0..<arrays { current = current?[0] }
        }
        return current
    }
}
