import Foundation
import GitOpsKit
import Kustomize
import Testing

/// A scratch directory tree for one test, removed afterwards.
final class ScratchTree {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("kustomize-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    func write(_ path: String, _ text: String) throws {
        let full = root + "/" + path
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }
}

private let configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n"

/// Paths out of the root, remote bases, and fields the engine does not implement are refused with clear errors.
@Suite struct KustomizeSafetyTests {
    private func buildError(_ tree: ScratchTree, _ path: String = "app") -> String {
        do {
            _ = try KustomizeBuilder(root: tree.root).build(path: path)
            return ""
        } catch {
            return "\(error)"
        }
    }

    @Test func refusesDotDotEscape() throws {
        let tree = try ScratchTree()
        try tree.write("app/kustomization.yaml", "resources:\n- ../../etc/passwd\n")
        let message = buildError(tree)
        #expect(message.contains("security"), "\(message)")
        #expect(message.contains("../../etc/passwd"), "\(message)")
    }

    @Test func refusesAbsolutePath() throws {
        let tree = try ScratchTree()
        try tree.write("app/kustomization.yaml", "resources:\n- /etc/hosts\n")
        let message = buildError(tree)
        #expect(message.contains("absolute"), "\(message)")
        #expect(message.contains("/etc/hosts"), "\(message)")
        #expect(message.contains("kustomization.yaml"), "\(message)")
    }

    @Test func refusesSymlinkOutOfRoot() throws {
        let tree = try ScratchTree()
        let outside = try ScratchTree()
        try outside.write("secret.yaml", configMap)
        try tree.write("app/kustomization.yaml", "resources:\n- link.yaml\n")
        try FileManager.default.createSymbolicLink(atPath: tree.root + "/app/link.yaml",
                                                   withDestinationPath: outside.root + "/secret.yaml")
        let message = buildError(tree)
        #expect(message.contains("symlink"), "\(message)")
        #expect(message.contains("link.yaml"), "\(message)")
    }

    @Test func refusesSymlinkedDirectoryOutOfRoot() throws {
        let tree = try ScratchTree()
        let outside = try ScratchTree()
        try outside.write("base/kustomization.yaml", "resources:\n- cm.yaml\n")
        try outside.write("base/cm.yaml", configMap)
        try tree.write("app/kustomization.yaml", "resources:\n- base\n")
        try FileManager.default.createSymbolicLink(atPath: tree.root + "/app/base", withDestinationPath: outside.root + "/base")
        #expect(buildError(tree).contains("not in or below"))
    }

    @Test func allowsSymlinkInsideRoot() throws {
        let tree = try ScratchTree()
        try tree.write("shared/cm.yaml", configMap)
        try tree.write("app/kustomization.yaml", "resources:\n- cm.yaml\n")
        try FileManager.default.createSymbolicLink(atPath: tree.root + "/app/cm.yaml", withDestinationPath: tree.root + "/shared/cm.yaml")
        // kustomize's own rule still applies: the real file must be below the kustomization directory.
        #expect(buildError(tree).contains("not in or below"))
        try tree.write("app/real.yaml", configMap)
        try tree.write("app/kustomization.yaml", "resources:\n- alias.yaml\n")
        try FileManager.default.createSymbolicLink(atPath: tree.root + "/app/alias.yaml", withDestinationPath: tree.root + "/app/real.yaml")
        #expect(buildError(tree) == "")
    }

    @Test func filesOfABaseMustBeBelowIt() throws {
        let tree = try ScratchTree()
        try tree.write("shared.yaml", configMap)
        try tree.write("app/kustomization.yaml", "resources:\n- ../shared.yaml\n")
        #expect(buildError(tree).contains("not in or below"))
    }

    @Test(arguments: ["https://github.com/org/repo//deploy?ref=v1", "github.com/org/repo/deploy", "git@github.com:org/repo.git"])
    func refusesRemoteBases(_ url: String) throws {
        let tree = try ScratchTree()
        try tree.write("app/kustomization.yaml", "resources:\n- \(url)\n")
        let message = buildError(tree)
        #expect(message.contains("remote"), "\(message)")
        #expect(message.contains(url), "\(message)")
    }

    @Test(arguments: ["replacements", "vars", "helmCharts", "transformers", "generators", "configurations", "openapi"])
    func unsupportedFieldNamesFieldAndFile(_ field: String) throws {
        let tree = try ScratchTree()
        try tree.write("app/kustomization.yaml", "resources:\n- cm.yaml\n\(field): []\n")
        try tree.write("app/cm.yaml", configMap)
        let message = buildError(tree)
        #expect(message.contains("'\(field)'"), "\(message)")
        #expect(message.contains("app/kustomization.yaml"), "\(message)")
    }

    @Test func unknownFieldNamesFieldAndFile() throws {
        let tree = try ScratchTree()
        try tree.write("app/kustomization.yaml", "resources:\n- cm.yaml\nnameprefix: x-\n")
        try tree.write("app/cm.yaml", configMap)
        let message = buildError(tree)
        #expect(message.contains("nameprefix") && message.contains("app/kustomization.yaml"), "\(message)")
    }

    @Test func unknownNestedFieldIsRefused() throws {
        let tree = try ScratchTree()
        try tree.write("app/kustomization.yaml", "resources:\n- cm.yaml\nimages:\n- name: x\n  newtag: y\n")
        try tree.write("app/cm.yaml", configMap)
        #expect(buildError(tree).contains("newtag"))
    }

    @Test func missingKustomizationIsAnError() throws {
        let tree = try ScratchTree()
        try tree.write("app/cm.yaml", configMap)
        #expect(buildError(tree).contains("unable to find one of"))
    }

    @Test func cycleIsAnError() throws {
        let tree = try ScratchTree()
        try tree.write("a/kustomization.yaml", "resources:\n- ../b\n")
        try tree.write("b/kustomization.yaml", "resources:\n- ../a\n")
        #expect(buildError(tree, "a").contains("cycle"))
    }
}
