import ArgumentParser
import Foundation
import KubeEmulator
import Logging

/// `kube-emulator`: serves the emulated Kubernetes API until SIGTERM/SIGINT.
@main
struct KubeEmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kube-emulator",
        abstract: "An in-process Kubernetes API server for tests and demos (no pods run).")

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 0

    @Option(name: .customLong("kubeconfig-out"), help: "Write a kubeconfig for the emulator to this path.")
    var kubeconfigOut: String?

    @Option(help: "Bearer token clients must present (random by default).")
    var token: String?

    @Option(name: .customLong("user"),
            help: "A further user, as token,name[,group...] (kube-apiserver --token-auth-file style); RBAC decides its rights. Repeatable.")
    var users: [String] = []

    @Option(name: .customLong("workload-delay"), help: "Seconds before workloads report rolled out (e.g. 0.1).")
    var workloadDelay: Double = 0.1

    @Flag(name: .customLong("insecure-http"), help: "Serve plain HTTP instead of HTTPS.")
    var insecureHTTP = false

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard workloadDelay >= 0 else { throw ValidationError("--workload-delay must not be negative") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level \(logLevel) is not a level") }
        _ = try parsedUsers()
    }

    /// `--user token,name[,group...]` values.
    func parsedUsers() throws -> [KubeEmulatorUser] {
        try users.map { value in
            let parts = value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ValidationError("--user \"\(value)\": expected token,name[,group...]")
            }
            return KubeEmulatorUser(token: parts[0], name: parts[1], groups: parts.dropFirst(2).filter { !$0.isEmpty })
        }
    }

    func run() async throws {
        var logger = Logger(label: "kube-emulator")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let configuration = KubeEmulatorConfiguration(
            host: host, port: port, tls: !insecureHTTP, token: token,
            workloadDelay: .milliseconds(Int64((workloadDelay * 1000).rounded())), users: try parsedUsers())
        let emulator = KubeEmulator(configuration: configuration, logger: logger)
        let endpoint = try await emulator.start()
        if let kubeconfigOut { try endpoint.writeKubeconfig(to: kubeconfigOut) }
        print(endpoint.url)
        fflush(nil)
        try await emulator.runUntilSignal()
    }
}
