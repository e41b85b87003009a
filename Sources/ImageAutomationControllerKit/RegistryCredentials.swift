import FoundationEssentials
import GitOpsKit

/// A username and password for one registry, as a `kubernetes.io/dockerconfigjson` Secret gives them.
public struct RegistryCredentials: Sendable, Hashable {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// `Basic base64(username:password)`.
    var basicAuthorization: String {
        "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }
}

/// The `auths` of one or more Docker config files (`.dockerconfigjson`, or the legacy `.dockercfg`), looked up by
/// registry host the way Kubernetes' keychain does: keys may carry a scheme and a path
/// (`https://index.docker.io/v1/`), Docker Hub answers to all its aliases, and `*.example.com` matches one label.
public struct DockerConfigKeychain: Sendable, Hashable {
    private var entries: [(host: String, credentials: RegistryCredentials)] = []

    public init() {}

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.entries.map(\.host) == rhs.entries.map(\.host) && lhs.entries.map(\.credentials) == rhs.entries.map(\.credentials)
    }

    public func hash(into hasher: inout Hasher) {
        for entry in entries {
            hasher.combine(entry.host)
            hasher.combine(entry.credentials)
        }
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// Adds the entries of a Secret's data (`.dockerconfigjson` or `.dockercfg`); earlier entries win on a tie.
    ///
    /// - Throws: ``DockerConfigError`` naming the Secret and what is wrong with it.
    public mutating func add(secretData data: [String: [UInt8]], secretName: String) throws(DockerConfigError) {
        let auths: [String: JSONValue]
        if let bytes = data[".dockerconfigjson"] {
            guard let json = try? JSONValue(json: bytes), let object = json.objectValue else {
                throw DockerConfigError("secret '\(secretName)': .dockerconfigjson is not a JSON object")
            }
            auths = object["auths"]?.objectValue ?? [:]
        } else if let bytes = data[".dockercfg"] {
            guard let json = try? JSONValue(json: bytes), let object = json.objectValue else {
                throw DockerConfigError("secret '\(secretName)': .dockercfg is not a JSON object")
            }
            auths = object
        } else {
            throw DockerConfigError(
                "secret '\(secretName)' has neither a '.dockerconfigjson' nor a '.dockercfg' key (type kubernetes.io/dockerconfigjson expected)")
        }
        for (key, value) in auths.sorted(by: { $0.key < $1.key }) {
            guard let entry = value.objectValue else { continue }
            var username = entry["username"]?.stringValue ?? ""
            var password = entry["password"]?.stringValue ?? ""
            if let auth = entry["auth"]?.stringValue, !auth.isEmpty {
                guard let decoded = Data(base64Encoded: auth), let text = String(data: decoded, encoding: .utf8),
                      let colon = text.firstIndex(of: ":") else {
                    throw DockerConfigError("secret '\(secretName)': auths[\"\(key)\"].auth is not base64 of 'user:password'")
                }
                username = String(text[..<colon])
                password = String(text[text.index(after: colon)...])
            }
            guard !username.isEmpty || !password.isEmpty else { continue }
            entries.append((Self.normalizedHost(key), RegistryCredentials(username: username, password: password)))
        }
    }

    /// The credentials for `registry` (a host with optional port), or nil for anonymous access.
    public func credentials(for registry: String) -> RegistryCredentials? {
        let wanted = Self.normalizedHost(registry)
        if let exact = entries.first(where: { $0.host == wanted }) { return exact.credentials }
        return entries.first { Self.globMatches($0.host, wanted) }?.credentials
    }

    /// The host (and port) of a config key: scheme and path dropped, Docker Hub's aliases folded into one.
    static func normalizedHost(_ key: String) -> String {
        var host = Substring(key.lowercased())
        if let range = host.firstRange(of: "://") { host = host[range.upperBound...] }
        if let slash = host.firstIndex(of: "/") { host = host[..<slash] }
        switch host {
        case "docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com": return ImageReference.defaultRegistry
        default: return String(host)
        }
    }

    /// `*.example.com` matches `a.example.com` (one label per `*`, same number of labels, same port).
    private static func globMatches(_ pattern: String, _ host: String) -> Bool {
        guard pattern.contains("*") else { return false }
        let patternLabels = pattern.split(separator: ".", omittingEmptySubsequences: false)
        let hostLabels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard patternLabels.count == hostLabels.count else { return false }
        return zip(patternLabels, hostLabels).allSatisfy { $0 == "*" || $0 == $1 }
    }
}

/// A docker-registry Secret that cannot be used.
public struct DockerConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
