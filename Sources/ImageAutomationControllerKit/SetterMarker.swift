import GitOpsKit

/// A `$imagepolicy` setter marker: the line comment `# {"$imagepolicy": "<namespace>:<policy>[:name|:tag|:digest]"}`
/// after a YAML scalar (kyaml's setters shorthand, as Flux's image-automation-controller configures it).
///
/// The comment, without its leading `#`s, must be a JSON object whose values are all strings (kyaml decodes it
/// into a `map[string]string`; anything else is not a marker), with a non-empty `$imagepolicy` member.
public struct SetterMarker: Sendable, Hashable {
    /// The key of the shorthand (`fieldmeta.SetShortHandRef`).
    public static let shortHand = "$imagepolicy"
    /// What a file must contain to be read at all (Flux screens files for the quoted key before parsing them).
    public static let screeningToken = "\"$imagepolicy\""

    /// The setter name, e.g. `flux-system:podinfo` or `flux-system:podinfo:tag`.
    public var setter: String

    public init(setter: String) { self.setter = setter }

    /// The marker in a comment's text (with or without its `#`), or nil when it is none.
    public init?(comment: String) {
        var text = Substring(comment)
        while text.first == "#" { text = text.dropFirst() }
        guard let parsed = try? JSONValue(json: String(text)), case .object(let members) = parsed else { return nil }
        // kyaml unmarshals into map[string]string: a member of another type makes the whole comment no marker.
        guard members.values.allSatisfy({ $0.stringValue != nil }),
            let setter = members[Self.shortHand]?.stringValue, !setter.isEmpty
        else { return nil }
        self.setter = setter
    }
}

/// The four setters one ImagePolicy defines, and the value each writes.
///
/// For policy `ns/name` with `status.latestRef` `{name, tag, digest}`: `ns:name` writes the full reference
/// (`name:tag`, with `@digest` when the policy reflects digests), `ns:name:name` the image name, `ns:name:tag` the
/// tag and `ns:name:digest` the digest (empty without one).
public struct SetterValues: Sendable, Hashable {
    /// Setter name → value.
    public private(set) var values: [String: String] = [:]

    public init() {}

    /// Defines the setters of `policy` when it has a `latestRef`.
    public mutating func add(policy: ImagePolicy) {
        guard let ref = policy.status?.latestRef else { return }
        add(namespace: policy.namespace ?? "default", name: policy.name, ref: ref)
    }

    public mutating func add(namespace: String, name: String, ref: ImageRef) {
        let base = "\(namespace):\(name)"
        values[base] = ref.description
        values[base + ":name"] = ref.name
        values[base + ":tag"] = ref.tag
        values[base + ":digest"] = ref.digest ?? ""
    }

    public subscript(setter: String) -> String? { values[setter] }

    public var isEmpty: Bool { values.isEmpty }
}
