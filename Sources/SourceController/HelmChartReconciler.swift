import FoundationEssentials
import GitOpsKit
import Logging
import NIOPosix

/// Reconciles a `HelmChart`: resolves `spec.chart` in its source and stores the chart as the artifact
/// `helmchart/<ns>/<name>/<chart>-<version>.tgz` (revision = the chart version, plus `latest.tar.gz`).
///
/// - from a **HelmRepository**: reads the repository's index artifact, picks the newest version matching
///   `spec.version`, downloads it (credentials only to the repository's host unless `passCredentials`), checks the
///   index digest and the archive's safety; the chart is stored as downloaded unless `valuesFiles` require
///   re-packaging (version `<version>+<generation>`);
/// - from a **GitRepository**: downloads and verifies the source artifact, packages the chart directory at
///   `spec.chart` like `helm package`, with `+<short commit>` build metadata for `reconcileStrategy: Revision`;
/// - `valuesFiles` are merged in order into the chart's `values.yaml`;
/// - failures keep the last good artifact, set `Ready=False` with `FetchFailed`/`BuildFailed` and Flux's reason
///   (`InvalidChartReference`, `ChartPullError`, `ValuesFilesError`, `ChartPackageError`, …) and are retried;
///   a source without an artifact yet is waited for (`NoSourceArtifact`).
public struct HelmChartReconciler: Reconciler {
    let context: SourceControllerContext

    public init(context: SourceControllerContext) {
        self.context = context
    }

    private var support: SourceReconcileSupport { SourceReconcileSupport(context: context) }

    /// What a build produced, before it is stored.
    struct Build {
        var name: String
        var version: String
        var bytes: [UInt8]
        var packaged: Bool
        var valuesFiles: [String]
        /// The stored artifact already is this chart (same name, version and spec generation): nothing downloaded.
        var reused = false
    }

    public func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        var chart: HelmChart
        let object: JSONValue
        switch try await support.begin(key, as: HelmChart.self, finalize: { chart, object in
            try await support.finalize(object, artifactObject: Self.artifactObject(chart))
        }, specProblem: Self.specProblem) {
        case .end(let result): return result
        case .proceed(let source, let json): (chart, object) = (source, json)
        }
        let interval = (try? chart.interval.duration) ?? .seconds(60)
        do {
            guard let source = try await source(of: chart, object: object, support: support) else {
                return .requeue(after: context.requeueDependency)
            }
            if case .stalled(let reason, let message) = source {
                return try await support.stall(chart, object: object, reason: reason, message: message)
            }
            try await reconcileChart(&chart, object: object, source: source)
            return .requeue(after: interval)
        } catch is SourceArtifactNotServed {
            // The source advertises an artifact its server does not have (yet): wait for it, as for no artifact.
            _ = try await noArtifact(chart, object: object)
            return .requeue(after: context.requeueDependency)
        } catch let failure as SourceFailure {
            try await support.fail(chart, object: object, failure: failure)
            throw failure
        }
    }

    // MARK: Source

    enum Source {
        case helmRepository(HelmRepository, Artifact)
        case gitRepository(GitRepository, Artifact)
        case stalled(ConditionReason, String)

        var artifact: Artifact? {
            switch self {
            case .helmRepository(_, let artifact), .gitRepository(_, let artifact): artifact
            case .stalled: nil
            }
        }
    }

    /// The source object and its artifact; nil (after recording `NoSourceArtifact`) when it has none yet.
    private func source(of chart: HelmChart, object: JSONValue, support: SourceReconcileSupport) async throws -> Source? {
        let reference = chart.spec.sourceRef
        let key = ObjectKey(namespace: chart.namespace ?? "default", name: reference.name)
        let kind: GroupVersionKind = reference.kind == "GitRepository" ? GitRepository.kind : HelmRepository.kind
        let sourceObject: JSONValue
        do {
            sourceObject = try await context.api.get(kind, key)
        } catch {
            let detail = error.code == .notFound
                ? "\(reference.kind).\(kind.group) \"\(reference.name)\" not found" : "\(error)"
            throw SourceFailure.fetch(reason: .sourceUnavailable, message: "failed to get source: \(detail)")
        }
        let found: Source
        do {
            if reference.kind == "GitRepository" {
                let repository = try GitRepository(from: sourceObject)
                guard let artifact = repository.artifact else { return try await noArtifact(chart, object: object) }
                found = .gitRepository(repository, artifact)
            } else {
                let repository = try HelmRepository(from: sourceObject)
                if repository.isOCI {
                    return .stalled(.unsupportedField, "HelmRepository '\(reference.name)' has spec.type 'oci': OCI Helm "
                                    + "repositories are not implemented by this source-controller")
                }
                guard let artifact = repository.artifact, context.storage.contains(artifact.path) else {
                    return try await noArtifact(chart, object: object)
                }
                found = .helmRepository(repository, artifact)
            }
        } catch let error as FluxFieldError {
            throw SourceFailure.fetch(reason: .sourceUnavailable, message: "failed to get source: \(error)")
        }
        return found
    }

    private func noArtifact(_ chart: HelmChart, object: JSONValue) async throws -> Source? {
        var chart = chart
        let message = "no artifact available for \(chart.spec.sourceRef.kind) source '\(chart.spec.sourceRef.name)'"
        var conditions = chart.conditions
        conditions.set(.reconciling, .true, reason: .noSourceArtifact, message: message, observedGeneration: chart.generation)
        conditions.set(.ready, .unknown, reason: .noSourceArtifact, message: message, observedGeneration: chart.generation)
        chart.conditions = conditions
        try await context.statusWriter.write(chart, original: object)
        await context.events.record(object, type: .trace, reason: ConditionReason.noSourceArtifact.rawValue, message: message)
        return nil
    }

    // MARK: Build and store

    private func reconcileChart(_ chart: inout HelmChart, object: JSONValue, source: Source) async throws {
        guard let sourceArtifact = source.artifact else { return }
        let artifactObject = Self.artifactObject(chart)
        let current = chart.artifact
        let status = chart.status
        // The chart cannot differ while the source revision, the spec and the stored file are unchanged — provided
        // the last reconcile of this generation succeeded (a failure also records the generation as observed).
        let upToDate = current != nil && status?.observedSourceArtifactRevision == sourceArtifact.revision
            && chart.conditions.isTrue(.ready)
            && chart.observedGeneration == chart.generation && status?.observedChartName != nil
            && current.map { context.storage.contains($0.path) } == true
        try await context.waitUntilServing()
        let artifact: Artifact
        let message: String
        let reason: ConditionReason
        let name: String
        let valuesFiles: [String]?
        var isNew = false
        if upToDate, var existing = current, let observedName = status?.observedChartName {
            existing.url = context.storage.url(for: existing.path)
            artifact = existing
            name = observedName
            valuesFiles = status?.observedValuesFiles
            let packaged = chart.conditions[.ready]?.reason == .chartPackageSucceeded
            reason = packaged ? .chartPackageSucceeded : .chartPullSucceeded
            message = "\(packaged ? "packaged" : "pulled") '\(name)' chart with version '\(existing.revision)'"
        } else {
            let build: Build
            switch source {
            case .helmRepository(let repository, let indexArtifact):
                build = try await buildFromHelmRepository(chart, repository: repository, index: indexArtifact)
            case .gitRepository(_, let gitArtifact):
                build = try await buildFromGitRepository(chart, artifact: gitArtifact)
            case .stalled:
                return
            }
            if build.reused, var existing = current {
                existing.url = context.storage.url(for: existing.path)
                artifact = existing
            } else {
                let path = artifactObject.path(forFile: "\(build.name)-\(build.version).tgz")
                let summary = try await context.storage.withLock(artifactObject) {
                    do {
                        return try context.storage.store(build.bytes, at: path)
                    } catch {
                        throw SourceFailure.storage(reason: .archiveOperationFailed,
                                                  message: "unable to save artifact to storage: \(error)")
                    }
                }
                var stored = Artifact(path: path, url: context.storage.url(for: path), revision: build.version,
                                      digest: summary.digest, lastUpdateTime: .now().truncatedToSeconds, size: summary.size)
                isNew = current?.digest != stored.digest || current?.path != stored.path
                if !isNew, let current { stored.lastUpdateTime = current.lastUpdateTime }
                artifact = stored
            }
            name = build.name
            valuesFiles = build.valuesFiles.isEmpty ? nil : build.valuesFiles
            reason = build.packaged ? .chartPackageSucceeded : .chartPullSucceeded
            message = "\(build.packaged ? "packaged" : "pulled") '\(build.name)' chart with version '\(build.version)'"
        }
        let linkURL: String
        do {
            linkURL = try context.storage.link(artifact.path, as: "latest.tar.gz")
        } catch {
            throw SourceFailure.storage(reason: .symlinkUpdateFailed, message: "failed to update status URL symlink: \(error)")
        }
        SourceReconcileSupport.collectGarbage(context: context, artifactObject, current: artifact.path)
        chart.updateStatus {
            $0.artifact = artifact
            $0.url = linkURL
            $0.observedChartName = name
            $0.observedSourceArtifactRevision = sourceArtifact.revision
            $0.observedValuesFiles = valuesFiles
        }
        var conditions = chart.conditions
        conditions.remove(.fetchFailed)
        conditions.remove(.buildFailed)
        conditions.remove(.storageOperationFailed)
        conditions.remove(.artifactOutdated)
        conditions.set(.artifactInStorage, .true, reason: reason, message: message, observedGeneration: chart.generation)
        chart.conditions = conditions
        chart.markReady(reason: reason, message: message)
        try await context.statusWriter.write(chart, original: object)
        if isNew {
            await context.events.record(object, type: .normal, reason: "NewArtifact", message: message,
                                        metadata: ["revision": artifact.revision, "digest": artifact.digest ?? ""])
        }
    }

    /// Picks the version in the repository's stored index, downloads and checks the chart, re-packaging it when
    /// values files are set.
    private func buildFromHelmRepository(_ chart: HelmChart, repository: HelmRepository, index indexArtifact: Artifact)
        async throws -> Build
    {
        let index: HelmRepositoryIndex
        do {
            let bytes = try await NIOThreadPool.singleton.runIfActive {
                Array(try Data(contentsOf: URL(fileURLWithPath: context.storage.localPath(for: indexArtifact.path))))
            }
            index = try HelmRepositoryIndex(bytes: bytes)
        } catch {
            throw SourceFailure.fetch(reason: .chartPullError, message: "chart pull error: could not load repository "
                                    + "index for remote chart reference: \(error)")
        }
        let entry: HelmRepositoryIndex.Entry
        do {
            entry = try index.entry(named: chart.spec.chart, matching: chart.version)
        } catch {
            throw SourceFailure.fetch(reason: .invalidChartReference, message: "invalid chart reference: failed to get "
                                    + "chart version for remote reference: \(error)")
        }
        let valuesFiles = chart.spec.valuesFiles ?? []
        let targetVersion = valuesFiles.isEmpty
            ? entry.version : ((try? ChartMetadata.version(entry.version, withMetadata: String(chart.generation))) ?? "")
        if let current = chart.artifact, current.revision == targetVersion, chart.status?.observedChartName == entry.name,
           chart.observedGeneration == chart.generation, context.storage.contains(current.path)
        {
            return Build(name: entry.name, version: targetVersion, bytes: [], packaged: !valuesFiles.isEmpty,
                         valuesFiles: chart.status?.observedValuesFiles ?? [], reused: true)
        }
        let access = try await HelmRepositoryAccess.make(for: repository, context: context)
        let bytes: [UInt8]
        do {
            let url = try entry.downloadURL(relativeTo: repository.spec.url)
            bytes = try await access.get(url, limit: HelmRepositoryAccess.maximumChartSize)
            if let expected = entry.digest {
                let actual = Digest.sha256Hex(bytes)
                guard actual == expected.lowercased() else {
                    throw HelmFetchError("digest mismatch for \(url): the index says sha256:\(expected.lowercased()), "
                                         + "the downloaded chart has sha256:\(actual)")
                }
            }
        } catch {
            throw SourceFailure.fetch(reason: .chartPullError, message: "chart pull error: failed to download chart for "
                                    + "remote reference: \(error)")
        }
        var contents: ChartContents
        do {
            contents = try await NIOThreadPool.singleton.runIfActive { try ChartContents(archive: bytes) }
        } catch {
            throw SourceFailure.fetch(reason: .chartPullError, message: "chart pull error: failed to load downloaded "
                                    + "chart '\(entry.name)' version '\(entry.version)': \(error)")
        }
        guard contents.name == entry.name else {
            throw SourceFailure.fetch(reason: .chartPullError, message: "chart pull error: downloaded chart is named "
                                    + "'\(contents.name)', the index says '\(entry.name)'")
        }
        guard !valuesFiles.isEmpty else {
            return Build(name: entry.name, version: entry.version, bytes: bytes, packaged: false, valuesFiles: [])
        }
        let used: [String]
        do {
            used = try contents.mergeValuesFiles(valuesFiles, ignoreMissing: chart.spec.ignoreMissingValuesFiles ?? false)
        } catch {
            throw SourceFailure.build(reason: .valuesFilesError, message: "values files merge error: failed to merge "
                                    + "chart values: \(error)")
        }
        contents.metadata.version = entry.version
        do {
            try contents.setVersionMetadata(String(chart.generation))
        } catch {
            throw SourceFailure.build(reason: .metadataPatchError, message: "chart metadata patch error: \(error)")
        }
        return try await package(contents, valuesFiles: used)
    }

    /// Fetches the GitRepository artifact, packages the chart directory at `spec.chart`.
    private func buildFromGitRepository(_ chart: HelmChart, artifact: Artifact) async throws -> Build {
        let workRoot = context.storage.root + "/" + SourceControllerSetup.workDirectory
        let scratch = workRoot + "/helmchart-\(chart.namespace ?? "default")-\(chart.name)-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        do {
            try FileManager.default.createDirectory(atPath: workRoot, withIntermediateDirectories: true)
        } catch {
            throw SourceFailure.storage(reason: .directoryCreationFailed,
                                      message: "failed to create temporary working directory: \(error)")
        }
        guard let digest = artifact.digest else {
            throw SourceFailure.fetch(reason: .artifactFailed, message: "failed to fetch source artifact: "
                                    + "GitRepository '\(chart.spec.sourceRef.name)' advertises no digest")
        }
        do {
            try await ArtifactFetcher(client: context.http, temporaryDirectory: workRoot)
                .fetch(url: artifact.url, digest: digest, into: scratch)
        } catch {
            if error.isNotFound { throw SourceArtifactNotServed() }
            throw SourceFailure.fetch(reason: .artifactFailed, message: "failed to fetch source artifact: \(error)")
        }
        let relative = Self.cleanChartPath(chart.spec.chart)
        let chartDirectory = relative.isEmpty ? scratch : scratch + "/" + relative
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: chartDirectory, isDirectory: &isDirectory), isDirectory else {
            throw SourceFailure.fetch(reason: .invalidChartReference, message: "invalid chart reference: no chart "
                                    + "directory at path '\(chart.spec.chart)' in GitRepository '\(chart.spec.sourceRef.name)' "
                                    + "revision '\(artifact.revision)'")
        }
        var contents: ChartContents
        do {
            contents = try await NIOThreadPool.singleton.runIfActive { try ChartContents(directory: chartDirectory) }
        } catch {
            throw SourceFailure.build(reason: .chartPackageError, message: "chart package error: failed to load chart "
                                    + "from path '\(chart.spec.chart)': \(error)")
        }
        var buildMetadata = ""
        if chart.reconcileStrategy == .revision {
            buildMetadata = String(Self.commitHash(of: artifact.revision).prefix(12))
        }
        let valuesFiles = chart.spec.valuesFiles ?? []
        var used: [String] = []
        if !valuesFiles.isEmpty {
            do {
                let merged = try ChartValues.mergeFiles(valuesFiles, root: scratch,
                                                        ignoreMissing: chart.spec.ignoreMissingValuesFiles ?? false)
                used = merged.used
                if !used.isEmpty { try contents.replaceValues(with: merged.values) }
            } catch {
                throw SourceFailure.build(reason: .valuesFilesError, message: "values files merge error: failed to merge "
                                        + "chart values: \(error)")
            }
            buildMetadata += (buildMetadata.isEmpty ? "" : ".") + String(chart.generation)
        }
        if !buildMetadata.isEmpty {
            do {
                try contents.setVersionMetadata(buildMetadata)
            } catch {
                throw SourceFailure.build(reason: .metadataPatchError, message: "chart metadata patch error: \(error)")
            }
        }
        return try await package(contents, valuesFiles: used)
    }

    private func package(_ contents: ChartContents, valuesFiles: [String]) async throws -> Build {
        do {
            let bytes = try await NIOThreadPool.singleton.runIfActive { try contents.packaged() }
            return Build(name: contents.name, version: contents.version, bytes: bytes, packaged: true,
                         valuesFiles: valuesFiles)
        } catch {
            throw SourceFailure.build(reason: .chartPackageError, message: "chart package error: \(error)")
        }
    }

    // MARK: Helpers

    static func artifactObject(_ chart: HelmChart) -> ArtifactObject {
        ArtifactObject(kind: HelmChart.kind.kind, namespace: chart.namespace ?? "default", name: chart.name)
    }

    /// `main@sha1:<hash>` → `<hash>`; other revisions as they are.
    static func commitHash(of revision: String) -> String {
        guard let range = revision.ranges(of: "sha1:").last ?? revision.ranges(of: "sha256:").last else { return revision }
        return String(revision[range.upperBound...])
    }

    /// `./charts/app/` → `charts/app`; `..` cannot climb above the artifact root.
    static func cleanChartPath(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        return parts.joined(separator: "/")
    }

    /// Why the spec cannot be reconciled as it is, or nil.
    static func specProblem(_ chart: HelmChart, object: JSONValue) -> (reason: ConditionReason, message: String)? {
        var unsupported = HelmChart.unsupportedSpecFields(in: object)
        if chart.spec.verify != nil { unsupported.append("spec.verify") }
        if chart.spec.sourceRef.kind == "Bucket" { unsupported.append("spec.sourceRef.kind: Bucket") }
        if !unsupported.isEmpty {
            return (.unsupportedField,
                    "unsupported field(s): \(unsupported.joined(separator: ", ")): not implemented by this source-controller")
        }
        let errors = chart.validate()
        if !errors.isEmpty { return (.invalidSpec, errors.map(\.description).joined(separator: "; ")) }
        return nil
    }
}

/// The source's artifact URL answered 404: the artifact is not served yet (another replica, a restart).
struct SourceArtifactNotServed: Error {}
