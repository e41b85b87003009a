import GitOpsKit

/// A webhook request as the validator needs it: header lookup (case-insensitive) and the raw body.
struct ReceiverRequest: Sendable {
    /// Header values by lowercased name.
    let headers: [String: String]
    let body: [UInt8]

    init(headers: [String: String], body: [UInt8]) {
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.body = body
    }

    func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// What to do with a request after validation.
enum ReceiverVerdict: Equatable, Sendable {
    /// Authentic and of an accepted event: annotate the resources.
    case accept
    /// Authentic but asks for nothing (GitHub's `ping` when a hook is created): answer 200 and annotate nothing.
    case acknowledge
    /// Refused, with the reason for the log.
    case reject(String)
}

/// Checks a request against a Receiver's type and token as Flux's `receiver_handlers.go` does. Signatures are
/// compared in constant time so a timing side channel cannot reveal the expected MAC.
struct ReceiverRequestValidator: Sendable {
    let receiver: Receiver
    let token: String

    /// Whether the type needs the body (only those read it, so `generic` or `gitlab` requests are never buffered).
    static func needsBody(_ type: Receiver.ReceiverType) -> Bool {
        [.genericHMAC, .github, .bitbucket].contains(type)
    }

    /// The receiver types the server verifies; the reconciler stalls the others instead of accepting unverified
    /// requests.
    static let supportedTypes: [Receiver.ReceiverType] = [.generic, .genericHMAC, .github, .gitlab, .bitbucket, .harbor]

    func validate(_ request: ReceiverRequest) -> ReceiverVerdict {
        switch receiver.spec.type {
        case .generic:
            return .accept
        case .genericHMAC:
            if let problem = Self.signatureProblem(request.header("X-Signature") ?? "", body: request.body, key: token) {
                return .reject("unable to validate HMAC signature: \(problem)")
            }
            return .accept
        case .github:
            if let problem = githubStyleProblem(request) {
                return .reject("the GitHub signature header is invalid, err: \(problem)")
            }
            let event = request.header("X-GitHub-Event") ?? ""
            if event.lowercased() == "ping" { return .acknowledge }
            return eventVerdict(event, source: "GitHub event")
        case .gitlab:
            let sent = Array((request.header("X-Gitlab-Token") ?? "").utf8)
            guard ConstantTime.equals(sent, Array(token.utf8)) else {
                return .reject("the X-Gitlab-Token header value does not match the receiver token")
            }
            return eventVerdict(request.header("X-Gitlab-Event") ?? "", source: "GitLab event")
        case .bitbucket:
            if let problem = githubStyleProblem(request) {
                return .reject("the Bitbucket server signature header is invalid, err: \(problem)")
            }
            return eventVerdict(request.header("X-Event-Key") ?? "", source: "Bitbucket server event")
        case .harbor:
            let sent = Array((request.header("Authorization") ?? "").utf8)
            guard ConstantTime.equals(sent, Array(token.utf8)) else {
                return .reject("the Harbor Authorization header value does not match the receiver token")
            }
            return .accept
        default:
            return .reject("receiver type '\(receiver.spec.type.rawValue)' not supported")
        }
    }

    /// `spec.events` (case-insensitive) admits `event`; an empty list admits all.
    private func eventVerdict(_ event: String, source: String) -> ReceiverVerdict {
        let allowed = receiver.spec.events ?? []
        if allowed.isEmpty || allowed.contains(where: { $0.lowercased() == event.lowercased() }) { return .accept }
        return .reject("the \(source) '\(event)' is not authorised")
    }

    /// go-github's `ValidatePayload`: a JSON or form-encoded body signed in `X-Hub-Signature-256` (or the SHA-1
    /// `X-Hub-Signature`) with the token.
    private func githubStyleProblem(_ request: ReceiverRequest) -> String? {
        let mediaType = (request.header("Content-Type") ?? "").split(separator: ";").first
            .map { $0.filter { $0 != " " && $0 != "\t" }.lowercased() } ?? ""
        guard mediaType == "application/json" || mediaType == "application/x-www-form-urlencoded" else {
            return "webhook request has unsupported Content-Type \"\(mediaType)\""
        }
        let signature = request.header("X-Hub-Signature-256").flatMap { $0.isEmpty ? nil : $0 }
            ?? request.header("X-Hub-Signature") ?? ""
        if token.isEmpty, signature.isEmpty { return nil }
        return Self.signatureProblem(signature, body: request.body, key: token)
    }

    /// Checks `<sha1|sha256|sha512>=<hex HMAC(body, key)>`; nil when it matches.
    static func signatureProblem(_ signature: String, body: [UInt8], key: String) -> String? {
        guard let equals = signature.firstIndex(of: "=") else { return "missing signature" }
        let algorithm: DigestAlgorithm
        switch signature[..<equals] {
        case "sha1": algorithm = .sha1
        case "sha256": algorithm = .sha256
        case "sha512": algorithm = .sha512
        default: return "unknown hash type prefix: \"\(signature[..<equals])\""
        }
        guard let mac = [UInt8](hex: signature[signature.index(after: equals)...]) else {
            return "error decoding signature \"\(signature)\""
        }
        guard HMAC.isValid(mac, algorithm: algorithm, key: Array(key.utf8), message: body) else {
            return "payload signature check failed"
        }
        return nil
    }
}
