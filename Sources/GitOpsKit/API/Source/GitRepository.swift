/// A Git repository source-controller mirrors and packages as an artifact
/// (`source.toolkit.fluxcd.io/v1`, `GitRepository`).
public struct GitRepository: FluxSource {
    public static let kind = GroupVersionKind(group: "source.toolkit.fluxcd.io", version: "v1", kind: "GitRepository")
    public static let plural = "gitrepositories"
    public static let shortNames = ["gitrepo"]

    public var metadata: ObjectMeta
    public var spec: Spec
    public var status: Status?

    public init(metadata: ObjectMeta, spec: Spec, status: Status? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    public var isSuspended: Bool { spec.suspend ?? false }
    public var artifact: Artifact? { status?.artifact }
}

extension GitRepository {
    public struct Spec: Codable, Hashable, Sendable {
        /// `http://`, `https://` or `ssh://` address of the repository.
        public var url: String
        /// HTTPS: `username`/`password` or `bearerToken`; SSH: `identity` and `known_hosts`.
        public var secretRef: LocalObjectReference?
        /// Default `generic`.
        public var provider: Provider?
        /// Only with provider `azure` or `aws`.
        public var serviceAccountName: String?
        /// How often to check for changes (Go duration).
        public var interval: String
        /// Timeout of Git operations; default `60s`.
        public var timeout: String?
        /// What to check out; default branch `master`.
        public var ref: Reference?
        public var verify: Verification?
        /// A Secret with `address` (and optional `username`/`password`) of an HTTP/S proxy.
        public var proxySecretRef: LocalObjectReference?
        /// `.sourceignore` (gitignore syntax) entries; replaces the default exclusions.
        public var ignore: String?
        public var suspend: Bool?
        public var recurseSubmodules: Bool?
        /// Other GitRepositories whose artifact contents are copied in.
        public var include: [Include]?
        /// Directories to check out (sparse checkout); omitted: everything.
        public var sparseCheckout: [String]?

        public init(url: String, interval: String, secretRef: LocalObjectReference? = nil, provider: Provider? = nil,
                    serviceAccountName: String? = nil, timeout: String? = nil, ref: Reference? = nil,
                    verify: Verification? = nil, proxySecretRef: LocalObjectReference? = nil, ignore: String? = nil,
                    suspend: Bool? = nil, recurseSubmodules: Bool? = nil, include: [Include]? = nil,
                    sparseCheckout: [String]? = nil) {
            self.url = url
            self.secretRef = secretRef
            self.provider = provider
            self.serviceAccountName = serviceAccountName
            self.interval = interval
            self.timeout = timeout
            self.ref = ref
            self.verify = verify
            self.proxySecretRef = proxySecretRef
            self.ignore = ignore
            self.suspend = suspend
            self.recurseSubmodules = recurseSubmodules
            self.include = include
            self.sparseCheckout = sparseCheckout
        }
    }

    /// The Git reference to check out. Documented precedence: `commit` > `name` > `semver` > `tag` > `branch`.
    public struct Reference: Codable, Hashable, Sendable {
        public var branch: String?
        public var tag: String?
        /// A SemVer range selecting the highest matching tag.
        public var semver: String?
        /// A full reference such as `refs/pull/420/head`.
        public var name: String?
        /// A commit SHA; with `branch`, a shallow clone of that branch that must contain it.
        public var commit: String?

        public init(branch: String? = nil, tag: String? = nil, semver: String? = nil, name: String? = nil,
                    commit: String? = nil) {
            self.branch = branch
            self.tag = tag
            self.semver = semver
            self.name = name
            self.commit = commit
        }
    }

    /// Commit or tag signature verification.
    public struct Verification: Codable, Hashable, Sendable {
        /// Default `HEAD`.
        public var mode: VerificationMode?
        /// PGP public keys (`*.asc`) or SSH public keys (`*.sshpub`).
        public var secretRef: LocalObjectReference

        public init(mode: VerificationMode? = nil, secretRef: LocalObjectReference) {
            self.mode = mode
            self.secretRef = secretRef
        }
    }

    /// Another GitRepository's artifact copied into this one's.
    public struct Include: Codable, Hashable, Sendable {
        public var repository: LocalObjectReference
        /// Path in the included artifact; default its root.
        public var fromPath: String?
        /// Path in this artifact; default the included repository's name.
        public var toPath: String?

        public init(repository: LocalObjectReference, fromPath: String? = nil, toPath: String? = nil) {
            self.repository = repository
            self.fromPath = fromPath
            self.toPath = toPath
        }

        /// `toPath` with its default.
        public var effectiveToPath: String { toPath.flatMap { $0.isEmpty ? nil : $0 } ?? repository.name }
    }

    public struct Status: FluxStatus {
        public var observedGeneration: Int64?
        public var conditions: [Condition]?
        public var artifact: Artifact?
        public var includedArtifacts: [Artifact]?
        public var observedIgnore: String?
        public var observedRecurseSubmodules: Bool?
        public var observedInclude: [Include]?
        public var observedSparseCheckout: [String]?
        /// The verification mode last applied, when verification is configured.
        public var sourceVerificationMode: VerificationMode?
        public var lastHandledReconcileAt: String?

        public init() {}
    }

    /// `generic`, `aws`, `azure` or `github`: how to authenticate.
    public struct Provider: FluxEnum {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let generic: Self = "generic"
        public static let aws: Self = "aws"
        public static let azure: Self = "azure"
        public static let github: Self = "github"
        public static var allowedValues: [Self] { [.generic, .aws, .azure, .github] }
    }

    /// What to verify: `HEAD` (the checked-out commit), `Tag`, or `TagAndHEAD`; `head` is accepted for `HEAD`.
    public struct VerificationMode: FluxEnum {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let head: Self = "HEAD"
        public static let headLowercase: Self = "head"
        public static let tag: Self = "Tag"
        public static let tagAndHEAD: Self = "TagAndHEAD"
        public static var allowedValues: [Self] { [.headLowercase, .head, .tag, .tagAndHEAD] }
    }
}

extension GitRepository: Codable {
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
