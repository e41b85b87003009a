/// A file a source controller produced and serves over HTTP (`meta.Artifact`): the only thing consumers such as
/// kustomize-controller read from a source (`status.artifact`).
public struct Artifact: Codable, Hashable, Sendable {
    /// `<kind-lowercase>/<namespace>/<name>/<file>` relative to the storage root.
    public var path: String
    /// Where consumers download it (`http://<storage-adv-addr>/<path>`).
    public var url: String
    /// Traceable to the origin: `main@sha1:<hash>`, `sha256:<index digest>`, a chart version.
    public var revision: String
    /// `<algorithm>:<hex>` of the file; consumers verify it before extracting.
    public var digest: String?
    public var lastUpdateTime: KubeTime
    /// Size in bytes.
    public var size: Int64?
    /// Upstream annotations (e.g. OCI `org.opencontainers.image.revision`).
    public var metadata: [String: String]?

    public init(path: String, url: String, revision: String, digest: String? = nil, lastUpdateTime: KubeTime,
                size: Int64? = nil, metadata: [String: String]? = nil) {
        self.path = path
        self.url = url
        self.revision = revision
        self.digest = digest
        self.lastUpdateTime = lastUpdateTime
        self.size = size
        self.metadata = metadata
    }

    /// Whether `digest` has the CRD's form `<algo>:<encoded>` (`^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$`).
    public static func isValidDigest(_ digest: String) -> Bool {
        guard let colon = digest.firstIndex(of: ":") else { return false }
        let algorithm = digest[..<colon]
        let encoded = digest[digest.index(after: colon)...]
        guard !encoded.isEmpty, encoded.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "=_-".contains($0)) })
        else { return false }
        // Algorithm: lowercase alphanumeric components separated by single [.+_-].
        var previousWasSeparator = true
        for ch in algorithm {
            if ch.isASCII && (ch.isLowercase || ch.isNumber) {
                previousWasSeparator = false
            } else if ".+_-".contains(ch), !previousWasSeparator {
                previousWasSeparator = true
            } else {
                return false
            }
        }
        return !previousWasSeparator
    }
}
