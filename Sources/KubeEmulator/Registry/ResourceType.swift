import GitOpsKit

/// Where the objects of a resource live, independent of the version they are served in.
struct StorageID: Hashable, Sendable, CustomStringConvertible {
    var group: String
    var resource: String

    var description: String { group.isEmpty ? resource : "\(resource).\(group)" }
}

/// One served resource in one group version: what discovery lists and what the REST handlers need.
struct ResourceType: Sendable {
    var group: String
    var version: String
    /// Plural resource name, e.g. `deployments`.
    var resource: String
    var singular: String
    var kind: String
    var namespaced: Bool
    var shortNames: [String] = []
    var categories: [String] = []
    /// A `status` subresource exists: the main endpoint ignores status, the status endpoint everything else.
    var hasStatus: Bool = false
    /// A `scale` subresource exists (`spec.replicas`).
    var hasScale: Bool = false
    /// `metadata.generation` is maintained (bumped on spec changes).
    var tracksGeneration: Bool = false
    /// The storage the objects live in; usually the group and resource itself.
    var storage: StorageID
    /// The version objects are stored in (served versions convert to and from it).
    var storageVersion: String
    /// Defined by a CustomResourceDefinition.
    var custom: CustomResourceInfo?
    /// Strategic merge patch is accepted (built-in kinds).
    var strategicMergePatch: Bool
    /// A DELETE that removes the object answers with the object rather than a Status.
    var returnsDeletedObject: Bool = false
    /// A review resource (access reviews, self-subject reviews): POST answers with a computed status and
    /// nothing is stored.
    var reviewOnly: Bool = false

    init(group: String, version: String, resource: String, kind: String, namespaced: Bool,
         shortNames: [String] = [], categories: [String] = [], hasStatus: Bool = false, hasScale: Bool = false,
         tracksGeneration: Bool = false, storage: StorageID? = nil, storageVersion: String? = nil,
         custom: CustomResourceInfo? = nil, returnsDeletedObject: Bool = false) {
        self.group = group
        self.version = version
        self.resource = resource
        self.singular = kind.lowercased()
        self.kind = kind
        self.namespaced = namespaced
        self.shortNames = shortNames
        self.categories = categories
        self.hasStatus = hasStatus
        self.hasScale = hasScale
        self.tracksGeneration = tracksGeneration
        self.storage = storage ?? StorageID(group: group, resource: resource)
        self.storageVersion = storageVersion ?? version
        self.custom = custom
        self.strategicMergePatch = custom == nil
        self.returnsDeletedObject = returnsDeletedObject
    }

    var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    var storageAPIVersion: String { group.isEmpty ? storageVersion : "\(group)/\(storageVersion)" }
    var listKind: String { custom?.listKind ?? "\(kind)List" }
    var groupVersionKind: GroupVersionKind { GroupVersionKind(group: group, version: version, kind: kind) }
    /// The `Kind.group` the API server uses in Invalid messages.
    var qualifiedKind: String { group.isEmpty ? kind : "\(kind).\(group)" }
    var verbs: [String] {
        reviewOnly ? ["create"] : ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
    }
}

/// What a CustomResourceDefinition adds to a served resource.
struct CustomResourceInfo: Sendable {
    /// The CRD's name (`<plural>.<group>`).
    var crdName: String
    var listKind: String
    /// The version's `schema.openAPIV3Schema`, if any.
    var openAPIV3Schema: JSONValue?
    var schema: (any CustomResourceSchema)?
    var printerColumns: [PrinterColumn]
    /// The CRD is being deleted: new objects are refused.
    var terminating: Bool = false
}

/// An `additionalPrinterColumns` entry of a CRD version.
struct PrinterColumn: Sendable, Hashable {
    var name: String
    var type: String
    var format: String
    var description: String
    var priority: Int
    var jsonPath: String
}
