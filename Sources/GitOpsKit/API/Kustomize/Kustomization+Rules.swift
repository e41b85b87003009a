// Defaults and validation rules of Kustomization (kustomize-controller `api/v1` getters and CRD schema).

extension Kustomization {
    /// The timeout floor: `GetTimeout` never returns less.
    public static let minimumTimeout = FluxDuration.seconds(30)

    /// `spec.interval`.
    public var interval: FluxDuration {
        get throws(FluxFieldError) { try .field(spec.interval, at: "spec.interval") }
    }

    /// `spec.timeout`, or `interval − 30s`; never below 30s (kustomize-controller `GetTimeout`).
    public var timeout: FluxDuration {
        get throws(FluxFieldError) {
            let value: FluxDuration
            if let text = spec.timeout {
                value = try .field(text, at: "spec.timeout")
            } else {
                value = try interval - .seconds(30)
            }
            return max(value, Self.minimumTimeout)
        }
    }

    /// `spec.retryInterval`, default `spec.interval`.
    public var retryInterval: FluxDuration {
        get throws(FluxFieldError) {
            guard let text = spec.retryInterval else { return try interval }
            return try .field(text, at: "spec.retryInterval")
        }
    }

    /// `spec.deletionPolicy`, default `MirrorPrune`.
    public var deletionPolicy: DeletionPolicy { spec.deletionPolicy ?? .mirrorPrune }

    /// `spec.postBuild.substituteStrategy`, default `WithVariables`.
    public var substituteStrategy: SubstituteStrategy { spec.postBuild?.substituteStrategy ?? .withVariables }

    /// Whether deleting the Kustomization deletes its objects (`deletionPolicy`, with `MirrorPrune` following `prune`).
    public var deletesObjectsOnDeletion: Bool {
        switch deletionPolicy {
        case .mirrorPrune: spec.prune
        case .delete, .waitForTermination: true
        default: false
        }
    }

    /// The key of the source, whose namespace defaults to the Kustomization's.
    public var sourceKey: ObjectKey { spec.sourceRef.key(defaultNamespace: namespace) }

    public func validate() -> [FluxFieldError] {
        var v = FieldValidator()
        v.duration(spec.interval, "spec.interval")
        v.duration(spec.retryInterval, "spec.retryInterval")
        v.duration(spec.timeout, "spec.timeout")
        v.allowed(spec.sourceRef.kind, in: Self.sourceKinds, "spec.sourceRef.kind")
        v.required(spec.sourceRef.name, "spec.sourceRef.name")
        v.allowed(spec.deletionPolicy, "spec.deletionPolicy")
        v.length(spec.namePrefix, min: 1, max: 200, "spec.namePrefix")
        v.length(spec.nameSuffix, min: 1, max: 200, "spec.nameSuffix")
        v.length(spec.targetNamespace, min: 1, max: 63, "spec.targetNamespace")
        if let decryption = spec.decryption {
            v.allowed(decryption.provider, in: ["sops"], "spec.decryption.provider")
        }
        if let postBuild = spec.postBuild {
            v.allowed(postBuild.substituteStrategy, "spec.postBuild.substituteStrategy")
            for (i, ref) in (postBuild.substituteFrom ?? []).enumerated() {
                v.allowed(ref.kind, "spec.postBuild.substituteFrom[\(i)].kind")
                v.length(ref.name, min: 1, max: 253, "spec.postBuild.substituteFrom[\(i)].name")
            }
        }
        for (i, option) in (spec.buildMetadata ?? []).enumerated() {
            v.allowed(option, "spec.buildMetadata[\(i)]")
        }
        for (i, dependency) in (spec.dependsOn ?? []).enumerated() {
            v.required(dependency.name, "spec.dependsOn[\(i)].name")
        }
        if let kubeConfig = spec.kubeConfig {
            v.check(kubeConfig.configMapRef == nil || kubeConfig.secretRef == nil, "spec.kubeConfig",
                    "configMapRef and secretRef are mutually exclusive")
        }
        return v.errors
    }
}
