import GitOpsKit
import Testing

@testable import SourceControllerKit

/// The small pure pieces of the Helm reconcilers: revision parsing, chart paths, sizes, the source-watch predicate.
struct HelmReconcilerHelperTests {
    @Test func commitHashOfGitRevisions() {
        #expect(HelmChartReconciler.commitHash(of: "main@sha1:0123456789abcdef0123") == "0123456789abcdef0123")
        #expect(HelmChartReconciler.commitHash(of: "refs/pull/1/head@sha1:abc") == "abc")
        #expect(HelmChartReconciler.commitHash(of: "sha1:feed") == "feed")
        #expect(HelmChartReconciler.commitHash(of: "v1") == "v1")
    }

    @Test func chartPathsStayInsideTheArtifact() {
        #expect(HelmChartReconciler.cleanChartPath("./charts/app/") == "charts/app")
        #expect(HelmChartReconciler.cleanChartPath("../../etc") == "etc")
        #expect(HelmChartReconciler.cleanChartPath("charts/../app") == "app")
        #expect(HelmChartReconciler.cleanChartPath(".") == "")
    }

    @Test func humanSizesAsFluxPrintsThem() {
        #expect(HumanSize.format(512) == "512B")
        #expect(HumanSize.format(1234) == "1.234kB")
        #expect(HumanSize.format(52_428_800) == "52.43MB")
    }

    @Test func sourceWatchFiresOnNewArtifactRevisionsOnly() {
        let without: JSONValue = ["metadata": ["name": "a"]]
        let first: JSONValue = ["metadata": ["name": "a"], "status": ["artifact": ["revision": "sha256:1"]]]
        let second: JSONValue = ["metadata": ["name": "a"], "status": ["artifact": ["revision": "sha256:2"]]]
        #expect(SourceControllerSetup.artifactRevisionChanged(.added(first)))
        #expect(!SourceControllerSetup.artifactRevisionChanged(.added(without)))
        #expect(SourceControllerSetup.artifactRevisionChanged(.updated(old: without, new: first)))
        #expect(SourceControllerSetup.artifactRevisionChanged(.updated(old: first, new: second)))
        #expect(!SourceControllerSetup.artifactRevisionChanged(.updated(old: first, new: first)))
        #expect(!SourceControllerSetup.artifactRevisionChanged(.deleted(first)))
    }
}
