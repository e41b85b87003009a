import Foundation
import GitOpsKit
import Kustomize

/// Reads files under one root directory for the generator tests, refusing absolute paths, `..` escapes and symbolic
/// links that lead outside the root (the engine's own root-restricted reader does the same for real builds).
struct GeneratorTestFileReader: KustomizeFileReading {
    let root: String

    struct Refusal: Error, CustomStringConvertible {
        var description: String
    }

    func read(_ path: String, relativeTo directory: String) throws -> [UInt8] {
        guard !path.hasPrefix("/") else { throw Refusal(description: "absolute path \(path) is outside the root") }
        var parts: [Substring] = []
        for part in (directory + "/" + path).split(separator: "/") where part != "." {
            if part == ".." {
                guard !parts.isEmpty else { throw Refusal(description: "\(path) escapes the root") }
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        let full = ([root] + parts.map(String.init)).joined(separator: "/")
        let resolvedRoot = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
        let resolved = URL(fileURLWithPath: full).resolvingSymlinksInPath().path
        guard resolved == resolvedRoot || resolved.hasPrefix(resolvedRoot + "/") else {
            throw Refusal(description: "\(path) resolves outside the root")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory) else {
            throw Refusal(description: "no such file \(path)")
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: resolved) else {
            throw Refusal(description: "\(path) is not a regular file")
        }
        return Array(data)
    }
}

/// The recorded corpus and the `kubectl kustomize` oracle.
enum GeneratorCorpus {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("GeneratorCorpus").path

    /// The case directories under `GeneratorCorpus/<group>`.
    static func cases(_ group: String) -> [String] {
        let directory = root + "/" + group
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.sorted()
    }

    struct KubectlResult {
        var status: Int32
        var output: String
        var error: String
    }

    /// Runs `kubectl kustomize directory`.
    static func kubectlKustomize(_ directory: String) throws -> KubectlResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["kubectl", "kustomize", directory]
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // kubectl's output for these small cases fits a pipe buffer, so reading one pipe after the other cannot stall.
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let error = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return KubectlResult(
            status: process.terminationStatus, output: String(decoding: output, as: UTF8.self),
            error: String(decoding: error, as: UTF8.self))
    }

    /// What kubectl printed, decoded, in a canonical order.
    static func kubectlObjects(_ directory: String) throws -> [JSONValue] {
        let result = try kubectlKustomize(directory)
        guard result.status == 0 else { throw KubectlFailure(message: result.error) }
        return canonical(try YAML.decodeAll(result.output))
    }

    struct KubectlFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { "kubectl kustomize failed: \(message)" }
    }

    /// Runs the generators of `directory/kustomization.yaml` with `root` as the file root.
    static func generate(root: String, directory: String = ".") throws -> [GeneratedResource] {
        let reader = GeneratorTestFileReader(root: root)
        let kustomization = try YAML.decode(try reader.read("kustomization.yaml", relativeTo: directory))
        return try KustomizeGenerators.generate(
            kustomization: kustomization, directory: directory, files: reader, file: "kustomization.yaml")
    }

    /// The object as the build finally emits it: with `-<hash>` appended when the generator asks for it.
    static func finished(_ resource: GeneratedResource) throws -> JSONValue {
        var object = resource.object
        if resource.appendHashSuffix, let name = object[path: "metadata", "name"]?.stringValue {
            object[path: "metadata", "name"] = .string(name + "-" + (try KustomizeHash.suffix(for: object)))
        }
        return object
    }

    static func canonical(_ objects: [JSONValue]) -> [JSONValue] {
        objects.sorted { $0.jsonString() < $1.jsonString() }
    }
}
