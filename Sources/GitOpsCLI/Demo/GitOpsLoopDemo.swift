import Foundation
import GitOpsKit
import KubeEmulator
import Logging

/// The demo's script: the first GitOps loop, from an empty emulator to a commit applied and a hand-made drift put
/// back, with the real source-controller and kustomize-controller as child processes. Everything it starts is
/// registered in the ``DemoEnvironment``, which the command stops afterwards.
struct GitOpsLoopDemo {
    /// How often source-controller polls the repository (`GitRepository.spec.interval`).
    static let sourceInterval = "2s"
    /// How often kustomize-controller re-applies the revision (`Kustomization.spec.interval`): the drift correction.
    static let kustomizationInterval = "5s"
    static let name = "fleet"

    let environment: DemoEnvironment
    let installation: DemoInstallation
    let narrator: DemoNarrator
    let kubeconfigPath: String
    let port: Int
    let logger: Logger

    /// Runs the whole story; returns the kubeconfig path with the cluster still up.
    func run() async throws {
        narrator.line("GitOpsKit demo: Git commit in, cluster converged out — on the embedded KubeEmulator, no cluster needed.")

        // 1. The API server.
        narrator.step("Start the KubeEmulator (in-process Kubernetes API server, HTTPS with a bearer token)")
        let endpoint = try await environment.startEmulator(
            KubeEmulatorConfiguration(port: port, workloadDelay: .milliseconds(300)), logger: logger)
        try endpoint.writeKubeconfig(to: kubeconfigPath, namespace: DemoApp.namespace)
        narrator.detail("serving \(endpoint.url); kubeconfig \(kubeconfigPath)")
        narrator.detail("scratch directory \(environment.scratch) (Git repositories, artifacts, controller logs)")
        let api = KubeClient(config: try KubeConfig.load(kubeconfigPaths: [kubeconfigPath]))
        let cluster = DemoCluster(api: api, name: Self.name)

        // 2. CRDs.
        narrator.step("Install the CRDs of \(Self.crdGroups.joined(separator: ", "))")
        var started = ContinuousClock.now
        let crds = try await api.installCRDs(from: installation.crdDirectory, groups: Set(Self.crdGroups),
                                             fieldManager: "gok-demo")
        _ = try await api.apply(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(DemoCluster.fluxNamespace)]],
                                fieldManager: "gok-demo")
        narrator.detail("\(crds.map(\.kind).joined(separator: ", ")) established in \(DemoNarrator.seconds(ContinuousClock.now - started)); namespace \(DemoCluster.fluxNamespace) created")

        // 3. gok's HTTP server: the Helm repository and the Alert's webhook.
        narrator.step("Serve a Helm repository and a webhook from gok (one loopback HTTP server)")
        let sink = NotificationSink { [narrator] notification in narrator.live("✉", notification.narration) }
        let server = DemoHTTPServer(sink: sink, logger: logger)
        let baseURL = try await environment.startHTTPServer(server)
        let chartsURL = baseURL + DemoHTTPServer.chartsPath
        let archive = try DemoHelmChart.package()
        server.publish(DemoHelmChart.archiveName, archive)
        server.publish("index.yaml", Array(DemoHelmChart.index(archive: archive).utf8))
        narrator.detail("Helm repository \(chartsURL): index.yaml and \(DemoHelmChart.archiveName) (\(archive.count) bytes, sha256 \(Digest.sha256Hex(archive).prefix(12))…)")
        narrator.detail("  chart \(DemoHelmChart.name) \(DemoHelmChart.version): a ConfigMap and a Deployment from .Values.greeting and .Values.replicaCount")
        narrator.detail("webhook \(baseURL + DemoHTTPServer.notificationsPath): what notification-controller posts is shown as it arrives (✉)")

        // 4. Controllers.
        narrator.step("Start source-, kustomize-, helm- and notification-controller (the real binaries, as child processes)")
        try await startControllers(kubeconfig: kubeconfigPath)

        // 5. Git.
        narrator.step("Create a Git repository: the web app (base + demo overlay) and a HelmRelease of the hello chart")
        let repository = try await DemoGitRepository.create(in: environment.scratch + "/git")
        var commit = try await repository.commit(
            DemoApp.files(replicas: 2, greeting: "hello from GitOpsKit", chartsURL: chartsURL, helmGreeting: Self.firstHelmGreeting),
            message: "Deploy web and hello")
        narrator.detail("\(repository.url) (a bare repository; the demo commits in \(repository.work) and pushes)")
        narrator.detail("commit \(commit.prefix(7)) \"Deploy web and hello\":")
        narrator.detail("  clusters/demo/kustomization.yaml          → ../../apps/web/overlays/demo, ../../infrastructure/hello")
        narrator.detail("  apps/web/base/{configmap,deployment,service}.yaml, apps/web/overlays/demo/{kustomization,namespace,replicas}.yaml (namespace demo, 2 replicas)")
        narrator.detail("  infrastructure/hello/{helmrepository,helmrelease}.yaml (chart hello 0.1.x from \(chartsURL), 2 replicas)")

        // 6. Notifications.
        narrator.step("Apply a generic Provider and an Alert (\(DemoCluster.fluxNamespace)), as `flux create alert-provider` and `flux create alert` would")
        _ = try await api.apply(provider(address: baseURL + DemoHTTPServer.notificationsPath), fieldManager: "gok-demo")
        _ = try await api.apply(alert(), fieldManager: "gok-demo")
        narrator.detail("Provider \(Self.alertName): type generic, address \(baseURL + DemoHTTPServer.notificationsPath)")
        narrator.detail("Alert \(Self.alertName): severity info, from \(Self.alertSources.map { "\($0)/*" }.joined(separator: ", "))")

        // 7. The bootstrap: GitRepository and Kustomization.
        narrator.step("Apply a GitRepository and a Kustomization (\(DemoCluster.fluxNamespace)/\(Self.name)), as `flux create` would")
        _ = try await api.apply(gitRepository(url: repository.url), fieldManager: "gok-demo")
        _ = try await api.apply(kustomization(), fieldManager: "gok-demo")
        narrator.detail("GitRepository: \(repository.url), branch main, polled every \(Self.sourceInterval)")
        narrator.detail("Kustomization: path \(DemoApp.path), prune, wait (health checks), re-applied every \(Self.kustomizationInterval)")

        // 8–11. First revision.
        started = ContinuousClock.now
        var revision = try await showSourceFetched(cluster, commit: commit, since: (started, "the GitRepository was created"),
                                                   marker: 0)
        try await showApplied(cluster, sink: sink, revision: revision, replicas: 2,
                              helm: (revision: 1, greeting: Self.firstHelmGreeting),
                              since: (started, "the GitRepository was created"), marker: 0)

        // 12. A commit.
        narrator.step("Commit a change: scale web to 3 replicas, change its ConfigMap and the HelmRelease's values, then push")
        var marker = try await cluster.eventMarker()
        started = ContinuousClock.now
        commit = try await repository.commit(
            DemoApp.change(replicas: 3, greeting: "hello again, from the second commit", helmGreeting: Self.secondHelmGreeting),
            message: "Scale web to 3, change its greeting and hello's")
        narrator.detail("commit \(commit.prefix(7)) \"Scale web to 3, change its greeting and hello's\" (overlays/demo/replicas.yaml, base/configmap.yaml, hello/helmrelease.yaml)")
        narrator.detail("nothing is told about it: source-controller finds it at its next poll (every \(Self.sourceInterval))")
        revision = try await showSourceFetched(cluster, commit: commit, since: (started, "the push"), marker: marker)
        try await showApplied(cluster, sink: sink, revision: revision, replicas: 3,
                              helm: (revision: 2, greeting: Self.secondHelmGreeting), since: (started, "the push"), marker: marker)
        let greeting = try await cluster.configMap()?[path: "data", "PODINFO_UI_MESSAGE"]?.stringValue ?? "?"
        narrator.detail("ConfigMap web-config: PODINFO_UI_MESSAGE=\"\(greeting)\"")

        // 13. Drift.
        try await showDriftCorrected(cluster, api: api, sink: sink)

        // 14. What the Alert delivered.
        showNotifications(sink)
    }

    static let crdGroups = ["source.toolkit.fluxcd.io", "kustomize.toolkit.fluxcd.io", "helm.toolkit.fluxcd.io",
                            "notification.toolkit.fluxcd.io"]
    static let alertName = "gok-webhook"
    /// The kinds whose events the Alert forwards (every object of each, `name: "*"`).
    static let alertSources = ["GitRepository", "Kustomization", "HelmRepository", "HelmChart", "HelmRelease"]
    static let firstHelmGreeting = "hello from a HelmRelease"
    static let secondHelmGreeting = "hello from the HelmRelease's second revision"
    /// How long a notification may take to reach gok after the event it reports.
    static let notificationTimeout: Duration = .seconds(15)

    // MARK: Steps

    /// Starts the four controllers at once and waits for each to be ready. notification-controller receives events
    /// on a loopback port the other three post to (`--events-addr`), as in a Flux installation.
    private func startControllers(kubeconfig: String) async throws {
        let common = ["--kubeconfig", kubeconfig, "--metrics-addr", "0", "--log-level", "info",
                      "--min-retry-delay", "250ms", "--max-retry-delay", "5s"]
        let eventsPort = try DemoEnvironment.freePort()
        let receiverPort = try DemoEnvironment.freePort()
        var started: [(ChildProcess, Int, ContinuousClock.Instant)] = []
        for name in DemoInstallation.controllers {
            guard let executable = installation.executables[name] else { continue }
            let healthPort = try DemoEnvironment.freePort()
            var arguments = common + ["--health-addr", "127.0.0.1:\(healthPort)"]
            switch name {
            case "notification-controller":
                arguments += ["--events-addr", "127.0.0.1:\(eventsPort)", "--receiverAddr", "127.0.0.1:\(receiverPort)"]
            case "source-controller":
                arguments += ["--storage-path", environment.scratch + "/artifacts", "--storage-addr", "127.0.0.1:0",
                              "--events-addr", "http://127.0.0.1:\(eventsPort)/"]
            case "helm-controller":
                arguments += ["--events-addr", "http://127.0.0.1:\(eventsPort)/", "--requeue-dependency", "1s"]
            default:
                arguments += ["--events-addr", "http://127.0.0.1:\(eventsPort)/"]
            }
            let now = ContinuousClock.now
            started.append((try environment.startController(name, executable: executable, arguments: arguments), healthPort, now))
        }
        let http = HTTPClient(configuration: HTTPClientConfiguration(proxy: .none, connectTimeout: .seconds(2),
                                                                     requestTimeout: .seconds(2)))
        for (child, healthPort, start) in started {
            let ready: Bool = try await DemoCluster.poll(timeout: .seconds(20)) {
                if let status = child.poll() {
                    throw DemoError("\(child.name) exited with status \(status) at start-up:\n\(child.logTail())")
                }
                let response = try? await http.execute(HTTPClientRequest(url: "http://127.0.0.1:\(healthPort)/readyz"))
                return response?.status == 200 ? true : nil
            } ?? false
            guard ready else { throw DemoError("\(child.name) was not ready within 20 s:\n\(child.logTail())") }
            narrator.detail("\(child.name.padding(toLength: 24, withPad: " ", startingAt: 0)) pid \(child.pid), ready in \(DemoNarrator.seconds(ContinuousClock.now - start)) (log \(child.logPath))")
        }
        narrator.detail("\(started.count) controllers running; events go to notification-controller at 127.0.0.1:\(eventsPort)")
    }

    /// Waits for the GitRepository's artifact of `commit` and narrates it.
    private func showSourceFetched(_ cluster: DemoCluster, commit: String,
                                   since start: (instant: ContinuousClock.Instant, event: String), marker: Int)
        async throws -> String
    {
        narrator.step("source-controller fetches the repository and stores an artifact")
        let expected = "main@sha1:\(commit)"
        let artifact: Artifact = try await cluster.waitFor("GitRepository/\(Self.name) to store \(expected)", state: {
            "status: \((try? await cluster.gitRepository())?.status.map { "\($0)" } ?? "none")"
        }) { () async throws -> Artifact? in
            guard let source = try await cluster.gitRepository(), source.isReady,
                  let artifact = source.artifact, artifact.revision == expected else { return nil }
            return artifact
        }
        narrator.detail("revision \(artifact.revision), fetched \(DemoNarrator.seconds(ContinuousClock.now - start.instant)) after \(start.event)")
        narrator.detail("artifact \(artifact.url) (\(artifact.size.map { "\($0) bytes, " } ?? "")digest \(artifact.digest?.prefix(19) ?? "?")…)")
        if let event = try? await cluster.waitForEvent(about: GitRepository.kind.kind, reason: "NewArtifact", after: marker) {
            narrator.detail("event NewArtifact: \(event.message)")
        }
        return artifact.revision
    }

    /// Narrates a revision converging: kustomize-controller's change set, helm-controller's release (installed or
    /// upgraded to `helm.revision`), then the Kustomization's health checks and the web Deployment's rollout. (With
    /// `wait`, the Kustomization is Ready only once the HelmRelease it applied is, so the release comes first.)
    private func showApplied(_ cluster: DemoCluster, sink: NotificationSink, revision: String, replicas: Int64,
                             helm: (revision: Int, greeting: String),
                             since start: (instant: ContinuousClock.Instant, event: String), marker: Int) async throws
    {
        narrator.step("kustomize-controller builds \(DemoApp.path.dropFirst(2)) and applies it (server-side apply)")
        let changes: [DemoCluster.RecordedEvent] = try await cluster.waitFor("Kustomization/\(Self.name) to apply \(revision)", state: {
            "status: \((try? await cluster.kustomization())?.status.map { "\($0)" } ?? "none")"
        }) {
            let events = try await cluster.events(about: Kustomization.kind.kind, after: marker)
                .filter { $0.reason == ConditionReason.progressing.rawValue }
            return events.isEmpty ? nil : events
        }
        narrator.detail("change set, \(DemoNarrator.seconds(ContinuousClock.now - start.instant)) after \(start.event):")
        for event in changes {
            narrator.detail(event.message.split(separator: "\n").map { "  \($0)" }.joined(separator: "\n"))
        }

        try await showHelmRelease(cluster, sink: sink, revision: helm.revision, greeting: helm.greeting, since: start)

        narrator.step("kustomize-controller checks health: the Deployment, the Service, the HelmRelease")
        let kustomization: Kustomization = try await cluster.waitFor("Kustomization/\(Self.name) to be Ready at \(revision)", state: {
            "status: \((try? await cluster.kustomization())?.status.map { "\($0)" } ?? "none")"
        }) { () async throws -> Kustomization? in
            guard let object = try await cluster.kustomization(), object.isReady,
                  object.status?.lastAppliedRevision == revision else { return nil }
            return object
        }
        let elapsed = ContinuousClock.now - start.instant
        let ready = kustomization.conditions[.ready]
        let healthy = kustomization.conditions[.healthy]
        narrator.detail("Ready=\(ready?.status.rawValue ?? "?") \(ready?.reason.rawValue ?? ""): \(ready?.message ?? "")  (\(DemoNarrator.seconds(elapsed)) after \(start.event))")
        if let healthy {
            narrator.detail("Healthy=\(healthy.status.rawValue): \(healthy.message)")
        }
        let deployment: JSONValue = try await cluster.waitFor("Deployment web to roll out \(replicas) replicas") {
            let deployment = try await cluster.deployment()
            return DemoCluster.isRolledOut(deployment, replicas: replicas) ? deployment : nil
        }
        narrator.detail("Deployment demo/web: \(DemoCluster.rollout(of: deployment)); inventory: \(kustomization.status?.inventory?.entries.count ?? 0) objects")
        _ = try await waitForNotification(sink, "the Alert's notification of \(revision)") {
            $0.kind == Kustomization.kind.kind && $0.reason == ConditionReason.reconciliationSucceeded.rawValue
                && $0.revision == revision
        }
    }

    /// Waits for the HelmRelease to be Ready at release revision `revision` (1: installed, then upgraded) and
    /// narrates the chart fetched, the release and what it made.
    private func showHelmRelease(_ cluster: DemoCluster, sink: NotificationSink, revision: Int, greeting: String,
                                 since start: (instant: ContinuousClock.Instant, event: String)) async throws
    {
        let action = revision == 1 ? "installs" : "upgrades"
        narrator.step("helm-controller \(action) the HelmRelease (chart \(DemoHelmChart.name) from gok's Helm repository)")
        if revision == 1 {
            let repository: HelmRepository = try await cluster.waitFor("HelmRepository/\(DemoApp.helmName) to be Ready", state: {
                "status: \((try? await cluster.helmRepository())?.status.map { "\($0)" } ?? "none")"
            }) { () async throws -> HelmRepository? in
                guard let object = try await cluster.helmRepository(), object.isReady, object.artifact != nil else { return nil }
                return object
            }
            narrator.detail("HelmRepository \(DemoCluster.fluxNamespace)/\(DemoApp.helmName): index.yaml fetched, revision \(repository.artifact?.revision.prefix(19) ?? "?")…")
        }
        let release: HelmRelease = try await cluster.waitFor("HelmRelease/\(DemoApp.helmName) to reach release revision \(revision)", timeout: .seconds(60), state: {
            "status: \((try? await cluster.helmRelease())?.status.map { "\($0)" } ?? "none")"
        }) { () async throws -> HelmRelease? in
            guard let object = try await cluster.helmRelease(), object.isReady,
                  object.status?.latestSnapshot?.version == revision else { return nil }
            return object
        }
        let elapsed = ContinuousClock.now - start.instant
        guard let snapshot = release.status?.latestSnapshot else { return }
        let verb = revision == 1 ? "installed" : "upgraded"
        narrator.detail("HelmRelease \(DemoCluster.fluxNamespace)/\(DemoApp.helmName) \(verb): chart \(snapshot.versionedChartName), release \(snapshot.namespace)/\(snapshot.name) revision \(snapshot.version) (\(snapshot.status)), \(DemoNarrator.seconds(elapsed)) after \(start.event)")
        let ready = release.conditions[.ready]
        narrator.detail("Ready=\(ready?.status.rawValue ?? "?") \(ready?.reason.rawValue ?? ""): \(ready?.message ?? "")")
        let helmConfigMap = "\(DemoApp.helmName)-greeting"
        let configMap: JSONValue = try await cluster.waitFor("ConfigMap \(helmConfigMap) with the release's greeting") {
            let object = try await cluster.configMap(named: helmConfigMap)
            return object?[path: "data", "greeting"]?.stringValue == greeting ? object : nil
        }
        let deployment: JSONValue = try await cluster.waitFor("Deployment \(DemoApp.helmName) to roll out 2 replicas") {
            let deployment = try await cluster.deployment(DemoApp.helmName)
            return DemoCluster.isRolledOut(deployment, replicas: 2) ? deployment : nil
        }
        narrator.detail("ConfigMap demo/\(helmConfigMap): greeting=\"\(configMap[path: "data", "greeting"]?.stringValue ?? "?")\"; Deployment demo/\(DemoApp.helmName): \(DemoCluster.rollout(of: deployment))")
        if revision == 1, sink.first(where: { $0.kind == HelmRelease.kind.kind && $0.reason == "ArtifactFailed" }) != nil {
            narrator.detail("(the ArtifactFailed notification before: helm-controller saw the HelmChart before source-controller had pulled the chart, and retried)")
        }
        let reason = revision == 1 ? ConditionReason.installSucceeded.rawValue : ConditionReason.upgradeSucceeded.rawValue
        _ = try await waitForNotification(sink, "the Alert's \(reason) notification") {
            $0.kind == HelmRelease.kind.kind && $0.reason == reason && $0.message.contains(".v\(revision) ")
        }
    }

    /// Waits for a notification at gok's webhook (they are narrated as they arrive; this only keeps the story in
    /// order). Fails when none arrives in ``notificationTimeout``.
    @discardableResult
    private func waitForNotification(_ sink: NotificationSink, _ what: String,
                                     _ matches: @escaping (NotificationSink.Notification) -> Bool) async throws
        -> NotificationSink.Notification
    {
        guard let found = try await DemoCluster.poll(timeout: Self.notificationTimeout, { sink.first(where: matches) }) else {
            let seen = sink.notifications.map { "\($0.object) \($0.reason)" }.joined(separator: ", ")
            throw DemoError("no notification at gok's webhook within \(Self.notificationTimeout): \(what) (received: \(seen.isEmpty ? "none" : seen))")
        }
        return found
    }

    /// The tally of what the Alert delivered to gok's webhook, by object and reason.
    private func showNotifications(_ sink: NotificationSink) {
        let notifications = sink.notifications
        narrator.step("Notifications received by gok's webhook through the Alert: \(notifications.count)")
        var counts: [String: Int] = [:]
        var order: [String] = []
        for notification in notifications {
            let key = "\(notification.object) \(notification.reason)"
            if counts[key] == nil { order.append(key) }
            counts[key, default: 0] += 1
        }
        for key in order {
            narrator.detail("\(counts[key] ?? 0) × \(key)")
        }
    }

    /// Deletes the ConfigMap and scales the Deployment by hand, then waits for the next interval reconcile to put
    /// both back.
    private func showDriftCorrected(_ cluster: DemoCluster, api: KubeClient, sink: NotificationSink) async throws {
        narrator.step("Drift by hand: delete the ConfigMap and scale the Deployment to 1, straight through the API")
        let marker = try await cluster.eventMarker()
        let key = ObjectKey(namespace: DemoApp.namespace, name: DemoApp.name)
        try await api.delete(DemoCluster.configMapKind, ObjectKey(namespace: DemoApp.namespace, name: DemoApp.configMapName),
                             options: DeleteOptions())
        _ = try await api.patch(DemoCluster.deploymentKind, key, patch: ["spec": ["replicas": 1]], type: .merge,
                                subresource: "scale", options: WriteOptions(fieldManager: "kubectl"))
        let drifted = ContinuousClock.now
        narrator.detail("DELETE the ConfigMap (as kubectl delete configmap web-config -n demo)     → ConfigMap \(try await cluster.configMap() == nil ? "gone" : "still there")")
        narrator.detail("PATCH deployments/web/scale (as kubectl scale deployment web --replicas=1) → spec.replicas=\(try await cluster.deployment()?[path: "spec", "replicas"]?.intValue ?? 0)")
        narrator.detail("no reconcile is requested: kustomize-controller re-applies at its next interval (spec.interval \(Self.kustomizationInterval))")

        narrator.step("kustomize-controller corrects the drift at its next interval")
        try await cluster.waitFor("the drift to be corrected (ConfigMap back, 3 replicas)", timeout: .seconds(30), state: {
            "ConfigMap \((try? await cluster.configMap()) == nil ? "absent" : "present"), Deployment \(DemoCluster.rollout(of: try? await cluster.deployment()))"
        }) { () async throws -> Bool? in
            let configMap = try await cluster.configMap()
            let replicas = try await cluster.deployment()?[path: "spec", "replicas"]?.intValue
            return configMap != nil && replicas == 3 ? true : nil
        }
        narrator.detail("corrected \(DemoNarrator.seconds(ContinuousClock.now - drifted)) after the drift; change set:")
        let changes: [DemoCluster.RecordedEvent] = try await cluster.waitFor("the drift correction's change-set event", timeout: .seconds(5)) {
            let events = try await cluster.events(about: Kustomization.kind.kind, after: marker)
                .filter { $0.reason == ConditionReason.progressing.rawValue }
            return events.isEmpty ? nil : events
        }
        for event in changes {
            narrator.detail(event.message.split(separator: "\n").map { "  \($0)" }.joined(separator: "\n"))
        }
        let deployment: JSONValue = try await cluster.waitFor("Deployment web to roll out 3 replicas again") {
            let deployment = try await cluster.deployment()
            return DemoCluster.isRolledOut(deployment, replicas: 3) ? deployment : nil
        }
        let greeting = try await cluster.configMap()?[path: "data", "PODINFO_UI_MESSAGE"]?.stringValue ?? "?"
        narrator.detail("Deployment demo/web: \(DemoCluster.rollout(of: deployment)); ConfigMap web-config: PODINFO_UI_MESSAGE=\"\(greeting)\"")
        _ = try await waitForNotification(sink, "the Alert's notification of the drift correction") {
            $0.kind == Kustomization.kind.kind && $0.reason == ConditionReason.progressing.rawValue
                && $0.message.contains("ConfigMap/\(DemoApp.namespace)/\(DemoApp.configMapName) created")
                && $0.message.contains("Deployment/\(DemoApp.namespace)/\(DemoApp.name) configured")
        }
    }

    // MARK: Manifests

    /// The generic Provider: notification-controller POSTs each event as JSON to gok's webhook.
    private func provider(address: String) -> JSONValue {
        ["apiVersion": "notification.toolkit.fluxcd.io/v1beta3", "kind": "Provider",
         "metadata": ["name": .string(Self.alertName), "namespace": .string(DemoCluster.fluxNamespace)],
         "spec": ["type": "generic", "address": .string(address)]]
    }

    /// The Alert: every info (and error) event of the Flux objects in `flux-system`, to the Provider.
    private func alert() -> JSONValue {
        ["apiVersion": "notification.toolkit.fluxcd.io/v1beta3", "kind": "Alert",
         "metadata": ["name": .string(Self.alertName), "namespace": .string(DemoCluster.fluxNamespace)],
         "spec": ["providerRef": ["name": .string(Self.alertName)], "eventSeverity": "info",
                  "eventSources": .array(Self.alertSources.map { ["kind": .string($0), "name": "*"] })]]
    }

    private func gitRepository(url: String) -> JSONValue {
        ["apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
         "metadata": ["name": .string(Self.name), "namespace": .string(DemoCluster.fluxNamespace)],
         "spec": ["url": .string(url), "interval": .string(Self.sourceInterval), "ref": ["branch": "main"]]]
    }

    private func kustomization() -> JSONValue {
        ["apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
         "metadata": ["name": .string(Self.name), "namespace": .string(DemoCluster.fluxNamespace)],
         "spec": ["sourceRef": ["kind": "GitRepository", "name": .string(Self.name)], "path": .string(DemoApp.path),
                  "interval": .string(Self.kustomizationInterval), "retryInterval": "2s", "timeout": "30s",
                  "prune": true, "wait": true]]
    }
}
