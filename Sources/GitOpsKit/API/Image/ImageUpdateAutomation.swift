/// Rewrites image references marked with `$imagepolicy` setters in a Git repository and pushes a commit
/// (`image.toolkit.fluxcd.io/v1`, `ImageUpdateAutomation`).
public struct ImageUpdateAutomation: ReconcilableObject {
    public static let kind = GroupVersionKind(group: "image.toolkit.fluxcd.io", version: "v1", kind: "ImageUpdateAutomation")
    public static let plural = "imageupdateautomations"
    public static let shortNames = ["iua", "imgupd", "imgauto"]

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

extension ImageUpdateAutomation {
    public struct Spec: Codable, Hashable, Sendable {
        /// The GitRepository to clone and push to.
        public var sourceRef: SourceReference
        public var git: GitSpec?
        public var interval: String
        /// Which ImagePolicies in the namespace apply; omitted: all.
        public var policySelector: LabelSelector?
        /// Default `{strategy: Setters}`.
        public var update: UpdateStrategy?
        public var suspend: Bool?

        public init(sourceRef: SourceReference, interval: String, git: GitSpec? = nil,
                    policySelector: LabelSelector? = nil, update: UpdateStrategy? = nil, suspend: Bool? = nil) {
            self.sourceRef = sourceRef
            self.git = git
            self.interval = interval
            self.policySelector = policySelector
            self.update = update
            self.suspend = suspend
        }
    }

    /// The source; only `GitRepository` (the default kind).
    public struct SourceReference: Codable, Hashable, Sendable {
        public var apiVersion: String?
        public var kind: String?
        public var name: String
        public var namespace: String?

        public init(apiVersion: String? = nil, kind: String? = nil, name: String, namespace: String? = nil) {
            self.apiVersion = apiVersion
            self.kind = kind
            self.name = name
            self.namespace = namespace
        }
    }

    public struct GitSpec: Codable, Hashable, Sendable {
        /// What to check out; default the GitRepository's `ref`.
        public var checkout: Checkout?
        public var commit: CommitSpec
        /// Where to push; default the checked-out branch.
        public var push: PushSpec?

        public init(commit: CommitSpec, checkout: Checkout? = nil, push: PushSpec? = nil) {
            self.checkout = checkout
            self.commit = commit
            self.push = push
        }
    }

    public struct Checkout: Codable, Hashable, Sendable {
        public var ref: GitRepository.Reference

        public init(ref: GitRepository.Reference) { self.ref = ref }
    }

    public struct CommitSpec: Codable, Hashable, Sendable {
        public var author: CommitUser
        public var signingKey: SigningKey?
        /// A Go template; default `Update from image update automation`.
        public var messageTemplate: String?
        /// Values available to the template as `.Values`.
        public var messageTemplateValues: [String: String]?

        public init(author: CommitUser, signingKey: SigningKey? = nil, messageTemplate: String? = nil,
                    messageTemplateValues: [String: String]? = nil) {
            self.author = author
            self.signingKey = signingKey
            self.messageTemplate = messageTemplate
            self.messageTemplateValues = messageTemplateValues
        }
    }

    public struct CommitUser: Codable, Hashable, Sendable {
        public var name: String?
        public var email: String

        public init(name: String? = nil, email: String) {
            self.name = name
            self.email = email
        }
    }

    public struct SigningKey: Codable, Hashable, Sendable {
        /// `git.asc` (+ `passphrase`) for GPG, `identity` (+ `password`) for SSH.
        public var secretRef: LocalObjectReference
        /// `gpg` (default) or `ssh`.
        public var type: SigningKeyType?

        public init(secretRef: LocalObjectReference, type: SigningKeyType? = nil) {
            self.secretRef = secretRef
            self.type = type
        }
    }

    public struct PushSpec: Codable, Hashable, Sendable {
        /// Created from the checkout when missing.
        public var branch: String?
        /// A refspec pushed in addition to (or instead of) `branch`.
        public var refspec: String?
        /// Git push options.
        public var options: [String: String]?

        public init(branch: String? = nil, refspec: String? = nil, options: [String: String]? = nil) {
            self.branch = branch
            self.refspec = refspec
            self.options = options
        }
    }

    public struct UpdateStrategy: Codable, Hashable, Sendable {
        /// Only `Setters` (default).
        public var strategy: UpdateStrategyName?
        /// Directory to update, relative to the repository root; default the root.
        public var path: String?

        public init(strategy: UpdateStrategyName? = nil, path: String? = nil) {
            self.strategy = strategy
            self.path = path
        }
    }

    public struct Status: FluxStatus {
        public var lastAutomationRunTime: KubeTime?
        /// SHA-1 of the last pushed commit.
        public var lastPushCommit: String?
        public var lastPushTime: KubeTime?
        public var observedGeneration: Int64?
        public var conditions: [Condition]?
        /// The policies applied last, by name.
        public var observedPolicies: [String: ImageRef]?
        public var observedSourceRevision: String?
        public var lastHandledReconcileAt: String?

        public init() {}
    }

    public struct UpdateStrategyName: FluxEnum {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let setters: Self = "Setters"
        public static var allowedValues: [Self] { [.setters] }
    }

    public struct SigningKeyType: FluxEnum {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let gpg: Self = "gpg"
        public static let ssh: Self = "ssh"
        public static var allowedValues: [Self] { [.gpg, .ssh] }
    }
}

extension ImageUpdateAutomation: Codable {
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

extension ImageUpdateAutomation {
    public static let defaultCommitMessage = "Update from image update automation"

    /// `spec.interval`.
    public var interval: FluxDuration {
        get throws(FluxFieldError) { try .field(spec.interval, at: "spec.interval") }
    }

    /// `spec.update.strategy`, default `Setters`.
    public var updateStrategy: UpdateStrategyName { spec.update?.strategy ?? .setters }

    /// `spec.update.path`, default the repository root (`""`).
    public var updatePath: String { spec.update?.path ?? "" }

    /// The key of the GitRepository, whose namespace defaults to the automation's.
    public var sourceKey: ObjectKey {
        ObjectKey(namespace: spec.sourceRef.namespace.nonEmpty ?? namespace, name: spec.sourceRef.name)
    }

    /// `spec.git.commit.messageTemplate`, default `Update from image update automation`.
    public var commitMessageTemplate: String {
        spec.git?.commit.messageTemplate.nonEmpty ?? Self.defaultCommitMessage
    }

    public func validate() -> [FluxFieldError] {
        var v = FieldValidator()
        v.allowed(spec.sourceRef.kind, in: ["GitRepository"], "spec.sourceRef.kind")
        v.required(spec.sourceRef.name, "spec.sourceRef.name")
        v.duration(spec.interval, "spec.interval")
        v.allowed(spec.update?.strategy, "spec.update.strategy")
        if let git = spec.git {
            v.required(git.commit.author.email, "spec.git.commit.author.email")
            v.allowed(git.commit.signingKey?.type, "spec.git.commit.signingKey.type")
        }
        return v.errors
    }
}
