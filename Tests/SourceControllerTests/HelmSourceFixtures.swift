import Foundation
import GitOpsKit
import GitOpsTestSupport
import SourceControllerKit
import Testing

/// Objects and waits for the Helm kinds on the shared ``SourceTestEnvironment``.
extension SourceTestEnvironment {
    @discardableResult
    func createHelmRepository(_ name: String, namespace: String, spec: JSONValue) async throws -> JSONValue {
        try await client.create(
            ["apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmRepository",
             "metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": spec],
            options: WriteOptions())
    }

    @discardableResult
    func createHelmChart(_ name: String, namespace: String, spec: JSONValue) async throws -> JSONValue {
        try await client.create(
            ["apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmChart",
             "metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": spec],
            options: WriteOptions())
    }

    /// Applies `change` to a Helm object's JSON and updates it (retrying on conflicts).
    func modifyHelm(_ kind: GroupVersionKind, _ name: String, namespace: String, _ change: (inout JSONValue) -> Void)
        async throws
    {
        for attempt in 0..<5 {
            var object = try await client.get(kind, ObjectKey(namespace: namespace, name: name))
            change(&object)
            do {
                _ = try await client.update(object, options: WriteOptions())
                return
            } catch {
                guard error.code == .conflict, attempt < 4 else { throw error }
            }
        }
    }

    /// Polls a Flux source until `condition` holds; fails the test with the last status when it never does.
    @discardableResult
    func waitForSource<Object: FluxSource>(_ type: Object.Type, _ name: String, namespace: String,
                                           timeout: Duration = .seconds(30), _ what: String,
                                           sourceLocation: SourceLocation = #_sourceLocation,
                                           _ condition: (Object) -> Bool) async throws -> Object
    {
        let deadline = ContinuousClock.now + timeout
        var last: Object?
        while ContinuousClock.now < deadline {
            if let object = try? await client.get(Object.kind, ObjectKey(namespace: namespace, name: name)),
               let decoded = try? Object(from: object)
            {
                last = decoded
                if condition(decoded) { return decoded }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let status = last.map { "\($0.toJSON()["status"] ?? .null)" } ?? "object missing"
        Issue.record("timed out waiting for \(what) on \(Object.kind.kind) \(namespace)/\(name); status: \(status)",
                     sourceLocation: sourceLocation)
        throw WaitTimeout(description: what)
    }

    /// Downloads `artifact.url` to a file after checking the advertised digest.
    func downloadArtifactFile(_ artifact: Artifact, to file: String) async throws {
        let fetcher = ArtifactFetcher(client: HTTPClient(), temporaryDirectory: scratch)
        try await fetcher.download(url: artifact.url, digest: try #require(artifact.digest), to: file)
    }
}

extension FluxSource {
    func sourceCondition(_ type: ConditionType) -> Condition? { conditions[type] }
    var readyCondition: Condition? { conditions[.ready] }
}
