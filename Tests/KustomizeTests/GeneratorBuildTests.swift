import Foundation
import GitOpsKit
import Kustomize
import Testing

/// The generator corpus through the whole engine: `KustomizeBuilder` prints byte for byte what `kubectl kustomize`
/// prints (generators, hash suffixes, serialization, merge/replace across a base and an overlay).
@Suite struct GeneratorBuildTests {
    static let cases = GeneratorCorpus.cases("build").map { "build/\($0)" }
        + GeneratorCorpus.cases("merge").map { "merge/\($0)/overlay" }
        + GeneratorCorpus.cases("errors").map { "errors/\($0)" }

    /// Cases where the engine's own merge (`ResourceMap.absorb`) still differs from kustomize: the merged object keeps
    /// the overlay's hash flag instead of hashing only when base and overlay both ask for it, and non-string data
    /// values of a plain base object are not turned into their text. `KustomizeGenerators.merge(_:into:)` does both
    /// (see GeneratorMergeTests); these turn into failures once the engine uses it.
    static let engineMergeGaps: Set<String> = ["merge/hash-flags/overlay", "merge/into-plain-resource/overlay"]

    /// kubectl writes U+2028/U+2029 raw inside a single-quoted scalar; GitOpsKit's YAML emitter escapes them as
    /// `"\L\P"` (same value, different text). The generated object and its hash match (GeneratorCorpusTests).
    static let emitterGaps: Set<String> = ["build/escaped-hash"]

    @Test(arguments: cases)
    func buildsLikeKubectl(_ name: String) throws {
        let directory = GeneratorCorpus.root + "/" + name
        let expected = try GeneratorCorpus.kubectlKustomize(directory)
        let root = name.hasPrefix("merge/") ? URL(fileURLWithPath: directory).deletingLastPathComponent().path : directory
        let builder = try KustomizeBuilder(root: root)
        let path = name.hasPrefix("merge/") ? "overlay" : ""
        if expected.status != 0 {
            #expect(throws: (any Error).self, "kubectl failed: \(expected.error)") { try builder.build(path: path) }
            return
        }
        let actual = YAML.encodeAll(try builder.build(path: path))
        if Self.engineMergeGaps.contains(name) {
            withKnownIssue("engine merge differs from kustomize") { #expect(actual == expected.output, "\(name)") }
        } else if Self.emitterGaps.contains(name) {
            withKnownIssue("YAML emitter escapes U+2028/U+2029") { #expect(actual == expected.output, "\(name)") }
            #expect(try YAML.decodeAll(actual) == (try YAML.decodeAll(expected.output)))
        } else {
            #expect(actual == expected.output, "\(name)")
        }
    }
}
