import FoundationEssentials
import GitOpsKit
import Logging

/// Builds source-controller inside a ``Manager``: the artifact storage and its leader-only HTTP server, the shared
/// ``SourceControllerContext``, and one informer, queue and controller per kind.
public enum SourceControllerSetup {
    /// Directory (below the storage root) of the bare Git mirrors; hidden, so the artifact server never serves it.
    public static let mirrorDirectory = ".git-mirrors"
    /// Directory (below the storage root) of scratch space; hidden, emptied at start-up.
    public static let workDirectory = ".work"

    /// Registers everything on `manager` and returns the context the reconcilers share.
    ///
    /// - Parameter hostname: advertised with the bound port when `--storage-adv-addr` is empty.
    ///
    /// - Throws: ``SourceControllerSetupError`` when the storage directory cannot be created.
    @discardableResult
    public static func register(on manager: Manager, options: SourceControllerOptions,
                                requeueDependency: Duration = .seconds(30), logger: Logger,
                                hostname: String = ProcessInfo.processInfo.hostName) throws -> SourceControllerContext
    {
        let context = try makeContext(manager: manager, options: options, requeueDependency: requeueDependency,
                                      logger: logger, hostname: hostname)
        registerGitRepository(on: manager, context: context)
        registerHelm(on: manager, context: context)
        return context
    }

    /// The storage, artifact server (added to `manager`, leader-only) and shared context.
    public static func makeContext(manager: Manager, options: SourceControllerOptions,
                                   requeueDependency: Duration = .seconds(30), logger: Logger,
                                   hostname: String = ProcessInfo.processInfo.hostName) throws -> SourceControllerContext
    {
        guard let address = ListenAddress(options.storageAddress) else {
            throw SourceControllerSetupError("--storage-addr: invalid address \"\(options.storageAddress)\"")
        }
        do {
            try FileManager.default.createDirectory(atPath: options.storagePath, withIntermediateDirectories: true)
        } catch {
            throw SourceControllerSetupError("cannot create --storage-path \(options.storagePath): \(error)")
        }
        sweep(storagePath: options.storagePath, logger: logger)
        let explicit = !options.storageAdvertisedAddress.isEmpty
        let storage = ArtifactStorage(root: options.storagePath,
                                      advertisedAddress: options.advertisedAddress(boundPort: address.port, hostname: hostname))
        let serving = AsyncGate()
        // An explicit advertised address is right from the start; a derived one needs the bound port.
        if explicit { serving.open() }
        let server = ArtifactServer(storageRoot: options.storagePath, address: address, logger: logger) { port in
            if !explicit { storage.advertise(at: options.advertisedAddress(boundPort: port, hostname: hostname)) }
            logger.info("artifact server listening", metadata: [
                "port": "\(port)", "advertisedAddress": "\(storage.advertisedAddress)",
            ])
            serving.open()
        }
        manager.addService(server, leaderOnly: true)
        return SourceControllerContext(
            controllerName: manager.name, api: manager.api, storage: storage, events: manager.makeEventRecorder(),
            retention: options.retention, requeueDependency: requeueDependency,
            logger: logger, waitUntilServing: { try await serving.wait() })
    }

    /// GitRepository: informer, queue, controller.
    public static func registerGitRepository(on manager: Manager, context: SourceControllerContext) {
        let queue = manager.makeQueue()
        manager.informer(for: GitRepository.kind).enqueue(into: queue, filter: .generationOrReconcileRequest)
        let mirrors = GitRepositoryMirror(root: context.storage.root + "/" + mirrorDirectory, logger: context.logger)
        manager.addController(name: "gitrepository", kind: GitRepository.kind.kind,
                              reconciler: GitRepositoryReconciler(context: context, mirrors: mirrors), queue: queue)
    }
}

extension SourceControllerSetup {
    /// Start-up cleanup of what a killed process may have left: scratch files, and lock files in the Git
    /// mirrors (this process is their only writer and nothing runs yet, so every lock is stale).
    static func sweep(storagePath: String, logger: Logger) {
        let fileManager = FileManager.default
        try? fileManager.removeItem(atPath: storagePath + "/" + workDirectory)
        let mirrors = storagePath + "/" + mirrorDirectory
        var removed = 0
        for relative in (try? fileManager.subpathsOfDirectory(atPath: mirrors)) ?? [] {
            if relative.hasSuffix(".lock") || relative.contains("/objects/pack/tmp_") {
                if (try? fileManager.removeItem(atPath: mirrors + "/" + relative)) != nil { removed += 1 }
            }
        }
        if removed > 0 { logger.info("removed stale Git lock files", metadata: ["count": "\(removed)"]) }
        // Half-written artifacts (`.<file>.tmp-XXXXXX` next to the artifacts of each object).
        for kind in (try? fileManager.contentsOfDirectory(atPath: storagePath)) ?? [] where !kind.hasPrefix(".") {
            for relative in (try? fileManager.subpathsOfDirectory(atPath: storagePath + "/" + kind)) ?? [] {
                let name = PathString.lastComponent(relative)
                if name.hasPrefix("."), name.contains(".tmp-") {
                    try? fileManager.removeItem(atPath: storagePath + "/" + kind + "/" + relative)
                }
            }
        }
    }
}

/// source-controller could not be set up (bad flags, unusable storage).
public struct SourceControllerSetupError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
