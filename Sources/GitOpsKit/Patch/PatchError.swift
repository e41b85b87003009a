/// A patch that cannot be applied: malformed operations, a path that does not exist, a failed `test`, or a
/// strategic-merge directive the target does not allow.
public struct PatchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, worded like the Go libraries the API server uses so users recognise it.
    public var message: String
    /// The JSON pointer (JSON patch) or dotted field path (merge patches) where it went wrong, when known.
    public var path: String?

    public init(_ message: String, path: String? = nil) {
        self.message = message
        self.path = path
    }

    public var description: String { message }
}
