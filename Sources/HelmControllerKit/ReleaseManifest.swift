import GitOpsKit
import HelmRender

/// The objects of a release: parsed from the rendered manifests (or a stored release's manifest text), with the
/// ownership metadata Helm sets (`app.kubernetes.io/managed-by: Helm`, `meta.helm.sh/release-name`/`-namespace`) so
/// the real `helm` CLI accepts them as the release's, and the release namespace on namespaced objects without one.
enum ReleaseManifest {
    static let managedByLabel = "app.kubernetes.io/managed-by"
    static let releaseNameAnnotation = "meta.helm.sh/release-name"
    static let releaseNamespaceAnnotation = "meta.helm.sh/release-namespace"

    /// Helm's `Release.Manifest` text: every document framed as `---\n# Source: PATH\nDOCUMENT\n` (no source line
    /// for a document a post-renderer made).
    static func text(of manifests: [RenderedRelease.Manifest]) -> String {
        manifests.map { "---\n" + ($0.path.isEmpty ? "" : "# Source: \($0.path)\n") + "\($0.content)\n" }.joined()
    }

    /// The documents of a stored manifest text, in order (comments and empty documents dropped).
    static func documents(_ text: String) throws(HelmReleaseFailure) -> [JSONValue] {
        do {
            return try YAML.decodeAll(text).filter { !$0.isNull }
        } catch {
            throw HelmReleaseFailure(.reconciliationFailed, "failed to parse release manifest: \(error)")
        }
    }

    /// `documents` ready to apply for release `name` in `namespace`.
    static func objects(_ documents: [JSONValue], release name: String, namespace: String, api: any KubernetesAPI)
        async throws(HelmReleaseFailure) -> [JSONValue]
    {
        var result: [JSONValue] = []
        for var object in documents {
            guard let identity = ResourceIdentity(of: object) else {
                throw HelmReleaseFailure(.reconciliationFailed,
                    "manifest document has no apiVersion, kind or metadata.name: \(String(decoding: object.jsonBytes().prefix(200), as: UTF8.self))")
            }
            if identity.namespace == nil, let mapping = try? await api.mapping(for: identity.kind), mapping.namespaced {
                object[path: "metadata", "namespace"] = .string(namespace)
            }
            object[path: "metadata", "labels", managedByLabel] = "Helm"
            object[path: "metadata", "annotations", releaseNameAnnotation] = .string(name)
            object[path: "metadata", "annotations", releaseNamespaceAnnotation] = .string(namespace)
            result.append(object)
        }
        return result
    }

    /// The identities of `objects` (as applied: namespace filled in).
    static func identities(_ objects: [JSONValue]) -> [ResourceIdentity] {
        objects.compactMap(ResourceIdentity.init(of:))
    }
}
