import Logging

/// An HTTP/1.1 and HTTP/2 client on libcurl's multi interface: one dedicated thread per client drives every
/// transfer, so no async task ever blocks on network I/O, and connections are reused across requests.
///
/// One client per set of settings (a Kubernetes cluster, a Helm repository…); share it, it is `Sendable`.
/// Cancelling the calling task stops its transfer promptly. When the client is released its thread ends after the
/// transfers in flight (including open streams) have finished.
///
/// Usage:
/// ```swift
/// let client = HTTPClient(configuration: .init(tls: .init(certificateAuthority: .file(caPath))), logger: logger)
/// let response = try await client.execute(HTTPClientRequest(url: "https://127.0.0.1:6443/version"))
/// ```
public final class HTTPClient: Sendable {
    public let configuration: HTTPClientConfiguration
    let loop: CurlMultiLoop

    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration(),
                logger: Logger = Logger(label: "gitopskit.http", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.configuration = configuration
        self.loop = CurlMultiLoop(maximumConnectionsPerHost: configuration.maximumConnectionsPerHost, logger: logger)
    }

    deinit { loop.requestShutdown() }

    /// Sends `request` and returns the whole response, whatever its status.
    ///
    /// - Throws: `HTTPClientError` when no complete response arrived: connection or TLS failure, timeout, cancellation,
    ///   or a body larger than the request's (or client's) `maximumResponseSize` (`.tooLarge`, transfer aborted).
    public func execute(_ request: HTTPClientRequest) async throws(HTTPClientError) -> HTTPClientResponse {
        if Task.isCancelled { throw .cancelled(url: request.url) }
        let control = TransferControl(loop: loop)
        let configuration = configuration
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<HTTPClientResponse, HTTPClientError>, Never>) in
                loop.submit(.start(CurlTransferSpec(request: request, configuration: configuration, control: control,
                                                    delivery: .buffered(continuation))))
            }
        } onCancel: {
            control.cancel()
        }
        return try result.get()
    }

    /// Sends `request` and returns as soon as the status and headers are in; the body follows as it arrives
    /// (`body` chunks or `lines`), with at most `streamBufferSize` bytes buffered ahead of the reader.
    ///
    /// No total timeout applies unless the request sets one; `streamIdleTimeout` ends a silent stream.
    public func stream(_ request: HTTPClientRequest) async throws(HTTPClientError) -> HTTPStreamingResponse {
        if Task.isCancelled { throw .cancelled(url: request.url) }
        let control = TransferControl(loop: loop)
        let configuration = configuration
        let buffer = HTTPBodyBuffer(capacity: configuration.streamBufferSize, control: control, url: request.url)
        let lifetime = HTTPStreamLifetime(buffer: buffer)
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<HTTPResponseHead, HTTPClientError>, Never>) in
                loop.submit(.start(CurlTransferSpec(request: request, configuration: configuration, control: control,
                                                    delivery: .streaming(head: continuation, body: buffer))))
            }
        } onCancel: {
            control.cancel()
        }
        let head = try result.get()
        return HTTPStreamingResponse(status: head.status, headers: head.headers, body: HTTPBodyStream(lifetime: lifetime),
                                     maximumLineSize: configuration.maximumLineSize)
    }
}
