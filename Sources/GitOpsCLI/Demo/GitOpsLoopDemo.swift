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
    static let name = "web"

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
        narrator.step("Install the CRDs of source.toolkit.fluxcd.io and kustomize.toolkit.fluxcd.io")
        var started = ContinuousClock.now
        let crds = try await api.installCRDs(
            from: installation.crdDirectory, groups: ["source.toolkit.fluxcd.io", "kustomize.toolkit.fluxcd.io"],
            fieldManager: "gok-demo")
        _ = try await api.apply(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(DemoCluster.fluxNamespace)]],
                                fieldManager: "gok-demo")
        narrator.detail("\(crds.map(\.kind).joined(separator: ", ")) established in \(DemoNarrator.seconds(ContinuousClock.now - started)); namespace \(DemoCluster.fluxNamespace) created")

        // 3. Controllers.
        narrator.step("Start source-controller and kustomize-controller (the real binaries, as child processes)")
        try await startControllers(kubeconfig: kubeconfigPath)

        // 4. Git.
        narrator.step("Create a Git repository holding the app: a base (ConfigMap, Deployment, Service) and a demo overlay")
        let repository = try await DemoGitRepository.create(in: environment.scratch + "/git")
        var commit = try await repository.commit(DemoApp.files(replicas: 2, greeting: "hello from GitOpsKit"),
                                                 message: "Deploy web")
        narrator.detail("\(repository.url) (a bare repository; the demo commits in \(repository.work) and pushes)")
        narrator.detail("commit \(commit.prefix(7)) \"Deploy web\": apps/web/base/{configmap,deployment,service}.yaml,")
        narrator.detail("  apps/web/overlays/demo/{kustomization,namespace,replicas}.yaml (namespace demo, 2 replicas)")

        // 5. The two Flux objects.
        narrator.step("Apply a GitRepository and a Kustomization (\(DemoCluster.fluxNamespace)/\(Self.name)), as `flux create` would")
        _ = try await api.apply(gitRepository(url: repository.url), fieldManager: "gok-demo")
        _ = try await api.apply(kustomization(), fieldManager: "gok-demo")
        narrator.detail("GitRepository: \(repository.url), branch main, polled every \(Self.sourceInterval)")
        narrator.detail("Kustomization: path \(DemoApp.path), prune, wait (health checks), re-applied every \(Self.kustomizationInterval)")

        // 6–7. First revision.
        started = ContinuousClock.now
        var revision = try await showSourceFetched(cluster, commit: commit, since: (started, "the GitRepository was created"),
                                                   marker: 0)
        try await showApplied(cluster, revision: revision, replicas: 2, since: (started, "the GitRepository was created"),
                              marker: 0)

        // 8. A commit.
        narrator.step("Commit a change: scale web to 3 replicas and change its ConfigMap, then push")
        var marker = try await cluster.eventMarker()
        started = ContinuousClock.now
        commit = try await repository.commit(DemoApp.change(replicas: 3, greeting: "hello again, from the second commit"),
                                             message: "Scale web to 3 and change its greeting")
        narrator.detail("commit \(commit.prefix(7)) \"Scale web to 3 and change its greeting\" (overlays/demo/replicas.yaml, base/configmap.yaml)")
        narrator.detail("nothing is told about it: source-controller finds it at its next poll (every \(Self.sourceInterval))")
        revision = try await showSourceFetched(cluster, commit: commit, since: (started, "the push"), marker: marker)
        try await showApplied(cluster, revision: revision, replicas: 3, since: (started, "the push"), marker: marker)
        let greeting = try await cluster.configMap()?[path: "data", "PODINFO_UI_MESSAGE"]?.stringValue ?? "?"
        narrator.detail("ConfigMap web-config: PODINFO_UI_MESSAGE=\"\(greeting)\"")

        // 9. Drift.
        try await showDriftCorrected(cluster, api: api)
    }

    // MARK: Steps

    private func startControllers(kubeconfig: String) async throws {
        let common = ["--kubeconfig", kubeconfig, "--metrics-addr", "0", "--log-level", "info",
                      "--min-retry-delay", "250ms", "--max-retry-delay", "5s"]
        var started: [(ChildProcess, Int, ContinuousClock.Instant)] = []
        for name in DemoInstallation.controllers {
            guard let executable = installation.executables[name] else { continue }
            let healthPort = try DemoEnvironment.freePort()
            var arguments = common + ["--health-addr", "127.0.0.1:\(healthPort)"]
            if name == "source-controller" {
                arguments += ["--storage-path", environment.scratch + "/artifacts", "--storage-addr", "127.0.0.1:0"]
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
            narrator.detail("\(child.name.padding(toLength: 21, withPad: " ", startingAt: 0)) pid \(child.pid), ready in \(DemoNarrator.seconds(ContinuousClock.now - start)) (log \(child.logPath))")
        }
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

    /// Waits for the Kustomization to apply `revision` and the Deployment to roll out, and narrates the change set.
    private func showApplied(_ cluster: DemoCluster, revision: String, replicas: Int64,
                             since start: (instant: ContinuousClock.Instant, event: String), marker: Int) async throws
    {
        narrator.step("kustomize-controller builds the overlay and applies it (server-side apply, then health checks)")
        let kustomization: Kustomization = try await cluster.waitFor("Kustomization/\(Self.name) to apply \(revision)", state: {
            "status: \((try? await cluster.kustomization())?.status.map { "\($0)" } ?? "none")"
        }) { () async throws -> Kustomization? in
            guard let object = try await cluster.kustomization(), object.isReady,
                  object.status?.lastAppliedRevision == revision else { return nil }
            return object
        }
        let elapsed = ContinuousClock.now - start.instant
        let changes = try await cluster.events(about: Kustomization.kind.kind, after: marker)
            .filter { $0.reason == ConditionReason.progressing.rawValue }
        narrator.detail("change set:")
        for event in changes {
            narrator.detail(event.message.split(separator: "\n").map { "  \($0)" }.joined(separator: "\n"))
        }
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
    }

    /// Deletes the ConfigMap and scales the Deployment by hand, then waits for the next interval reconcile to put
    /// both back.
    private func showDriftCorrected(_ cluster: DemoCluster, api: KubeClient) async throws {
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
    }

    // MARK: Manifests

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
