import Foundation
import GitOpsKit
import Kustomize
import Testing

/// One directory `KustomizeBuilder` and `kubectl kustomize` both build: `path` inside the build root `root`
/// (both relative to `GeneratorCorpus`).
struct GeneratorBuildCase: Sendable, CustomTestStringConvertible {
    var root: String
    var path: String

    var name: String { path.isEmpty ? root : root + "/" + path }
    var testDescription: String { name }
}

/// The generator corpus through the whole engine: `KustomizeBuilder` prints byte for byte what `kubectl kustomize`
/// prints (generators, hash suffixes after prefixes/suffixes/namespaces, name references to generated objects,
/// merge/replace across bases and overlays, generators in components, and the errors).
@Suite struct GeneratorBuildTests {
    static let cases: [GeneratorBuildCase] =
        GeneratorCorpus.cases("build").map { GeneratorBuildCase(root: "build/\($0)", path: "") }
        + GeneratorCorpus.cases("merge").map { GeneratorBuildCase(root: "merge/\($0)", path: "overlay") }
        + GeneratorCorpus.cases("errors").map { GeneratorBuildCase(root: "errors/\($0)", path: "") }
        + [
            GeneratorBuildCase(root: "integration/references", path: ""),
            GeneratorBuildCase(root: "integration/overlay-stack", path: "top"),
            GeneratorBuildCase(root: "integration/component", path: ""),
            GeneratorBuildCase(root: "integration/patched-generated", path: ""),
        ]

    /// Cases where the engine's own merge (`ResourceMap.absorb`) still differs from kustomize: the merged object keeps
    /// the overlay's hash flag instead of hashing only when base and overlay both ask for it, and non-string data
    /// values of a plain base object are not turned into their text. `KustomizeGenerators.merge(_:into:)` does both
    /// (see GeneratorMergeTests); these turn into failures once the engine uses it.
    static let engineMergeGaps: Set<String> = ["merge/hash-flags/overlay", "merge/into-plain-resource/overlay"]

    /// kubectl writes U+2028/U+2029 raw inside a single-quoted scalar; GitOpsKit's YAML emitter escapes them as
    /// `"\L\P"` (same value, different text). The generated object and its hash match (GeneratorCorpusTests).
    static let emitterGaps: Set<String> = ["build/escaped-hash"]

    @Test func everyCorpusGroupIsCovered() {
        #expect(Self.cases.count >= 40)
    }

    @Test(arguments: cases)
    func buildsLikeKubectl(_ buildCase: GeneratorBuildCase) throws {
        let root = GeneratorCorpus.root + "/" + buildCase.root
        let expected = try GeneratorCorpus.kubectlKustomize(buildCase.path.isEmpty ? root : root + "/" + buildCase.path)
        let builder = try KustomizeBuilder(root: root)
        if expected.status != 0 {
            #expect(throws: (any Error).self, "kubectl failed: \(expected.error)") {
                try builder.build(path: buildCase.path)
            }
            return
        }
        let actual = YAML.encodeAll(try builder.build(path: buildCase.path))
        let expectedObjects = try YAML.decodeAll(expected.output)
        if Self.engineMergeGaps.contains(buildCase.name) {
            withKnownIssue("engine merge differs from kustomize") { #expect(actual == expected.output) }
        } else if Self.emitterGaps.contains(buildCase.name) {
            withKnownIssue("YAML emitter escapes U+2028/U+2029") { #expect(actual == expected.output) }
            #expect(try YAML.decodeAll(actual) == expectedObjects)
        } else {
            #expect(actual == expected.output)
        }
    }
}
