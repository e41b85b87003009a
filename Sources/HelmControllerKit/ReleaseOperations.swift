import GitOpsKit
import HelmRender
import Logging

/// Helm's release actions over the toolkit's applier and Helm's own storage format: install, upgrade, rollback,
/// uninstall, unlock and test. Each writes the release records `helm history` shows (`pending-*` while it runs, then
/// `deployed`, `failed`, `superseded` or `uninstalled`) and applies objects with server-side apply as
/// `helm-controller`.
struct ReleaseOperations {
    let api: any KubernetesAPI
    let storage: ReleaseStorage
    let fieldManager: String
    let releaseName: String
    let namespace: String
    let pollInterval: Duration
    let logger: Logger

    /// What an install or upgrade deploys.
    struct Target {
        var chartRecord: JSONValue
        var config: JSONValue
        var rendered: RenderedRelease
    }

    /// The outcome of an action: the release record it left, and the error when it failed.
    struct Outcome {
        var release: StoredRelease
        var error: String?
    }

    var applier: ResourceApplier { ResourceApplier(api: api, fieldManager: fieldManager, logger: logger) }

    var hookRunner: HookRunner {
        HookRunner(api: api, fieldManager: fieldManager, releaseName: releaseName, namespace: namespace,
                   pollInterval: pollInterval, logger: logger)
    }

    // MARK: Install and upgrade

    /// Helm's install: CRDs (per `crds` policy), a `pending-install` record, pre-install hooks, the objects, the
    /// wait, post-install hooks, then `deployed` (or `failed` with the reason).
    func install(_ target: Target, version: Int, crds: HelmRelease.CRDsPolicy, wait: Bool, timeout: Duration,
                 disableHooks: Bool) async throws(HelmReleaseFailure) -> Outcome
    {
        let now = KubeTime.now()
        var release = record(target, version: version, status: .pendingInstall, description: "Initial install underway",
                             firstDeployed: now)
        try await store(create: release)
        let error = await deploy(target, previous: nil, crds: crds, wait: wait, timeout: timeout,
                                 hookPrefix: "install", disableHooks: disableHooks, release: &release)
        release.info.lastDeployed = .now()
        if let error {
            release.info.status = .failed
            release.info.description = "Release \"\(releaseName)\" failed: \(error)"
        } else {
            release.info.status = .deployed
            release.info.description = "Install complete"
        }
        try await store(update: release)
        return Outcome(release: release, error: error)
    }

    /// Helm's upgrade of `current`: a `pending-upgrade` record, hooks, the new objects applied and those that left
    /// the chart deleted, the wait; then the new record `deployed` and the previous `superseded` (or `failed`).
    func upgrade(_ target: Target, current: StoredRelease?, latestVersion: Int, crds: HelmRelease.CRDsPolicy, wait: Bool,
                 timeout: Duration, disableHooks: Bool) async throws(HelmReleaseFailure) -> Outcome
    {
        var release = record(target, version: latestVersion + 1, status: .pendingUpgrade, description: "Preparing upgrade",
                             firstDeployed: current?.info.firstDeployed ?? .now())
        try await store(create: release)
        let error = await deploy(target, previous: current, crds: crds, wait: wait, timeout: timeout,
                                 hookPrefix: "upgrade", disableHooks: disableHooks, release: &release)
        release.info.lastDeployed = .now()
        if let error {
            release.info.status = .failed
            release.info.description = "Upgrade \"\(releaseName)\" failed: \(error)"
        } else {
            release.info.status = .deployed
            release.info.description = "Upgrade complete"
            if var current, current.info.status == .deployed {
                current.info.status = .superseded
                try await store(update: current)
            }
        }
        try await store(update: release)
        return Outcome(release: release, error: error)
    }

    /// Helm's rollback to `target`: a new revision with the target's chart, values and manifest
    /// (`pending-rollback`), applied over `current`; then `deployed` "Rollback to N" and `current` superseded.
    func rollback(to target: StoredRelease, current: StoredRelease, latestVersion: Int, wait: Bool, timeout: Duration)
        async throws(HelmReleaseFailure) -> Outcome
    {
        var release = target
        release.version = latestVersion + 1
        release.info = .init(firstDeployed: current.info.firstDeployed, lastDeployed: .now(),
                             description: "Rollback \"\(releaseName)\" in progress", status: .pendingRollback,
                             notes: target.info.notes)
        for index in release.hooks.indices { release.hooks[index].lastRun = .init() }
        try await store(create: release)
        var error: String?
        do {
            let documents = try ReleaseManifest.documents(target.manifest)
            let objects = try await ReleaseManifest.objects(documents, release: releaseName, namespace: namespace, api: api)
            error = await applyAndWait(objects, previous: current, wait: wait, timeout: timeout)
        } catch let failure {
            error = failure.message
        }
        release.info.lastDeployed = .now()
        if let error {
            release.info.status = .failed
            release.info.description = "Rollback \"\(releaseName)\" failed: \(error)"
        } else {
            release.info.status = .deployed
            release.info.description = "Rollback to \(target.version)"
            var superseded = current
            if superseded.info.status == .deployed || superseded.info.status == .failed {
                superseded.info.status = .superseded
                try await store(update: superseded)
            }
        }
        try await store(update: release)
        return Outcome(release: release, error: error)
    }

    /// Helm's uninstall: pre-delete hooks, every object of the manifest deleted, post-delete hooks; the history
    /// kept as `uninstalled` with `keepHistory`, deleted otherwise.
    func uninstall(_ current: StoredRelease, keepHistory: Bool, wait: Bool, timeout: Duration, disableHooks: Bool,
                   propagation: DeleteOptions.Propagation) async throws(HelmReleaseFailure) -> String?
    {
        var release = current
        release.info.status = .uninstalling
        release.info.deleted = .now()
        release.info.description = "Deletion in progress (or silently failed)"
        try await store(update: release)
        if !disableHooks {
            let (hooks, failure) = await hookRunner.run("pre-delete", hooks: release.hooks, timeout: timeout)
            release.hooks = hooks
            if let failure { return failure }
        }
        var problems: [String] = []
        let identities: [ResourceIdentity]
        do {
            let documents = try ReleaseManifest.documents(current.manifest)
            identities = ReleaseManifest.identities(
                try await ReleaseManifest.objects(documents, release: releaseName, namespace: namespace, api: api))
        } catch {
            return error.message
        }
        for identity in identities.reversed() {
            do {
                try await api.delete(identity.kind, identity.key, options: DeleteOptions(propagationPolicy: propagation))
            } catch where error.code == .notFound || error.code == .unknownKind {
                continue
            } catch {
                problems.append("\(identity.subject): \(error.serverMessage)")
            }
        }
        if wait, problems.isEmpty {
            let remaining = await applier.waitForTermination(identities, timeout: timeout, pollInterval: pollInterval)
            if !remaining.isEmpty { problems.append("timed out waiting for deletion of \(remaining.map(\.subject).joined(separator: ", "))") }
        }
        if !disableHooks {
            let (hooks, failure) = await hookRunner.run("post-delete", hooks: release.hooks, timeout: timeout)
            release.hooks = hooks
            if let failure { problems.append(failure) }
        }
        if !problems.isEmpty {
            release.info.description = "Uninstallation failed: \(problems.joined(separator: "; "))"
            release.info.status = .failed
            try await store(update: release)
            return problems.joined(separator: "; ")
        }
        if keepHistory {
            release.info.status = .uninstalled
            release.info.description = "Uninstallation complete"
            try await store(update: release)
        } else {
            do {
                for revision in try await storage.history(releaseName) {
                    try await storage.delete(releaseName, version: revision.version)
                }
            } catch {
                return error.description
            }
        }
        return nil
    }

    /// Unlocks a release stuck in `pending-*` (a process died mid-action): the record becomes `failed`, as Flux's
    /// unlock does, so the next action can run.
    func unlock(_ release: StoredRelease) async throws(HelmReleaseFailure) -> StoredRelease {
        var unlocked = release
        unlocked.info.status = .failed
        unlocked.info.description = "Release unlocked from stale '\(release.info.status.rawValue)' state"
        try await store(update: unlocked)
        return unlocked
    }

    /// Helm's test: the `test` hooks run; their phases are recorded in the release.
    func test(_ release: StoredRelease, timeout: Duration) async throws(HelmReleaseFailure) -> Outcome {
        let (hooks, failure) = await hookRunner.run("test", hooks: release.hooks, timeout: timeout)
        var tested = release
        tested.hooks = hooks
        try await store(update: tested)
        return Outcome(release: tested, error: failure)
    }

    // MARK: Steps

    private func deploy(_ target: Target, previous: StoredRelease?, crds: HelmRelease.CRDsPolicy, wait: Bool,
                        timeout: Duration, hookPrefix: String, disableHooks: Bool, release: inout StoredRelease) async -> String?
    {
        do {
            if crds != .skip, !target.rendered.crds.isEmpty {
                var crdObjects: [JSONValue] = []
                for crd in target.rendered.crds { crdObjects += try ReleaseManifest.documents(crd.content) }
                _ = try await applier.applyAllStaged(crdObjects, options: ResourceApplier.Options(timeout: timeout))
            }
        } catch let error as HelmReleaseFailure {
            return "failed to install CRDs: \(error.message)"
        } catch {
            return "failed to install CRDs: \(error)"
        }
        if !disableHooks {
            let (hooks, failure) = await hookRunner.run("pre-\(hookPrefix)", hooks: release.hooks, timeout: timeout)
            release.hooks = hooks
            if let failure { return failure }
        }
        let objects: [JSONValue]
        do {
            var documents: [JSONValue] = []
            for manifest in target.rendered.manifests { documents += try ReleaseManifest.documents(manifest.content) }
            objects = try await ReleaseManifest.objects(documents, release: releaseName, namespace: namespace, api: api)
        } catch {
            return error.message
        }
        if let failure = await applyAndWait(objects, previous: previous, wait: wait, timeout: timeout) { return failure }
        if !disableHooks {
            let (hooks, failure) = await hookRunner.run("post-\(hookPrefix)", hooks: release.hooks, timeout: timeout)
            release.hooks = hooks
            if let failure { return failure }
        }
        return nil
    }

    /// Applies `objects` (staged SSA), deletes what `previous` had and `objects` lacks, and waits for health.
    private func applyAndWait(_ objects: [JSONValue], previous: StoredRelease?, wait: Bool, timeout: Duration) async -> String? {
        let changeSet: ChangeSet
        do {
            changeSet = try await applier.applyAllStaged(objects, options: ResourceApplier.Options(timeout: timeout))
        } catch {
            return error.message
        }
        if let previous, let old = try? ReleaseManifest.documents(previous.manifest) {
            let current = Set(ReleaseManifest.identities(objects).map(\.versionless))
            for var object in old {
                if ResourceIdentity(of: object)?.namespace == nil {
                    object[path: "metadata", "namespace"] = .string(namespace)
                }
                guard var identity = ResourceIdentity(of: object), !current.contains(identity.versionless) else { continue }
                if let mapping = try? await api.mapping(for: identity.kind), !mapping.namespaced { identity.namespace = nil }
                guard !current.contains(identity.versionless) else { continue }
                do {
                    try await api.delete(identity.kind, identity.key, options: DeleteOptions(propagationPolicy: .background))
                } catch where error.code == .notFound || error.code == .unknownKind {
                    continue
                } catch {
                    return "failed to delete \(identity.subject): \(error.serverMessage)"
                }
            }
        }
        guard wait else { return nil }
        let targets = changeSet.entries.filter { $0.action != .skipped }.map(\.identity)
        let started = ContinuousClock.now
        let outcome = await applier.waitForHealth(targets, timeout: timeout, pollInterval: pollInterval)
        return outcome == .healthy ? nil : outcome.message(after: ContinuousClock.now - started)
    }

    private func record(_ target: Target, version: Int, status: ReleaseStatus, description: String, firstDeployed: KubeTime)
        -> StoredRelease
    {
        StoredRelease(
            name: releaseName, namespace: namespace, version: version,
            info: .init(firstDeployed: firstDeployed, lastDeployed: .now(), description: description, status: status,
                        notes: target.rendered.notes),
            chart: target.chartRecord, config: target.config, manifest: ReleaseManifest.text(of: target.rendered.manifests),
            hooks: target.rendered.hooks.map {
                StoredRelease.Hook(name: $0.name, kind: $0.kind, path: $0.path, manifest: $0.content, events: $0.events,
                                   weight: $0.weight, deletePolicies: $0.deletePolicies)
            })
    }

    private func store(create release: StoredRelease) async throws(HelmReleaseFailure) {
        do {
            try await storage.create(release)
        } catch {
            throw HelmReleaseFailure(.reconciliationFailed, "failed to store release: \(error)")
        }
    }

    private func store(update release: StoredRelease) async throws(HelmReleaseFailure) {
        do {
            try await storage.update(release)
        } catch {
            throw HelmReleaseFailure(.reconciliationFailed, "failed to update release: \(error)")
        }
    }
}
