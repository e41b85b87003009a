/// Why an artifact could not be fetched.
public enum ArtifactFetchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The server answered 404: the artifact is not (yet) there. Consumers requeue and retry later.
    case notFound(url: String)
    /// Any other non-2xx answer.
    case httpStatus(url: String, status: Int, message: String)
    /// The downloaded bytes do not have the advertised digest.
    case digestMismatch(url: String, expected: String, actual: String)
    /// The digest is not `<algorithm>:<hex>` with a supported algorithm (sha1, sha256, sha512).
    case unsupportedDigest(String)
    /// The download is larger than allowed.
    case tooLarge(url: String, limit: Int64)
    /// The transfer failed (connection, TLS, timeout, cancellation).
    case transport(HTTPClientError)
    /// The archive could not be unpacked.
    case archive(ArchiveError)
    /// A local file operation failed.
    case fileSystem(FileSystemError)

    public var description: String {
        switch self {
        case .notFound(let url): "artifact not found: GET \(url) returned 404"
        case .httpStatus(let url, let status, let message):
            "failed to download artifact from \(url): status \(status)\(message.isEmpty ? "" : ": " + message)"
        case .digestMismatch(let url, let expected, let actual):
            "failed to verify artifact from \(url): computed digest \(actual) does not match \(expected)"
        case .unsupportedDigest(let digest): "unsupported artifact digest \(digest.debugDescription)"
        case .tooLarge(let url, let limit): "artifact from \(url) is larger than \(limit) bytes"
        case .transport(let error): "failed to download artifact: \(error)"
        case .archive(let error): "failed to extract artifact: \(error)"
        case .fileSystem(let error): "failed to store artifact: \(error)"
        }
    }

    /// Whether the artifact is simply not there yet (Flux requeues after `--requeue-dependency` instead of failing).
    public var isNotFound: Bool {
        if case .notFound = self { return true }
        return false
    }
}
