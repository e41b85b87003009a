import GitOpsKit
import Logging

/// Requests reconciliation of a Receiver's `spec.resources` by setting `reconcile.fluxcd.io/requestedAt` (a JSON
/// merge patch on the annotations only): the one coupling between a webhook and the controllers that own the objects.
struct ReceiverResourceAnnotator: Sendable {
    let api: any KubernetesAPI
    let logger: Logger

    /// Flux's defaults when `apiVersion` is omitted (`receiver_handlers.go`).
    static let defaultAPIVersions = [
        "Bucket": "source.toolkit.fluxcd.io/v1",
        "HelmChart": "source.toolkit.fluxcd.io/v1",
        "HelmRepository": "source.toolkit.fluxcd.io/v1",
        "GitRepository": "source.toolkit.fluxcd.io/v1",
        "OCIRepository": "source.toolkit.fluxcd.io/v1beta2",
        "ImageRepository": "image.toolkit.fluxcd.io/v1beta2",
    ]

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Annotates every resource of `receiver`; returns the failures (one per resource entry), empty on success.
    func annotateAll(of receiver: Receiver, token: String) async -> [Failure] {
        var failures: [Failure] = []
        for resource in receiver.spec.resources {
            do {
                try await annotate(resource, defaultNamespace: receiver.namespace ?? "default", token: token)
            } catch {
                failures.append(error)
            }
        }
        return failures
    }

    private func annotate(_ resource: Receiver.Resource, defaultNamespace: String, token: String) async throws(Failure) {
        let namespace = resource.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? defaultNamespace
        guard let apiVersion = resource.apiVersion.flatMap({ $0.isEmpty ? nil : $0 }) ?? Self.defaultAPIVersions[resource.kind] else {
            throw Failure(description: "apiVersion must be specified for kind '\(resource.kind)'")
        }
        let parts = apiVersion.split(separator: "/", maxSplits: 1).map(String.init)
        let kind = parts.count == 2
            ? GroupVersionKind(group: parts[0], version: parts[1], kind: resource.kind)
            : GroupVersionKind(group: "", version: apiVersion, kind: resource.kind)
        guard resource.name == "*" else {
            try await patch(kind, ObjectKey(namespace: namespace, name: resource.name), token: token)
            return
        }
        guard let labels = resource.matchLabels else {
            throw Failure(description: "matchLabels field not set when using wildcard '*' as name")
        }
        let selector = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        let objects: [JSONValue]
        do {
            objects = try await api.listAll(kind, namespace: namespace, options: ListOptions(labelSelector: selector)).items
        } catch {
            throw Failure(description: "failed listing resources in namespace \"\(namespace)\" by matching labels \"\(selector)\": \(error)")
        }
        if objects.isEmpty {
            logger.error("no '\(resource.kind)' resources found with matching labels '\(selector)' in '\(namespace)' namespace")
        }
        for object in objects {
            guard let key = ObjectKey(of: object) else { continue }
            try await patch(kind, key, token: token)
        }
    }

    private func patch(_ kind: GroupVersionKind, _ key: ObjectKey, token: String) async throws(Failure) {
        let patch: JSONValue = ["metadata": ["annotations": [FluxAnnotation.reconcileRequestedAt: .string(token)]]]
        do {
            _ = try await api.patch(kind, key, patch: patch, type: .merge, subresource: nil, options: WriteOptions())
        } catch {
            throw Failure(description: "unable to annotate \(kind.kind) '\(key)' error: \(error)")
        }
        logger.info("resource '\(kind.kind)/\(key.name).\(key.namespace ?? "")' annotated")
    }
}
