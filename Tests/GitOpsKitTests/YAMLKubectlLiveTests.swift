import Foundation
import Testing

@testable import GitOpsKit

/// Re-checks the recorded goldens against a live `kubectl` (opt-in: `GOK_KUBECTL_ORACLE=1 swift test --filter
/// YAMLKubectlLive`), so they can be confirmed after a kubectl upgrade without a generator script.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["GOK_KUBECTL_ORACLE"] != nil))
struct YAMLKubectlLiveTests {
    @Test(arguments: kubectlDecodeCases)
    func decodeGoldenMatchesKubectl(_ oracle: KubectlDecodeCase) throws {
        let (status, output) = try kubectl(
            ["label", "--local", "-f", "-", "x=y", "-o", "json"], input: YAMLKubectlOracleTests.header + oracle.yaml)
        try #require(status == 0, "kubectl refused \(oracle.name): \(output)")
        var object = try JSONValue(json: output)
        object[path: "metadata", "labels"] = nil
        #expect(object == (try JSONValue(json: oracle.json)))
    }

    @Test(arguments: kubectlErrorCases)
    func errorGoldenIsRefusedByKubectl(_ oracle: KubectlErrorCase) throws {
        let (status, _) = try kubectl(
            ["label", "--local", "-f", "-", "x=y", "-o", "json"], input: YAMLKubectlOracleTests.header + oracle.yaml)
        #expect(status != 0)
    }

    @Test(arguments: kubectlEncodeCases)
    func encodeGoldenMatchesKubectl(_ oracle: KubectlEncodeCase) throws {
        let (status, output) = try kubectl(
            ["label", "--local", "-f", "-", "x=y", "--overwrite", "-o", "yaml"], input: oracle.json)
        try #require(status == 0, "kubectl refused \(oracle.name): \(output)")
        #expect(output == oracle.yaml)
    }

    private func kubectl(_ arguments: [String], input: String) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["kubectl"] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
