import Foundation
import GitOpsKit
import GitOpsTestSupport
import Testing

/// The whole GitOps loop with real processes — the `kube-emulator`, `source-controller` and `kustomize-controller`
/// binaries and Git repositories served over smart HTTP — started once and shared by independent scenarios that run
/// side by side, each in its own namespaces and repository, with `kubectl` as the observer and the hand that drifts:
///
/// - **overlays**: a base with `dev` and `prod` overlays deploys; a commit that scales the Deployment, adds a ConfigMap
///   and removes another is applied and pruned in one reconcile; `git revert` rolls it back; bad commits (invalid
///   YAML, an object the server rejects, an unknown kind, a missing path) leave `Ready=False` with a precise reason
///   and prune nothing; a good tree recovers;
/// - **drift**: `kubectl scale`, `kubectl delete configmap` and `kubectl label` are undone at the next interval,
///   while a Deployment whose `/spec/replicas` is in `spec.ignore` keeps its hand-set replica count;
/// - **dependsOn**: `apps` waits for `infrastructure`, whose path holds a CRD and a custom resource applied in one
///   reconcile;
/// - **health**: a Deployment that never becomes ready fails the Kustomization with `HealthCheckFailed`;
/// - **postBuild**: variables from a ConfigMap and a Secret are substituted; an undefined one fails the build in
///   strict mode, naming it.
@Suite(.serialized)
struct KustomizeEndToEndTests {
    @Test func gitOpsLoop() async throws {
        let fixture = try await KustomizeEndToEndFixture.start()
        defer { fixture.stop() }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await fixture.scenario("overlays") { try await Self.overlays(fixture) } }
            group.addTask { await fixture.scenario("drift") { try await Self.drift(fixture) } }
            group.addTask { await fixture.scenario("dependsOn") { try await Self.dependencies(fixture) } }
            group.addTask { await fixture.scenario("health") { try await Self.health(fixture) } }
            group.addTask { await fixture.scenario("postBuild") { try await Self.postBuild(fixture) } }
        }
    }

    @Test func kustomizeControllerFlags() async throws {
        let directory = try TemporaryDirectory()
        let help = try ControllerProcessRunner(binary: try executable("kustomize-controller"), arguments: ["--help"],
                                               directory: directory)
        #expect(try await help.waitForExit(timeout: .seconds(20)) == 0)
        for flag in ["--default-service-account", "--override-manager", "--watch-configs-label-selector"] {
            #expect(help.log().contains(flag), "\(flag) missing from --help")
        }
        let bad = try ControllerProcessRunner(binary: try executable("kustomize-controller"),
                                              arguments: ["--watch-configs-label-selector", "a in b"], directory: directory)
        #expect(try await bad.waitForExit(timeout: .seconds(20)) != 0)
        #expect(bad.log().contains("--watch-configs-label-selector"), "\(bad.log())")
    }

    // MARK: Overlays, prune, revert, bad input

    static func overlays(_ fixture: KustomizeEndToEndFixture) async throws {
        let ns = "e2e-ks"
        try await fixture.createNamespaces([ns, "e2e-dev", "e2e-prod"])
        let repository = try fixture.repository("fleet")
        var head = try repository.commit(Self.base(replicas: 1, configMaps: ["settings"]), message: "Deploy web")
        try await fixture.createGitRepository("fleet", namespace: ns)
        for overlay in ["dev", "prod"] {
            try await fixture.createKustomization(overlay, namespace: ns, spec: [
                "sourceRef": ["kind": "GitRepository", "name": "fleet"], "path": .string("./overlays/\(overlay)"), "prune": true,
                "interval": "10m", "retryInterval": "1s", "targetNamespace": .string("e2e-\(overlay)"),
            ])
        }
        func ready(_ name: String = "dev", for commit: String, _ what: String) async throws -> KustomizeEndToEndFixture.Ready {
            try await fixture.ready(name, namespace: ns, revision: "main@sha1:\(commit)", what)
        }
        func dev(_ arguments: [String]) throws -> String { try fixture.kubectl(arguments, namespace: "e2e-dev") }

        var outcome = try await ready(for: head, "first deploy")
        #expect(outcome.status == "True" && outcome.reason == "ReconciliationSucceeded", "\(outcome)\n\(fixture.logs())")
        #expect(outcome.message == "Applied revision: main@sha1:\(head)")
        #expect(try await ready("prod", for: head, "first prod deploy").status == "True")
        #expect(try dev(["get", "deployment", "dev-web", "-o", "jsonpath={.spec.replicas}"]) == "1")
        #expect(try fixture.kubectl(["get", "deployment", "prod-web", "-o", "jsonpath={.spec.replicas}"], namespace: "e2e-prod") == "2")
        #expect(try fixture.names("configmaps", namespace: "e2e-dev").contains("dev-settings"))

        // Scale, add one ConfigMap, remove the other: applied and pruned in one reconcile (one change-set event).
        try FileManager.default.removeItem(atPath: repository.work + "/base/settings.yaml")
        head = try repository.commit(Self.base(replicas: 3, configMaps: ["flags"]), message: "Scale and swap config")
        outcome = try await ready(for: head, "scale and swap")
        #expect(outcome.status == "True", "\(outcome)\n\(fixture.logs())")
        #expect(try dev(["get", "deployment", "dev-web", "-o", "jsonpath={.spec.replicas}"]) == "3")
        var names = try fixture.names("configmaps", namespace: "e2e-dev")
        #expect(names.contains("dev-flags") && !names.contains("dev-settings"), "\(names)")
        let changeSets = try await fixture.api.eventMessages(about: "dev", kind: "Kustomization", namespace: ns)["Progressing"] ?? []
        #expect(changeSets.contains {
            $0.contains("ConfigMap/e2e-dev/dev-flags created") && $0.contains("Deployment/e2e-dev/dev-web configured")
                && $0.contains("ConfigMap/e2e-dev/dev-settings deleted")
        }, "\(changeSets)")
        let labels = try dev(["get", "configmap", "dev-flags", "-o", "jsonpath={.metadata.labels}"])
        #expect(labels.contains("\"kustomize.toolkit.fluxcd.io/name\":\"dev\""), "\(labels)")
        #expect(try fixture.kubectl(["get", "deployment", "prod-web", "-o", "jsonpath={.spec.replicas}"], namespace: "e2e-prod") == "2")

        // `git revert` of that commit rolls the cluster back.
        head = try repository.revert("HEAD")
        let reverted = head
        outcome = try await ready(for: head, "revert")
        #expect(outcome.status == "True", "\(outcome)\n\(fixture.logs())")
        #expect(try dev(["get", "deployment", "dev-web", "-o", "jsonpath={.spec.replicas}"]) == "1")
        names = try fixture.names("configmaps", namespace: "e2e-dev")
        #expect(names.contains("dev-settings") && !names.contains("dev-flags"), "\(names)")

        // Bad commits: each fails with its reason and prunes nothing (each also drops `settings`).
        let bad: [(files: [String: String], reason: String, message: String)] = [
            (["base/settings.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n data: [\n"], "BuildFailed",
             "kustomize build failed"),
            (["base/settings.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Settings_Invalid\n"], "ReconciliationFailed",
             "dry-run failed (Invalid)"),
            (["base/settings.yaml": "apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: settings\n"], "ReconciliationFailed",
             "no matches for kind \"Gadget\""),
        ]
        for (index, change) in bad.enumerated() {
            head = try repository.commit(change.files, message: "Bad commit \(index)")
            outcome = try await ready(for: head, change.reason)
            #expect(outcome.status == "False" && outcome.reason == change.reason, "\(outcome)")
            #expect(outcome.message.contains(change.message), "\(outcome.message)")
            names = try fixture.names("configmaps", namespace: "e2e-dev")
            #expect(names.contains("dev-settings"), "a failed reconcile pruned dev-settings: \(names)")
        }
        // A missing path: the overlay directory is gone.
        try FileManager.default.removeItem(atPath: repository.work + "/overlays")
        head = try repository.commit(["notes.md": "moved\n"], message: "Remove the overlays")
        outcome = try await ready(for: head, "missing path")
        #expect(outcome.status == "False" && outcome.reason == "ArtifactFailed", "\(outcome)")
        #expect(outcome.message == "kustomization path not found: ./overlays/dev", "\(outcome.message)")
        #expect(try fixture.names("configmaps", namespace: "e2e-dev").contains("dev-settings"))
        #expect(try dev(["get", "deployment", "dev-web", "-o", "jsonpath={.spec.replicas}"]) == "1")

        // Back to the good tree: recovered.
        try GitTestSupport.git(["checkout", reverted, "--", "."], in: repository.work)
        try? FileManager.default.removeItem(atPath: repository.work + "/notes.md")
        head = try repository.commit([:], message: "Back to the good tree")
        outcome = try await ready(for: head, "recovery")
        #expect(outcome.status == "True", "\(outcome)\n\(fixture.logs())")
        let ks = try await fixture.api.get(Kustomization.kind, ObjectKey(namespace: ns, name: "dev"))
        let inventory = (ks[path: "status", "inventory", "entries"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
        #expect(inventory == ["e2e-dev_dev-settings__ConfigMap", "e2e-dev_dev-web__Service", "e2e-dev_dev-web_apps_Deployment"])
    }

    static func base(replicas: Int, configMaps: [String]) -> [String: String] {
        var files: [String: String] = [
            "base/kustomization.yaml": "resources:\n" + (configMaps.map { "- \($0).yaml\n" } + ["- web.yaml\n"]).joined(),
            "base/web.yaml": deployment("web", replicas: replicas) + "---\n" + """
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                spec:
                  selector: {app: web}
                  ports:
                  - port: 80

                """,
            "overlays/dev/kustomization.yaml": "resources:\n- ../../base\nnamePrefix: dev-\n",
            "overlays/prod/kustomization.yaml": """
                resources:
                - ../../base
                namePrefix: prod-
                patches:
                - target:
                    kind: Deployment
                    name: web
                  patch: |-
                    - op: replace
                      path: /spec/replicas
                      value: 2

                """,
        ]
        for name in configMaps {
            files["base/\(name).yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \(name)\ndata:\n  source: \(name)\n"
        }
        return files
    }

    static func deployment(_ name: String, replicas: Int, metadata: String = "") -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: \(name)
        \(metadata)spec:
          replicas: \(replicas)
          selector:
            matchLabels: {app: \(name)}
          template:
            metadata:
              labels: {app: \(name)}
            spec:
              containers:
              - name: web
                image: nginx:1.27

        """
    }

    // MARK: Drift by kubectl

    static func drift(_ fixture: KustomizeEndToEndFixture) async throws {
        let ns = "e2e-drift"
        try await fixture.createNamespaces([ns])
        let repository = try fixture.repository("drift")
        let head = try repository.commit([
            "app/web.yaml": deployment("web", replicas: 2),
            "app/autoscaled.yaml": deployment("autoscaled", replicas: 2, metadata: "  labels:\n    autoscaled: \"true\"\n"),
            "app/settings.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: strict\n",
        ], message: "App with an autoscaled Deployment")
        try await fixture.createGitRepository("drift", namespace: ns)
        try await fixture.createKustomization("drift", namespace: ns, spec: [
            "sourceRef": ["kind": "GitRepository", "name": "drift"], "path": "./app", "prune": true, "interval": "2s",
            "targetNamespace": .string(ns),
            "ignore": [["paths": ["/spec/replicas"], "target": ["kind": "Deployment", "labelSelector": "autoscaled=true"]]],
        ])
        let outcome = try await fixture.ready("drift", namespace: ns, revision: "main@sha1:\(head)", "drift app deployed")
        #expect(outcome.status == "True", "\(outcome)\n\(fixture.logs())")

        for command in [["scale", "deployment", "web", "--replicas=5"], ["scale", "deployment", "autoscaled", "--replicas=4"],
                        ["delete", "configmap", "settings"], ["label", "deployment", "web", "hand-made=true"]] {
            _ = try fixture.kubectl(command, namespace: ns)
        }
        func replicas(_ name: String) throws -> String {
            try fixture.kubectl(["get", "deployment", name, "-o", "jsonpath={.spec.replicas}"], namespace: ns)
        }
        let corrected = try await eventually(timeout: .seconds(20)) {
            let labels = try fixture.kubectl(["get", "deployment", "web", "-o", "jsonpath={.metadata.labels}"], namespace: ns)
            return try replicas("web") == "2" && fixture.names("configmaps", namespace: ns).contains("settings")
                && !labels.contains("hand-made")
        }
        #expect(corrected, "kubectl drift was not corrected\n\(fixture.logs())")
        // The ignored field survived that interval and the next one.
        #expect(try replicas("autoscaled") == "4")
        try await Task.sleep(for: .milliseconds(2500))
        #expect(try replicas("autoscaled") == "4")
        #expect(try replicas("web") == "2")
    }

    // MARK: dependsOn, CRDs with custom resources

    static func dependencies(_ fixture: KustomizeEndToEndFixture) async throws {
        let ns = "e2e-deps"
        try await fixture.createNamespaces([ns])
        let repository = try fixture.repository("deps")
        let group = "e2e.gitopskit.io"
        let crd = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: widgets.\(group)
            spec:
              group: \(group)
              scope: Namespaced
              names: {plural: widgets, singular: widget, kind: Widget, listKind: WidgetList}
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    x-kubernetes-preserve-unknown-fields: true

            """
        func widget(_ name: String) -> String { "apiVersion: \(group)/v1\nkind: Widget\nmetadata:\n  name: \(name)\nspec:\n  size: 3\n" }
        let head = try repository.commit([
            "infrastructure/crd.yaml": crd, "infrastructure/platform.yaml": widget("platform"),
            "apps/app.yaml": widget("app"),
        ], message: "Infrastructure and apps")
        try await fixture.createGitRepository("deps", namespace: ns)
        func kustomization(_ name: String, dependsOn: [String]) -> JSONValue {
            ["sourceRef": ["kind": "GitRepository", "name": "deps"], "path": .string("./\(name)"), "prune": true, "interval": "10m",
             "retryInterval": "1s", "targetNamespace": .string(ns), "dependsOn": .array(dependsOn.map { ["name": .string($0)] })]
        }
        try await fixture.createKustomization("apps", namespace: ns, spec: kustomization("apps", dependsOn: ["infrastructure"]))
        let waiting = try await fixture.waitForCondition("apps", namespace: ns, "apps waiting") { $0.reason == "DependencyNotReady" }
        #expect(waiting.message.contains("dependency '\(ns)/infrastructure' is not ready"), "\(waiting)")

        try await fixture.createKustomization("infrastructure", namespace: ns, spec: kustomization("infrastructure", dependsOn: []))
        let infrastructure = try await fixture.ready("infrastructure", namespace: ns, revision: "main@sha1:\(head)", "infrastructure")
        #expect(infrastructure.status == "True", "\(infrastructure)\n\(fixture.logs())")
        let changeSets = try await fixture.api.eventMessages(about: "infrastructure", kind: "Kustomization", namespace: ns)["Progressing"] ?? []
        #expect(changeSets.contains {
            $0.contains("CustomResourceDefinition/widgets.\(group) created") && $0.contains("Widget/\(ns)/platform created")
        }, "CRD and custom resource not applied in one reconcile: \(changeSets)")
        let apps = try await fixture.waitForCondition("apps", namespace: ns, "apps after infrastructure") { $0.status == "True" }
        #expect(apps.reason == "ReconciliationSucceeded")
        #expect(try fixture.names("widgets.\(group)", namespace: ns) == ["app", "platform"])
    }

    // MARK: Health checks

    static func health(_ fixture: KustomizeEndToEndFixture) async throws {
        let ns = "e2e-health"
        try await fixture.createNamespaces([ns])
        let repository = try fixture.repository("health")
        let head = try repository.commit([
            "app/web.yaml": deployment("never-ready", replicas: 1, metadata: "  annotations:\n    emulator.gitopskit.io/fail: \"true\"\n"),
        ], message: "A Deployment that never becomes ready")
        try await fixture.createGitRepository("health", namespace: ns)
        try await fixture.createKustomization("health", namespace: ns, spec: [
            "sourceRef": ["kind": "GitRepository", "name": "health"], "path": "./app", "prune": true, "interval": "10m",
            "targetNamespace": .string(ns), "wait": true,
        ])
        let outcome = try await fixture.ready("health", namespace: ns, revision: "main@sha1:\(head)", "health check")
        #expect(outcome.status == "False" && outcome.reason == "HealthCheckFailed", "\(outcome)\n\(fixture.logs())")
        #expect(outcome.message.contains("[Deployment/\(ns)/never-ready status: 'Failed']"), "\(outcome.message)")
        #expect(try fixture.names("deployments", namespace: ns) == ["never-ready"])
    }

    // MARK: postBuild

    static func postBuild(_ fixture: KustomizeEndToEndFixture) async throws {
        let ns = "e2e-vars"
        try await fixture.createNamespaces([ns])
        _ = try fixture.kubectl(["create", "configmap", "cluster-vars", "--from-literal=cluster_env=staging"], namespace: ns)
        _ = try fixture.kubectl(["create", "secret", "generic", "cluster-secrets", "--from-literal=api_token=s3cr3t"], namespace: ns)
        let repository = try fixture.repository("vars")
        let settings = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  env: ${cluster_env}\n  token: ${api_token}\n  region: ${region:=eu-1}\n"
        var head = try repository.commit(["app/settings.yaml": settings], message: "Settings with variables")
        try await fixture.createGitRepository("vars", namespace: ns)
        try await fixture.createKustomization("vars", namespace: ns, spec: [
            "sourceRef": ["kind": "GitRepository", "name": "vars"], "path": "./app", "prune": true, "interval": "10m",
            "retryInterval": "1s", "targetNamespace": .string(ns),
            "postBuild": ["substituteFrom": [["kind": "ConfigMap", "name": "cluster-vars"], ["kind": "Secret", "name": "cluster-secrets"]]],
        ])
        var outcome = try await fixture.ready("vars", namespace: ns, revision: "main@sha1:\(head)", "substitution")
        #expect(outcome.status == "True", "\(outcome)\n\(fixture.logs())")
        #expect(try fixture.kubectl(["get", "configmap", "settings", "-o", "jsonpath={.data.env} {.data.token} {.data.region}"],
                                    namespace: ns) == "staging s3cr3t eu-1")

        head = try repository.commit(["app/settings.yaml": settings + "  missing: ${undefined_var}\n"], message: "An undefined variable")
        outcome = try await fixture.ready("vars", namespace: ns, revision: "main@sha1:\(head)", "strict substitution")
        #expect(outcome.status == "False" && outcome.reason == "BuildFailed", "\(outcome)")
        #expect(outcome.message.contains("variable not set (strict mode): \"undefined_var\""), "\(outcome.message)")
        #expect(try fixture.names("configmaps", namespace: ns).contains("settings"))
    }
}
