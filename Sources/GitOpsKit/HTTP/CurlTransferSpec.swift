/// Everything the loop thread needs to run one request, and where the outcome goes.
struct CurlTransferSpec: Sendable {
    enum Delivery: Sendable {
        case buffered(CheckedContinuation<Result<HTTPClientResponse, HTTPClientError>, Never>)
        case streaming(head: CheckedContinuation<Result<HTTPResponseHead, HTTPClientError>, Never>, body: HTTPBodyBuffer)
    }

    var request: HTTPClientRequest
    var configuration: HTTPClientConfiguration
    var control: TransferControl
    var delivery: Delivery

    /// Completes a transfer that never started.
    func fail(_ error: HTTPClientError) {
        switch delivery {
        case .buffered(let continuation):
            continuation.resume(returning: .failure(error))
        case .streaming(let head, let body):
            head.resume(returning: .failure(error))
            body.finish(error)
        }
    }
}

extension HTTPClientError {
    static func cancelled(url: String) -> HTTPClientError {
        HTTPClientError(code: .cancelled, url: url, message: "the request was cancelled")
    }
}

/// Status and headers of a response, delivered before its body when streaming.
struct HTTPResponseHead: Sendable {
    var status: Int
    var headers: HTTPClientHeaders
}
