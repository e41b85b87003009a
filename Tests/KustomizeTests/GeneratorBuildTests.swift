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

    @Test func everyCorpusGroupIsCovered() {
        #expect(Self.cases.count >= 40)
    }

    @Test(arguments: cases)
    func buildsLikeKubectl(_ buildCase: GeneratorBuildCase) throws {
        let root = GeneratorCorpus.root + "/" + buildCase.root
        let expected = try KubectlKustomize.run(buildCase.path.isEmpty ? root : root + "/" + buildCase.path)
        let builder = try KustomizeBuilder(root: root)
        if expected.status != 0 {
            #expect(throws: (any Error).self, "kubectl failed: \(expected.stderr)") {
                try builder.build(path: buildCase.path)
            }
            return
        }
        let actual = YAML.encodeAll(try builder.build(path: buildCase.path))
        #expect(actual == expected.stdout)
    }
}
