import FoundationEssentials

/// A CRD that was applied but not reported `Established` in time.
public struct CRDInstallError: Error, Sendable, CustomStringConvertible {
    /// `metadata.name` of the CRD, `<plural>.<group>`.
    public var name: String
    public var description: String { "CustomResourceDefinition \(name) was not Established within 10 s" }

    public init(name: String) { self.name = name }
}

extension KubeClient {
    /// Applies the CRDs of `directory` (those of `groups`, or all) and waits until each is Established (10 s at most
    /// each), then drops the discovery cache so the new kinds resolve. Used by `gok demo`, test environments and
    /// benchmarks.
    ///
    /// - Returns: the CRDs installed, in file-name order.
    /// - Throws: `CRDManifestError` for an unreadable directory or file, `KubeError` when the server rejects one,
    ///   `CRDInstallError` when one is not Established in time.
    @discardableResult
    public func installCRDs(from directory: String, groups: Set<String>? = nil, fieldManager: String = "gitopskit-tests")
        async throws -> [CRDManifest]
    {
        let crdKind = GroupVersionKind(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition")
        let manifests = try CRDManifests.load(fromDirectory: directory).filter { manifest in
            groups.map { $0.contains(manifest.group) } ?? true
        }
        for manifest in manifests {
            _ = try await apply(manifest.object, fieldManager: fieldManager)
            let deadline = ContinuousClock.now + .seconds(10)
            while true {
                let crd = try await get(crdKind, ObjectKey(namespace: nil, name: manifest.name))
                if (crd[path: "status", "conditions"]?.arrayValue ?? []).contains(where: {
                    $0["type"] == "Established" && $0["status"] == "True"
                }) { break }
                guard ContinuousClock.now < deadline else { throw CRDInstallError(name: manifest.name) }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        invalidateDiscovery()
        return manifests
    }
}
