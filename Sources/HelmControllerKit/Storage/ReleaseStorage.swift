import GitOpsKit

/// Helm's `secrets` storage driver: one Secret `sh.helm.release.v1.<name>.v<version>` of type `helm.sh/release.v1` per
/// revision in the storage namespace, labelled `owner=helm`, `name`, `status`, `version` (plus `createdAt`/
/// `modifiedAt`), so the real `helm` CLI and helm-controller see the same history.
///
/// Usage:
/// ```swift
/// let storage = ReleaseStorage(api: client, namespace: "apps")
/// let history = try await storage.history("podinfo")        // oldest first
/// try await storage.create(release)                          // new revision
/// ```
public struct ReleaseStorage: Sendable {
    public static let secretType = "helm.sh/release.v1"
    static let secretKind = GroupVersionKind(group: "", version: "v1", kind: "Secret")
    /// Labels Helm sets itself; any other label on a release Secret is the release's own.
    static let systemLabels: Set<String> = ["name", "owner", "status", "version", "createdAt", "modifiedAt"]

    public let api: any KubernetesAPI
    public let namespace: String

    public init(api: any KubernetesAPI, namespace: String) {
        self.api = api
        self.namespace = namespace
    }

    /// The Secret name of a revision.
    public static func secretName(release: String, version: Int) -> String { "sh.helm.release.v1.\(release).v\(version)" }

    /// Every stored revision of `release`, oldest first. A corrupt Secret is an error naming it (Helm fails too).
    public func history(_ release: String) async throws(ReleaseStorageError) -> [StoredRelease] {
        let list: ObjectList
        do {
            list = try await api.listAll(Self.secretKind, namespace: namespace,
                                         options: ListOptions(labelSelector: "owner=helm,name=\(release)"))
        } catch {
            throw .api("cannot list releases of '\(release)' in '\(namespace)': \(error)")
        }
        var releases: [StoredRelease] = []
        for secret in list.items where secret["type"]?.stringValue == Self.secretType {
            releases.append(try Self.release(from: secret))
        }
        return releases.sorted { $0.version < $1.version }
    }

    /// The latest revision of `release`, or nil when it has none.
    public func last(_ release: String) async throws(ReleaseStorageError) -> StoredRelease? {
        try await history(release).last
    }

    /// One revision, or nil when it is not stored.
    public func get(_ release: String, version: Int) async throws(ReleaseStorageError) -> StoredRelease? {
        let key = ObjectKey(namespace: namespace, name: Self.secretName(release: release, version: version))
        let secret: JSONValue?
        do {
            secret = try await api.getIfPresent(Self.secretKind, key)
        } catch {
            throw .api("cannot get release Secret '\(key.name)': \(error)")
        }
        return try secret.map(Self.release(from:))
    }

    /// Stores a new revision (fails when it already exists, as Helm's driver does).
    public func create(_ release: StoredRelease, now: KubeTime = .now()) async throws(ReleaseStorageError) {
        var labels = release.labels
        labels["createdAt"] = String(now.secondsSinceEpoch)
        let secret = try Self.secret(for: release, namespace: namespace, labels: labels)
        do {
            _ = try await api.create(secret, options: WriteOptions())
        } catch {
            throw .api("cannot create release Secret '\(Self.secretName(release: release.name, version: release.version))': \(error)")
        }
    }

    /// Replaces a stored revision (status changes: superseded, failed, deployed…), keeping its `createdAt`.
    public func update(_ release: StoredRelease, now: KubeTime = .now()) async throws(ReleaseStorageError) {
        let name = Self.secretName(release: release.name, version: release.version)
        let key = ObjectKey(namespace: namespace, name: name)
        do {
            let existing = try await api.get(Self.secretKind, key)
            var labels = release.labels
            if let created = existing[path: "metadata", "labels", "createdAt"]?.stringValue { labels["createdAt"] = created }
            labels["modifiedAt"] = String(now.secondsSinceEpoch)
            let secret = try Self.secret(for: release, namespace: namespace, labels: labels,
                                         resourceVersion: existing[path: "metadata", "resourceVersion"]?.stringValue)
            _ = try await api.update(secret, options: WriteOptions())
        } catch let error as ReleaseStorageError {
            throw error
        } catch {
            throw .api("cannot update release Secret '\(name)': \(error)")
        }
    }

    /// Removes one revision; a revision already gone is not an error.
    public func delete(_ release: String, version: Int) async throws(ReleaseStorageError) {
        let name = Self.secretName(release: release, version: version)
        do {
            try await api.delete(Self.secretKind, ObjectKey(namespace: namespace, name: name), options: DeleteOptions())
        } catch where error.code == .notFound {
            return
        } catch {
            throw .api("cannot delete release Secret '\(name)': \(error)")
        }
    }

    /// Helm's `--history-max`: deletes the oldest revisions beyond `maxHistory` (0 keeps everything), never the
    /// latest deployed one.
    public func prune(_ release: String, maxHistory: Int) async throws(ReleaseStorageError) {
        guard maxHistory > 0 else { return }
        let revisions = try await history(release)
        guard revisions.count > maxHistory else { return }
        let lastDeployed = revisions.last { $0.info.status == .deployed }?.version
        var excess = revisions.count - maxHistory
        for revision in revisions where excess > 0 && revision.version != lastDeployed {
            try await delete(release, version: revision.version)
            excess -= 1
        }
    }

    static func secret(for release: StoredRelease, namespace: String, labels custom: [String: String],
                       resourceVersion: String? = nil) throws(ReleaseStorageError) -> JSONValue
    {
        var labels = custom
        labels["name"] = release.name
        labels["owner"] = "helm"
        labels["status"] = release.info.status.rawValue
        labels["version"] = String(release.version)
        let record = try ReleaseCodec.encode(release)
        var metadata: [String: JSONValue] = [
            "name": .string(secretName(release: release.name, version: release.version)),
            "namespace": .string(namespace),
            "labels": .object(labels.mapValues(JSONValue.string)),
        ]
        if let resourceVersion { metadata["resourceVersion"] = .string(resourceVersion) }
        return .object([
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": .object(metadata),
            "type": .string(secretType),
            "data": .object(["release": .string(Base64Text.encode(Array(record.utf8)))]),
        ])
    }

    static func release(from secret: JSONValue) throws(ReleaseStorageError) -> StoredRelease {
        let name = secret[path: "metadata", "name"]?.stringValue ?? "?"
        guard let data = secret[path: "data", "release"]?.stringValue, let record = Base64Text.decode(data) else {
            throw .corruptSecret(name: name, reason: "no base64 'release' data")
        }
        var labels: [String: String] = [:]
        for (key, value) in secret[path: "metadata", "labels"]?.objectValue ?? [:] where !systemLabels.contains(key) {
            labels[key] = value.stringValue
        }
        do {
            return try ReleaseCodec.decode(String(decoding: record, as: UTF8.self), labels: labels)
        } catch {
            throw .corruptSecret(name: name, reason: "\(error)")
        }
    }
}
