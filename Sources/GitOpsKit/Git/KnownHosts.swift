import FoundationEssentials

/// An OpenSSH `known_hosts` file, used to accept an SSH server's host key only when it is listed — the check
/// Flux performs with the `known_hosts` key of a GitRepository's Secret.
///
/// Supports plain and `[host]:port` patterns, `*`/`?` wildcards, `!` negation, hashed entries (`|1|salt|hash`) and
/// the `@revoked` marker; `@cert-authority` lines are ignored (certificates are not supported).
public struct KnownHosts: Sendable, Hashable {
    struct Entry: Sendable, Hashable {
        var patterns: [String]
        var keyType: String
        var key: [UInt8]
        var revoked: Bool
    }

    private(set) var entries: [Entry]

    /// Parses the file's text; malformed lines are skipped, and a text with no usable entry is an error.
    public init(_ text: String) throws(GitError) {
        var entries: [Entry] = []
        for rawLine in text.split(whereSeparator: \.isNewline) {
            var fields = rawLine.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let first = fields.first, !first.hasPrefix("#") else { continue }
            var revoked = false
            if first.hasPrefix("@") {
                guard first == "@revoked" else { continue }
                revoked = true
                fields.removeFirst()
            }
            guard fields.count >= 3, let key = Data(base64Encoded: fields[2]) else { continue }
            entries.append(Entry(patterns: fields[0].split(separator: ",").map(String.init), keyType: fields[1], key: Array(key), revoked: revoked))
        }
        guard !entries.isEmpty else { throw GitError(.invalidCredentials, "known_hosts has no valid host key entries") }
        self.entries = entries
    }

    /// The outcome of checking a server's key.
    public enum Verdict: Sendable, Hashable {
        case trusted
        /// The host is listed, but with other keys (the server's key changed, or someone is in the middle).
        case mismatch
        /// The host is not listed at all.
        case unknownHost
        /// The key is listed as `@revoked`.
        case revoked
    }

    /// Checks `key` (the SSH wire-format public key blob) for `host` on `port`.
    public func verify(host: String, port: Int, key: [UInt8]) -> Verdict {
        let address = port == 22 ? host : "[\(host)]:\(port)"
        var hostListed = false
        for entry in entries where Self.matches(address: address, patterns: entry.patterns) {
            if entry.revoked {
                if entry.key == key { return .revoked }
                continue
            }
            hostListed = true
            if entry.key == key { return .trusted }
        }
        return hostListed ? .mismatch : .unknownHost
    }

    /// Checks the SHA-256 fingerprint of the key when the raw key is not available.
    func verify(host: String, port: Int, sha256: [UInt8]) -> Verdict {
        let address = port == 22 ? host : "[\(host)]:\(port)"
        var hostListed = false
        for entry in entries where !entry.revoked && Self.matches(address: address, patterns: entry.patterns) {
            hostListed = true
            if Digest.compute(.sha256, entry.key) == sha256 { return .trusted }
        }
        return hostListed ? .mismatch : .unknownHost
    }

    /// OpenSSH pattern-list semantics: a negated match excludes, otherwise any positive match includes.
    static func matches(address: String, patterns: [String]) -> Bool {
        var matched = false
        for pattern in patterns {
            if pattern.hasPrefix("|1|") {
                if hashedMatches(address: address, entry: pattern) { matched = true }
            } else if pattern.hasPrefix("!") {
                if wildcardMatches(address.lowercased(), pattern.dropFirst().lowercased()) { return false }
            } else if wildcardMatches(address.lowercased(), pattern.lowercased()) {
                matched = true
            }
        }
        return matched
    }

    /// `|1|base64(salt)|base64(HMAC-SHA1(salt, host))`.
    private static func hashedMatches(address: String, entry: String) -> Bool {
        let parts = entry.split(separator: "|", omittingEmptySubsequences: true)
        guard parts.count == 3, let salt = Data(base64Encoded: String(parts[1])),
            let hash = Data(base64Encoded: String(parts[2]))
        else { return false }
        return HMAC.code(.sha1, key: Array(salt), message: Array(address.utf8)) == Array(hash)
    }

    /// `*` (any run) and `?` (one character) glob.
    private static func wildcardMatches(_ text: String, _ pattern: String) -> Bool {
        let text = Array(text.unicodeScalars)
        let pattern = Array(pattern.unicodeScalars)
        var (t, p) = (0, 0)
        var star: Int? = nil
        var starText = 0
        while t < text.count {
            if p < pattern.count && (pattern[p] == "?" || pattern[p] == text[t]) {
                t += 1
                p += 1
            } else if p < pattern.count && pattern[p] == "*" {
                star = p
                starText = t
                p += 1
            } else if let s = star {
                p = s + 1
                starText += 1
                t = starText
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
