import FoundationEssentials

/// URL rules of Helm HTTP repositories: chart URLs relative to the repository, and which requests may carry the
/// repository's credentials.
public enum HelmURL {
    /// `reference` resolved against `repositoryURL` taken as a directory (`https://h/charts` → `https://h/charts/`),
    /// keeping the repository's query string, as Flux's chart download does. Absolute references are returned as
    /// they are.
    public static func resolve(_ reference: String, against repositoryURL: String) -> String {
        if let parsed = URLComponents(string: reference), parsed.scheme != nil { return reference }
        guard var base = URLComponents(string: repositoryURL) else { return reference }
        let query = base.percentEncodedQuery
        base.percentEncodedQuery = nil
        base.fragment = nil
        if !base.percentEncodedPath.hasSuffix("/") { base.percentEncodedPath += "/" }
        guard let baseURL = base.url, let resolved = URL(string: reference, relativeTo: baseURL)?.absoluteURL,
              var components = URLComponents(url: resolved, resolvingAgainstBaseURL: true)
        else { return reference }
        if let query, !query.isEmpty { components.percentEncodedQuery = query }
        return components.string ?? reference
    }

    /// `<repositoryURL>/index.yaml`, with the repository's query string kept.
    public static func indexURL(for repositoryURL: String) -> String {
        resolve("index.yaml", against: repositoryURL)
    }

    /// Whether `url` has the same scheme, host and port as `repositoryURL`: only then do the repository's
    /// credentials go with a request, unless `passCredentials` is set (Helm's getter rule).
    public static func isSameOrigin(_ url: String, as repositoryURL: String) -> Bool {
        guard let a = URLComponents(string: url), let b = URLComponents(string: repositoryURL) else { return false }
        return a.scheme?.lowercased() == b.scheme?.lowercased() && a.host?.lowercased() == b.host?.lowercased()
            && effectivePort(a) == effectivePort(b)
    }

    private static func effectivePort(_ components: URLComponents) -> Int? {
        if let port = components.port { return port }
        switch components.scheme?.lowercased() {
        case "http": return 80
        case "https": return 443
        default: return nil
        }
    }
}
