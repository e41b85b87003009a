/// A Flux custom resource modelled as a Swift value: the contract between controllers.
///
/// Every kind decodes from and encodes to the `JSONValue` the Kubernetes client speaks, and a valid object survives
/// the round trip unchanged (`toJSON()` of `init(from:)` equals the input). Fields this version does not model are
/// the ones `unsupportedFields(in:)` lists, so reconcilers can refuse them instead of silently ignoring them.
///
/// Usage:
/// ```swift
/// let repo = try GitRepository(from: object)                    // FluxFieldError names the field on failure
/// let unsupported = GitRepository.unsupportedFields(in: object)  // ["spec.verify"] …
/// let problems = repo.validate()                                 // [spec.interval: invalid duration "5x"]
/// let timeout = try repo.timeout                                 // 60s unless set
/// ```
public protocol FluxObject: Codable, Sendable, Hashable {
    /// The group, version and kind this type models.
    static var kind: GroupVersionKind { get }
    /// The lowercase plural resource name (`gitrepositories`).
    static var plural: String { get }
    /// The `kubectl` short names (`gitrepo`).
    static var shortNames: [String] { get }

    var metadata: ObjectMeta { get set }

    /// Checks the rules the CRD's OpenAPI schema and CEL validations enforce (patterns, enums, lengths, mutually
    /// exclusive fields); empty when valid. Messages name the field: `spec.interval: invalid duration "5x" …`.
    func validate() -> [FluxFieldError]
}

extension FluxObject {
    /// The finalizer Flux controllers put on the objects they reconcile.
    public static var finalizer: String { "finalizers.fluxcd.io" }

    public static var resource: GroupVersionResource {
        GroupVersionResource(group: kind.group, version: kind.version, resource: plural)
    }

    /// How the API server serves this kind; every Flux kind is namespaced.
    public static var mapping: ResourceMapping { ResourceMapping(kind: kind, resource: resource, namespaced: true) }

    /// Decodes an object as read from the API server. `apiVersion` and `kind`, when present, must match.
    ///
    /// - Throws: `FluxFieldError` naming the first field that has the wrong JSON type, an unparseable timestamp,
    ///   or is required and missing.
    public init(from object: JSONValue) throws(FluxFieldError) {
        do {
            self = try JSONValueDecoder().decode(Self.self, from: object)
        } catch let error as DecodingError {
            throw FluxFieldError(error)
        } catch {
            throw FluxFieldError(path: "", message: "\(error)")
        }
    }

    /// The object as JSON, with `apiVersion` and `kind`; nil optionals are omitted, never written as `null`.
    public func toJSON() -> JSONValue {
        do {
            return try JSONValueEncoder().encode(self)
        } catch {
            // The API encoder only throws from custom `encode(to:)` implementations, and the API types have none
            // that can fail: reaching this is a programming error, not bad input.
            preconditionFailure("encoding \(Self.kind.kind) cannot fail: \(error)")
        }
    }

    /// The JSON paths present (and not `null`) in `object` that this type does not model, e.g. `spec.verify.provider`
    /// or `spec.include[0].foo`: computed by decoding, re-encoding and diffing, so it stays true as the types evolve.
    /// Empty when `object` does not decode (`init(from:)` then reports why).
    public static func unsupportedFields(in object: JSONValue) -> [String] {
        guard let decoded = try? Self(from: object) else { return [] }
        return JSONPathDiff.pathsMissing(from: decoded.toJSON(), presentIn: object)
    }

    /// The unsupported fields under `spec`: what a reconciler should refuse (a status field written by a newer
    /// controller is no reason to stall the object).
    public static func unsupportedSpecFields(in object: JSONValue) -> [String] {
        unsupportedFields(in: object).filter { $0.hasPrefix("spec.") }
    }

    /// `metadata.name`, empty when unset.
    public var name: String { metadata.name ?? "" }
    /// `metadata.namespace`, nil when unset or empty.
    public var namespace: String? { metadata.namespace.flatMap { $0.isEmpty ? nil : $0 } }
    /// `namespace/name`.
    public var key: ObjectKey { metadata.key }
    /// `metadata.generation`, 0 when unset.
    public var generation: Int64 { metadata.generation ?? 0 }
}

/// The status fields every reconciled Flux kind shares (`observedGeneration`, `conditions`,
/// `meta.ReconcileRequestStatus`).
public protocol FluxStatus: Codable, Sendable, Hashable {
    init()
    var observedGeneration: Int64? { get set }
    var conditions: [Condition]? { get set }
    var lastHandledReconcileAt: String? { get set }
}

/// A Flux kind a controller reconciles: it can be suspended and has a kstatus status.
public protocol ReconcilableObject: FluxObject {
    associatedtype Status: FluxStatus
    var status: Status? { get set }
    /// `spec.suspend`: the controller must not act on the object.
    var isSuspended: Bool { get }
}

extension ReconcilableObject {
    /// `status.conditions`; setting an empty list removes the field.
    public var conditions: [Condition] {
        get { status?.conditions ?? [] }
        set { updateStatus { $0.conditions = newValue.isEmpty ? nil : newValue } }
    }

    /// `status.observedGeneration`; -1 (the CRD default) when unset.
    public var observedGeneration: Int64 {
        get { status?.observedGeneration ?? -1 }
        set { updateStatus { $0.observedGeneration = newValue } }
    }

    /// The last `reconcile.fluxcd.io/requestedAt` token the controller handled.
    public var lastHandledReconcileAt: String? {
        get { status?.lastHandledReconcileAt }
        set { updateStatus { $0.lastHandledReconcileAt = newValue } }
    }

    /// The `reconcile.fluxcd.io/requestedAt` annotation, if set.
    public var reconcileRequest: String? { metadata.annotation(FluxAnnotation.reconcileRequestedAt) }

    /// Whether `requestedAt` holds a token not handled yet (the controller then echoes it in status).
    public var hasPendingReconcileRequest: Bool {
        guard let token = reconcileRequest else { return false }
        return token != lastHandledReconcileAt
    }

    /// Whether the status describes the current spec (`observedGeneration == metadata.generation`).
    public var isStatusCurrent: Bool { observedGeneration == generation }

    /// Whether `Ready` is True for the current generation: what `dependsOn` and `flux get` consider ready.
    public var isReady: Bool { isStatusCurrent && conditions.isTrue(.ready) }

    /// Mutates the status, creating it when absent.
    public mutating func updateStatus(_ body: (inout Status) -> Void) {
        var current = status ?? Status()
        body(&current)
        status = current
    }
}

/// A source kind that publishes an artifact for other controllers (`status.artifact`).
public protocol FluxSource: ReconcilableObject {
    var artifact: Artifact? { get }
}

/// The top-level members of every Flux object.
enum FluxObjectKey: String, CodingKey {
    case apiVersion, kind, metadata, spec, status
}

extension FluxObject {
    /// The top-level container after checking `apiVersion`/`kind` (absent is accepted, different is an error).
    static func topLevelContainer(_ decoder: any Decoder) throws -> KeyedDecodingContainer<FluxObjectKey> {
        let c = try decoder.container(keyedBy: FluxObjectKey.self)
        if let apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion), apiVersion != kind.apiVersion {
            throw DecodingError.dataCorrupted(.init(
                codingPath: [FluxObjectKey.apiVersion],
                debugDescription: "expected \(quoted(kind.apiVersion)) for \(kind.kind), found \(quoted(apiVersion))"))
        }
        if let kindName = try c.decodeIfPresent(String.self, forKey: .kind), kindName != kind.kind {
            throw DecodingError.dataCorrupted(.init(
                codingPath: [FluxObjectKey.kind],
                debugDescription: "expected \(quoted(kind.kind)), found \(quoted(kindName))"))
        }
        return c
    }

    /// The top-level container with `apiVersion` and `kind` written.
    static func topLevelContainer(_ encoder: any Encoder) throws -> KeyedEncodingContainer<FluxObjectKey> {
        var c = encoder.container(keyedBy: FluxObjectKey.self)
        try c.encode(kind.apiVersion, forKey: .apiVersion)
        try c.encode(kind.kind, forKey: .kind)
        return c
    }
}

/// Every kind GitOpsKit serves.
public enum FluxKinds {
    public static var all: [any FluxObject.Type] {
        [
            GitRepository.self, HelmRepository.self, HelmChart.self, Kustomization.self, HelmRelease.self,
            Alert.self, Provider.self, Receiver.self, ImageRepository.self, ImagePolicy.self,
            ImageUpdateAutomation.self,
        ]
    }

    /// The Swift type for a group/version/kind, if GitOpsKit models it.
    public static func type(for kind: GroupVersionKind) -> (any FluxObject.Type)? {
        all.first { $0.kind == kind }
    }
}
