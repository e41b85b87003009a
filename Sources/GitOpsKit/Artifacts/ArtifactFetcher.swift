#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FoundationEssentials

/// Downloads an artifact a source controller advertises (`status.artifact.url`), checks it against
/// `status.artifact.digest` while it streams to a temporary file, and only then unpacks it — what
/// kustomize-controller and helm-controller do before using a source.
///
/// Usage:
/// ```swift
/// let fetcher = ArtifactFetcher(client: httpClient)
/// do {
///     try await fetcher.fetch(url: artifact.url, digest: artifact.digest, into: workDir)
/// } catch let error as ArtifactFetchError where error.isNotFound {
///     // requeue: the source has not produced it yet
/// }
/// ```
public struct ArtifactFetcher: Sendable {
    public let client: HTTPClient
    /// Limits for unpacking; `maxTotalSize` also bounds the compressed download.
    public var limits: ArtifactExtractor.Limits
    /// Replaces the URL's `host[:port]` (Flux's `SOURCE_CONTROLLER_LOCALHOST`, for running outside the cluster).
    public var hostOverride: String?
    /// Extra attempts after a connection failure or a 5xx answer.
    public var retries: Int
    /// Where downloads are staged (the system temporary directory by default).
    public var temporaryDirectory: String

    public init(
        client: HTTPClient, limits: ArtifactExtractor.Limits = .default, hostOverride: String? = nil, retries: Int = 2,
        temporaryDirectory: String? = nil
    ) {
        self.client = client
        self.limits = limits
        self.hostOverride = hostOverride
        self.retries = retries
        self.temporaryDirectory = temporaryDirectory ?? FileSystem.temporaryDirectory
    }

    /// Downloads, verifies and extracts the artifact into `directory` (created if needed).
    @discardableResult
    public func fetch(url: String, digest: String, into directory: String) async throws(ArtifactFetchError)
        -> ArtifactExtractor.Summary
    {
        let staging: String
        do {
            staging = try FileSystem.makeTemporaryDirectory(in: temporaryDirectory, prefix: "artifact-")
        } catch {
            throw .fileSystem(error)
        }
        defer { try? FileSystem.removeTree(staging) }
        let file = staging + "/artifact.tar.gz"
        try await download(url: url, digest: digest, to: file)
        do {
            return try await ArtifactExtractor(limits: limits).extract(archiveAt: file, into: directory)
        } catch let error as ArchiveError {
            throw .archive(error)
        } catch let error as HTTPClientError {
            throw .transport(error)
        } catch {
            throw .archive(.corrupt("\(error)"))
        }
    }

    /// Downloads the artifact to `file` (a Helm chart `.tgz`, an index) and verifies its digest; the file is removed
    /// again when the digest does not match.
    public func download(url: String, digest: String, to file: String) async throws(ArtifactFetchError) {
        let (algorithm, expectedHex) = try Self.parse(digest)
        let target = effectiveURL(url)
        var attempt = 0
        while true {
            do {
                try await downloadOnce(url: target, algorithm: algorithm, expectedHex: expectedHex, digest: digest, to: file)
                return
            } catch {
                unlink(file)
                guard attempt < retries, Self.isRetryable(error) else { throw error }
                attempt += 1
                try? await Task.sleep(for: .milliseconds(200 * attempt))
            }
        }
    }

    private func downloadOnce(
        url: String, algorithm: DigestAlgorithm, expectedHex: String, digest: String, to file: String
    ) async throws(ArtifactFetchError) {
        let response: HTTPStreamingResponse
        do {
            response = try await client.stream(HTTPClientRequest(url: url, followRedirects: true))
        } catch {
            throw .transport(error)
        }
        guard (200..<300).contains(response.status) else {
            let message = (try? await response.collect(upTo: 1024)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            response.cancel()
            if response.status == 404 { throw .notFound(url: url) }
            throw .httpStatus(url: url, status: response.status, message: message.trimmingWhitespace())
        }
        let output: POSIXFile
        do {
            output = try POSIXFile(path: file, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: 0o600)
        } catch {
            response.cancel()
            throw .fileSystem(error)
        }
        var hasher = StreamingDigest(algorithm)
        var size: Int64 = 0
        var iterator = response.body.makeAsyncIterator()
        do {
            while let chunk = try await iterator.next() {
                size += Int64(chunk.count)
                guard size <= limits.maxTotalSize else {
                    response.cancel()
                    throw ArtifactFetchError.tooLarge(url: url, limit: limits.maxTotalSize)
                }
                hasher.update(chunk)
                try output.write(chunk)
            }
        } catch let error as ArtifactFetchError {
            throw error
        } catch let error as HTTPClientError {
            throw .transport(error)
        } catch let error as FileSystemError {
            throw .fileSystem(error)
        } catch {
            throw .transport(HTTPClientError(code: .transferFailed, url: url, message: "\(error)"))
        }
        let actual = hasher.finalize().hexString
        guard actual == expectedHex.lowercased() else {
            throw .digestMismatch(url: url, expected: digest, actual: "\(algorithm.rawValue):\(actual)")
        }
    }

    /// `sha256:<hex>` → algorithm and hex.
    static func parse(_ digest: String) throws(ArtifactFetchError) -> (DigestAlgorithm, String) {
        let parts = digest.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let algorithm = DigestAlgorithm(rawValue: String(parts[0])),
            parts[1].count == algorithm.byteCount * 2, [UInt8](hex: parts[1]) != nil
        else { throw .unsupportedDigest(digest) }
        return (algorithm, String(parts[1]))
    }

    private static func isRetryable(_ error: ArtifactFetchError) -> Bool {
        switch error {
        case .httpStatus(_, let status, _): status >= 500
        case .transport(let error): error.code == .connectFailed || error.code == .connectionLost || error.code == .timedOut
        default: false
        }
    }

    /// The URL with `hostOverride` applied.
    func effectiveURL(_ url: String) -> String {
        guard let hostOverride, !hostOverride.isEmpty, var components = URLComponents(string: url) else { return url }
        let parts = hostOverride.split(separator: ":", maxSplits: 1)
        components.host = String(parts[0])
        components.port = parts.count == 2 ? Int(parts[1]) : nil
        return components.string ?? url
    }
}
