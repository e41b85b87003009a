// Defaults and validation rules of GitRepository (source-controller `api/v1` getters and CRD schema).

/// What source-controller checks out, after applying the reference precedence.
public enum GitCheckout: Hashable, Sendable {
    /// A commit; with a branch, a shallow clone of that branch that must contain the commit.
    case commit(String, branch: String?)
    /// A full reference such as `refs/pull/420/head`.
    case refName(String)
    /// The highest tag matching a SemVer range.
    case semver(String)
    case tag(String)
    case branch(String)
}

extension GitRepository {
    public static let defaultTimeout = FluxDuration.seconds(60)
    public static let defaultBranch = "master"

    /// `spec.interval`.
    public var interval: FluxDuration {
        get throws(FluxFieldError) { try .field(spec.interval, at: "spec.interval") }
    }

    /// `spec.timeout`, default 60s.
    public var timeout: FluxDuration {
        get throws(FluxFieldError) {
            guard let text = spec.timeout else { return Self.defaultTimeout }
            return try .field(text, at: "spec.timeout")
        }
    }

    /// `spec.provider`, default `generic`.
    public var provider: Provider { spec.provider ?? .generic }

    /// The checkout `spec.ref` asks for: `commit` > `name` > `semver` > `tag` > `branch`, and branch `master` when
    /// nothing is set. (The precedence is the one the Flux documentation states.)
    public var checkout: GitCheckout {
        let ref = spec.ref ?? Reference()
        if let commit = ref.commit.nonEmpty { return .commit(commit, branch: ref.branch.nonEmpty) }
        if let name = ref.name.nonEmpty { return .refName(name) }
        if let semver = ref.semver.nonEmpty { return .semver(semver) }
        if let tag = ref.tag.nonEmpty { return .tag(tag) }
        return .branch(ref.branch.nonEmpty ?? Self.defaultBranch)
    }

    /// The verification mode, normalised to `HEAD`, `Tag` or `TagAndHEAD` (`head` and unknown values mean `HEAD`);
    /// nil when verification is not configured.
    public var verificationMode: VerificationMode? {
        guard let verify = spec.verify else { return nil }
        switch verify.mode {
        case .some(.tag): return .tag
        case .some(.tagAndHEAD): return .tagAndHEAD
        default: return .head
        }
    }

    public func validate() -> [FluxFieldError] {
        var v = FieldValidator()
        v.urlScheme(spec.url, ["http", "https", "ssh", "file"], "spec.url")
        v.allowed(spec.provider, "spec.provider")
        v.check(spec.serviceAccountName == nil || spec.provider == .azure || spec.provider == .aws,
                "spec.serviceAccountName", "can only be set when spec.provider is 'azure' or 'aws'")
        v.duration(spec.interval, "spec.interval")
        v.duration(spec.timeout, "spec.timeout", allowHours: false)
        if let verify = spec.verify {
            v.allowed(verify.mode, "spec.verify.mode")
            v.required(verify.secretRef.name, "spec.verify.secretRef.name")
        }
        for (i, include) in (spec.include ?? []).enumerated() {
            v.required(include.repository.name, "spec.include[\(i)].repository.name")
        }
        return v.errors
    }
}
