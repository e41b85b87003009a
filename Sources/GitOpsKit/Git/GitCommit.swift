/// A commit as the source controller reports it: hash, the reference it was reached through, and its metadata.
public struct GitCommit: Sendable, Hashable {
    /// Who and when, as recorded in the commit.
    public struct Signature: Sendable, Hashable {
        public var name: String
        public var email: String
        /// Seconds since the epoch.
        public var time: Int64
        /// Offset from UTC in minutes.
        public var timeZoneOffset: Int32

        public init(name: String, email: String, time: Int64 = 0, timeZoneOffset: Int32 = 0) {
            self.name = name
            self.email = email
            self.time = time
            self.timeZoneOffset = timeZoneOffset
        }
    }

    /// 40 lowercase hex digits.
    public var hash: String
    /// The full reference the commit was resolved from (`refs/heads/main`, `refs/tags/v1.0`,
    /// `refs/pull/1/head`), or empty for a bare commit.
    public var reference: String
    public var message: String
    public var author: Signature
    public var committer: Signature
    /// True when the commit was selected by `ref.name`: the revision then keeps the full reference, as in Flux.
    public var keepsAbsoluteReference: Bool

    public init(
        hash: String, reference: String, message: String, author: Signature, committer: Signature,
        keepsAbsoluteReference: Bool = false
    ) {
        self.hash = hash
        self.reference = reference
        self.message = message
        self.author = author
        self.committer = committer
        self.keepsAbsoluteReference = keepsAbsoluteReference
    }

    /// `sha1:<hash>`.
    public var digest: String { "sha1:" + hash }

    /// Flux's revision string: `main@sha1:<hash>`, `v1.0@sha1:<hash>` (the reference without its `refs/<kind>/`
    /// prefix), `refs/pull/1/head@sha1:<hash>` for a `ref.name`, or `sha1:<hash>` without a reference.
    public var revision: String {
        if keepsAbsoluteReference { return absoluteRevision }
        let parts = reference.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return digest }
        return "\(parts[2])@\(digest)"
    }

    /// The revision with the full reference (`refs/pull/1/head@sha1:<hash>`), used when `ref.name` selected it.
    public var absoluteRevision: String {
        reference.isEmpty ? digest : "\(reference)@\(digest)"
    }

    /// The first line of the message, cut to 50 characters with `...`, as Flux shows it in events.
    public var shortMessage: String {
        let subject = message.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let scalars = Array(subject.unicodeScalars)
        guard scalars.count > 50 else { return subject }
        var cut = String.UnicodeScalarView()
        cut.append(contentsOf: scalars[..<50])
        return String(cut) + "..."
    }
}
