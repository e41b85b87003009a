import Foundation
import GitOpsKit
import Kustomize
import Testing

/// Differential tests: every kustomization under `GeneratorCorpus/build` generates exactly the objects
/// `kubectl kustomize` prints for it (hash suffixes included), and every one under `GeneratorCorpus/errors` is
/// refused by both.
@Suite struct GeneratorCorpusTests {
    @Test func corpusHasEnoughCases() {
        #expect(GeneratorCorpus.cases("build").count >= 12)
        #expect(GeneratorCorpus.cases("errors").count >= 10)
    }

    @Test(arguments: GeneratorCorpus.cases("build"))
    func generatesWhatKubectlPrints(_ name: String) throws {
        let directory = GeneratorCorpus.root + "/build/" + name
        let expected = try GeneratorCorpus.kubectlObjects(directory)
        let generated = try GeneratorCorpus.generate(root: directory)
        let actual = GeneratorCorpus.canonical(try generated.map(GeneratorCorpus.finished))
        #expect(actual.count == expected.count)
        for (mine, theirs) in zip(actual, expected) {
            #expect(mine == theirs, "\(name): \(mine.jsonString()) != \(theirs.jsonString())")
        }
    }

    @Test(arguments: GeneratorCorpus.cases("errors"))
    func refusesWhatKubectlRefuses(_ name: String) throws {
        let directory = GeneratorCorpus.root + "/errors/" + name
        let kubectl = try GeneratorCorpus.kubectlKustomize(directory)
        #expect(kubectl.status != 0, "kubectl accepted \(name)")
        let error = #expect(throws: KustomizeGeneratorError.self) {
            try GeneratorCorpus.generate(root: directory)
        }
        #expect(error?.file == "kustomization.yaml")
        #expect(error?.field.isEmpty == false)
    }
}
