import Foundation
import GitOpsKit

/// Flux's generator refuses a path without a kustomization file when one of its YAML files does not parse
/// ("failed to decode Kubernetes YAML from …"). The project's generator skips such files, which would turn a
/// typo into an empty build — and a prune of everything. This scan restores Flux's behaviour before the build:
/// it walks the YAML files the generator would consider (not hidden, not below a directory with its own
/// kustomization file) and reports the first that does not parse.
enum ManifestScan {
    static let kustomizationFiles = ["kustomization.yaml", "kustomization.yml", "Kustomization"]

    /// The first unparseable YAML file under `root/path` as `(relative path, error)`, or nil; nil at once when
    /// `path` has a kustomization file (the build then reads exactly what it names, and fails on bad YAML itself).
    static func firstInvalidFile(root: String, path: String) -> (file: String, error: String)? {
        let directory = path == "." ? root : root + "/" + path
        if kustomizationFiles.contains(where: { FileManager.default.fileExists(atPath: directory + "/" + $0) }) { return nil }
        return scan(directory, relative: path == "." ? "" : path + "/", isTop: true)
    }

    private static func scan(_ directory: String, relative: String, isTop: Bool) -> (file: String, error: String)? {
        if !isTop, kustomizationFiles.contains(where: { FileManager.default.fileExists(atPath: directory + "/" + $0) }) {
            return nil
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
        for name in names where !name.hasPrefix(".") {
            let full = directory + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                if let found = scan(full, relative: relative + name + "/", isTop: false) { return found }
            } else if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                guard let data = FileManager.default.contents(atPath: full) else { continue }
                do {
                    _ = try YAML.decodeAll([UInt8](data))
                } catch {
                    return (relative + name, "\(error)")
                }
            }
        }
        return nil
    }
}
