import GoTemplate

/// `.Release` as Helm fills it (`chartutil.ReleaseOptions`).
public struct ReleaseOptions: Sendable, Equatable {
    public var name: String
    public var namespace: String
    public var revision: Int
    public var isUpgrade: Bool
    public var isInstall: Bool

    /// An install (revision 1), or with `isUpgrade` what `helm template --is-upgrade` reports.
    public init(name: String, namespace: String = "default", revision: Int = 1, isUpgrade: Bool = false) {
        self.name = name
        self.namespace = namespace
        self.revision = revision
        self.isUpgrade = isUpgrade
        self.isInstall = !isUpgrade
    }

    /// The `.Release` map (Go's `map[string]interface{}`: `Revision` is an `int`).
    var templateValue: TemplateValue {
        .map([
            "Name": .string(name), "Namespace": .string(namespace), "IsUpgrade": .bool(isUpgrade),
            "IsInstall": .bool(isInstall), "Revision": .int(revision), "Service": .string("Helm"),
        ])
    }
}
