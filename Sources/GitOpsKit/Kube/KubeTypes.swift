/// A kind in an API group version, e.g. `apps/v1 Deployment` or `v1 ConfigMap` (core group = "").
public struct GroupVersionKind: Hashable, Sendable, CustomStringConvertible {
    public var group: String
    public var version: String
    public var kind: String

    public init(group: String, version: String, kind: String) {
        self.group = group
        self.version = version
        self.kind = kind
    }

    /// Splits an `apiVersion` (`apps/v1`, `v1`) and pairs it with `kind`.
    public init(apiVersion: String, kind: String) {
        if let slash = apiVersion.firstIndex(of: "/") {
            self.init(group: String(apiVersion[..<slash]), version: String(apiVersion[apiVersion.index(after: slash)...]), kind: kind)
        } else {
            self.init(group: "", version: apiVersion, kind: kind)
        }
    }

    /// The kind of a Kubernetes object from its `apiVersion` and `kind`, or `nil` when either is missing.
    public init?(of object: JSONValue) {
        guard let apiVersion = object["apiVersion"]?.stringValue, let kind = object["kind"]?.stringValue,
              !apiVersion.isEmpty, !kind.isEmpty else { return nil }
        self.init(apiVersion: apiVersion, kind: kind)
    }

    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    public var description: String { "\(apiVersion), Kind=\(kind)" }
}

/// A REST resource, e.g. `apps/v1 deployments`.
public struct GroupVersionResource: Hashable, Sendable, CustomStringConvertible {
    public var group: String
    public var version: String
    public var resource: String

    public init(group: String, version: String, resource: String) {
        self.group = group
        self.version = version
        self.resource = resource
    }

    public var description: String { group.isEmpty ? "\(version)/\(resource)" : "\(group)/\(version)/\(resource)" }
}

/// How a kind is served: its resource name and whether objects live in a namespace.
public struct ResourceMapping: Hashable, Sendable {
    public var kind: GroupVersionKind
    public var resource: GroupVersionResource
    public var namespaced: Bool

    public init(kind: GroupVersionKind, resource: GroupVersionResource, namespaced: Bool) {
        self.kind = kind
        self.resource = resource
        self.namespaced = namespaced
    }
}

/// The name of one object: namespace (nil for cluster-scoped kinds) and name.
public struct ObjectKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var namespace: String?
    public var name: String

    public init(namespace: String?, name: String) {
        self.namespace = namespace
        self.name = name
    }

    /// The key of an object from its `metadata`, or `nil` without a name.
    public init?(of object: JSONValue) {
        guard let name = object[path: "metadata", "name"]?.stringValue else { return nil }
        let namespace = object[path: "metadata", "namespace"]?.stringValue
        self.init(namespace: namespace?.isEmpty == true ? nil : namespace, name: name)
    }

    /// `namespace/name`, or `name` for cluster-scoped objects (the work-queue key format of client-go).
    public var description: String { namespace.map { "\($0)/\(name)" } ?? name }

    public static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        (lhs.namespace ?? "", lhs.name) < (rhs.namespace ?? "", rhs.name)
    }
}

/// The patch formats the API server accepts.
public enum PatchType: Sendable, Hashable {
    /// RFC 7386 JSON merge patch (`application/merge-patch+json`).
    case merge
    /// RFC 6902 JSON patch (`application/json-patch+json`).
    case json
    /// Kubernetes strategic merge patch (`application/strategic-merge-patch+json`), built-in kinds only.
    case strategicMerge
    /// Server-side apply (`application/apply-patch+yaml`) as `fieldManager`; `force` takes conflicting fields.
    case apply(fieldManager: String, force: Bool)

    public var contentType: String {
        switch self {
        case .merge: "application/merge-patch+json"
        case .json: "application/json-patch+json"
        case .strategicMerge: "application/strategic-merge-patch+json"
        case .apply: "application/apply-patch+yaml"
        }
    }
}

/// Options of a list request.
public struct ListOptions: Sendable, Hashable {
    public var labelSelector: String?
    public var fieldSelector: String?
    public var limit: Int?
    public var continueToken: String?
    /// `""`/nil: the latest state; `"0"`: any cached state.
    public var resourceVersion: String?

    public init(labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil,
                continueToken: String? = nil, resourceVersion: String? = nil) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continueToken = continueToken
        self.resourceVersion = resourceVersion
    }
}

/// Options of a watch request.
public struct WatchOptions: Sendable, Hashable {
    /// Start after this resourceVersion (events newer than it); nil: from now, preceded by synthetic ADDED events.
    public var resourceVersion: String?
    public var labelSelector: String?
    public var fieldSelector: String?
    public var allowWatchBookmarks: Bool
    /// The server ends the watch after this many seconds (the client then resumes); stay below 295.
    public var timeoutSeconds: Int?

    public init(resourceVersion: String? = nil, labelSelector: String? = nil, fieldSelector: String? = nil,
                allowWatchBookmarks: Bool = true, timeoutSeconds: Int? = nil) {
        self.resourceVersion = resourceVersion
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.allowWatchBookmarks = allowWatchBookmarks
        self.timeoutSeconds = timeoutSeconds
    }
}

/// Options of a create, update or patch.
public struct WriteOptions: Sendable, Hashable {
    /// `dryRun=All`: validated and defaulted, never persisted.
    public var dryRun: Bool
    public var fieldManager: String?

    public init(dryRun: Bool = false, fieldManager: String? = nil) {
        self.dryRun = dryRun
        self.fieldManager = fieldManager
    }
}

/// Options of a delete.
public struct DeleteOptions: Sendable, Hashable {
    public enum Propagation: String, Sendable, Hashable { case background = "Background", foreground = "Foreground", orphan = "Orphan" }
    public var propagationPolicy: Propagation?
    public var dryRun: Bool
    /// Delete only if the object still has this uid.
    public var preconditionUID: String?
    public var gracePeriodSeconds: Int?

    public init(propagationPolicy: Propagation? = nil, dryRun: Bool = false, preconditionUID: String? = nil,
                gracePeriodSeconds: Int? = nil) {
        self.propagationPolicy = propagationPolicy
        self.dryRun = dryRun
        self.preconditionUID = preconditionUID
        self.gracePeriodSeconds = gracePeriodSeconds
    }
}

/// One page of a list.
public struct ObjectList: Sendable, Hashable {
    public var items: [JSONValue]
    /// The collection's resourceVersion: where a watch that follows this list starts.
    public var resourceVersion: String
    /// Set when more pages follow.
    public var continueToken: String?

    public init(items: [JSONValue], resourceVersion: String, continueToken: String?) {
        self.items = items
        self.resourceVersion = resourceVersion
        self.continueToken = continueToken
    }
}

/// One event of a watch stream. An `ERROR` event ends the stream with a `KubeError` (410 Gone → `.gone`).
public enum WatchEvent: Sendable, Hashable {
    case added(JSONValue)
    case modified(JSONValue)
    case deleted(JSONValue)
    /// A progress mark: the watch has seen everything up to this resourceVersion.
    case bookmark(resourceVersion: String)
}
