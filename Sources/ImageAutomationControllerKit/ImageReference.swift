/// An image repository name parsed as Flux parses `spec.image` (go-containerregistry's `name.ParseReference`,
/// then Flux's own checks): no URL scheme, no tag or digest; the registry is the first path component only when
/// it contains a `.` or a `:` (so `localhost/app` is a Docker Hub repository, `localhost:5000/app` is not); Docker
/// Hub (`docker.io`, rewritten to `index.docker.io`) is the default and its one-component names get `library/`.
///
/// Usage:
/// ```swift
/// let image = try ImageReference(parsing: "alpine")
/// image.canonicalName        // "index.docker.io/library/alpine"
/// image.tagsListURL(pageSize: 1000)   // "https://index.docker.io/v2/library/alpine/tags/list?n=1000"
/// ```
public struct ImageReference: Sendable, Hashable, CustomStringConvertible {
    /// go-containerregistry's `DefaultRegistry` (`docker.io` is an alias of it).
    public static let defaultRegistry = "index.docker.io"

    /// The registry host, with its port if any (`ghcr.io`, `127.0.0.1:5000`).
    public let registry: String
    /// The repository path inside the registry (`library/alpine`, `stefanprodan/podinfo`).
    public let repository: String
    /// Plain HTTP (`spec.insecure`, or a loopback registry).
    public let usesPlainHTTP: Bool

    /// Parses `spec.image`.
    ///
    /// - Parameter insecure: `spec.insecure`: talk plain HTTP to the registry.
    /// - Throws: ``ImageReferenceError`` in go-containerregistry's or Flux's words.
    public init(parsing image: String, insecure: Bool = false) throws(ImageReferenceError) {
        if let range = image.firstRange(of: "://") {
            throw ImageReferenceError("image '\(image)' should not include URL scheme; remove '\(image[..<range.lowerBound])://'")
        }
        var rest = Substring(image)
        if rest.contains("@") {
            throw ImageReferenceError("image '\(image)' should not include a digest; remove '@\(rest.split(separator: "@", maxSplits: 1).last ?? "")'")
        }
        var registry = ""
        let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2, parts[0].contains(".") || parts[0].contains(":") {
            registry = String(parts[0])
            rest = parts[1]
        }
        // What is left is the repository; a `:` in it is a tag.
        if let colon = rest.firstIndex(of: ":") {
            throw ImageReferenceError("image '\(image)' should not include a tag; remove ':\(rest[rest.index(after: colon)...])'")
        }
        try Self.checkRegistry(registry, image: image)
        let repository = String(rest)
        try Self.checkRepository(repository, image: image)
        if registry.isEmpty || registry == "docker.io" { registry = Self.defaultRegistry }
        self.registry = registry
        self.repository = registry == Self.defaultRegistry && !repository.contains("/") ? "library/" + repository : repository
        self.usesPlainHTTP = insecure || Self.isLoopback(registry)
    }

    /// `registry/repository`: the ImageRepository's `status.canonicalImageName`.
    public var canonicalName: String { registry + "/" + repository }

    public var description: String { canonicalName }

    /// `http(s)://registry`.
    public var baseURL: String { (usesPlainHTTP ? "http://" : "https://") + registry }

    /// The first page of the tag list (`GET /v2/<name>/tags/list?n=<pageSize>`).
    public func tagsListURL(pageSize: Int) -> String {
        "\(baseURL)/v2/\(repository)/tags/list?n=\(pageSize)"
    }

    /// The manifest of `reference` (a tag or digest).
    public func manifestURL(_ reference: String) -> String {
        "\(baseURL)/v2/\(repository)/manifests/\(reference)"
    }

    /// The token scope to pull this repository (`repository:<name>:pull`).
    public var pullScope: String { "repository:\(repository):pull" }

    // MARK: Checks (go-containerregistry's messages)

    private static let repositoryCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789_-./")

    private static func checkRepository(_ repository: String, image: String) throws(ImageReferenceError) {
        guard (1...255).contains(repository.count) else {
            throw ImageReferenceError("repository must be between 1 and 255 characters in length: \(image)")
        }
        guard repository.allSatisfy(repositoryCharacters.contains) else {
            throw ImageReferenceError(
                "repository can only contain the characters `abcdefghijklmnopqrstuvwxyz0123456789_-./`: \(repository)")
        }
        guard !repository.hasPrefix("/"), !repository.hasSuffix("/"), !repository.contains("//") else {
            throw ImageReferenceError("repository has an empty path component: \(repository)")
        }
    }

    private static func checkRegistry(_ registry: String, image: String) throws(ImageReferenceError) {
        guard !registry.isEmpty else { return }
        let allowed: (Character) -> Bool = { $0.isASCII && ($0.isLetter || $0.isNumber || "-.:[]".contains($0)) }
        guard registry.allSatisfy(allowed) else {
            throw ImageReferenceError("registries must be valid RFC 3986 URI authorities: \(registry)")
        }
        if let colon = registry.lastIndex(of: ":"), !registry.hasSuffix("]") {
            let port = registry[registry.index(after: colon)...]
            guard !port.isEmpty, port.allSatisfy(\.isDecimalDigitASCII), let value = Int(port), value <= 65535 else {
                throw ImageReferenceError("registries must be valid RFC 3986 URI authorities: \(registry)")
            }
        }
    }

    /// `localhost`, `127.x.x.x` and `[::1]`, with or without a port: go-containerregistry talks plain HTTP to these.
    private static func isLoopback(_ registry: String) -> Bool {
        var host = Substring(registry)
        if host.hasPrefix("[") {
            return host.hasPrefix("[::1]")
        }
        if let colon = host.lastIndex(of: ":") { host = host[..<colon] }
        return host == "localhost" || host.hasPrefix("127.")
    }
}

/// `spec.image` is not a valid image repository name.
public struct ImageReferenceError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
