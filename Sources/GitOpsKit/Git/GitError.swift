/// A failed Git operation: what kind of failure (so a controller can pick a condition reason) and a message that
/// says what happened.
public struct GitError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of failure.
    public enum Code: String, Sendable, Hashable {
        /// The server refused the credentials, or asked for credentials that were not given.
        case authenticationFailed
        /// The SSH host key is unknown or does not match `known_hosts`.
        case hostKeyVerificationFailed
        /// The branch, tag, ref name or commit does not exist on the remote.
        case referenceNotFound
        /// No tag satisfies the semver constraint, or the constraint does not parse.
        case noSemverMatch
        /// The URL is malformed or uses an unsupported scheme.
        case invalidURL
        /// Credentials are incomplete or malformed (a key without known_hosts, a bad key).
        case invalidCredentials
        /// The operation ran past its timeout.
        case timeout
        /// The caller cancelled the operation.
        case cancelled
        /// The remote rejected a push.
        case pushRejected
        /// Anything else libgit2 or the file system reported.
        case operationFailed
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
