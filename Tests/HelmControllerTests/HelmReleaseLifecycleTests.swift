import Foundation
import GitOpsKit
import GitOpsTestSupport
import HelmControllerKit
import Testing

/// helm-controller's reconciler against the emulator, with charts packaged by the real helm and releases read back
/// by the real helm: install, upgrades on values and chart changes, history limits, values references, remediation,
/// unlock, adoption, deletion.
@Suite(.serialized) struct HelmReleaseLifecycleTests {
    static func chartRef(_ name: String = "chart") -> JSONValue { ["kind": "HelmChart", "name": .string(name)] }

    @Test func installUpgradeOnValuesAndChartAndPruneHistory() async throws {
        let env = try await HelmTestEnvironment.get()
        let ns = try await env.makeNamespace("hr-life")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.publishChart(namespace: ns, version: "1.0.0", values: "greeting: hi\n", templates: ChartTemplates.standard)
        try await env.createRelease("web", namespace: ns, spec: [
            "interval": "1m", "chartRef": Self.chartRef(), "values": ["color": "red"], "maxHistory": 2,
        ])
        var release = try await env.waitFor("web", namespace: ns, "installed") { $0.isReadyNow }
        #expect(release.readyCondition?.reason.rawValue == "InstallSucceeded")
        #expect(release.conditions[.released]?.message == "Helm install succeeded for release \(ns)/web.v1 with chart app@1.0.0")
        #expect(release.status?.history?.first?.version == 1)
        #expect(release.status?.history?.first?.status == "deployed")
        #expect(release.status?.lastAttemptedRevision == "1.0.0")
        #expect(release.status?.lastAttemptedConfigDigest?.hasPrefix("sha256:") == true)
        #expect(release.status?.inventory?.entries.count == 2)

        // The real helm sees the release we wrote, with the values the HelmRelease gave.
        let list = try await env.helmJSON(["list"], namespace: ns).arrayValue ?? []
        #expect(list.first?["name"]?.stringValue == "web")
        #expect(list.first?["chart"]?.stringValue == "app-1.0.0")
        #expect(list.first?["status"]?.stringValue == "deployed")
        #expect(try await env.helmJSON(["get", "values", "web"], namespace: ns) == ["color": "red"])
        let config = try #require(try await env.get(HelmTestEnvironment.configMapKind, "web-config", namespace: ns))
        #expect(config[path: "data", "greeting"] == "hi")
        #expect(config[path: "data", "color"] == "red")
        #expect(config[path: "data", "revision"] == "1")
        #expect(config[path: "data", "upgrade"] == "false")
        #expect(config[path: "metadata", "labels", "app.kubernetes.io/managed-by"] == "Helm")
        #expect(config[path: "metadata", "annotations", "meta.helm.sh/release-name"] == "web")

        // A values change upgrades to revision 2.
        try await env.modify("web", namespace: ns) { $0[path: "spec", "values", "color"] = "green" }
        release = try await env.waitFor("web", namespace: ns, "upgraded to v2") {
            $0.status?.history?.first?.version == 2 && $0.isReadyNow
        }
        #expect(release.readyCondition?.reason.rawValue == "UpgradeSucceeded")
        let upgraded = try await env.get(HelmTestEnvironment.configMapKind, "web-config", namespace: ns)
        #expect(upgraded?[path: "data", "color"] == "green")
        #expect(upgraded?[path: "data", "revision"] == "2")
        #expect(upgraded?[path: "data", "upgrade"] == "true")
        let history = try await env.helmJSON(["history", "web"], namespace: ns).arrayValue ?? []
        #expect(history.map { $0["status"]?.stringValue } == ["superseded", "deployed"])

        // A new chart version upgrades to revision 3; maxHistory 2 keeps revisions 2 and 3 only.
        try await env.publishChart(namespace: ns, version: "1.1.0", values: "greeting: hi\n", templates: ChartTemplates.standard)
        release = try await env.waitFor("web", namespace: ns, "upgraded to v3") {
            $0.status?.history?.first?.version == 3 && $0.isReadyNow
        }
        let deployment = try await env.get(HelmTestEnvironment.deploymentKind, "web-web", namespace: ns)
        #expect(deployment?[path: "spec", "template", "spec", "containers"]?[0]?["image"] == "nginx:1.1.0")
        let secrets = try await env.client.list(HelmTestEnvironment.secretKind, namespace: ns,
                                                options: ListOptions(labelSelector: "owner=helm,name=web"))
        #expect(Set(secrets.items.compactMap { $0[path: "metadata", "name"]?.stringValue })
                == ["sh.helm.release.v1.web.v2", "sh.helm.release.v1.web.v3"])
        #expect(release.status?.history?.count == 2)

        // Nothing changes: a reconcile request makes no new revision.
        try await env.modify("web", namespace: ns) { $0[path: "metadata", "annotations", "reconcile.fluxcd.io/requestedAt"] = "one" }
        release = try await env.waitFor("web", namespace: ns, "request handled") { $0.status?.lastHandledReconcileAt == "one" }
        #expect(release.status?.history?.first?.version == 3)
    }

    @Test func valuesFromSecretWithTargetPathAndMissingReferences() async throws {
        let env = try await HelmTestEnvironment.get()
        let ns = try await env.makeNamespace("hr-values")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.publishChart(namespace: ns, version: "1.0.0", templates: ChartTemplates.standard)
        _ = try await env.client.create(["apiVersion": "v1", "kind": "ConfigMap",
                                         "metadata": ["name": "base", "namespace": .string(ns)],
                                         "data": ["values.yaml": "greeting: from-configmap\ncolor: cm\n"]], options: WriteOptions())
        _ = try await env.client.create(["apiVersion": "v1", "kind": "Secret",
                                         "metadata": ["name": "scale", "namespace": .string(ns)],
                                         "data": ["count": .string(Data("3".utf8).base64EncodedString())]], options: WriteOptions())
        try await env.createRelease("composed", namespace: ns, spec: [
            "interval": "1m", "chartRef": Self.chartRef(),
            "valuesFrom": [["kind": "ConfigMap", "name": "base"],
                           ["kind": "Secret", "name": "scale", "valuesKey": "count", "targetPath": "replicas"],
                           ["kind": "ConfigMap", "name": "absent", "optional": true]],
            "values": ["color": "inline"],
        ])
        _ = try await env.waitFor("composed", namespace: ns, "installed") { $0.isReadyNow }
        let config = try await env.get(HelmTestEnvironment.configMapKind, "composed-config", namespace: ns)
        #expect(config?[path: "data", "greeting"] == "from-configmap")
        #expect(config?[path: "data", "color"] == "inline")
        let deployment = try await env.get(HelmTestEnvironment.deploymentKind, "composed-web", namespace: ns)
        #expect(deployment?[path: "spec", "replicas"] == 3)
        // `--set` semantics: the target path holds an integer, not the string "3".
        #expect(try await env.helmJSON(["get", "values", "composed"], namespace: ns)["replicas"] == 3)

        try await env.createRelease("broken", namespace: ns, spec: [
            "interval": "1m", "chartRef": Self.chartRef(), "valuesFrom": [["kind": "ConfigMap", "name": "missing"]],
        ])
        let broken = try await env.waitFor("broken", namespace: ns, "values failure") { $0.readyCondition?.status == .false }
        #expect(broken.readyCondition?.reason.rawValue == "InitFailed")
        #expect(broken.readyCondition?.message
                == "could not resolve ConfigMap chart values reference '\(ns)/missing' with key 'values.yaml': configmaps \"missing\" not found")
        #expect(try await env.helmJSON(["list", "--all"], namespace: ns).arrayValue?.map { $0["name"]?.stringValue } == ["composed"])
    }

    @Test func failingUpgradeIsRetriedThenRolledBack() async throws {
        let env = try await HelmTestEnvironment.get()
        let ns = try await env.makeNamespace("hr-rollback")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.publishChart(namespace: ns, version: "1.0.0", templates: ChartTemplates.standard)
        try await env.createRelease("web", namespace: ns, spec: [
            "interval": "1m", "chartRef": Self.chartRef(), "timeout": "20s",
            "upgrade": ["remediation": ["retries": 2]],
        ])
        _ = try await env.waitFor("web", namespace: ns, "installed") { $0.isReadyNow }
        try await env.modify("web", namespace: ns) { $0[path: "spec", "values"] = ["failRollout": true, "color": "broken"] }
        let release = try await env.waitFor("web", namespace: ns, timeout: .seconds(60), "retries exhausted") {
            $0.conditions[.stalled]?.status == .true
        }
        #expect(release.status?.upgradeFailures == 3)
        #expect(release.conditions[.remediated]?.reason.rawValue == "RollbackSucceeded")
        #expect(release.readyCondition?.reason.rawValue == "UpgradeFailed")
        let history = try await env.helmJSON(["history", "web", "--max", "20"], namespace: ns).arrayValue ?? []
        // Three failed upgrades, each rolled back to the newest deployed revision before it (as Flux picks the
        // previous snapshot); helm's rollback marks the failed revision superseded. The default maxHistory (5)
        // keeps revisions 3...7 in storage.
        #expect(history.map { $0["revision"]?.intValue ?? 0 } == Array(3...7).map(Int64.init), "\(history)")
        #expect(history.last?["status"]?.stringValue == "deployed")
        #expect(history.compactMap { $0["description"]?.stringValue }.filter { $0.hasPrefix("Rollback to") }
                == ["Rollback to 1", "Rollback to 3", "Rollback to 5"])
        #expect(history.filter { $0["description"]?.stringValue?.hasPrefix("Upgrade \"web\" failed") == true }.count == 2)
        // The rolled-back release serves revision 1's objects again.
        let config = try await env.get(HelmTestEnvironment.configMapKind, "web-config", namespace: ns)
        #expect(config?[path: "data", "color"] == "blue")
    }

    @Test func uninstallRemediationStrategyReinstalls() async throws {
        let env = try await HelmTestEnvironment.get()
        let ns = try await env.makeNamespace("hr-uninstall")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.publishChart(namespace: ns, version: "1.0.0", templates: ChartTemplates.standard)
        try await env.createRelease("web", namespace: ns, spec: [
            "interval": "1m", "chartRef": Self.chartRef(), "timeout": "20s",
            "upgrade": ["remediation": ["retries": 1, "strategy": "uninstall"]],
        ])
        _ = try await env.waitFor("web", namespace: ns, "installed") { $0.isReadyNow }
        try await env.modify("web", namespace: ns) { $0[path: "spec", "values"] = ["failRollout": true] }
        _ = try await env.waitFor("web", namespace: ns, timeout: .seconds(60), "uninstall remediation") {
            $0.conditions[.remediated]?.reason.rawValue == "UninstallSucceeded"
        }
        // Fixing the values reinstalls a release that works.
        try await env.modify("web", namespace: ns) { $0[path: "spec", "values"] = ["color": "fixed"] }
        _ = try await env.waitFor("web", namespace: ns, timeout: .seconds(60), "reinstalled") {
            $0.isReadyNow && $0.status?.history?.first?.status == "deployed"
        }
        let statuses = try await ReleaseStorage(api: env.client, namespace: ns).history("web").map(\.info.status)
        #expect(statuses.contains(.uninstalled))
        #expect(statuses.last == .deployed)
        #expect(try await env.get(HelmTestEnvironment.configMapKind, "web-config", namespace: ns)?[path: "data", "color"] == "fixed")
    }

    @Test func renderFailuresAndSchemaViolationsLeaveNoRelease() async throws {
        let env = try await HelmTestEnvironment.get()
        let ns = try await env.makeNamespace("hr-bad")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.publishChart("required", namespace: ns, version: "1.0.0", templates: [
            "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  tag: {{ required \"image.tag is required\" .Values.tag }}\n",
        ])
        try await env.createRelease("needs-tag", namespace: ns, spec: ["interval": "1m", "chartRef": Self.chartRef("required")])
        let failed = try await env.waitFor("needs-tag", namespace: ns, "render failure") { $0.readyCondition?.status == .false }
        #expect(failed.readyCondition?.reason.rawValue == "InstallFailed")
        #expect(failed.readyCondition?.message.contains("image.tag is required") == true, "\(failed.readyCondition?.message ?? "")")

        try await env.publishChart("schema", namespace: ns, version: "1.0.0", values: "replicas: 1\n",
                                   templates: ChartTemplates.standard, extraFiles: [
                                       "values.schema.json": #"{"type":"object","properties":{"replicas":{"type":"integer","minimum":1}}}"#,
                                   ])
        try await env.createRelease("schema", namespace: ns, spec: [
            "interval": "1m", "chartRef": Self.chartRef("schema"), "values": ["replicas": "many"],
        ])
        let invalid = try await env.waitFor("schema", namespace: ns, "schema failure") { $0.readyCondition?.status == .false }
        #expect(invalid.readyCondition?.message.contains("values don't meet the specifications of the schema") == true,
                "\(invalid.readyCondition?.message ?? "")")
        // Neither left a release behind, pending or otherwise.
        #expect(try await ReleaseStorage(api: env.client, namespace: ns).history("needs-tag").isEmpty)
        #expect(try await ReleaseStorage(api: env.client, namespace: ns).history("schema").isEmpty)
    }

    @Test func pendingReleaseIsUnlockedAndConverges() async throws {
        let env = try await HelmTestEnvironment.get()
        let ns = try await env.makeNamespace("hr-lock")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.publishChart(namespace: ns, version: "1.0.0", templates: ChartTemplates.standard)
        try await env.createRelease("web", namespace: ns, spec: ["interval": "1m", "chartRef": Self.chartRef()])
        _ = try await env.waitFor("web", namespace: ns, "installed") { $0.isReadyNow }
        // A controller killed mid-upgrade leaves revision 2 `pending-upgrade`.
        let storage = ReleaseStorage(api: env.client, namespace: ns)
        var stuck = try #require(try await storage.get("web", version: 1))
        stuck.version = 2
        stuck.info.status = .pendingUpgrade
        stuck.info.description = "Preparing upgrade"
        try await storage.create(stuck)
        try await env.modify("web", namespace: ns) { $0[path: "metadata", "annotations", "reconcile.fluxcd.io/requestedAt"] = "unlock" }
        let release = try await env.waitFor("web", namespace: ns, "converged") {
            $0.status?.lastHandledReconcileAt == "unlock" && $0.isReadyNow
        }
        let history = try await storage.history("web")
        #expect(history.map(\.info.status) == [.superseded, .failed, .deployed])
        #expect(history[1].info.description == "Release unlocked from stale 'pending-upgrade' state")
        #expect(release.status?.history?.first?.version == 3)
    }

    @Test func adoptsAReleaseInstalledByHelm() async throws {
        let env = try await HelmTestEnvironment.get()
        let ns = try await env.makeNamespace("hr-adopt")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.publishChart(namespace: ns, version: "1.0.0", templates: ChartTemplates.standard)
        let packaged = env.scratch + "/packaged/\(ns)-chart-1.0.0/app-1.0.0.tgz"
        _ = try await env.helm(["install", "legacy", packaged, "--set", "color=purple"], namespace: ns)
        try await env.createRelease("legacy", namespace: ns, spec: [
            "interval": "1m", "chartRef": Self.chartRef(), "values": ["color": "managed"],
        ])
        let release = try await env.waitFor("legacy", namespace: ns, "adopted") { $0.isReadyNow }
        #expect(release.status?.history?.first?.version == 2)
        #expect(release.readyCondition?.reason.rawValue == "UpgradeSucceeded")
        let history = try await env.helmJSON(["history", "legacy"], namespace: ns).arrayValue ?? []
        #expect(history.map { $0["status"]?.stringValue } == ["superseded", "deployed"])
        #expect(try await env.get(HelmTestEnvironment.configMapKind, "legacy-config", namespace: ns)?[path: "data", "color"] == "managed")
    }

    @Test func testHooksRunAndDeletionUninstalls() async throws {
        let env = try await HelmTestEnvironment.get()
        let ns = try await env.makeNamespace("hr-test")
        defer { Task { await env.cleanUp(namespace: ns) } }
        var templates = ChartTemplates.standard
        templates["tests/connection.yaml"] = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: {{ .Release.Name }}-test
              annotations:
                helm.sh/hook: test
            spec:
              restartPolicy: Never
              containers:
              - name: check
                image: busybox
            """
        try await env.publishChart(namespace: ns, version: "1.0.0", templates: templates)
        try await env.createRelease("tested", namespace: ns, spec: [
            "interval": "1m", "chartRef": Self.chartRef(), "test": ["enable": true],
            "uninstall": ["keepHistory": true],
        ])
        let release = try await env.waitFor("tested", namespace: ns, "tested") {
            $0.isReadyNow && $0.conditions[.testSuccess]?.status == .true
        }
        #expect(release.status?.history?.first?.testHooks?["tested-test"]?.phase == "Succeeded")

        try await env.client.delete(HelmRelease.kind, ObjectKey(namespace: ns, name: "tested"), options: DeleteOptions())
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, try await env.get(HelmRelease.kind, "tested", namespace: ns) != nil {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try await env.get(HelmRelease.kind, "tested", namespace: ns) == nil)
        #expect(try await env.get(HelmTestEnvironment.configMapKind, "tested-config", namespace: ns) == nil)
        let history = try await env.helmJSON(["history", "tested"], namespace: ns).arrayValue ?? []
        #expect(history.last?["status"]?.stringValue == "uninstalled")
    }

    @Test func chartTemplateGeneratesAndOwnsAHelmChart() async throws {
        let env = try await HelmTestEnvironment.get()
        let ns = try await env.makeNamespace("hr-chart")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.createRelease("podinfo", namespace: ns, spec: [
            "interval": "1m",
            "chart": ["spec": ["chart": "app", "version": "1.x", "sourceRef": ["kind": "HelmRepository", "name": "repo"]],
                      "metadata": ["labels": ["team": "web"]]],
        ])
        let name = "\(ns)-podinfo"
        let chart = try await {
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline {
                if let chart = try await env.get(HelmChart.kind, name, namespace: ns) { return chart }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw CancellationError()
        }()
        #expect(chart[path: "spec", "chart"] == "app")
        #expect(chart[path: "spec", "version"] == "1.x")
        #expect(chart[path: "spec", "sourceRef", "kind"] == "HelmRepository")
        #expect(chart[path: "spec", "interval"] == "1m")
        #expect(chart[path: "metadata", "labels", "helm.toolkit.fluxcd.io/name"] == "podinfo")
        #expect(chart[path: "metadata", "labels", "team"] == "web")
        let waiting = try await env.waitFor("podinfo", namespace: ns, "waiting for the chart") { $0.readyCondition?.status == .false }
        #expect(waiting.readyCondition?.reason.rawValue == "ArtifactFailed")
        // source-controller's part, played by the test: the artifact appears and the release installs.
        try await env.publishChart(name, namespace: ns, version: "1.2.0", templates: ChartTemplates.standard)
        let release = try await env.waitFor("podinfo", namespace: ns, "installed") { $0.isReadyNow }
        #expect(release.status?.helmChart == "\(ns)/\(name)")

        try await env.client.delete(HelmRelease.kind, ObjectKey(namespace: ns, name: "podinfo"), options: DeleteOptions())
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, try await env.get(HelmChart.kind, name, namespace: ns) != nil {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try await env.get(HelmChart.kind, name, namespace: ns) == nil)
        #expect(try await env.helmJSON(["list", "--all"], namespace: ns).arrayValue?.isEmpty == true)
    }
}
