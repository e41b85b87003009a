import CGit2
import FoundationEssentials

/// State libgit2's C callbacks reach through their `payload` pointer: credentials, the host-key policy, the
/// operation's deadline, and the first failure a callback decided on (so the error says *why*, not just
/// "callback returned -7").
///
/// Lives on the libgit2 thread for one operation; not `Sendable`.
final class GitCallbackContext {
    let credentials: GitCredentials
    let control: GitOperationControl
    let host: String
    let port: Int
    /// Calls of the credentials callback so far; libgit2 calls again after every rejection.
    private(set) var credentialRequests = 0
    /// The first failure a callback reported.
    var failure: GitError?
    /// `refname: status` for every reference the remote refused in a push.
    var pushRejections: [String] = []

    /// How many times credentials are offered before giving up (a wrong password gets a clear error, not a loop).
    static let maximumCredentialRequests = 3

    init(credentials: GitCredentials, control: GitOperationControl, url: String) {
        self.credentials = credentials
        self.control = control
        let endpoint = GitURL.endpoint(of: url)
        self.host = endpoint.host
        self.port = endpoint.port
    }

    /// Fills the callback slots of `callbacks`; `self` must outlive the libgit2 call using them.
    func install(into callbacks: inout git_remote_callbacks) {
        callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
        callbacks.credentials = { out, _, usernameFromURL, allowedTypes, payload in
            guard let out, let payload else { return -1 }
            let context = Unmanaged<GitCallbackContext>.fromOpaque(payload).takeUnretainedValue()
            return context.provideCredential(out, usernameFromURL: usernameFromURL.map { String(cString: $0) }, allowed: allowedTypes)
        }
        callbacks.certificate_check = { certificate, valid, host, payload in
            guard let certificate, let payload else { return -1 }
            let context = Unmanaged<GitCallbackContext>.fromOpaque(payload).takeUnretainedValue()
            return context.checkCertificate(certificate, valid: valid != 0, host: host.map { String(cString: $0) })
        }
        callbacks.transfer_progress = { _, payload in
            guard let payload else { return 0 }
            return Unmanaged<GitCallbackContext>.fromOpaque(payload).takeUnretainedValue().continueOrAbort()
        }
        callbacks.sideband_progress = { _, _, payload in
            guard let payload else { return 0 }
            return Unmanaged<GitCallbackContext>.fromOpaque(payload).takeUnretainedValue().continueOrAbort()
        }
        callbacks.pack_progress = { _, _, _, payload in
            guard let payload else { return 0 }
            return Unmanaged<GitCallbackContext>.fromOpaque(payload).takeUnretainedValue().continueOrAbort()
        }
        callbacks.push_update_reference = { reference, status, payload in
            guard let payload else { return 0 }
            let context = Unmanaged<GitCallbackContext>.fromOpaque(payload).takeUnretainedValue()
            if let status {
                let name = reference.map { String(cString: $0) } ?? "?"
                context.pushRejections.append("\(name): \(String(cString: status))")
            }
            return 0
        }
    }

    /// The error to report for a failed libgit2 call: what a callback decided, else libgit2's own message
    /// classified by its error code.
    func error(for status: Int32, _ what: String) -> GitError {
        if let failure { return failure }
        if let stop = control.stopReason { return stop }
        let message = GitRuntime.lastErrorMessage("error \(status)")
        let lowered = message.lowercased()
        if status == GIT_EAUTH.rawValue || lowered.contains("authentication") || lowered.contains("unauthorized")
            || lowered.contains("401") || lowered.contains("403")
        {
            return GitError(.authenticationFailed, "\(what): authentication failed: \(message)")
        }
        if status == GIT_ECERTIFICATE.rawValue {
            return GitError(.hostKeyVerificationFailed, "\(what): \(message)")
        }
        return GitError(.operationFailed, "\(what): \(message)")
    }

    private func continueOrAbort() -> Int32 {
        guard let stop = control.stopReason else { return 0 }
        if failure == nil { failure = stop }
        git_error_set_str(Int32(GIT_ERROR_NET.rawValue), stop.message)
        return GIT_EUSER.rawValue
    }

    private func fail(_ error: GitError, code: Int32 = GIT_EUSER.rawValue) -> Int32 {
        if failure == nil { failure = error }
        git_error_set_str(Int32(GIT_ERROR_NET.rawValue), error.message)
        return code
    }

    private func provideCredential(
        _ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>, usernameFromURL: String?, allowed: UInt32
    ) -> Int32 {
        if let stop = control.stopReason { return fail(stop) }
        credentialRequests += 1
        guard credentialRequests <= Self.maximumCredentialRequests else {
            return fail(GitError(.authenticationFailed, "authentication failed: the server rejected the credentials for \(host) (gave up after \(Self.maximumCredentialRequests) attempts)"), code: GIT_EAUTH.rawValue)
        }
        let username = credentials.username.flatMap { $0.isEmpty ? nil : $0 } ?? usernameFromURL ?? "git"
        if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0, let identity = credentials.identity {
            let status = git_credential_ssh_key_memory_new(out, username, nil, identity, credentials.password)
            if status < 0 {
                return fail(GitError(.invalidCredentials, "invalid SSH identity: \(GitRuntime.lastErrorMessage("cannot load the private key"))"), code: status)
            }
            return 0
        }
        if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0, let password = credentials.password,
            credentials.identity == nil
        {
            return git_credential_userpass_plaintext_new(out, username, password)
        }
        if allowed & GIT_CREDENTIAL_USERNAME.rawValue != 0 {
            return git_credential_username_new(out, username)
        }
        return fail(GitError(.authenticationFailed, "authentication required by \(host) but no matching credentials are configured"), code: GIT_EAUTH.rawValue)
    }

    private func checkCertificate(_ certificate: UnsafeMutablePointer<git_cert>, valid: Bool, host: String?) -> Int32 {
        if let stop = control.stopReason { return fail(stop) }
        guard certificate.pointee.cert_type == GIT_CERT_HOSTKEY_LIBSSH2 else {
            // TLS: keep libgit2's own verification (system trust store or GIT_OPT_SET_SSL_CERT_LOCATIONS).
            return GIT_PASSTHROUGH.rawValue
        }
        let name = host ?? self.host
        guard let knownHosts = credentials.knownHosts else {
            return fail(GitError(.hostKeyVerificationFailed, "SSH host key of \(name) cannot be verified: no known_hosts configured"), code: GIT_ECERTIFICATE.rawValue)
        }
        let verdict: KnownHosts.Verdict = certificate.withMemoryRebound(to: git_cert_hostkey.self, capacity: 1) { hostKey in
            let info = hostKey.pointee
            if info.type.rawValue & GIT_CERT_SSH_RAW.rawValue != 0, let raw = info.hostkey, info.hostkey_len > 0 {
                let key = Array(UnsafeRawBufferPointer(start: raw, count: info.hostkey_len))
                return knownHosts.verify(host: name, port: port, key: key)
            }
            if info.type.rawValue & GIT_CERT_SSH_SHA256.rawValue != 0 {
                let fingerprint = withUnsafeBytes(of: info.hash_sha256) { Array($0) }
                return knownHosts.verify(host: name, port: port, sha256: fingerprint)
            }
            return .unknownHost
        }
        let address = port == 22 ? name : "[\(name)]:\(port)"
        switch verdict {
        case .trusted:
            return 0
        case .mismatch:
            return fail(GitError(.hostKeyVerificationFailed, "SSH host key verification failed: the key of \(address) does not match known_hosts"), code: GIT_ECERTIFICATE.rawValue)
        case .unknownHost:
            return fail(GitError(.hostKeyVerificationFailed, "SSH host key verification failed: \(address) is not in known_hosts"), code: GIT_ECERTIFICATE.rawValue)
        case .revoked:
            return fail(GitError(.hostKeyVerificationFailed, "SSH host key verification failed: the key of \(address) is revoked"), code: GIT_ECERTIFICATE.rawValue)
        }
    }
}

/// URL helpers for Git remotes.
enum GitURL {
    /// Host and port of `http(s)://` and `ssh://` URLs (defaults 80/443/22).
    static func endpoint(of url: String) -> (host: String, port: Int) {
        guard let components = URLComponents(string: url), let host = components.host else { return ("", 22) }
        let defaultPort =
            switch components.scheme?.lowercased() {
            case "http": 80
            case "https": 443
            default: 22
            }
        return (host, components.port ?? defaultPort)
    }

    /// Accepts `http://`, `https://`, `ssh://` and `file://` URLs (Flux allows the first three; `file://` serves tests
    /// and local mirrors).
    static func validate(_ url: String) throws(GitError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            throw GitError(.invalidURL, "invalid Git URL \(url.debugDescription)")
        }
        switch scheme {
        case "http", "https", "ssh":
            guard let host = components.host, !host.isEmpty else { throw GitError(.invalidURL, "Git URL \(url) has no host") }
        case "file":
            break
        default:
            throw GitError(.invalidURL, "unsupported Git URL scheme \(scheme.debugDescription) in \(url); use http, https or ssh")
        }
    }
}
