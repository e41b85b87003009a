import Foundation
import GitOpsKit
import GitOpsTestSupport
import SourceControllerKit
import Testing

/// HelmRepository against a real chart repository (charts by `helm package`, index by `helm repo index`) behind
/// basic auth: the index artifact and its digest, then bad input keeping the last good artifact, recovery and
/// deletion.
@Suite(.serialized)
struct HelmRepositoryTests {
    @Test func indexLifecycleWithBasicAuth() async throws {
        let env = try await SourceTestEnvironment.get()
        let repo = try HelmTestRepository.start(username: "helm", password: "s3cret")
        defer { repo.stop() }
        let ns = try await env.makeNamespace("helmrepo")
        try await env.createSecret("auth", namespace: ns, data: ["username": "helm", "password": "s3cret"])
        try await env.createHelmRepository("charts", namespace: ns, spec: [
            "url": .string(repo.url), "interval": "1h", "secretRef": ["name": "auth"],
        ])

        var helmRepo = try await env.waitForSource(HelmRepository.self, "charts", namespace: ns, "Ready=True") {
            $0.readyCondition?.status == .true
        }
        let served = try ArtifactTestSupport.bytes(repo.chartsDirectory + "/index.yaml")
        let hex = Digest.sha256Hex(served)
        let artifact = try #require(helmRepo.artifact)
        #expect(artifact.revision == "sha256:\(hex)")
        #expect(artifact.digest == "sha256:\(hex)")
        #expect(artifact.path == "helmrepository/\(ns)/charts/index-\(hex).yaml")
        #expect(artifact.size == Int64(served.count))
        #expect(helmRepo.readyCondition?.reason == "Succeeded")
        #expect(helmRepo.readyCondition?.message == "stored artifact: revision 'sha256:\(hex)'")
        #expect(helmRepo.sourceCondition(.artifactInStorage)?.status == .true)
        #expect(helmRepo.sourceCondition(.reconciling) == nil)
        #expect(helmRepo.observedGeneration == helmRepo.generation)
        #expect(helmRepo.metadata.finalizers == ["finalizers.fluxcd.io"])
        #expect(helmRepo.status?.url?.hasSuffix("/helmrepository/\(ns)/charts/index.yaml") == true)
        let downloaded = try await HTTPClient().execute(HTTPClientRequest(url: artifact.url))
        #expect(downloaded.body == served)
        let link = try await HTTPClient().execute(HTTPClientRequest(url: try #require(helmRepo.status?.url)))
        #expect(link.body == served)
        let events = try await env.eventReasons(for: "charts", namespace: ns)
        #expect(events["NewArtifact"]?.first?.hasPrefix("stored fetched index of size ") == true, "\(events)")

        // Wrong password: FetchFailed with the server's answer; the artifact stays.
        try await env.updateSecret("auth", namespace: ns, data: ["username": "helm", "password": "wrong"])
        _ = try await env.requestHelmReconcile(HelmRepository.kind, "charts", namespace: ns)
        helmRepo = try await env.waitForSource(HelmRepository.self, "charts", namespace: ns, "401") {
            $0.readyCondition?.status == .false
        }
        #expect(helmRepo.readyCondition?.reason == "Failed")
        #expect(helmRepo.readyCondition?.message
            == "failed to fetch Helm repository index: failed to fetch \(repo.url)/index.yaml : 401 Unauthorized")
        #expect(helmRepo.sourceCondition(.fetchFailed)?.status == .true)
        #expect(helmRepo.sourceCondition(.reconciling)?.reason == "ProgressingWithRetry")
        #expect(helmRepo.artifact == artifact)
        #expect(helmRepo.sourceCondition(.artifactInStorage)?.status == .true)

        // Malformed index: IndexationFailed naming the YAML problem; the artifact stays.
        try await env.updateSecret("auth", namespace: ns, data: ["username": "helm", "password": "s3cret"])
        let good = try repo.index()
        try repo.writeIndex("apiVersion: v1\nentries:\n  demo: [\n")
        let token = try await env.requestHelmReconcile(HelmRepository.kind, "charts", namespace: ns)
        // (A backoff retry of the 401 may report the broken index first; wait for the reconcile of this request.)
        helmRepo = try await env.waitForSource(HelmRepository.self, "charts", namespace: ns, "IndexationFailed") {
            $0.readyCondition?.reason.rawValue == "IndexationFailed" && $0.lastHandledReconcileAt == token
        }
        #expect(helmRepo.readyCondition?.message.hasPrefix(
            "failed to load Helm repository from index YAML: malformed index.yaml: ") == true)
        #expect(helmRepo.sourceCondition(.fetchFailed)?.reason.rawValue == "IndexationFailed")
        #expect(helmRepo.artifact == artifact)
        #expect(helmRepo.lastHandledReconcileAt == token)
        try repo.writeIndex("entries: {}\n")
        _ = try await env.requestHelmReconcile(HelmRepository.kind, "charts", namespace: ns)
        helmRepo = try await env.waitForSource(HelmRepository.self, "charts", namespace: ns, "no apiVersion") {
            $0.readyCondition?.message.contains("no API version specified") == true
        }
        #expect(helmRepo.artifact == artifact)

        // Recovery with a changed index: a new revision, and the old file goes with retention.
        try repo.writeIndex(good + "# changed\n")
        _ = try await env.requestHelmReconcile(HelmRepository.kind, "charts", namespace: ns)
        helmRepo = try await env.waitForSource(HelmRepository.self, "charts", namespace: ns, "new revision") {
            $0.readyCondition?.status == .true && $0.artifact?.revision != artifact.revision
        }
        let newHex = Digest.sha256Hex(Array((good + "# changed\n").utf8))
        #expect(helmRepo.artifact?.revision == "sha256:\(newHex)")
        #expect(helmRepo.sourceCondition(.fetchFailed) == nil)
        #expect(FileManager.default.fileExists(atPath: env.storagePath + "/helmrepository/\(ns)/charts/index-\(newHex).yaml"))

        // Deletion removes the artifacts and releases the finalizer.
        _ = try await env.client.delete(HelmRepository.kind, ObjectKey(namespace: ns, name: "charts"), options: DeleteOptions())
        try await env.waitUntilGone(HelmRepository.kind, "charts", namespace: ns)
        #expect(!FileManager.default.fileExists(atPath: env.storagePath + "/helmrepository/\(ns)/charts"))
    }

    @Test func mutualTLSFromCertSecretRef() async throws {
        let env = try await SourceTestEnvironment.get()
        let work = try ArtifactTestSupport.makeDirectory("helm-tls")
        defer { ArtifactTestSupport.cleanUp(work) }
        let pki = try HelmTestPKI(in: work + "/pki")
        let repo = try HelmTestRepository.start(tls: pki)
        defer { repo.stop() }
        let ns = try await env.makeNamespace("helmrepo-tls")
        try await env.createSecret("tls", namespace: ns, data: [
            "ca.crt": try pki.text("ca.crt"), "tls.crt": try pki.text("client.crt"), "tls.key": try pki.text("client.key"),
        ])
        try await env.createHelmRepository("secure", namespace: ns, spec: [
            "url": .string(repo.url), "interval": "1h", "certSecretRef": ["name": "tls"],
        ])
        try await env.createHelmRepository("untrusted", namespace: ns, spec: ["url": .string(repo.url), "interval": "1h"])
        let secure = try await env.waitForSource(HelmRepository.self, "secure", namespace: ns, "Ready=True") {
            $0.readyCondition?.status == .true
        }
        #expect(secure.artifact?.revision == "sha256:" + Digest.sha256Hex(try ArtifactTestSupport.bytes(repo.chartsDirectory + "/index.yaml")))
        let untrusted = try await env.waitForSource(HelmRepository.self, "untrusted", namespace: ns, "TLS failure") {
            $0.readyCondition?.status == .false
        }
        #expect(untrusted.readyCondition?.reason == "Failed")
        #expect(untrusted.readyCondition?.message.hasPrefix("failed to fetch Helm repository index: tls") == true,
                "\(untrusted.readyCondition?.message ?? "")")

        // A chart through the same mutual-TLS client.
        try await env.createHelmChart("demo", namespace: ns, spec: [
            "chart": "demo", "interval": "1h", "sourceRef": ["kind": "HelmRepository", "name": "secure"],
        ])
        let chart = try await env.waitForSource(HelmChart.self, "demo", namespace: ns, "chart Ready") {
            $0.readyCondition?.status == .true
        }
        #expect(chart.artifact?.revision == "1.0.0")
    }

    @Test func badInputIsReportedPrecisely() async throws {
        let env = try await SourceTestEnvironment.get()
        let ns = try await env.makeNamespace("helmrepo-bad")
        // Nothing listens on port 1.
        try await env.createHelmRepository("unreachable", namespace: ns, spec: ["url": "http://127.0.0.1:1/charts", "interval": "1h"])
        try await env.createHelmRepository("nosecret", namespace: ns, spec: [
            "url": "http://127.0.0.1:1/charts", "interval": "1h", "secretRef": ["name": "missing"],
        ])
        try await env.createHelmRepository("oci", namespace: ns, spec: [
            "url": "oci://ghcr.io/stefanprodan/charts", "interval": "1h", "type": "oci",
        ])

        let unreachable = try await env.waitForSource(HelmRepository.self, "unreachable", namespace: ns, "FetchFailed") {
            $0.readyCondition?.status == .false
        }
        #expect(unreachable.readyCondition?.reason == "Failed")
        #expect(unreachable.readyCondition?.message.hasPrefix("failed to fetch Helm repository index: ") == true)
        #expect(unreachable.readyCondition?.message.contains("127.0.0.1:1/charts/index.yaml") == true)
        #expect(unreachable.artifact == nil)
        #expect(unreachable.sourceCondition(.artifactInStorage) == nil)

        let noSecret = try await env.waitForSource(HelmRepository.self, "nosecret", namespace: ns, "AuthenticationFailed") {
            $0.readyCondition?.status == .false
        }
        #expect(noSecret.readyCondition?.reason == "AuthenticationFailed")
        #expect(noSecret.readyCondition?.message
            == "failed to get authentication secret '\(ns)/missing': secrets \"missing\" not found")
        #expect(noSecret.sourceCondition(.fetchFailed)?.reason == "AuthenticationFailed")

        let oci = try await env.waitForSource(HelmRepository.self, "oci", namespace: ns, "Stalled") {
            $0.sourceCondition(.stalled)?.status == .true
        }
        #expect(oci.readyCondition?.status == .false)
        #expect(oci.readyCondition?.reason == "UnsupportedField")
        #expect(oci.readyCondition?.message.contains("spec.type: oci") == true)
        #expect(oci.observedGeneration == oci.generation)
        // A suspended repository is left alone: no finalizer, no status.
        try await env.createHelmRepository("suspended", namespace: ns, spec: [
            "url": "http://127.0.0.1:1/charts", "interval": "1h", "suspend": true,
        ])
        try await Task.sleep(for: .milliseconds(800))
        let suspended = try HelmRepository(from: try await env.client.get(HelmRepository.kind, ObjectKey(namespace: ns, name: "suspended")))
        #expect(suspended.status?.conditions == nil)
        let events = try await env.eventReasons(for: "nosecret", namespace: ns)
        #expect(events["AuthenticationFailed"] != nil, "\(events)")
    }
}

extension SourceTestEnvironment {
    /// Sets `reconcile.fluxcd.io/requestedAt` on a Helm object to a new token and returns it.
    func requestHelmReconcile(_ kind: GroupVersionKind, _ name: String, namespace: String) async throws -> String {
        let token = "\(Date().timeIntervalSince1970)-\(UUID().uuidString.prefix(4))"
        try await modifyHelm(kind, name, namespace: namespace) {
            $0[path: "metadata", "annotations", FluxAnnotation.reconcileRequestedAt] = .string(token)
        }
        return token
    }

    /// Waits until the object is gone (its finalizer released).
    func waitUntilGone(_ kind: GroupVersionKind, _ name: String, namespace: String, timeout: Duration = .seconds(20))
        async throws
    {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await client.getIfPresent(kind, ObjectKey(namespace: namespace, name: name)) == nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("\(kind.kind) \(namespace)/\(name) still exists after \(timeout)")
        throw WaitTimeout(description: "deletion of \(name)")
    }
}
