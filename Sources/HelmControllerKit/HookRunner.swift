import GitOpsKit
import Logging

/// Runs Helm hooks: for one event (`pre-install`, `post-upgrade`, `test`, …) the hooks are created in weight order
/// (then by name), each waited for when it is a Job (complete) or a Pod (succeeded), with Helm's delete policies
/// (`before-hook-creation` by default, `hook-succeeded`, `hook-failed`).
struct HookRunner {
    let api: any KubernetesAPI
    let fieldManager: String
    let releaseName: String
    let namespace: String
    let pollInterval: Duration
    let logger: Logger

    struct Failure: Error {
        var message: String
    }

    /// Runs the hooks of `event` and returns them with their last run recorded; throws after the first failure
    /// (Helm stops there too) with the hooks updated so far.
    func run(_ event: String, hooks: [StoredRelease.Hook], timeout: Duration) async -> (hooks: [StoredRelease.Hook], failure: String?) {
        var hooks = hooks
        let selected = hooks.indices.filter { hooks[$0].events.contains(event) }
            .sorted { (hooks[$0].weight, hooks[$0].name) < (hooks[$1].weight, hooks[$1].name) }
        for index in selected {
            var hook = hooks[index]
            let started = KubeTime.now()
            hook.lastRun = .init(startedAt: started, phase: "Running")
            let outcome = await execute(hook, timeout: timeout)
            hook.lastRun = .init(startedAt: started, completedAt: .now(), phase: outcome == nil ? "Succeeded" : "Failed")
            hooks[index] = hook
            if let outcome {
                return (hooks, "\(event) hook \(hook.kind)/\(hook.name) failed: \(outcome)")
            }
        }
        return (hooks, nil)
    }

    /// Creates one hook and waits for it; nil on success, else why it failed.
    private func execute(_ hook: StoredRelease.Hook, timeout: Duration) async -> String? {
        let policies = hook.deletePolicies.isEmpty ? ["before-hook-creation"] : hook.deletePolicies
        let documents: [JSONValue]
        do {
            documents = try ReleaseManifest.documents(hook.manifest)
        } catch {
            return error.message
        }
        guard let document = documents.first else { return nil }
        let objects: [JSONValue]
        do {
            objects = try await ReleaseManifest.objects([document], release: releaseName, namespace: namespace, api: api)
        } catch {
            return error.message
        }
        guard let object = objects.first, let identity = ResourceIdentity(of: object) else { return "hook has no name" }
        if policies.contains("before-hook-creation") {
            await delete(identity, wait: timeout)
        }
        do {
            _ = try await api.apply(object, fieldManager: fieldManager)
        } catch {
            return error.serverMessage
        }
        let failure = await waitForCompletion(identity, timeout: timeout)
        if (failure == nil && policies.contains("hook-succeeded")) || (failure != nil && policies.contains("hook-failed")) {
            await delete(identity, wait: nil)
        }
        return failure
    }

    /// Jobs must complete and Pods succeed; other kinds are done once created (as Helm).
    private func waitForCompletion(_ identity: ResourceIdentity, timeout: Duration) async -> String? {
        guard identity.kind.kind == "Job" || identity.kind.kind == "Pod" else { return nil }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, !Task.isCancelled {
            if let live = try? await api.getIfPresent(identity.kind, identity.key) {
                if identity.kind.kind == "Pod" {
                    switch live[path: "status", "phase"]?.stringValue {
                    case "Succeeded": return nil
                    case "Failed": return "pod \(identity.name) failed"
                    default: break
                    }
                } else {
                    for condition in live[path: "status", "conditions"]?.arrayValue ?? [] where condition["status"]?.stringValue == "True" {
                        if condition["type"]?.stringValue == "Complete" { return nil }
                        if condition["type"]?.stringValue == "Failed" {
                            return "job \(identity.name) failed: \(condition["reason"]?.stringValue ?? "Failed")"
                        }
                    }
                }
            }
            try? await Task.sleep(for: pollInterval)
        }
        return "timed out waiting for \(identity.subject) to complete"
    }

    private func delete(_ identity: ResourceIdentity, wait: Duration?) async {
        do {
            try await api.delete(identity.kind, identity.key, options: DeleteOptions(propagationPolicy: .background))
        } catch {
            return
        }
        guard let wait else { return }
        let deadline = ContinuousClock.now + wait
        while ContinuousClock.now < deadline, (try? await api.getIfPresent(identity.kind, identity.key)) != nil {
            try? await Task.sleep(for: .milliseconds(100))
        }
    }
}
