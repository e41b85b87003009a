import CCurl
import FoundationEssentials
import Synchronization

/// One easy handle and its callbacks' state. Lives on the loop thread only.
final class CurlTransfer {
    let spec: CurlTransferSpec
    let easy: UnsafeMutableRawPointer
    private var requestHeaders: UnsafeMutablePointer<curl_slist>?
    private var connectTo: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let bodyLimit: Int

    /// The stream idle timeout, checked by the loop (libcurl's low-speed check averages over several seconds).
    let idleTimeout: Duration?
    /// The last time bytes arrived, or the reader caught up after a pause.
    private(set) var lastActivity = ContinuousClock.now
    /// Paused because the reader lags: not idle, just waiting.
    private(set) var pausedForReader = false

    private var status = 0
    private var headers = HTTPClientHeaders()
    private var body: [UInt8] = []
    private var headDelivered = false
    private var completed = false
    /// Set when a callback aborted the transfer on purpose; it names the error instead of curl's generic one.
    private var abort: (code: HTTPClientError.Code, message: String)?

    init(spec: CurlTransferSpec) throws(HTTPClientError) {
        guard let easy = curl_easy_init() else {
            throw HTTPClientError(code: .transferFailed, url: spec.request.url, message: "curl_easy_init failed")
        }
        self.spec = spec
        self.easy = easy
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        self.errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        self.bodyLimit = spec.request.maximumResponseSize ?? spec.configuration.maximumResponseSize
        if case .streaming = spec.delivery { idleTimeout = spec.configuration.streamIdleTimeout } else { idleTimeout = nil }
        try configure()
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(requestHeaders)
        curl_slist_free_all(connectTo)
        errorBuffer.deallocate()
    }

    private var isStreaming: Bool {
        if case .streaming = spec.delivery { return true }
        return false
    }

    // MARK: Options

    private func configure() throws(HTTPClientError) {
        let request = spec.request
        let config = spec.configuration
        let url = request.url
        var failure: (CURLoption, CURLcode)?
        func check(_ option: CURLoption, _ code: CURLcode) {
            if code != CURLE_OK, failure == nil { failure = (option, code) }
        }
        func set(_ option: CURLoption, _ value: Int) { check(option, gok_curl_easy_setopt_long(easy, option, value)) }
        func set(_ option: CURLoption, _ value: String?) {
            guard let value else { return check(option, gok_curl_easy_setopt_string(easy, option, nil)) }
            value.withCString { check(option, gok_curl_easy_setopt_string(easy, option, $0)) }
        }
        func setBlob(_ option: CURLoption, _ bytes: [UInt8]) {
            var copy = bytes
            copy.withUnsafeMutableBytes { raw in
                var blob = curl_blob(data: raw.baseAddress, len: raw.count, flags: UInt32(CURL_BLOB_COPY))
                withUnsafeMutablePointer(to: &blob) { check(option, gok_curl_easy_setopt_pointer(easy, option, $0)) }
            }
        }

        check(CURLOPT_ERRORBUFFER, gok_curl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer))
        set(CURLOPT_NOSIGNAL, 1)
        set(CURLOPT_PROTOCOLS_STR, "http,https")
        set(CURLOPT_URL, try effectiveURL())
        if let connectTo {
            check(CURLOPT_CONNECT_TO, gok_curl_easy_setopt_slist(easy, CURLOPT_CONNECT_TO, connectTo))
        }

        // Method and body.
        let method = request.method.rawValue.uppercased()
        if let bodyBytes = request.body {
            set(CURLOPT_POST, 1)
            check(CURLOPT_POSTFIELDSIZE_LARGE, gok_curl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bodyBytes.count)))
            var copy = bodyBytes
            copy.withUnsafeMutableBytes { raw in
                let pointer = raw.baseAddress ?? UnsafeMutableRawPointer(errorBuffer)
                check(CURLOPT_COPYPOSTFIELDS, gok_curl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, pointer))
            }
            if method != "POST" { set(CURLOPT_CUSTOMREQUEST, method) }
        } else if method == "GET" {
            set(CURLOPT_HTTPGET, 1)
        } else if method == "HEAD" {
            set(CURLOPT_NOBODY, 1)
        } else {
            set(CURLOPT_CUSTOMREQUEST, method)
        }

        // Headers: the request's own, then credentials unless the request brought some, and no `Expect: 100-continue`.
        var lines = request.headers.map { "\($0.name): \($0.value)" }
        if !request.headers.contains("Authorization") {
            switch config.authorization {
            case .none: break
            case .bearer(let token): lines.append("Authorization: Bearer \(token)")
            case .basic(let user, let password):
                lines.append("Authorization: Basic \(Data("\(user):\(password)".utf8).base64EncodedString())")
            }
        }
        if !request.headers.contains("Expect") { lines.append("Expect:") }
        for line in lines { requestHeaders = curl_slist_append(requestHeaders, line) }
        check(CURLOPT_HTTPHEADER, gok_curl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, requestHeaders))
        set(CURLOPT_USERAGENT, config.userAgent)
        if config.acceptCompressedResponses { set(CURLOPT_ACCEPT_ENCODING, "") }

        // Callbacks.
        let me = Unmanaged.passUnretained(self).toOpaque()
        check(CURLOPT_WRITEFUNCTION, gok_curl_easy_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION, curlWriteCallback))
        check(CURLOPT_WRITEDATA, gok_curl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, me))
        check(CURLOPT_HEADERFUNCTION, gok_curl_easy_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION, curlHeaderCallback))
        check(CURLOPT_HEADERDATA, gok_curl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, me))

        // Timeouts and limits.
        set(CURLOPT_CONNECTTIMEOUT_MS, config.connectTimeout.milliseconds)
        if let timeout = request.timeout ?? (isStreaming ? nil : config.requestTimeout) {
            set(CURLOPT_TIMEOUT_MS, timeout.milliseconds)
        }
        if !isStreaming {
            check(CURLOPT_MAXFILESIZE_LARGE, gok_curl_easy_setopt_off_t(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(bodyLimit)))
        }
        set(CURLOPT_TCP_KEEPALIVE, 1)
        if isStreaming {
            // A paused HTTP/2 stream keeps its data in libcurl (up to the stream window) and can hold up the
            // connection it shares; on HTTP/1.1 a pause simply stops reading the stream's own socket.
            set(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1)
        } else {
            // Prefer multiplexing on an HTTP/2 connection being set up over opening another one.
            set(CURLOPT_PIPEWAIT, 1)
        }
        if request.followRedirects {
            set(CURLOPT_FOLLOWLOCATION, 1)
            set(CURLOPT_MAXREDIRS, 10)
            set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        }

        // Proxy.
        switch config.proxy {
        case .environment: break
        case .none: set(CURLOPT_PROXY, "")
        case .url(let proxy): set(CURLOPT_PROXY, proxy)
        }
        set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1)

        if let failure {
            throw HTTPClientError(code: .invalidRequest, url: url,
                            message: "cannot set curl option \(failure.0.rawValue): \(String(cString: curl_easy_strerror(failure.1)))",
                            curlCode: Int(failure.1.rawValue))
        }
        // TLS material: a failure here is the configuration's fault.
        let tls = config.tls
        if let ca = tls.certificateAuthority {
            switch ca {
            case .file(let path): set(CURLOPT_CAINFO, path)
            case .data(let pem): setBlob(CURLOPT_CAINFO_BLOB, pem)
            }
            set(CURLOPT_CAPATH, nil)  // trust the given CAs only, not also the system directory
        }
        if let certificate = tls.clientCertificate {
            set(CURLOPT_SSLCERTTYPE, "PEM")
            switch certificate {
            case .file(let path): set(CURLOPT_SSLCERT, path)
            case .data(let pem): setBlob(CURLOPT_SSLCERT_BLOB, pem)
            }
        }
        if let key = tls.clientKey {
            set(CURLOPT_SSLKEYTYPE, "PEM")
            switch key {
            case .file(let path): set(CURLOPT_SSLKEY, path)
            case .data(let pem): setBlob(CURLOPT_SSLKEY_BLOB, pem)
            }
        }
        if tls.insecureSkipVerify {
            set(CURLOPT_SSL_VERIFYPEER, 0)
            set(CURLOPT_SSL_VERIFYHOST, 0)
        }
        if let failure {
            throw HTTPClientError(code: .tlsConfigurationInvalid, url: url,
                            message: "cannot set TLS option \(failure.0.rawValue): \(String(cString: curl_easy_strerror(failure.1)))",
                            curlCode: Int(failure.1.rawValue))
        }
    }

    /// The URL to give curl. With a TLS server name, the URL names that host (so SNI and verification use it) and
    /// `CURLOPT_CONNECT_TO` sends the connection to the original host and port.
    private func effectiveURL() throws(HTTPClientError) -> String {
        let original = spec.request.url
        guard let serverName = spec.configuration.tls.serverName, !serverName.isEmpty else { return original }
        guard let url = curl_url() else {
            throw HTTPClientError(code: .transferFailed, url: original, message: "curl_url failed")
        }
        defer { curl_url_cleanup(url) }
        guard curl_url_set(url, CURLUPART_URL, original, 0) == CURLUE_OK else {
            throw HTTPClientError(code: .invalidRequest, url: original, message: "malformed URL")
        }
        func part(_ which: CURLUPart, _ flags: UInt32 = 0) -> String? {
            var value: UnsafeMutablePointer<CChar>?
            guard curl_url_get(url, which, &value, flags) == CURLUE_OK, let value else { return nil }
            defer { curl_free(value) }
            return String(cString: value)
        }
        guard let host = part(CURLUPART_HOST), let port = part(CURLUPART_PORT, 1 /* CURLU_DEFAULT_PORT */) else {
            throw HTTPClientError(code: .invalidRequest, url: original, message: "URL has no host")
        }
        connectTo = curl_slist_append(connectTo, "::\(host):\(port)")
        requestHeaders = curl_slist_append(requestHeaders, "Host: \(hostPort(host, port))")
        guard curl_url_set(url, CURLUPART_HOST, serverName, 0) == CURLUE_OK, let rewritten = part(CURLUPART_URL) else {
            throw HTTPClientError(code: .invalidRequest, url: original, message: "invalid TLS server name \(serverName)")
        }
        return rewritten
    }

    private func hostPort(_ host: String, _ port: String) -> String {
        let defaultPort = spec.request.url.lowercased().hasPrefix("https:") ? "443" : "80"
        return port == defaultPort ? host : "\(host):\(port)"
    }

    // MARK: Callbacks

    /// The reader caught up: the loop unpauses the transfer.
    func resumedForReader() {
        pausedForReader = false
        lastActivity = .now
    }

    /// Whether a stream has been silent longer than its idle timeout (time paused for the reader excluded).
    func isIdle(at now: ContinuousClock.Instant) -> Bool {
        guard let idleTimeout, !pausedForReader else { return false }
        return now - lastActivity > idleTimeout
    }

    fileprivate func receiveHeader(_ bytes: UnsafeRawBufferPointer) -> Int {
        lastActivity = .now
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        let line = Substring(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<end]), as: UTF8.self))
        if line.hasPrefix("HTTP/") {
            // A new response (after 1xx or a followed redirect): start over.
            headers = HTTPClientHeaders()
            let parts = line.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        } else if line.isEmpty {
            if isStreaming, !headDelivered, isFinalResponse() { deliverHead() }
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].trimmingSpaces()
            let value = line[line.index(after: colon)...].trimmingSpaces()
            headers.add(name: String(name), value: String(value))
        }
        return bytes.count
    }

    private func isFinalResponse() -> Bool {
        if status < 200 { return false }
        if spec.request.followRedirects, (300..<400).contains(status), headers.contains("Location") { return false }
        return true
    }

    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        switch spec.delivery {
        case .buffered:
            guard body.count + bytes.count <= bodyLimit else {
                abort = (.tooLarge, "response body exceeds the limit of \(bodyLimit) bytes")
                return 0
            }
            body.append(contentsOf: bytes)
            return bytes.count
        case .streaming(_, let buffer):
            lastActivity = .now
            if !headDelivered { deliverHead() }
            switch buffer.offer(bytes) {
            case .accepted: return bytes.count
            case .full:
                pausedForReader = true
                return Int(CURL_WRITEFUNC_PAUSE)
            case .closed:
                abort = (.cancelled, "the stream's consumer went away")
                return 0
            }
        }
    }

    private func deliverHead() {
        guard case .streaming(let head, _) = spec.delivery, !headDelivered else { return }
        headDelivered = true
        head.resume(returning: .success(HTTPResponseHead(status: currentStatus(), headers: headers)))
    }

    private func currentStatus() -> Int {
        if status != 0 { return status }
        var code = 0
        _ = gok_curl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    // MARK: Completion

    /// Delivers the outcome of a finished transfer.
    func complete(result: CURLcode) {
        complete(result == CURLE_OK ? nil : error(for: result))
    }

    /// Delivers the response, or `error`; only the first call counts.
    func complete(_ error: HTTPClientError?) {
        guard !completed else { return }
        completed = true
        switch spec.delivery {
        case .buffered(let continuation):
            if let error {
                continuation.resume(returning: .failure(error))
            } else {
                continuation.resume(returning: .success(HTTPClientResponse(status: currentStatus(), headers: headers, body: body)))
            }
        case .streaming(let head, let buffer):
            if !headDelivered {
                headDelivered = true
                if let error {
                    head.resume(returning: .failure(error))
                } else {
                    head.resume(returning: .success(HTTPResponseHead(status: currentStatus(), headers: headers)))
                }
            }
            buffer.finish(error)
        }
    }

    private func error(for result: CURLcode) -> HTTPClientError {
        let url = spec.request.url
        let curlCode = Int(result.rawValue)
        if let abort { return HTTPClientError(code: abort.code, url: url, message: abort.message, curlCode: curlCode) }
        let detail = String(cString: errorBuffer)
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(result)) : detail
        return HTTPClientError(code: Self.code(for: result), url: url, message: message, curlCode: curlCode)
    }

    static func code(for result: CURLcode) -> HTTPClientError.Code {
        switch result {
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_BAD_FUNCTION_ARGUMENT:
            .invalidRequest
        case CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT:
            .connectFailed
        case CURLE_OPERATION_TIMEDOUT:
            .timedOut
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS:
            .tlsVerificationFailed
        case CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_ENGINE_NOTFOUND,
             CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_CRL_BADFILE:
            .tlsConfigurationInvalid
        case CURLE_SSL_CONNECT_ERROR:
            .tlsHandshakeFailed
        case CURLE_FILESIZE_EXCEEDED:
            .tooLarge
        case CURLE_ABORTED_BY_CALLBACK:
            .cancelled
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE:
            .connectionLost
        case CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_TOO_MANY_REDIRECTS, CURLE_WEIRD_SERVER_REPLY,
             CURLE_BAD_CONTENT_ENCODING, CURLE_HTTP3:
            .protocolError
        default:
            .transferFailed
        }
    }
}

private let curlWriteCallback: gok_curl_data_callback = { pointer, size, count, context in
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.receiveBody(UnsafeRawBufferPointer(start: pointer, count: size * count))
}

private let curlHeaderCallback: gok_curl_data_callback = { pointer, size, count, context in
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.receiveHeader(UnsafeRawBufferPointer(start: pointer, count: size * count))
}

extension Duration {
    /// Whole milliseconds, rounded up, clamped at zero.
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        let ms = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int(max(0, ms))
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var s = self
        while let first = s.first, first == " " || first == "\t" { s.removeFirst() }
        while let last = s.last, last == " " || last == "\t" { s.removeLast() }
        return s
    }
}
