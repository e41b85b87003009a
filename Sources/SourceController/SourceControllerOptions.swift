import FoundationEssentials
import ArgumentParser
import GitOpsKit

/// source-controller's own flags (Flux's `fluxcd/pkg artifact/config` names and defaults), next to the shared
/// ``ControllerFlags``.
public struct SourceControllerOptions: ParsableArguments, Sendable {
    @Option(name: .customLong("storage-path"), help: "The local storage path (env STORAGE_PATH).")
    public var storagePath: String = ProcessInfo.processInfo.environment["STORAGE_PATH"].flatMap { $0.isEmpty ? nil : $0 } ?? "/data"

    @Option(name: .customLong("storage-addr"), help: "The address the static file server binds to (port 0: any free port).")
    public var storageAddress: String = ":9090"

    @Option(name: .customLong("storage-adv-addr"),
            help: "The advertised address of the static file server (env STORAGE_ADV_ADDR; default: the --storage-addr host, or the hostname, with the bound port).")
    public var storageAdvertisedAddress: String = ProcessInfo.processInfo.environment["STORAGE_ADV_ADDR"] ?? ""

    @Option(name: .customLong("artifact-retention-records"), help: "The maximum number of artifacts to be kept in storage.")
    public var artifactRetentionRecords: Int = 2

    @Option(name: .customLong("artifact-retention-ttl"), help: "The duration of time that artifacts will be kept in storage.")
    public var artifactRetentionTTL: FlagDuration = FlagDuration(.seconds(60), text: "1m0s")

    @Option(name: .customLong("artifact-digest-algo"), help: "The algorithm used to calculate artifact digests (sha256).")
    public var artifactDigestAlgorithm: String = "sha256"

    public init() {}

    public func validate() throws {
        if storagePath.isEmpty { throw ValidationError("--storage-path must not be empty") }
        if ListenAddress(storageAddress) == nil {
            throw ValidationError("--storage-addr: invalid address \"\(storageAddress)\" (want host:port)")
        }
        if artifactRetentionRecords < 1 {
            throw ValidationError("--artifact-retention-records must be at least 1, got \(artifactRetentionRecords)")
        }
        if artifactRetentionTTL.duration <= .zero { throw ValidationError("--artifact-retention-ttl must be positive") }
        if artifactDigestAlgorithm != "sha256" {
            throw ValidationError("--artifact-digest-algo: only sha256 is supported, got \"\(artifactDigestAlgorithm)\"")
        }
    }

    /// The retention settings the flags describe.
    public var retention: ArtifactRetention {
        ArtifactRetention(records: artifactRetentionRecords, ttl: artifactRetentionTTL.duration)
    }

    /// The advertised address: `--storage-adv-addr`, else, as Flux derives it, the host of `--storage-addr` (the
    /// hostname when that is empty or a wildcard) with the port the server bound.
    public func advertisedAddress(boundPort: Int, hostname: String = ProcessInfo.processInfo.hostName) -> String {
        guard storageAdvertisedAddress.isEmpty else { return storageAdvertisedAddress }
        var host = storageAddress.lastIndex(of: ":").map { String(storageAddress[..<$0]) } ?? ""
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty || host == "0.0.0.0" || host == "::" { host = hostname }
        return host.contains(":") ? "[\(host)]:\(boundPort)" : "\(host):\(boundPort)"
    }
}
