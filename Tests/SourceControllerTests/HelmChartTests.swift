import Foundation
import GitOpsKit
import GitOpsTestSupport
import SourceControllerKit
import Testing

/// HelmChart from a real Helm repository and from a real Git repository: version selection, artifacts the real
/// `helm template` accepts, values files, and bad input keeping the last good artifact.
@Suite(.serialized)
struct HelmChartTests {
    /// A HelmRepository (with basic auth) Ready in a fresh namespace.
    static func readyRepository(_ env: SourceTestEnvironment, _ repo: HelmTestRepository, prefix: String) async throws -> String {
        let ns = try await env.makeNamespace(prefix)
        try await env.createSecret("auth", namespace: ns, data: ["username": "helm", "password": "s3cret"])
        try await env.createHelmRepository("charts", namespace: ns, spec: [
            "url": .string(repo.url), "interval": "1h", "secretRef": ["name": "auth"],
        ])
        try await env.waitForSource(HelmRepository.self, "charts", namespace: ns, "repository Ready") {
            $0.readyCondition?.status == .true
        }
        return ns
    }

    /// `helm template` of the artifact, downloaded from its URL with the digest checked.
    static func template(_ env: SourceTestEnvironment, _ artifact: Artifact) async throws -> String {
        let work = try ArtifactTestSupport.makeDirectory("helm-template")
        defer { ArtifactTestSupport.cleanUp(work) }
        try await env.downloadArtifactFile(artifact, to: work + "/chart.tgz")
        return try HelmFixtures.helm(["template", "rel", work + "/chart.tgz"], home: work)
    }

    @Test func pullsTheNewestMatchingVersion() async throws {
        let env = try await SourceTestEnvironment.get()
        let repo = try HelmTestRepository.start(username: "helm", password: "s3cret")
        defer { repo.stop() }
        let ns = try await Self.readyRepository(env, repo, prefix: "hc-pull")
        let repository = try HelmRepository(from: try await env.client.get(HelmRepository.kind, ObjectKey(namespace: ns, name: "charts")))
        try await env.createHelmChart("demo", namespace: ns, spec: [
            "chart": "demo", "version": "<1.0.0", "interval": "1h", "sourceRef": ["kind": "HelmRepository", "name": "charts"],
        ])
        var chart = try await env.waitForSource(HelmChart.self, "demo", namespace: ns, "Ready=True") {
            $0.readyCondition?.status == .true
        }
        var artifact = try #require(chart.artifact)
        #expect(artifact.revision == "0.2.0")  // 0.3.0-rc.1 is a prerelease, 1.0.0 out of range
        #expect(artifact.path == "helmchart/\(ns)/demo/demo-0.2.0.tgz")
        // Stored exactly as the repository serves it.
        #expect(artifact.digest == Digest.prefixedHex(.sha256, try ArtifactTestSupport.bytes(repo.chartsDirectory + "/demo-0.2.0.tgz")))
        #expect(chart.readyCondition?.reason == "ChartPullSucceeded")
        #expect(chart.readyCondition?.message == "pulled 'demo' chart with version '0.2.0'")
        #expect(chart.sourceCondition(.artifactInStorage)?.status == .true)
        #expect(chart.status?.observedChartName == "demo")
        #expect(chart.status?.observedSourceArtifactRevision == repository.artifact?.revision)
        #expect(chart.metadata.finalizers == ["finalizers.fluxcd.io"])
        var rendered = try await Self.template(env, artifact)
        #expect(rendered.contains("greeting: \"hello\""))
        #expect(rendered.contains("chartVersion: \"0.2.0\""))
        let events = try await env.eventReasons(for: "demo", namespace: ns)
        #expect(events["NewArtifact"]?.contains("pulled 'demo' chart with version '0.2.0'") == true, "\(events)")

        // A range naming a prerelease admits it.
        try await env.modifyHelm(HelmChart.kind, "demo", namespace: ns) { $0[path: "spec", "version"] = ">=0.3.0-0 <1.0.0" }
        chart = try await env.waitForSource(HelmChart.self, "demo", namespace: ns, "0.3.0-rc.1") {
            $0.artifact?.revision == "0.3.0-rc.1" && $0.readyCondition?.status == .true
        }

        // No version matches: InvalidChartReference; the last artifact stays.
        artifact = try #require(chart.artifact)
        try await env.modifyHelm(HelmChart.kind, "demo", namespace: ns) { $0[path: "spec", "version"] = ">=5.0.0" }
        chart = try await env.waitForSource(HelmChart.self, "demo", namespace: ns, "InvalidChartReference") {
            $0.readyCondition?.status == .false
        }
        #expect(chart.readyCondition?.reason == "InvalidChartReference")
        #expect(chart.readyCondition?.message == "invalid chart reference: failed to get chart version for remote "
            + "reference: no 'demo' chart with version matching '>=5.0.0' found")
        #expect(chart.sourceCondition(.fetchFailed)?.reason == "InvalidChartReference")
        #expect(chart.artifact == artifact)

        // Default `*`: the newest stable version; a new index revision reaches the chart through the source watch.
        try await env.modifyHelm(HelmChart.kind, "demo", namespace: ns) { $0[path: "spec", "version"] = nil }
        chart = try await env.waitForSource(HelmChart.self, "demo", namespace: ns, "1.0.0") {
            $0.artifact?.revision == "1.0.0" && $0.readyCondition?.status == .true
        }
        #expect(chart.sourceCondition(.fetchFailed) == nil)

        // A hostile archive published as 9.9.9: refused naming the entry; 1.0.0 stays.
        let evil = repo.chartsDirectory + "/demo-9.9.9.tgz"
        try HelmTestRepository.writeHostileChart(to: evil, chartYAML: HelmFixtures.chartYAML(version: "9.9.9"))
        try repo.writeIndex(try repo.index().replacingOccurrences(of: "entries:\n  demo:\n", with: """
            entries:
              demo:
              - apiVersion: v2
                name: demo
                version: 9.9.9
                urls:
                - demo-9.9.9.tgz

            """))
        _ = try await env.requestHelmReconcile(HelmRepository.kind, "charts", namespace: ns)
        chart = try await env.waitForSource(HelmChart.self, "demo", namespace: ns, "ChartPullError") {
            $0.readyCondition?.status == .false
        }
        #expect(chart.readyCondition?.reason == "ChartPullError")
        #expect(chart.readyCondition?.message == "chart pull error: failed to load downloaded chart 'demo' version "
            + "'9.9.9': chart illegally references parent directory: 'demo/../../escape.yaml'")
        #expect(chart.artifact?.revision == "1.0.0")
        rendered = try await Self.template(env, try #require(chart.artifact))
        #expect(rendered.contains("chartVersion: \"1.0.0\""))
    }

    @Test func valuesFilesAreMergedIntoThePackagedChart() async throws {
        let env = try await SourceTestEnvironment.get()
        let repo = try HelmTestRepository.start(username: "helm", password: "s3cret")
        defer { repo.stop() }
        let ns = try await Self.readyRepository(env, repo, prefix: "hc-values")
        try await env.createHelmChart("demo", namespace: ns, spec: [
            "chart": "demo", "version": "0.1.x", "interval": "1h", "sourceRef": ["kind": "HelmRepository", "name": "charts"],
            "valuesFiles": ["values.yaml", "values-prod.yaml"],
        ])
        var chart = try await env.waitForSource(HelmChart.self, "demo", namespace: ns, "Ready=True") {
            $0.readyCondition?.status == .true
        }
        #expect(chart.artifact?.revision == "0.1.0+1")  // version + generation, as Flux does with values files
        #expect(chart.artifact?.path == "helmchart/\(ns)/demo/demo-0.1.0+1.tgz")
        #expect(chart.readyCondition?.reason == "ChartPackageSucceeded")
        #expect(chart.readyCondition?.message == "packaged 'demo' chart with version '0.1.0+1'")
        #expect(chart.status?.observedValuesFiles == ["values.yaml", "values-prod.yaml"])
        let rendered = try await Self.template(env, try #require(chart.artifact))
        #expect(rendered.contains("greeting: \"prod\""))
        #expect(rendered.contains("color: \"red\""))   // kept from values.yaml
        #expect(rendered.contains("size: \"large\""))  // overridden by values-prod.yaml
        #expect(rendered.contains("chartVersion: \"0.1.0+1\""))
        let artifact = try #require(chart.artifact)

        // A missing values file: BuildFailed/ValuesFilesError; the packaged chart stays.
        try await env.modifyHelm(HelmChart.kind, "demo", namespace: ns) {
            $0[path: "spec", "valuesFiles"] = ["values.yaml", "missing.yaml"]
        }
        chart = try await env.waitForSource(HelmChart.self, "demo", namespace: ns, "ValuesFilesError") {
            $0.readyCondition?.status == .false
        }
        #expect(chart.readyCondition?.reason == "ValuesFilesError")
        #expect(chart.readyCondition?.message
            == "values files merge error: failed to merge chart values: no values file found at path 'missing.yaml'")
        #expect(chart.sourceCondition(.buildFailed)?.status == .true)
        #expect(chart.sourceCondition(.fetchFailed) == nil)
        #expect(chart.artifact == artifact)
        // Retries (backoff 200 ms … 2 s here) keep failing: the stored artifact is not mistaken for this generation's.
        try await Task.sleep(for: .milliseconds(1500))
        chart = try HelmChart(from: try await env.client.get(HelmChart.kind, ObjectKey(namespace: ns, name: "demo")))
        #expect(chart.readyCondition?.reason == "ValuesFilesError")

        // ignoreMissingValuesFiles: the missing file is skipped and not reported as observed.
        try await env.modifyHelm(HelmChart.kind, "demo", namespace: ns) { $0[path: "spec", "ignoreMissingValuesFiles"] = true }
        chart = try await env.waitForSource(HelmChart.self, "demo", namespace: ns, "Ready again") {
            $0.readyCondition?.status == .true && $0.observedGeneration == $0.generation
        }
        #expect(chart.status?.observedValuesFiles == ["values.yaml"])
        #expect(chart.artifact?.revision == "0.1.0+\(chart.generation)")
        #expect(chart.sourceCondition(.buildFailed) == nil)
    }

    @Test func packagesAChartFromAGitRepository() async throws {
        let env = try await SourceTestEnvironment.get()
        let root = try ArtifactTestSupport.makeDirectory("helm-git")
        defer { ArtifactTestSupport.cleanUp(root) }
        let chartFiles = try Self.chartFiles(version: "1.2.0")
        let repository = try GitTestSupport.makeRepository(in: root)
        let first = try repository.commit(chartFiles.merging(["env/prod.yaml": "greeting: from-git\n"]) { a, _ in a },
                                          message: "Add chart")
        let server = try GitTestSupport.startHTTPServer(root: root)
        defer { server.stop() }
        let ns = try await env.makeNamespace("hc-git")
        try await env.createGitRepository("app", namespace: ns, spec: [
            "url": .string("http://127.0.0.1:\(server.port)/remote.git"), "interval": "1h", "ref": ["branch": "main"],
        ])
        try await env.createHelmChart("demo", namespace: ns, spec: [
            "chart": "./charts/demo", "interval": "1h", "reconcileStrategy": "Revision",
            "sourceRef": ["kind": "GitRepository", "name": "app"], "valuesFiles": ["charts/demo/values.yaml", "env/prod.yaml"],
        ])
        var chart = try await env.waitForSource(HelmChart.self, "demo", namespace: ns, "Ready=True") {
            $0.readyCondition?.status == .true
        }
        let short = String(first.prefix(12))
        #expect(chart.artifact?.revision == "1.2.0+\(short).1")
        #expect(chart.artifact?.path == "helmchart/\(ns)/demo/demo-1.2.0+\(short).1.tgz")
        #expect(chart.readyCondition?.reason == "ChartPackageSucceeded")
        #expect(chart.status?.observedSourceArtifactRevision == "main@sha1:\(first)")
        #expect(chart.status?.observedChartName == "demo")
        var rendered = try await Self.template(env, try #require(chart.artifact))
        #expect(rendered.contains("greeting: \"from-git\""))
        #expect(rendered.contains("color: \"red\""))
        #expect(rendered.contains("chartVersion: \"1.2.0+\(short).1\""))
        // Dependencies in charts/ travel with the package.
        let subchart = try #require(rendered.range(of: "sub-config"))
        #expect(!subchart.isEmpty)

        // A new commit reaches the chart through the GitRepository's new revision.
        let second = try repository.commit(["env/prod.yaml": "greeting: second\n"], message: "Change values")
        _ = try await env.requestReconcile("app", namespace: ns)
        chart = try await env.waitForSource(HelmChart.self, "demo", namespace: ns, "second commit") {
            $0.status?.observedSourceArtifactRevision == "main@sha1:\(second)" && $0.readyCondition?.status == .true
        }
        #expect(chart.artifact?.revision == "1.2.0+\(second.prefix(12)).1")
        rendered = try await Self.template(env, try #require(chart.artifact))
        #expect(rendered.contains("greeting: \"second\""))

        // A path with no chart: InvalidChartReference, the last artifact stays.
        let artifact = chart.artifact
        try await env.modifyHelm(HelmChart.kind, "demo", namespace: ns) { $0[path: "spec", "chart"] = "charts/nope" }
        chart = try await env.waitForSource(HelmChart.self, "demo", namespace: ns, "InvalidChartReference") {
            $0.readyCondition?.status == .false
        }
        #expect(chart.readyCondition?.reason == "InvalidChartReference")
        #expect(chart.readyCondition?.message == "invalid chart reference: no chart directory at path 'charts/nope' in "
            + "GitRepository 'app' revision 'main@sha1:\(second)'")
        #expect(chart.artifact == artifact)
    }

    @Test func credentialsGoOnlyToTheRepositoryHostUnlessPassCredentials() async throws {
        let env = try await SourceTestEnvironment.get()
        let repo = try HelmTestRepository.start(username: "helm", password: "s3cret")
        defer { repo.stop() }
        // The chart URL names another host (localhost instead of 127.0.0.1) on the same server.
        let other = "http://localhost:\(repo.server.port)/other-2.0.0.tgz"
        try repo.writeIndex(try repo.index().replacingOccurrences(of: "- other-2.0.0.tgz", with: "- " + other))
        let ns = try await Self.readyRepository(env, repo, prefix: "hc-creds")
        try await env.createHelmChart("other", namespace: ns, spec: [
            "chart": "other", "interval": "1h", "sourceRef": ["kind": "HelmRepository", "name": "charts"],
        ])
        var chart = try await env.waitForSource(HelmChart.self, "other", namespace: ns, "ChartPullError") {
            $0.readyCondition?.status == .false
        }
        #expect(chart.readyCondition?.reason == "ChartPullError")
        #expect(chart.readyCondition?.message == "chart pull error: failed to download chart for remote reference: "
            + "failed to fetch \(other) : 401 Unauthorized")
        try await env.modifyHelm(HelmRepository.kind, "charts", namespace: ns) { $0[path: "spec", "passCredentials"] = true }
        _ = try await env.requestHelmReconcile(HelmChart.kind, "other", namespace: ns)
        chart = try await env.waitForSource(HelmChart.self, "other", namespace: ns, "Ready with passCredentials") {
            $0.readyCondition?.status == .true
        }
        #expect(chart.artifact?.revision == "2.0.0")
    }

    @Test func theIndexDigestIsVerified() async throws {
        let env = try await SourceTestEnvironment.get()
        let repo = try HelmTestRepository.start(username: "helm", password: "s3cret")
        defer { repo.stop() }
        // Another chart's bytes where other-2.0.0.tgz should be: the index digest no longer matches.
        let tampered = repo.chartsDirectory + "/other-2.0.0.tgz"
        try FileManager.default.removeItem(atPath: tampered)
        try FileManager.default.copyItem(atPath: repo.chartsDirectory + "/demo-0.1.0.tgz", toPath: tampered)
        let ns = try await Self.readyRepository(env, repo, prefix: "hc-digest")
        try await env.createHelmChart("other", namespace: ns, spec: [
            "chart": "other", "interval": "1h", "sourceRef": ["kind": "HelmRepository", "name": "charts"],
        ])
        let chart = try await env.waitForSource(HelmChart.self, "other", namespace: ns, "ChartPullError") {
            $0.readyCondition?.status == .false
        }
        #expect(chart.readyCondition?.reason == "ChartPullError")
        let actual = Digest.sha256Hex(try ArtifactTestSupport.bytes(tampered))
        #expect(chart.readyCondition?.message.contains("the downloaded chart has sha256:\(actual)") == true,
                "\(chart.readyCondition?.message ?? "")")
        #expect(chart.artifact == nil)
    }

    @Test func aSourceArtifactNotServedYetIsWaitedFor() async throws {
        let env = try await SourceTestEnvironment.get()
        let ns = try await env.makeNamespace("hc-wait")
        // A suspended GitRepository (its reconciler leaves it alone) advertising an artifact nobody serves.
        try await env.createGitRepository("app", namespace: ns, spec: [
            "url": "http://127.0.0.1:1/app.git", "interval": "1h", "suspend": true,
        ])
        let path = "gitrepository/\(ns)/app/missing.tar.gz"
        let artifact: JSONValue = [
            "path": .string(path), "url": .string(env.context.storage.url(for: path)), "revision": "main@sha1:abc",
            "digest": .string("sha256:" + String(repeating: "0", count: 64)), "lastUpdateTime": "2026-01-01T00:00:00Z",
        ]
        _ = try await env.client.patch(GitRepository.kind, ObjectKey(namespace: ns, name: "app"),
                                       patch: ["status": ["artifact": artifact]], type: .merge, subresource: "status",
                                       options: WriteOptions())
        try await env.createHelmChart("demo", namespace: ns, spec: [
            "chart": "charts/demo", "interval": "1h", "sourceRef": ["kind": "GitRepository", "name": "app"],
        ])
        let chart = try await env.waitForSource(HelmChart.self, "demo", namespace: ns, "NoSourceArtifact") {
            $0.readyCondition?.reason.rawValue == "NoSourceArtifact"
        }
        #expect(chart.readyCondition?.status == .unknown)
        #expect(chart.readyCondition?.message == "no artifact available for GitRepository source 'app'")
        #expect(chart.sourceCondition(.fetchFailed) == nil)
    }

    @Test func unsupportedAndMissingSources() async throws {
        let env = try await SourceTestEnvironment.get()
        let ns = try await env.makeNamespace("hc-src")
        try await env.createHelmChart("bucket", namespace: ns, spec: [
            "chart": "demo", "interval": "1h", "sourceRef": ["kind": "Bucket", "name": "b"],
        ])
        try await env.createHelmChart("missing", namespace: ns, spec: [
            "chart": "demo", "interval": "1h", "sourceRef": ["kind": "HelmRepository", "name": "nope"],
        ])
        let bucket = try await env.waitForSource(HelmChart.self, "bucket", namespace: ns, "Stalled") {
            $0.sourceCondition(.stalled)?.status == .true
        }
        #expect(bucket.readyCondition?.reason == "UnsupportedField")
        #expect(bucket.readyCondition?.message.contains("spec.sourceRef.kind: Bucket") == true)
        let missing = try await env.waitForSource(HelmChart.self, "missing", namespace: ns, "SourceUnavailable") {
            $0.readyCondition?.status == .false
        }
        #expect(missing.readyCondition?.reason == "SourceUnavailable")
        #expect(missing.readyCondition?.message
            == "failed to get source: HelmRepository.source.toolkit.fluxcd.io \"nope\" not found")
    }

    /// A chart at `charts/demo` with a subchart packaged into its `charts/` directory.
    static func chartFiles(version: String) throws -> [String: String] {
        [
            "charts/demo/Chart.yaml": HelmFixtures.chartYAML(version: version),
            "charts/demo/values.yaml": "greeting: hello\nnested:\n  color: red\n  size: small\n",
            "charts/demo/templates/configmap.yaml": HelmFixtures.configMapTemplate,
            "charts/demo/charts/sub/Chart.yaml": HelmFixtures.chartYAML(name: "sub", version: "0.1.0"),
            "charts/demo/charts/sub/templates/cm.yaml":
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sub-config\n",
        ]
    }
}
