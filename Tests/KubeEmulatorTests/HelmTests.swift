import Foundation
import GitOpsKit
@testable import KubeEmulator
import Testing

/// The real helm (v3.17) against the emulator: create, install (with --wait), list, upgrade, uninstall.
@Suite struct HelmTests {
    @Test func installListUpgradeUninstall() async throws {
        let running = try await TestEmulators.tls.value
        let runner = try ToolRunner(endpoint: KubeEmulatorEndpointSnapshot(kubeconfig: running.endpoint.kubeconfig()), name: "helm")
        let namespace = TestEmulators.uniqueName("helm")
        let chart = runner.directory.appendingPathComponent("demo").path
        let created = try await runner.helm(["create", chart])
        #expect(created.succeeded, "\(created.stderr)")

        let install = try await runner.helm(["install", "demo", chart, "-n", namespace, "--create-namespace", "--wait", "--timeout", "60s"])
        #expect(install.succeeded, "\(install.stderr)")
        #expect(install.stdout.contains("STATUS: deployed"))

        let list = try await runner.helm(["list", "-n", namespace])
        let rows = list.stdout.split(separator: "\n").map { $0.split(separator: "\t").map { $0.trimmingCharacters(in: .whitespaces) } }
        #expect(rows.count == 2)
        #expect(rows.last?.first == "demo")
        #expect(rows.last?.contains("deployed") == true)
        #expect(rows.last?.contains("demo-0.1.0") == true)

        let objects = try await runner.kubectl(["get", "deployments,services,serviceaccounts,secrets", "-n", namespace, "-o", "name"])
        let names = Set(objects.stdout.split(separator: "\n").map(String.init))
        #expect(names.isSuperset(of: ["deployment.apps/demo", "service/demo", "serviceaccount/demo", "secret/sh.helm.release.v1.demo.v1"]))

        let test = try await runner.helm(["test", "demo", "-n", namespace, "--timeout", "60s"])
        #expect(test.succeeded, "\(test.stderr)")
        #expect(test.stdout.contains("TEST SUITE:     demo-test-connection"))
        #expect(test.stdout.contains("Phase:          Succeeded"))

        let upgrade = try await runner.helm(["upgrade", "demo", chart, "-n", namespace, "--set", "replicaCount=2", "--wait", "--timeout", "60s"])
        #expect(upgrade.succeeded, "\(upgrade.stderr)")
        let replicas = try await runner.kubectl(["get", "deployment", "demo", "-n", namespace, "-o", "jsonpath={.spec.replicas}/{.status.readyReplicas}"])
        #expect(replicas.stdout == "2/2")
        let history = try await runner.helm(["history", "demo", "-n", namespace])
        #expect(history.stdout.contains("superseded") && history.stdout.contains("Upgrade complete"))

        let uninstall = try await runner.helm(["uninstall", "demo", "-n", namespace, "--wait"])
        #expect(uninstall.stdout == "release \"demo\" uninstalled\n", "\(uninstall.stderr)")
        let remaining = try await runner.kubectl(["get", "deployments,services,secrets,replicasets", "-n", namespace, "-o", "name"])
        #expect(remaining.succeeded)
        let leftover = remaining.stdout.split(separator: "\n").filter { !$0.isEmpty }
        let gone = try await TestEmulators.eventually(timeout: .seconds(10)) {
            let again = try await runner.kubectl(["get", "deployments,services,secrets,replicasets", "-n", namespace, "-o", "name"])
            return again.stdout.split(separator: "\n").filter { !$0.isEmpty }.isEmpty
        }
        #expect(gone, "left behind: \(leftover)")
        let emptyList = try await runner.helm(["list", "-n", namespace])
        #expect(emptyList.stdout.split(separator: "\n").count == 1)
    }
}
