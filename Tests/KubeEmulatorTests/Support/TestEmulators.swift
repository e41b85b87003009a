import Foundation
import GitOpsKit
@testable import KubeEmulator
import Logging

/// An emulator started once for the whole test run and never stopped (the process exit ends it).
struct RunningEmulator: Sendable {
    let emulator: KubeEmulator
    let endpoint: KubeEmulatorEndpoint

    var client: TestHTTPClient { TestHTTPClient(baseURL: endpoint.url, token: endpoint.token) }
    var anonymous: TestHTTPClient { TestHTTPClient(baseURL: endpoint.url, token: nil) }
}

/// Emulators shared by the suites, so each suite does not pay for its own start.
enum TestEmulators {
    static var logger: Logger {
        var logger = Logger(label: "kube-emulator-test")
        logger.logLevel = .warning
        return logger
    }

    /// Plain HTTP, for the semantics tests over URLSession.
    static let plain = Task { () throws -> RunningEmulator in
        let emulator = KubeEmulator(configuration: KubeEmulatorConfiguration(
            tls: false, token: "semantics-token", workloadDelay: .milliseconds(50), watchHistoryLimit: 5_000,
            bookmarkInterval: .milliseconds(200)), logger: logger)
        return RunningEmulator(emulator: emulator, endpoint: try await emulator.start())
    }

    /// HTTPS with a generated CA, for kubectl and helm.
    static let tls = Task { () throws -> RunningEmulator in
        let emulator = KubeEmulator(configuration: KubeEmulatorConfiguration(tls: true, workloadDelay: .milliseconds(50)),
                                    logger: logger)
        return RunningEmulator(emulator: emulator, endpoint: try await emulator.start())
    }

    /// A namespace name unique in this run.
    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Creates a namespace over HTTP and returns its name.
    static func namespace(_ client: TestHTTPClient, _ prefix: String) async throws -> String {
        let name = uniqueName(prefix)
        let response = try await client.post("/api/v1/namespaces", ["apiVersion": "v1", "kind": "Namespace",
                                                                   "metadata": ["name": .string(name)]])
        guard response.status == 201 else { throw TestFailure("creating namespace \(name): \(response.status) \(response.body)") }
        return name
    }

    /// Polls `condition` until it holds or `timeout` passes.
    static func eventually(timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(25))
        }
        return try await condition()
    }
}
