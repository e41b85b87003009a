import Foundation
import GitOpsKit
@testable import KubeEmulator
import Testing

/// Discovery documents, the OpenAPI index clients consult, and the `kube-emulator` executable.
@Suite struct DiscoveryAndExecutableTests {
    @Test func discoveryDocuments() async throws {
        let client = try await TestEmulators.plain.value.client
        let version = try await client.get("/version")
        #expect(version.body["gitVersion"] == "v1.32.0")
        #expect(version.body["minor"] == "32")
        let core = try await client.get("/api")
        #expect(core.body["kind"] == "APIVersions")
        #expect(core.body["versions"] == ["v1"])
        let groups = try await client.get("/apis")
        let names = (groups.body["groups"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        #expect(names.starts(with: ["apps", "events.k8s.io", "autoscaling", "batch"]))
        #expect(names.contains("apiextensions.k8s.io") && names.contains("coordination.k8s.io"))
        let apps = try await client.get("/apis/apps/v1")
        let resources = apps.body["resources"]?.arrayValue ?? []
        let deployments = resources.first { $0["name"] == "deployments" }
        #expect(deployments?["kind"] == "Deployment")
        #expect(deployments?["namespaced"] == true)
        #expect(deployments?["shortNames"] == ["deploy"])
        #expect(deployments?["verbs"] == ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"])
        #expect(resources.contains { $0["name"] == "deployments/status" && $0["verbs"] == ["get", "patch", "update"] })
        #expect(resources.contains { $0["name"] == "deployments/scale" && $0["kind"] == "Scale" && $0["group"] == "autoscaling" })
        let group = try await client.get("/apis/apps")
        #expect(group.body["preferredVersion"] == ["groupVersion": "apps/v1", "version": "v1"])
        #expect(try await client.get("/apis/nope").status == 404)
    }

    @Test func openAPIIndexDeclaresServerSideFieldValidation() async throws {
        let client = try await TestEmulators.plain.value.client
        let root = try await client.get("/openapi/v3")
        let url = try #require(root.body[path: "paths", "apis/apps/v1", "serverRelativeURL"]?.stringValue)
        #expect(url.hasPrefix("/openapi/v3/apis/apps/v1?hash="))
        let document = try await client.get("/openapi/v3/apis/apps/v1")
        let path = try #require(document.body[path: "paths", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}"])
        #expect(path[path: "patch", "x-kubernetes-group-version-kind", "kind"] == "Deployment")
        let parameters = (path[path: "patch", "parameters"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        #expect(parameters.contains("fieldValidation"))
        #expect(try await client.get("/openapi/v2").status == 404)
    }

    /// The executable sits next to the test bundle after `swift build --build-tests`.
    static func executable() throws -> String {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [directory, directory.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("kube-emulator").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw TestFailure("kube-emulator is not built next to \(directory.path); run swift build --build-tests")
    }

    @Test func executableServesWritesAKubeconfigAndStopsOnSIGTERM() async throws {
        let runner = try ToolRunner(endpoint: KubeEmulatorEndpointSnapshot(kubeconfig: ""), name: "exe")
        let kubeconfig = runner.directory.appendingPathComponent("written-kubeconfig").path
        let emulator = try runner.start(try Self.executable(),
                                        ["--kubeconfig-out", kubeconfig, "--token", "exe-token", "--workload-delay", "0.05",
                                         "--log-level", "warning"])
        defer { emulator.terminate() }
        let printed = await emulator.waitForOutput(timeout: .seconds(20)) { $0.hasPrefix("https://127.0.0.1:") && $0.hasSuffix("\n") }
        #expect(printed, "stdout: \(emulator.output()) stderr: \(emulator.errors())")
        let written = try String(contentsOfFile: kubeconfig, encoding: .utf8)
        #expect(written.contains("token: \"exe-token\""))
        #expect(written.contains("server: \"\(emulator.output().trimmingCharacters(in: .whitespacesAndNewlines))\""))
        let attributes = try FileManager.default.attributesOfItem(atPath: kubeconfig)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        let kubectl = try ToolRunner.locate("kubectl")
        let namespaces = try await runner.run(kubectl, ["--kubeconfig", kubeconfig, "--cache-dir", runner.directory.appendingPathComponent("c").path,
                                                       "get", "namespaces", "-o", "name"], stdin: nil, timeout: .seconds(30))
        #expect(namespaces.stdout == "namespace/default\nnamespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n",
                "\(namespaces.stderr)")
        emulator.terminate()
        let stopped = await emulator.wait(timeout: .seconds(10))
        #expect(stopped)
        #expect(emulator.result().status == 0, "\(emulator.errors())")
    }

    @Test func executableRejectsBadFlags() async throws {
        let runner = try ToolRunner(endpoint: KubeEmulatorEndpointSnapshot(kubeconfig: ""), name: "flags")
        let result = try await runner.run(try Self.executable(), ["--port", "70000"], stdin: nil, timeout: .seconds(20))
        #expect(result.status != 0)
        #expect(result.stderr.contains("--port must be between 0 and 65535"))
    }
}
