/// The `metadata` of a Kubernetes object (`metav1.ObjectMeta`).
///
/// The fields controllers use are typed; everything else the server writes (`managedFields`, `generateName`,
/// `deletionGracePeriodSeconds`, …) is kept verbatim in `otherFields`, so decoding and re-encoding an object
/// never loses metadata.
public struct ObjectMeta: Hashable, Sendable {
    public var name: String?
    public var namespace: String?
    public var uid: String?
    public var resourceVersion: String?
    /// Bumped by the API server on every spec change; `status.observedGeneration` echoes it.
    public var generation: Int64?
    public var labels: [String: String]?
    public var annotations: [String: String]?
    public var finalizers: [String]?
    public var ownerReferences: [OwnerReference]?
    public var creationTimestamp: KubeTime?
    /// Set when deletion was requested; the object stays while finalizers remain.
    public var deletionTimestamp: KubeTime?
    /// Members not modelled above, unchanged (e.g. `managedFields`).
    public var otherFields: [String: JSONValue]

    public init(
        name: String? = nil, namespace: String? = nil, uid: String? = nil, resourceVersion: String? = nil,
        generation: Int64? = nil, labels: [String: String]? = nil, annotations: [String: String]? = nil,
        finalizers: [String]? = nil, ownerReferences: [OwnerReference]? = nil, creationTimestamp: KubeTime? = nil,
        deletionTimestamp: KubeTime? = nil, otherFields: [String: JSONValue] = [:]
    ) {
        self.name = name
        self.namespace = namespace
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.generation = generation
        self.labels = labels
        self.annotations = annotations
        self.finalizers = finalizers
        self.ownerReferences = ownerReferences
        self.creationTimestamp = creationTimestamp
        self.deletionTimestamp = deletionTimestamp
        self.otherFields = otherFields
    }
}

extension ObjectMeta {
    /// `namespace/name` (or `name`) as a work-queue key; empty name when none is set.
    public var key: ObjectKey { ObjectKey(namespace: namespace?.isEmpty == true ? nil : namespace, name: name ?? "") }

    /// Whether deletion has been requested.
    public var isBeingDeleted: Bool { deletionTimestamp != nil }

    public func hasFinalizer(_ finalizer: String) -> Bool { finalizers?.contains(finalizer) ?? false }

    /// Adds `finalizer` if missing; returns whether the metadata changed.
    @discardableResult
    public mutating func addFinalizer(_ finalizer: String) -> Bool {
        if hasFinalizer(finalizer) { return false }
        finalizers = (finalizers ?? []) + [finalizer]
        return true
    }

    /// Removes `finalizer`; returns whether the metadata changed. An emptied list is removed.
    @discardableResult
    public mutating func removeFinalizer(_ finalizer: String) -> Bool {
        guard var list = finalizers, list.contains(finalizer) else { return false }
        list.removeAll { $0 == finalizer }
        finalizers = list.isEmpty ? nil : list
        return true
    }

    /// The annotation `key`, if set.
    public func annotation(_ key: String) -> String? { annotations?[key] }

    /// The label `key`, if set.
    public func label(_ key: String) -> String? { labels?[key] }

    /// Whether a label or annotation `key` equals `value` ignoring case: how Flux matches per-object policies
    /// such as `kustomize.toolkit.fluxcd.io/reconcile: disabled` (`ssa/utils.AnyInMetadata`).
    public func hasLabelOrAnnotation(_ key: String, equalTo value: String) -> Bool {
        for candidate in [labels?[key], annotations?[key]] {
            if let candidate, !candidate.isEmpty, candidate.lowercased() == value.lowercased() { return true }
        }
        return false
    }
}

extension ObjectMeta: Codable {
    private enum Field: String, CaseIterable {
        case name, namespace, uid, resourceVersion, generation, labels, annotations, finalizers, ownerReferences
        case creationTimestamp, deletionTimestamp
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: NameKey.self)
        func key(_ field: Field) -> NameKey { NameKey(field.rawValue) }
        name = try c.decodeIfPresent(String.self, forKey: key(.name))
        namespace = try c.decodeIfPresent(String.self, forKey: key(.namespace))
        uid = try c.decodeIfPresent(String.self, forKey: key(.uid))
        resourceVersion = try c.decodeIfPresent(String.self, forKey: key(.resourceVersion))
        generation = try c.decodeIfPresent(Int64.self, forKey: key(.generation))
        labels = try c.decodeIfPresent([String: String].self, forKey: key(.labels))
        annotations = try c.decodeIfPresent([String: String].self, forKey: key(.annotations))
        finalizers = try c.decodeIfPresent([String].self, forKey: key(.finalizers))
        ownerReferences = try c.decodeIfPresent([OwnerReference].self, forKey: key(.ownerReferences))
        creationTimestamp = try c.decodeIfPresent(KubeTime.self, forKey: key(.creationTimestamp))
        deletionTimestamp = try c.decodeIfPresent(KubeTime.self, forKey: key(.deletionTimestamp))
        let known = Set(Field.allCases.map(\.rawValue))
        var others: [String: JSONValue] = [:]
        for k in c.allKeys where !known.contains(k.stringValue) {
            let value = try c.decode(JSONValue.self, forKey: k)
            if value != .null { others[k.stringValue] = value }
        }
        otherFields = others
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: NameKey.self)
        for (k, value) in otherFields { try c.encode(value, forKey: NameKey(k)) }
        func key(_ field: Field) -> NameKey { NameKey(field.rawValue) }
        try c.encodeIfPresent(name, forKey: key(.name))
        try c.encodeIfPresent(namespace, forKey: key(.namespace))
        try c.encodeIfPresent(uid, forKey: key(.uid))
        try c.encodeIfPresent(resourceVersion, forKey: key(.resourceVersion))
        try c.encodeIfPresent(generation, forKey: key(.generation))
        try c.encodeIfPresent(labels, forKey: key(.labels))
        try c.encodeIfPresent(annotations, forKey: key(.annotations))
        try c.encodeIfPresent(finalizers, forKey: key(.finalizers))
        try c.encodeIfPresent(ownerReferences, forKey: key(.ownerReferences))
        try c.encodeIfPresent(creationTimestamp, forKey: key(.creationTimestamp))
        try c.encodeIfPresent(deletionTimestamp, forKey: key(.deletionTimestamp))
    }
}

/// A link to an object that owns this one (`metav1.OwnerReference`); garbage collection follows it.
public struct OwnerReference: Codable, Hashable, Sendable {
    public var apiVersion: String
    public var kind: String
    public var name: String
    public var uid: String
    /// True for the managing controller (at most one owner).
    public var controller: Bool?
    /// Foreground deletion of the owner waits for this object.
    public var blockOwnerDeletion: Bool?

    public init(apiVersion: String, kind: String, name: String, uid: String, controller: Bool? = nil,
                blockOwnerDeletion: Bool? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
        self.blockOwnerDeletion = blockOwnerDeletion
    }
}
