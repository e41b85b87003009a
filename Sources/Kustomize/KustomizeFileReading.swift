/// Read access to the files a kustomization may reference, confined to the build root.
///
/// Generators (`configMapGenerator`, `secretGenerator`) read `files:` and `envs:` through this so that a
/// kustomization can never pull bytes from outside the artifact it was built from.
public protocol KustomizeFileReading: Sendable {
    /// Bytes of `path` (as written in the kustomization) resolved against `directory`; throws if outside root.
    func read(_ path: String, relativeTo directory: String) throws -> [UInt8]
}
