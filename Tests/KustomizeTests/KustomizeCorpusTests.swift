import Foundation
import GitOpsKit
import Kustomize
import Testing

/// Runs `kubectl kustomize` (kustomize v5 as shipped in kubectl) and captures what it prints.
enum KubectlKustomize {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ directory: String) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["kubectl", "kustomize", directory]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    static var corpusDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus").path
    }

    static var cases: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: corpusDirectory).sorted()) ?? []
    }
}

/// The differential corpus: every case builds to exactly what `kubectl kustomize` prints, or fails where it fails.
@Suite struct KustomizeCorpusTests {
    @Test func corpusIsLargeEnough() {
        #expect(KubectlKustomize.cases.count >= 40)
    }

    @Test(arguments: KubectlKustomize.cases)
    func matchesKubectlKustomize(_ name: String) throws {
        let directory = KubectlKustomize.corpusDirectory + "/" + name
        let expected = try KubectlKustomize.run(directory)
        let builder = try KustomizeBuilder(root: directory)
        if expected.status != 0 {
            #expect(throws: KustomizeError.self, "kubectl failed: \(expected.stderr)") { try builder.build(path: "") }
            return
        }
        let objects = try builder.build(path: "")
        let actual = YAML.encodeAll(objects)
        #expect(actual == expected.stdout)
        if actual != expected.stdout {
            let ours = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let theirs = expected.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            if let first = zip(ours, theirs).enumerated().first(where: { $0.element.0 != $0.element.1 }) {
                Issue.record("first difference at line \(first.offset + 1): ours '\(first.element.0)' kubectl '\(first.element.1)'")
            }
        }
    }
}
