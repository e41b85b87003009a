/// Selects the latest image tag of an ImageRepository by SemVer, alphabetical or numerical order
/// (`image.toolkit.fluxcd.io/v1`, `ImagePolicy`).
public struct ImagePolicy: ReconcilableObject {
    public static let kind = GroupVersionKind(group: "image.toolkit.fluxcd.io", version: "v1", kind: "ImagePolicy")
    public static let plural = "imagepolicies"
    public static let shortNames = ["imgpol", "imagepol"]

    public var metadata: ObjectMeta
    public var spec: Spec
    public var status: Status?

    public init(metadata: ObjectMeta, spec: Spec, status: Status? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    public var isSuspended: Bool { spec.suspend ?? false }
}

/// An image name, tag and optional digest (`name:tag@digest`).
public struct ImageRef: Codable, Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var tag: String
    public var digest: String?

    public init(name: String, tag: String, digest: String? = nil) {
        self.name = name
        self.tag = tag
        self.digest = digest
    }

    /// `name:tag`, plus `@digest` when known.
    public var description: String {
        var text = "\(name):\(tag)"
        if let digest, !digest.isEmpty { text += "@\(digest)" }
        return text
    }
}

extension ImagePolicy {
    public struct Spec: Codable, Hashable, Sendable {
        /// The ImageRepository; another namespace needs its `accessFrom` to allow it.
        public var imageRepositoryRef: NamespacedObjectReference
        public var policy: Choice
        public var filterTags: TagFilter?
        /// `Always`, `IfNotPresent` or `Never` (default).
        public var digestReflectionPolicy: ReflectionPolicy?
        /// Only (and required) with `digestReflectionPolicy: Always`.
        public var interval: String?
        public var suspend: Bool?

        public init(imageRepositoryRef: NamespacedObjectReference, policy: Choice, filterTags: TagFilter? = nil,
                    digestReflectionPolicy: ReflectionPolicy? = nil, interval: String? = nil, suspend: Bool? = nil) {
            self.imageRepositoryRef = imageRepositoryRef
            self.policy = policy
            self.filterTags = filterTags
            self.digestReflectionPolicy = digestReflectionPolicy
            self.interval = interval
            self.suspend = suspend
        }
    }

    /// Exactly one ordering.
    public struct Choice: Codable, Hashable, Sendable {
        public var semver: SemVerPolicy?
        public var alphabetical: OrderPolicy?
        public var numerical: OrderPolicy?

        public init(semver: SemVerPolicy? = nil, alphabetical: OrderPolicy? = nil, numerical: OrderPolicy? = nil) {
            self.semver = semver
            self.alphabetical = alphabetical
            self.numerical = numerical
        }
    }

    public struct SemVerPolicy: Codable, Hashable, Sendable {
        /// A SemVer range, e.g. `>=1.0.0 <2.0.0`.
        public var range: String

        public init(range: String) { self.range = range }
    }

    public struct OrderPolicy: Codable, Hashable, Sendable {
        /// `asc` (default: the last in ascending order wins) or `desc`.
        public var order: SortOrder?

        public init(order: SortOrder? = nil) { self.order = order }

        /// `order`, default `asc`.
        public var effectiveOrder: SortOrder { order ?? .ascending }
    }

    public struct TagFilter: Codable, Hashable, Sendable {
        /// A regular expression tags must match.
        public var pattern: String?
        /// A replacement such as `$ts` computing the value that is ordered.
        public var extract: String?

        public init(pattern: String? = nil, extract: String? = nil) {
            self.pattern = pattern
            self.extract = extract
        }
    }

    public struct Status: FluxStatus {
        public var latestRef: ImageRef?
        public var observedPreviousRef: ImageRef?
        public var observedGeneration: Int64?
        public var conditions: [Condition]?
        public var lastHandledReconcileAt: String?

        public init() {}
    }

    public struct SortOrder: FluxEnum {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let ascending: Self = "asc"
        public static let descending: Self = "desc"
        public static var allowedValues: [Self] { [.ascending, .descending] }
    }

    public struct ReflectionPolicy: FluxEnum {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Look up the digest of the latest tag on every interval.
        public static let always: Self = "Always"
        /// Look up the digest once per tag.
        public static let ifNotPresent: Self = "IfNotPresent"
        public static let never: Self = "Never"
        public static var allowedValues: [Self] { [.always, .ifNotPresent, .never] }
    }
}

extension ImagePolicy: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try Self.topLevelContainer(decoder)
        metadata = try c.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        spec = try c.decode(Spec.self, forKey: .spec)
        status = try c.decodeIfPresent(Status.self, forKey: .status)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = try Self.topLevelContainer(encoder)
        try c.encode(metadata, forKey: .metadata)
        try c.encode(spec, forKey: .spec)
        try c.encodeIfPresent(status, forKey: .status)
    }
}

// MARK: - Defaults and validation

extension ImagePolicy {
    public static let defaultReflectionInterval = FluxDuration.minutes(10)

    /// `spec.digestReflectionPolicy`, default `Never`.
    public var digestReflectionPolicy: ReflectionPolicy { spec.digestReflectionPolicy ?? .never }

    /// The requeue interval: with `Always`, `spec.interval` (default 10m); otherwise nil (the policy is recomputed
    /// only when its ImageRepository changes).
    public var interval: FluxDuration? {
        get throws(FluxFieldError) {
            guard digestReflectionPolicy == .always else { return nil }
            guard let text = spec.interval else { return Self.defaultReflectionInterval }
            let value = try FluxDuration.field(text, at: "spec.interval")
            return value == .zero ? Self.defaultReflectionInterval : value
        }
    }

    /// The key of the ImageRepository, whose namespace defaults to the policy's.
    public var imageRepositoryKey: ObjectKey {
        ObjectKey(namespace: spec.imageRepositoryRef.namespace.nonEmpty ?? namespace, name: spec.imageRepositoryRef.name)
    }

    public func validate() -> [FluxFieldError] {
        var v = FieldValidator()
        v.required(spec.imageRepositoryRef.name, "spec.imageRepositoryRef.name")
        let choices = [spec.policy.semver != nil, spec.policy.alphabetical != nil, spec.policy.numerical != nil]
        v.check(choices.filter { $0 }.count == 1, "spec.policy",
                "exactly one of semver, alphabetical or numerical must be set")
        v.allowed(spec.policy.alphabetical?.order, "spec.policy.alphabetical.order")
        v.allowed(spec.policy.numerical?.order, "spec.policy.numerical.order")
        v.allowed(spec.digestReflectionPolicy, "spec.digestReflectionPolicy")
        v.duration(spec.interval, "spec.interval")
        if spec.digestReflectionPolicy == .always {
            v.check(spec.interval != nil, "spec.interval",
                    "must be set when spec.digestReflectionPolicy is set to 'Always'")
        } else {
            v.check(spec.interval == nil, "spec.interval",
                    "only accepted when spec.digestReflectionPolicy is set to 'Always'")
        }
        return v.errors
    }
}
