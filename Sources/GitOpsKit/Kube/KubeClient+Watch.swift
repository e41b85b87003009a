extension KubeClient {
    /// A watch stream of `kind` (in `namespace`, or all namespaces / cluster-scoped when nil).
    ///
    /// Events arrive as the server sends them; the stream is pulled, so a slow consumer slows the transfer instead
    /// of buffering without bound. It ends when the server closes the watch (`timeoutSeconds`); it throws a
    /// `KubeError` on an `ERROR` event (`.gone` for 410: re-list), on a malformed event, and on a transport failure or
    /// idle timeout (`.timeout`). Cancelling the consuming task, or dropping the stream, stops the transfer.
    public func watch(_ kind: GroupVersionKind, namespace: String?, options: WatchOptions) async throws(KubeError)
        -> AsyncThrowingStream<WatchEvent, any Error>
    {
        let mapping = try await mapping(for: kind)
        let path = KubeRequestPath(mapping: mapping, namespace: namespace).path + KubeRequestPath.query(options.queryItems)
        let what = "WATCH \(path)"
        let request = try makeRequest(.get, path)
        let response: HTTPStreamingResponse
        do {
            response = try await http.stream(request)
        } catch {
            throw KubeError(error, request: what)
        }
        guard response.status == 200 else {
            let body = (try? await response.collect(upTo: 1 << 20)) ?? []
            throw KubeError(httpStatus: response.status, body: body, request: what)
        }
        let decoder = KubeWatchDecoder(response: response, kind: kind, request: what)
        return AsyncThrowingStream(unfolding: { try await decoder.next() })
    }
}

/// Turns the lines of a watch response into `WatchEvent`s. One consumer pulls from it at a time.
actor KubeWatchDecoder {
    private let response: HTTPStreamingResponse
    private var lines: HTTPLineSequence.AsyncIterator
    private let kind: GroupVersionKind
    private let request: String
    private var finished = false

    init(response: HTTPStreamingResponse, kind: GroupVersionKind, request: String) {
        self.response = response
        self.lines = response.lines.makeAsyncIterator()
        self.kind = kind
        self.request = request
    }

    func next() async throws(KubeError) -> WatchEvent? {
        while !finished {
            var iterator = lines
            let line: [UInt8]?
            do {
                line = try await iterator.next(isolation: self)
            } catch {
                finished = true
                throw KubeError(error, request: request)
            }
            lines = iterator
            guard let line else {
                finished = true
                return nil
            }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            do {
                return try decode(line)
            } catch {
                finished = true
                response.cancel()
                throw error
            }
        }
        return nil
    }

    private func decode(_ line: [UInt8]) throws(KubeError) -> WatchEvent {
        let event: JSONValue
        do {
            event = try JSONValue(json: line)
        } catch {
            throw KubeError(code: .badResponse, message: "\(request): malformed watch event: \(error)")
        }
        guard let type = event["type"]?.stringValue, let object = event["object"], case .object = object else {
            throw KubeError(code: .badResponse, message: "\(request): a watch event lacks type or object")
        }
        switch type {
        case "ADDED": return .added(withKind(object))
        case "MODIFIED": return .modified(withKind(object))
        case "DELETED": return .deleted(withKind(object))
        case "BOOKMARK":
            guard let resourceVersion = object[path: "metadata", "resourceVersion"]?.stringValue else {
                throw KubeError(code: .badResponse, message: "\(request): a BOOKMARK event has no resourceVersion")
            }
            return .bookmark(resourceVersion: resourceVersion)
        case "ERROR":
            throw KubeError(status: object, request: request)
        default:
            throw KubeError(code: .badResponse, message: "\(request): unknown watch event type \(type)")
        }
    }

    private func withKind(_ object: JSONValue) -> JSONValue {
        var object = object
        if object["apiVersion"] == nil { object["apiVersion"] = .string(kind.apiVersion) }
        if object["kind"] == nil { object["kind"] = .string(kind.kind) }
        return object
    }
}
