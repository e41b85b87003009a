// Shared kustomize-style pieces of the Kustomization and HelmRelease specs (`fluxcd/pkg/apis/kustomize`).

/// Selects objects by GVK, name, namespace and label/annotation selectors (kustomize `Selector`).
public struct KustomizeSelector: Codable, Hashable, Sendable {
    public var group: String?
    public var version: String?
    public var kind: String?
    /// A regular expression matched against the whole name.
    public var name: String?
    public var namespace: String?
    public var annotationSelector: String?
    public var labelSelector: String?

    public init(group: String? = nil, version: String? = nil, kind: String? = nil, name: String? = nil,
                namespace: String? = nil, annotationSelector: String? = nil, labelSelector: String? = nil) {
        self.group = group
        self.version = version
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.annotationSelector = annotationSelector
        self.labelSelector = labelSelector
    }
}

/// A strategic-merge or JSON 6902 patch (YAML text) and the objects it targets.
public struct KustomizePatch: Codable, Hashable, Sendable {
    public var patch: String
    public var target: KustomizeSelector?

    public init(patch: String, target: KustomizeSelector? = nil) {
        self.patch = patch
        self.target = target
    }
}

/// An image override (kustomize `images:` entry).
public struct KustomizeImage: Codable, Hashable, Sendable {
    public var name: String
    public var newName: String?
    public var newTag: String?
    public var digest: String?

    public init(name: String, newName: String? = nil, newTag: String? = nil, digest: String? = nil) {
        self.name = name
        self.newName = newName
        self.newTag = newTag
        self.digest = digest
    }
}

/// CEL expressions that decide the health of a kind (`healthCheckExprs`).
public struct CustomHealthCheck: Codable, Hashable, Sendable {
    public var apiVersion: String
    public var kind: String?
    /// True when the object is healthy.
    public var current: String
    public var inProgress: String?
    public var failed: String?

    public init(apiVersion: String, kind: String? = nil, current: String, inProgress: String? = nil,
                failed: String? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.current = current
        self.inProgress = inProgress
        self.failed = failed
    }
}

/// JSON pointers excluded from drift detection and apply, optionally only for `target` objects.
public struct IgnoreRule: Codable, Hashable, Sendable {
    /// RFC 6901 JSON pointers, e.g. `/spec/replicas`.
    public var paths: [String]
    public var target: KustomizeSelector?

    public init(paths: [String], target: KustomizeSelector? = nil) {
        self.paths = paths
        self.target = target
    }
}

/// Labels and annotations added to every applied object (`commonMetadata`).
public struct CommonMetadata: Codable, Hashable, Sendable {
    public var annotations: [String: String]?
    public var labels: [String: String]?

    public init(annotations: [String: String]? = nil, labels: [String: String]? = nil) {
        self.annotations = annotations
        self.labels = labels
    }
}
