import Foundation
import GitOpsKit
@testable import KubeEmulator
import Testing

/// The real kubectl (v1.32) against the emulator over HTTPS with the written kubeconfig.
@Suite struct KubectlTests {
    func tools(_ name: String) async throws -> (RunningEmulator, ToolRunner, String) {
        let running = try await TestEmulators.tls.value
        let runner = try ToolRunner(endpoint: KubeEmulatorEndpointSnapshot(kubeconfig: running.endpoint.kubeconfig()), name: name)
        let namespace = TestEmulators.uniqueName(name)
        let created = try await runner.kubectl(["create", "namespace", namespace])
        guard created.succeeded else { throw TestFailure("kubectl create namespace: \(created.stderr)") }
        return (running, runner, namespace)
    }

    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: {app: web}
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: nginx
                image: nginx:1.27
                ports:
                - containerPort: 80
        """

    @Test func serverSideApplyTwiceAndGetYAML() async throws {
        let (_, runner, namespace) = try await tools("ssa")
        let first = try await runner.kubectl(["apply", "--server-side", "-n", namespace, "-f", "-"], stdin: Self.deployment)
        #expect(first.succeeded, "\(first.stderr)")
        #expect(first.stdout == "deployment.apps/web serverside-applied\n")
        let changed = Self.deployment.replacingOccurrences(of: "replicas: 2", with: "replicas: 4")
            .replacingOccurrences(of: "nginx:1.27", with: "nginx:1.28")
        let second = try await runner.kubectl(["apply", "--server-side", "-n", namespace, "-f", "-"], stdin: changed)
        #expect(second.succeeded, "\(second.stderr)")
        let yaml = try await runner.kubectl(["get", "deployment", "web", "-n", namespace, "-o", "yaml", "--show-managed-fields"])
        #expect(yaml.succeeded)
        #expect(yaml.stdout.contains("  replicas: 4\n"))
        #expect(yaml.stdout.contains("- image: nginx:1.28\n"))
        #expect(yaml.stdout.contains("  generation: 2\n"))
        #expect(yaml.stdout.contains("    manager: kubectl\n    operation: Apply\n"))
        #expect(yaml.stdout.contains("          f:replicas: {}") || yaml.stdout.contains("f:replicas: {}"))
        #expect(yaml.stdout.contains("imagePullPolicy: IfNotPresent"))

        let jsonPath = try await runner.kubectl(["get", "deployment", "web", "-n", namespace, "-o",
                                                 "jsonpath={.metadata.uid} {.spec.template.spec.containers[0].ports[0].protocol}"])
        let parts = jsonPath.stdout.split(separator: " ")
        #expect(parts.count == 2 && parts[0].count == 36 && parts[1] == "TCP")

        let scaled = try await runner.kubectl(["scale", "deployment", "web", "-n", namespace, "--replicas=1"])
        #expect(scaled.succeeded, "\(scaled.stderr)")
        let conflict = try await runner.kubectl(["apply", "--server-side", "-n", namespace, "-f", "-"], stdin: changed)
        #expect(!conflict.succeeded)
        #expect(conflict.stderr.contains("Apply failed with 1 conflict: conflict with \"kubectl\" with subresource \"scale\" using apps/v1: .spec.replicas"))
        let forced = try await runner.kubectl(["apply", "--server-side", "--force-conflicts", "-n", namespace, "-f", "-"], stdin: changed)
        #expect(forced.succeeded)

        let canI = try await runner.kubectl(["auth", "can-i", "delete", "deployments", "-n", namespace])
        #expect(canI.stdout == "yes\n", "\(canI.stderr)")

        let rollout = try await runner.kubectl(["rollout", "status", "deployment/web", "-n", namespace, "--timeout=20s"])
        #expect(rollout.succeeded, "\(rollout.stderr)")
        #expect(rollout.stdout.contains("deployment \"web\" successfully rolled out"))
    }

    @Test func clientSideApplyCreateAndGetTable() async throws {
        let (_, runner, namespace) = try await tools("csa")
        let applied = try await runner.kubectl(["apply", "-n", namespace, "-f", "-"], stdin: Self.deployment)
        #expect(applied.stdout == "deployment.apps/web created\n")
        let again = try await runner.kubectl(["apply", "-n", namespace, "-f", "-"],
                                             stdin: Self.deployment.replacingOccurrences(of: "replicas: 2", with: "replicas: 3"))
        #expect(again.stdout == "deployment.apps/web configured\n", "\(again.stderr)")
        let created = try await runner.kubectl(["create", "configmap", "settings", "-n", namespace, "--from-literal=mode=fast"])
        #expect(created.stdout == "configmap/settings created\n", "\(created.stderr)")
        let secret = try await runner.kubectl(["create", "secret", "generic", "token", "-n", namespace, "--from-literal=t=abc"])
        #expect(secret.succeeded, "\(secret.stderr)")
        let table = try await runner.kubectl(["get", "configmaps,secrets", "-n", namespace])
        let lines = table.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(lines.contains(["NAME", "DATA", "AGE"]))
        #expect(lines.contains { $0.first == "configmap/settings" && $0.count == 3 && $0[1] == "1" })
        #expect(lines.contains { $0.first == "secret/token" && $0[1] == "Opaque" && $0[2] == "1" })
        let decoded = try await runner.kubectl(["get", "secret", "token", "-n", namespace, "-o", "jsonpath={.data.t}"])
        #expect(decoded.stdout == "YWJj")
    }

    @Test func watchSeesAChangeMadeByAnotherClient() async throws {
        let (running, runner, namespace) = try await tools("watch")
        let client = try await TestEmulators.plainClientFor(running)
        #expect(try await client.create(namespace: namespace, name: "first"))
        let watcher = try runner.startKubectl(["get", "configmaps", "-n", namespace, "--watch", "--output-watch-events"])
        defer { watcher.terminate() }
        let listed = await watcher.waitForOutput(timeout: .seconds(15)) { $0.contains("ADDED") && $0.contains("first") }
        #expect(listed, "watch output: \(watcher.output()) \(watcher.errors())")
        let header = watcher.output().split(separator: "\n").first.map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        #expect(header == ["EVENT", "NAME", "DATA", "AGE"])
        let created = try await client.create(namespace: namespace, name: "seen")
        #expect(created)
        let sawAdd = await watcher.waitForOutput(timeout: .seconds(15)) { $0.contains("ADDED") && $0.contains("seen") }
        #expect(sawAdd, "watch output: \(watcher.output()) \(watcher.errors())")
        let patched = try await runner.kubectl(["patch", "configmap", "seen", "-n", namespace, "-p", "{\"data\":{\"b\":\"2\"}}"])
        #expect(patched.succeeded)
        let sawModify = await watcher.waitForOutput(timeout: .seconds(15)) { output in
            output.split(separator: "\n").contains { $0.hasPrefix("MODIFIED") && $0.contains("seen") && $0.contains(" 2 ") }
        }
        #expect(sawModify, "watch output: \(watcher.output())")
    }

    @Test func deleteWaitsForFinalizerRemoval() async throws {
        let (_, runner, namespace) = try await tools("finalizer")
        let manifest = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: guarded
              finalizers: [example.com/guard]
            data: {a: "1"}
            """
        #expect(try await runner.kubectl(["apply", "-n", namespace, "-f", "-"], stdin: manifest).succeeded)
        let deletion = try runner.startKubectl(["delete", "configmap", "guarded", "-n", namespace, "--timeout=30s"])
        defer { deletion.terminate() }
        let printed = await deletion.waitForOutput(timeout: .seconds(15)) { $0.contains("configmap \"guarded\" deleted") }
        #expect(printed)
        try await Task.sleep(for: .milliseconds(500))
        #expect(deletion.isRunning, "kubectl delete returned before the finalizer was removed")
        let pending = try await runner.kubectl(["get", "configmap", "guarded", "-n", namespace, "-o", "jsonpath={.metadata.deletionTimestamp}"])
        #expect(pending.stdout.hasSuffix("Z"))
        let released = try await runner.kubectl(["patch", "configmap", "guarded", "-n", namespace, "--type=merge",
                                                 "-p", "{\"metadata\":{\"finalizers\":null}}"])
        #expect(released.succeeded)
        let finished = await deletion.wait(timeout: .seconds(15))
        #expect(finished)
        #expect(deletion.result().status == 0)
        let gone = try await runner.kubectl(["get", "configmap", "guarded", "-n", namespace])
        #expect(gone.stderr.contains("configmaps \"guarded\" not found"))
    }

    static let crd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: gadgets.emulator.test
        spec:
          group: emulator.test
          names: {kind: Gadget, plural: gadgets, singular: gadget, shortNames: [gd]}
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            additionalPrinterColumns:
            - {name: Size, type: integer, jsonPath: .spec.size}
            - {name: Ready, type: string, jsonPath: '.status.conditions[?(@.type=="Ready")].status'}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      size: {type: integer, default: 1}
                      mode: {type: string, enum: [fast, slow]}
                  status:
                    type: object
                    properties:
                      conditions:
                        type: array
                        items:
                          type: object
                          properties:
                            type: {type: string}
                            status: {type: string}
        """

    @Test func customResourceDefinitionsAndCustomResources() async throws {
        let (_, runner, namespace) = try await tools("crd")
        let applied = try await runner.kubectl(["apply", "--server-side", "-f", "-"], stdin: Self.crd)
        #expect(applied.succeeded, "\(applied.stderr)")
        let established = try await runner.kubectl(["wait", "--for=condition=Established", "crd/gadgets.emulator.test", "--timeout=20s"])
        #expect(established.succeeded, "\(established.stderr)")
        let resource = """
            apiVersion: emulator.test/v1
            kind: Gadget
            metadata: {name: g1}
            spec: {size: 3, mode: fast, color: red}
            status: {conditions: [{type: Ready, status: "True"}]}
            """
        let strict = try await runner.kubectl(["apply", "--server-side", "-n", namespace, "-f", "-"], stdin: resource)
        #expect(!strict.succeeded)
        #expect(strict.stderr.contains("strict decoding error: unknown field \"spec.color\""))
        let created = try await runner.kubectl(["apply", "--server-side", "--validate=false", "-n", namespace, "-f", "-"], stdin: resource)
        #expect(created.stdout == "gadget.emulator.test/g1 serverside-applied\n", "\(created.stderr)")
        let spec = try await runner.kubectl(["get", "gadget", "g1", "-n", namespace, "-o", "jsonpath={.spec}|{.status}"])
        #expect(spec.stdout == "{\"mode\":\"fast\",\"size\":3}|")

        let status = try await runner.kubectl(["patch", "gadget", "g1", "-n", namespace, "--subresource=status", "--type=merge",
                                               "-p", "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}"])
        #expect(status.stdout == "gadget.emulator.test/g1 patched\n", "\(status.stderr)")
        let table = try await runner.kubectl(["get", "gd", "-n", namespace])
        let rows = table.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.first == ["NAME", "SIZE", "READY"])
        #expect(rows.dropFirst().first == ["g1", "3", "True"])

        let invalid = try await runner.kubectl(["apply", "-n", namespace, "-f", "-"],
                                               stdin: resource.replacingOccurrences(of: "mode: fast, color: red", with: "mode: warp"))
        #expect(!invalid.succeeded)
        #expect(invalid.stderr.contains("spec.mode: Unsupported value: \"warp\": supported values: \"fast\", \"slow\""))

        let deleted = try await runner.kubectl(["delete", "crd", "gadgets.emulator.test", "--timeout=30s"])
        #expect(deleted.succeeded, "\(deleted.stderr)")
        let afterwards = try await runner.kubectl(["get", "gadgets", "-n", namespace])
        #expect(!afterwards.succeeded)
        #expect(afterwards.stderr.contains("the server doesn't have a resource type \"gadgets\"")
                || afterwards.stderr.contains("Unable to list \"emulator.test/v1, Resource=gadgets\": the server could not find the requested resource"),
                "\(afterwards.stderr)")
    }
}

extension TestEmulators {
    /// A client for the TLS emulator that talks to its API layer in-process (URLSession cannot trust a
    /// per-test CA on Linux), so a change comes from "another client" than the kubectl under test.
    static func plainClientFor(_ running: RunningEmulator) async throws -> InProcessClient {
        InProcessClient(server: running.emulator.api)
    }
}

/// Writes through the API layer directly.
struct InProcessClient: Sendable {
    let server: APIServer

    func create(namespace: String, name: String) async throws -> Bool {
        guard let type = server.registry.lookup(group: "", version: "v1", resource: "configmaps") else { return false }
        let result = try server.create(type, namespace: namespace, body: APISemanticsTests.configMap(name),
                                       request: WriteContext(fieldManager: "test", userAgentManager: "test"))
        return result.created
    }
}
