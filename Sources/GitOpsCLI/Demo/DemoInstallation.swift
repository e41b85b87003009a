import Foundation

/// Where the demo finds what it runs: the controller executables (next to `gok`, as `swift build` leaves them)
/// and the CRDs (`config/crd/bases` of the source tree `gok` was built in).
struct DemoInstallation {
    /// The four controllers of a default Flux installation. notification-controller receives the others' events; no
    /// Flux object exists before all four are ready, so the start order loses none.
    static let controllers = ["source-controller", "kustomize-controller", "helm-controller", "notification-controller"]
    /// The order they are stopped in: each before what its in-flight work waits on — kustomize-controller (health
    /// checks wait for HelmReleases), helm-controller, source-controller (both download its artifacts), and
    /// notification-controller last, since the others post events to it until they exit.
    static let stopOrder = ["kustomize-controller", "helm-controller", "source-controller", "notification-controller"]

    /// Controller name → executable path.
    var executables: [String: String]
    var crdDirectory: String

    /// Checks every piece is there before anything starts.
    ///
    /// - Parameters:
    ///   - binDirectory: where the controllers are; default the directory of the running `gok`.
    ///   - crdDirectory: the CRDs; default the first `config/crd/bases` above `gok` or the working directory.
    /// - Throws: `DemoError` naming the missing executable (and the command that builds it) or the CRD directory.
    static func locate(binDirectory: String?, crdDirectory: String?) throws(DemoError) -> DemoInstallation {
        let gok = currentExecutable()
        let directory = binDirectory ?? (gok as NSString).deletingLastPathComponent
        var executables: [String: String] = [:]
        var missing: [String] = []
        for name in controllers {
            let path = (directory as NSString).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: path) {
                executables[name] = path
            } else {
                missing.append(name)
            }
        }
        guard missing.isEmpty else {
            let build = missing.map { "swift build --product \($0)" }.joined(separator: " && ")
            throw DemoError("""
                \(Self.list(missing)) not found in \(directory) (the demo runs the controllers \
                found next to gok). Build \(missing.count == 1 ? "it" : "them") with: \(build)  \
                (or run ./scripts/demo.sh, which builds everything the demo needs)
                """)
        }
        let crds: String
        if let crdDirectory {
            crds = crdDirectory
        } else if let found = findCRDs(above: [(gok as NSString).deletingLastPathComponent,
                                                 FileManager.default.currentDirectoryPath]) {
            crds = found
        } else {
            throw DemoError("""
                cannot find the CRDs (config/crd/bases) above \(gok) or the working directory; \
                pass --crd-directory <GitOpsKit checkout>/config/crd/bases
                """)
        }
        guard FileManager.default.fileExists(atPath: (crds as NSString).appendingPathComponent(
            "kustomize.toolkit.fluxcd.io_kustomizations.yaml"))
        else {
            throw DemoError("\(crds) holds no kustomize.toolkit.fluxcd.io_kustomizations.yaml: not GitOpsKit's config/crd/bases")
        }
        return DemoInstallation(executables: executables, crdDirectory: crds)
    }

    /// `a`, `a and b`, `a, b and c`.
    static func list(_ names: [String]) -> String {
        guard let last = names.last else { return "" }
        return names.count == 1 ? last : names.dropLast().joined(separator: ", ") + " and " + last
    }

    /// The running executable's real path (`/proc/self/exe`; `argv[0]` elsewhere).
    static func currentExecutable() -> String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }

    private static func findCRDs(above starts: [String]) -> String? {
        for start in starts {
            var directory = URL(fileURLWithPath: start).standardizedFileURL
            while true {
                let candidate = directory.appendingPathComponent("config/crd/bases").path
                if FileManager.default.fileExists(atPath: candidate) { return candidate }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        return nil
    }
}
