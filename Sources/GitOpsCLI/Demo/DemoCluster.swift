import Foundation
import GitOpsKit

/// What the demo reads from (and the drift it writes to) the API server: the Flux objects' status, the app's live
/// objects and the controllers' Events.
struct DemoCluster {
    static let fluxNamespace = "flux-system"
    static let deploymentKind = GroupVersionKind(group: "apps", version: "v1", kind: "Deployment")
    static let configMapKind = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")

    let api: KubeClient
    /// The GitRepository and the Kustomization, both in `flux-system`.
    let name: String

    /// One Event a controller recorded.
    struct RecordedEvent {
        var reason: String
        var message: String
    }

    func gitRepository() async throws -> GitRepository? {
        try await api.getIfPresent(GitRepository.kind, ObjectKey(namespace: Self.fluxNamespace, name: name))
            .map { try GitRepository(from: $0) }
    }

    func kustomization() async throws -> Kustomization? {
        try await api.getIfPresent(Kustomization.kind, ObjectKey(namespace: Self.fluxNamespace, name: name))
            .map { try Kustomization(from: $0) }
    }

    func helmRepository() async throws -> HelmRepository? {
        try await api.getIfPresent(HelmRepository.kind, ObjectKey(namespace: Self.fluxNamespace, name: DemoApp.helmName))
            .map { try HelmRepository(from: $0) }
    }

    func helmRelease() async throws -> HelmRelease? {
        try await api.getIfPresent(HelmRelease.kind, ObjectKey(namespace: Self.fluxNamespace, name: DemoApp.helmName))
            .map { try HelmRelease(from: $0) }
    }

    func deployment(_ name: String = DemoApp.name) async throws -> JSONValue? {
        try await api.getIfPresent(Self.deploymentKind, ObjectKey(namespace: DemoApp.namespace, name: name))
    }

    /// A ConfigMap of the app's namespace by name (the Helm chart's, for one).
    func configMap(named name: String) async throws -> JSONValue? {
        try await api.getIfPresent(Self.configMapKind, ObjectKey(namespace: DemoApp.namespace, name: name))
    }

    func configMap() async throws -> JSONValue? {
        try await api.getIfPresent(Self.configMapKind, ObjectKey(namespace: DemoApp.namespace, name: DemoApp.configMapName))
    }

    /// Polls `check` every 100 ms until it returns a value; after `timeout` fails with `what` and `state()`'s
    /// description of where things stand.
    @discardableResult
    func waitFor<T>(_ what: String, timeout: Duration = .seconds(30), state: () async -> String = { "" },
                    _ check: () async throws -> T?) async throws -> T
    {
        if let value = try await Self.poll(timeout: timeout, check) { return value }
        let detail = await state()
        throw DemoError("timed out after \(timeout) waiting for \(what)" + (detail.isEmpty ? "" : "; \(detail)"))
    }

    /// Polls `check` every 100 ms until it returns a value, or nil after `timeout`.
    static func poll<T>(timeout: Duration, _ check: () async throws -> T?) async throws -> T? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let value = try await check() { return value }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await check()
    }

    /// The API server's current resourceVersion: Events newer than it are what happens next. (Comparing
    /// resourceVersions as numbers is only valid on the emulator, whose versions are one global counter.)
    func eventMarker() async throws -> Int {
        Int(try await api.list(EventRecorder.eventKind, namespace: Self.fluxNamespace, options: ListOptions(limit: 1))
            .resourceVersion ?? "") ?? 0
    }

    /// The Events about `kind`/`name` (default: the GitRepository's and Kustomization's name) written or updated
    /// after `marker`, oldest first.
    func events(about kind: String, named objectName: String? = nil, after marker: Int) async throws -> [RecordedEvent] {
        let objectName = objectName ?? name
        let list = try await api.listAll(EventRecorder.eventKind, namespace: Self.fluxNamespace)
        return list.items
            .filter { $0[path: "involvedObject", "kind"]?.stringValue == kind && $0[path: "involvedObject", "name"]?.stringValue == objectName }
            .compactMap { event -> (Int, RecordedEvent)? in
                guard let version = Int(event[path: "metadata", "resourceVersion"]?.stringValue ?? ""), version > marker
                else { return nil }
                return (version, RecordedEvent(reason: event["reason"]?.stringValue ?? "",
                                               message: event["message"]?.stringValue ?? ""))
            }
            .sorted { $0.0 < $1.0 }
            .map(\.1)
    }

    /// Waits (up to 5 s) for the first Event about `kind`/`objectName` with `reason` after `marker`.
    func waitForEvent(about kind: String, named objectName: String? = nil, reason: String, after marker: Int) async throws
        -> RecordedEvent
    {
        try await waitFor("a \(reason) event about \(kind)/\(objectName ?? name)", timeout: .seconds(5)) {
            try await events(about: kind, named: objectName, after: marker).first { $0.reason == reason }
        }
    }

    /// `2/3 replicas ready`: the Deployment's ready replicas out of `spec.replicas`.
    static func rollout(of deployment: JSONValue?) -> String {
        guard let deployment else { return "absent" }
        let replicas = deployment[path: "spec", "replicas"]?.intValue ?? 0
        let ready = deployment[path: "status", "readyReplicas"]?.intValue ?? 0
        return "\(ready)/\(replicas) replicas ready"
    }

    static func isRolledOut(_ deployment: JSONValue?, replicas: Int64) -> Bool {
        guard let deployment else { return false }
        return deployment[path: "spec", "replicas"]?.intValue == replicas
            && deployment[path: "status", "readyReplicas"]?.intValue == replicas
            && deployment[path: "status", "observedGeneration"]?.intValue == deployment[path: "metadata", "generation"]?.intValue
    }
}
