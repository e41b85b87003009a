import Foundation
import GitOpsKit
import KubeEmulator
import Testing

/// The five controller executables, run as real processes against a KubeEmulator: flags (Go style included),
/// probes, metrics, leader election on a Lease, and a clean exit on SIGTERM that releases the lease.
@Suite(.serialized)
struct ControllerBinaryTests {
    static let controllers = ["source-controller", "kustomize-controller", "helm-controller",
                              "notification-controller", "image-automation-controller"]

    @Test(arguments: controllers)
    func servesProbesHoldsTheLeaseAndStopsOnSIGTERM(controller: String) async throws {
        try await KubeEmulator.withRunning { endpoint in
            let directory = try TemporaryDirectory()
            let kubeconfig = directory.path + "/kubeconfig"
            try endpoint.writeKubeconfig(to: kubeconfig)
            let api = KubeClient(config: try KubeConfig.load(kubeconfigPaths: [kubeconfig]))
            _ = try await api.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "flux-system"]],
                                     options: WriteOptions())
            // Controllers with reconcilers watch their kinds: /readyz waits for those informers to sync.
            try await SourceGitEndToEndTests.installCRDs(api)
            let (metricsPort, healthPort) = (try freePort(), try freePort())
            let process = try ControllerProcessRunner(
                binary: try executable(controller),
                arguments: ["--kubeconfig", kubeconfig, "--metrics-addr", "127.0.0.1:\(metricsPort)",
                            "--health-addr", "127.0.0.1:\(healthPort)", "--enable-leader-election",
                            "--watch-all-namespaces=true", "--log-encoding=json"]
                    // source-controller's artifact server: an ephemeral port and a private storage directory.
                    + (controller == "source-controller"
                        ? ["--storage-addr", "127.0.0.1:0", "--storage-path", directory.path + "/storage"] : [])
                    // notification-controller's event and webhook servers: ephemeral ports.
                    + (controller == "notification-controller"
                        ? ["--events-addr", "127.0.0.1:0", "--receiverAddr", "127.0.0.1:0"] : []),
                directory: directory)
            defer { process.kill() }

            let http = HTTPClient()
            let ready = try await eventually(timeout: .seconds(20)) {
                (try? await http.execute(HTTPClientRequest(url: "http://127.0.0.1:\(healthPort)/readyz")))?.status == 200
            }
            #expect(ready, "readyz never answered 200; log: \(process.log())")
            let metrics = try await http.execute(HTTPClientRequest(url: "http://127.0.0.1:\(metricsPort)/metrics"))
            #expect(metrics.status == 200)
            #expect(metrics.bodyText.contains("process_resident_memory_bytes "))

            let leaseKind = GroupVersionKind(group: "coordination.k8s.io", version: "v1", kind: "Lease")
            let leaseKey = ObjectKey(namespace: "flux-system", name: "\(controller)-leader-election")
            let held = try await eventually(timeout: .seconds(20)) {
                let holder = try? await api.get(leaseKind, leaseKey)[path: "spec", "holderIdentity"]?.stringValue
                return holder?.isEmpty == false
            }
            #expect(held, "the lease was never acquired; log: \(process.log())")

            process.terminate()
            let status = try await process.waitForExit(timeout: .seconds(20))
            #expect(status == 0, "exit status \(status); log: \(process.log())")
            let holderAfter = try await api.get(leaseKind, leaseKey)[path: "spec", "holderIdentity"]?.stringValue ?? ""
            #expect(holderAfter.isEmpty, "the lease was not released on SIGTERM")
            #expect(process.log().contains("\"logger\":\"\(controller)\""), "logs are not JSON: \(process.log())")
        }
    }

    @Test func badFlagsExitWithAClearError() async throws {
        let directory = try TemporaryDirectory()
        let process = try ControllerProcessRunner(
            binary: try executable("source-controller"), arguments: ["--concurrent", "many"], directory: directory)
        let status = try await process.waitForExit(timeout: .seconds(20))
        #expect(status != 0)
        #expect(process.log().contains("--concurrent"), "\(process.log())")
    }
}

/// Polls `condition` every 100 ms until it holds or `timeout` passes.
func eventually(timeout: Duration, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
}

/// A TCP port nobody listens on right now (bound to port 0, then released).
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw EndToEndError("socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
        }
    }
    guard bound else { throw EndToEndError("bind() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A built executable of this package: next to the test bundle after `swift build --build-tests`.
func executable(_ name: String) throws -> String {
    let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for candidate in [directory, directory.deletingLastPathComponent()] {
        let path = candidate.appendingPathComponent(name).path
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    throw EndToEndError("\(name) is not built next to \(directory.path); run swift build --build-tests")
}

struct EndToEndError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
