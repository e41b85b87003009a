import Foundation
import GitOpsKit
import Kustomize
import Testing

/// `behavior: merge` / `replace` against `kubectl kustomize`: for each `GeneratorCorpus/merge/<case>`, the base's
/// objects (generated, or plain ConfigMaps/Secrets from its resources) combined with the overlay's generators via
/// `KustomizeGenerators.merge` equal what kubectl builds for the overlay.
@Suite struct GeneratorMergeTests {
    @Test func corpusHasCases() {
        #expect(GeneratorCorpus.cases("merge").count >= 4)
    }

    @Test(arguments: GeneratorCorpus.cases("merge"))
    func mergesLikeKubectl(_ name: String) throws {
        let root = GeneratorCorpus.root + "/merge/" + name
        let expected = try GeneratorCorpus.kubectlObjects(root + "/overlay")
        var objects = try baseObjects(root: root)
        for resource in try GeneratorCorpus.generate(root: root, directory: "overlay") {
            let id = identity(resource.object)
            if let index = objects.firstIndex(where: { identity($0.object) == id }) {
                objects[index] = try KustomizeGenerators.merge(resource, into: objects[index])
            } else {
                objects.append(resource)
            }
        }
        let actual = GeneratorCorpus.canonical(try objects.map(GeneratorCorpus.finished))
        #expect(actual.count == expected.count)
        for (mine, theirs) in zip(actual, expected) {
            #expect(mine == theirs, "\(name): \(mine.jsonString()) != \(theirs.jsonString())")
        }
    }

    @Test func createOverAnExistingObjectIsRefused() throws {
        let existing = GeneratedResource(
            object: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "a"]], behavior: .create,
            appendHashSuffix: true)
        #expect(throws: KustomizeGeneratorMergeError.behaviorMustBeMergeOrReplace(kind: "ConfigMap", name: "a")) {
            try KustomizeGenerators.merge(existing, into: existing.object)
        }
        var merging = existing
        merging.behavior = .merge
        #expect(throws: KustomizeGeneratorMergeError.notObjects) {
            try KustomizeGenerators.merge(merging, into: .string("not an object"))
        }
    }

    @Test func mergeKeepsExistingIdentityAndCombinesMaps() throws {
        let existing: JSONValue = [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": "cm", "namespace": "ns", "labels": ["a": "old", "b": "old"]],
            "data": ["x": 1, "y": "old"], "binaryData": ["bin": "AAE="],
        ]
        let generated = GeneratedResource(
            object: [
                "apiVersion": "v1", "kind": "ConfigMap",
                "metadata": ["name": "cm", "labels": ["b": "new"]], "data": ["y": "new"],
            ],
            behavior: .merge, appendHashSuffix: true)
        let merged = try KustomizeGenerators.merge(generated, into: existing)
        #expect(merged[path: "metadata", "namespace"] == "ns")
        #expect(merged[path: "metadata", "labels"] == ["a": "old", "b": "new"])
        #expect(merged["data"] == ["x": "1", "y": "new"])
        #expect(merged["binaryData"] == ["bin": "AAE="])
        var replacing = generated
        replacing.behavior = .replace
        let replaced = try KustomizeGenerators.merge(replacing, into: existing)
        #expect(replaced["data"] == ["y": "new"])
        #expect(replaced["binaryData"] == nil)
        #expect(replaced[path: "metadata", "labels"] == ["a": "old", "b": "new"])
    }

    /// The base's generated objects plus the ConfigMaps/Secrets in its `resources` files (never hashed).
    private func baseObjects(root: String) throws -> [GeneratedResource] {
        var objects = try GeneratorCorpus.generate(root: root, directory: "base")
        let reader = GeneratorTestFileReader(root: root)
        let kustomization = try YAML.decode(try reader.read("kustomization.yaml", relativeTo: "base"))
        for case .string(let file) in kustomization["resources"]?.arrayValue ?? [] {
            for object in try YAML.decodeAll(try reader.read(file, relativeTo: "base")) {
                objects.append(GeneratedResource(object: object, behavior: .create, appendHashSuffix: false))
            }
        }
        return objects
    }

    private func identity(_ object: JSONValue) -> [String] {
        [
            object["kind"]?.stringValue ?? "", object[path: "metadata", "namespace"]?.stringValue ?? "",
            object[path: "metadata", "name"]?.stringValue ?? "",
        ]
    }
}
