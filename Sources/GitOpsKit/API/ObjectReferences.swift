/// A reference to an object in the same namespace (`meta.LocalObjectReference`), e.g. `secretRef`.
public struct LocalObjectReference: Codable, Hashable, Sendable {
    public var name: String
    public init(name: String) { self.name = name }
}

/// A reference by name with an optional namespace (`meta.NamespacedObjectReference`).
public struct NamespacedObjectReference: Codable, Hashable, Sendable, CustomStringConvertible {
    public var name: String
    /// Defaults to the namespace of the referring object.
    public var namespace: String?

    public init(name: String, namespace: String? = nil) {
        self.name = name
        self.namespace = namespace
    }

    /// `namespace/name`, or `name` without a namespace.
    public var description: String { namespace.map { $0.isEmpty ? name : "\($0)/\(name)" } ?? name }
}

/// A reference to an object of any kind (`meta.NamespacedObjectKindReference`), e.g. Kustomization `healthChecks`.
public struct NamespacedObjectKindReference: Codable, Hashable, Sendable {
    /// Omitted: the server's preferred version.
    public var apiVersion: String?
    public var kind: String
    public var name: String
    public var namespace: String?

    public init(apiVersion: String? = nil, kind: String, name: String, namespace: String? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.namespace = namespace
    }
}

/// An entry of `dependsOn` (`meta.DependencyReference`).
public struct DependencyReference: Codable, Hashable, Sendable, CustomStringConvertible {
    public var name: String
    /// Defaults to the namespace of the referring object.
    public var namespace: String?
    /// A CEL expression over `self` and `dep` that replaces the built-in readiness check.
    public var readyExpr: String?

    public init(name: String, namespace: String? = nil, readyExpr: String? = nil) {
        self.name = name
        self.namespace = namespace
        self.readyExpr = readyExpr
    }

    /// `namespace/name@readyExpr`, the form `flux create --depends-on` accepts.
    public var description: String {
        var text = name
        if let namespace, !namespace.isEmpty { text = "\(namespace)/\(text)" }
        if let readyExpr, !readyExpr.isEmpty { text += "@\(readyExpr)" }
        return text
    }

    /// The key of the dependency, resolving a missing namespace to `defaultNamespace`.
    public func key(defaultNamespace: String?) -> ObjectKey {
        ObjectKey(namespace: namespace.flatMap { $0.isEmpty ? nil : $0 } ?? defaultNamespace, name: name)
    }
}

/// A key in a Secret (`meta.SecretKeyReference`).
public struct SecretKeyReference: Codable, Hashable, Sendable {
    public var name: String
    /// Omitted: an implementation-specific default (e.g. `value` for kubeconfigs).
    public var key: String?

    public init(name: String, key: String? = nil) {
        self.name = name
        self.key = key
    }
}

/// Where the kubeconfig of a remote cluster comes from (`meta.KubeConfigReference`); exactly one field is set.
public struct KubeConfigReference: Codable, Hashable, Sendable {
    /// A ConfigMap with `provider`, `cluster`, `address`, `ca.crt`, … (workload identity).
    public var configMapRef: LocalObjectReference?
    /// A Secret holding a kubeconfig under `key` (default `value`).
    public var secretRef: SecretKeyReference?

    public init(configMapRef: LocalObjectReference? = nil, secretRef: SecretKeyReference? = nil) {
        self.configMapRef = configMapRef
        self.secretRef = secretRef
    }

    /// The Secret key holding the kubeconfig.
    public var secretKey: String? {
        guard let secretRef else { return nil }
        return secretRef.key.flatMap { $0.isEmpty ? nil : $0 } ?? "value"
    }
}

/// `Secret` or `ConfigMap`: the kinds `valuesFrom` and `substituteFrom` may read.
public struct ConfigReferenceKind: FluxEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let secret: Self = "Secret"
    public static let configMap: Self = "ConfigMap"
    public static var allowedValues: [Self] { [.secret, .configMap] }
}

/// A HelmRelease `valuesFrom` entry (`meta.ValuesReference`).
public struct ValuesReference: Codable, Hashable, Sendable {
    public var kind: ConfigReferenceKind
    public var name: String
    /// The data key; default `values.yaml`.
    public var valuesKey: String?
    /// A `--set`-style path the single value is merged at; omitted: the whole YAML at the root.
    public var targetPath: String?
    /// A missing object is ignored (other errors still fail).
    public var optional: Bool?
    /// With `targetPath`: merge the value verbatim like `helm --set-literal`.
    public var literal: Bool?

    public init(kind: ConfigReferenceKind, name: String, valuesKey: String? = nil, targetPath: String? = nil,
                optional: Bool? = nil, literal: Bool? = nil) {
        self.kind = kind
        self.name = name
        self.valuesKey = valuesKey
        self.targetPath = targetPath
        self.optional = optional
        self.literal = literal
    }

    /// `valuesKey` with its default.
    public var effectiveValuesKey: String { valuesKey.flatMap { $0.isEmpty ? nil : $0 } ?? "values.yaml" }
}

/// A reference to a source or chart in another namespace (Kustomization `sourceRef`, HelmRelease `chartRef` and
/// `chart.spec.sourceRef`).
public struct CrossNamespaceSourceReference: Codable, Hashable, Sendable, CustomStringConvertible {
    public var apiVersion: String?
    public var kind: String
    public var name: String
    /// Defaults to the namespace of the referring object.
    public var namespace: String?

    public init(apiVersion: String? = nil, kind: String, name: String, namespace: String? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.namespace = namespace
    }

    /// `Kind/namespace/name` or `Kind/name`, as Flux prints it.
    public var description: String {
        if let namespace, !namespace.isEmpty { return "\(kind)/\(namespace)/\(name)" }
        return "\(kind)/\(name)"
    }

    /// The key of the referenced object, resolving a missing namespace to `defaultNamespace`.
    public func key(defaultNamespace: String?) -> ObjectKey {
        ObjectKey(namespace: namespace.flatMap { $0.isEmpty ? nil : $0 } ?? defaultNamespace, name: name)
    }
}

/// A reference to Flux objects by kind and name (`*` for all) or labels: Alert `eventSources`.
public struct CrossNamespaceObjectReference: Codable, Hashable, Sendable {
    public var apiVersion: String?
    public var kind: String
    /// A name, or `*` for every object of `kind` (optionally narrowed by `matchLabels`).
    public var name: String
    public var namespace: String?
    /// Only with `name: "*"`.
    public var matchLabels: [String: String]?

    public init(apiVersion: String? = nil, kind: String, name: String, namespace: String? = nil,
                matchLabels: [String: String]? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.matchLabels = matchLabels
    }
}

/// A Kubernetes label selector (`metav1.LabelSelector`).
public struct LabelSelector: Codable, Hashable, Sendable {
    public struct Requirement: Codable, Hashable, Sendable {
        public var key: String
        /// `In`, `NotIn`, `Exists` or `DoesNotExist`.
        public var `operator`: String
        public var values: [String]?

        public init(key: String, operator: String, values: [String]? = nil) {
            self.key = key
            self.operator = `operator`
            self.values = values
        }
    }

    public var matchLabels: [String: String]?
    public var matchExpressions: [Requirement]?

    public init(matchLabels: [String: String]? = nil, matchExpressions: [Requirement]? = nil) {
        self.matchLabels = matchLabels
        self.matchExpressions = matchExpressions
    }

    /// Whether `labels` satisfy every term; an empty selector matches everything.
    public func matches(_ labels: [String: String]) -> Bool {
        for (key, value) in matchLabels ?? [:] where labels[key] != value { return false }
        for requirement in matchExpressions ?? [] {
            let value = labels[requirement.key]
            let values = requirement.values ?? []
            switch requirement.operator {
            case "In": if value.map({ values.contains($0) }) != true { return false }
            case "NotIn": if let value, values.contains(value) { return false }
            case "Exists": if value == nil { return false }
            case "DoesNotExist": if value != nil { return false }
            default: return false
            }
        }
        return true
    }
}

/// Which namespaces may refer to an object across namespaces (`acl.AccessFrom`).
public struct AccessFrom: Codable, Hashable, Sendable {
    public struct NamespaceSelector: Codable, Hashable, Sendable {
        public var matchLabels: [String: String]?
        public init(matchLabels: [String: String]? = nil) { self.matchLabels = matchLabels }
    }

    public var namespaceSelectors: [NamespaceSelector]

    public init(namespaceSelectors: [NamespaceSelector]) { self.namespaceSelectors = namespaceSelectors }
}
