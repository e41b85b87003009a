import ArgumentParser
import Foundation
import GitOpsKit
import Kustomize

/// `gok kustomize build DIR`: prints what `kubectl kustomize DIR` prints, built in-process.
struct KustomizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kustomize", abstract: "Build kustomizations like kubectl kustomize.",
        subcommands: [Build.self])

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "build", abstract: "Print the objects a kustomization directory builds to.")

        @Argument(help: "The kustomization directory.")
        var directory: String = "."

        @Option(name: .long, help: "The directory reads are confined to (default: the kustomization directory).")
        var root: String?

        func run() throws {
            do {
                let builder = try KustomizeBuilder(root: root ?? directory)
                let objects = try builder.build(path: try builder.fileSystem.relativePath(ofLocal: directory))
                FileHandle.standardOutput.write(Data(YAML.encodeAll(objects).utf8))
            } catch {
                FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
