extension KubeError {
    /// The error an API server response with a non-2xx status means, from its `metav1.Status` body when it sent one.
    ///
    /// The code follows the status `reason` first (so `409 AlreadyExists` and `409 Conflict` differ), then the HTTP
    /// status; `details.causes` become `causes`.
    public init(httpStatus: Int, body: some Collection<UInt8>, request: String) {
        let status = (try? JSONValue(json: body)).flatMap { $0["kind"]?.stringValue == "Status" ? $0 : nil }
        self.init(httpStatus: httpStatus, status: status, fallbackBody: status == nil ? Array(body) : [], request: request)
    }

    /// The error a `metav1.Status` object describes (e.g. the object of a watch `ERROR` event).
    public init(status: JSONValue, request: String) {
        let code = status["code"]?.intValue.map(Int.init) ?? 500
        self.init(httpStatus: code, status: status, fallbackBody: [], request: request)
    }

    private init(httpStatus: Int, status: JSONValue?, fallbackBody: [UInt8], request: String) {
        let reason = status?["reason"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        var message = status?["message"]?.stringValue ?? ""
        if message.isEmpty {
            let text = String(decoding: fallbackBody.prefix(512), as: UTF8.self).trimmingWhitespace()
            message = text.isEmpty ? "HTTP \(httpStatus)" : text
        }
        var causes: [Cause] = []
        for cause in status?[path: "details", "causes"]?.arrayValue ?? [] {
            causes.append(Cause(field: cause["field"]?.stringValue, reason: cause["reason"]?.stringValue,
                                message: cause["message"]?.stringValue ?? ""))
        }
        self.init(code: Self.code(httpStatus: httpStatus, reason: reason), httpStatus: httpStatus, reason: reason,
                  message: "\(request): \(message)", causes: causes)
    }

    static func code(httpStatus: Int, reason: String?) -> Code {
        switch reason {
        case "NotFound": return .notFound
        case "AlreadyExists": return .alreadyExists
        case "Conflict": return .conflict
        case "Invalid": return .invalid
        case "Gone", "Expired": return .gone
        case "Forbidden": return .forbidden
        case "Unauthorized": return .unauthorized
        case "BadRequest": return .badRequest
        case "MethodNotAllowed": return .methodNotAllowed
        case "UnsupportedMediaType": return .unsupportedMediaType
        case "TooManyRequests": return .tooManyRequests
        case "RequestEntityTooLarge": return .requestEntityTooLarge
        case "Timeout", "ServerTimeout": return .timeout
        default: break
        }
        switch httpStatus {
        case 400: return .badRequest
        case 401: return .unauthorized
        case 403: return .forbidden
        case 404: return .notFound
        case 405: return .methodNotAllowed
        case 408, 504: return .timeout
        case 409: return .conflict
        case 410: return .gone
        case 413: return .requestEntityTooLarge
        case 415: return .unsupportedMediaType
        case 422: return .invalid
        case 429: return .tooManyRequests
        case 500...: return .serverError
        default: return .badResponse
        }
    }

    /// A transport failure (no usable response) as a `KubeError`.
    init(_ error: HTTPClientError, request: String) {
        let code: Code = switch error.code {
        case .timedOut: .timeout
        case .tooLarge: .badResponse
        default: .transport
        }
        self.init(code: code, message: "\(request): \(error.code): \(error.message)")
    }
}
