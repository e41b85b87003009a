/// Reads files for a kustomize build without leaving the build's root.
///
/// Placeholder with the interface the engine defines in this same file; the engine's version replaces it on merge.
public protocol KustomizeFileReading: Sendable {
    /// The bytes of `path` (relative to `directory`, itself relative to the root); throws when the file is missing,
    /// is not a regular file, or resolves outside the root.
    func read(_ path: String, relativeTo directory: String) throws -> [UInt8]
}
