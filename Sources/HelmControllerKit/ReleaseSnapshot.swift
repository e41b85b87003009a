import GitOpsKit

extension StoredRelease {
    /// The `sha256:` digest of what identifies this revision's deployment (name, namespace, version, status, chart,
    /// values, manifest and non-test hooks): a snapshot whose digest matches was made by this controller, so a
    /// release someone changed behind its back (a `helm upgrade` by hand) is seen as unmanaged.
    var observationDigest: String {
        let hooks = hooks.filter { !$0.events.contains("test") }.map { hook -> JSONValue in
            ["name": .string(hook.name), "kind": .string(hook.kind), "manifest": .string(hook.manifest)]
        }
        let observation: JSONValue = [
            "name": .string(name), "namespace": .string(namespace), "version": .int(Int64(version)),
            "status": .string(info.status.rawValue), "chartName": .string(chartName),
            "chartVersion": .string(chartVersion), "appVersion": .string(appVersion), "config": config,
            "manifest": .string(manifest), "hooks": .array(hooks),
        ]
        return "sha256:" + Digest.sha256Hex(observation.jsonBytes())
    }

    /// The status snapshot of this revision.
    func snapshot(action: HelmRelease.ReleaseAction?, configDigest: String, previous: HelmRelease.Snapshot?) -> HelmRelease.Snapshot {
        HelmRelease.Snapshot(
            digest: observationDigest, name: name, namespace: namespace, version: version, status: info.status.rawValue,
            action: action, chartName: chartName, chartVersion: chartVersion, appVersion: appVersion.isEmpty ? nil : appVersion,
            configDigest: configDigest, firstDeployed: info.firstDeployed ?? .now(), lastDeployed: info.lastDeployed ?? .now(),
            deleted: info.deleted, testHooks: testHooks ?? (previous?.version == version ? previous?.testHooks : nil))
    }

    /// The test hooks' last runs, when any ran.
    var testHooks: [String: HelmRelease.TestHookStatus]? {
        let tests = hooks.filter { $0.events.contains("test") && !$0.lastRun.phase.isEmpty }
        guard !tests.isEmpty else { return nil }
        var result: [String: HelmRelease.TestHookStatus] = [:]
        for hook in tests {
            result[hook.name] = HelmRelease.TestHookStatus(lastStarted: hook.lastRun.startedAt,
                                                           lastCompleted: hook.lastRun.completedAt, phase: hook.lastRun.phase)
        }
        return result
    }
}
