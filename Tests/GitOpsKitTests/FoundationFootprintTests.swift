import FoundationEssentials
import Testing

/// The shipped controllers must not link full Foundation: its static build pulls in ICU (34 MB of data, ≈ 7 MiB
/// resident per process), which broke the source-controller fleet memory budget once. Runtime targets import
/// FoundationEssentials; tools (gok, gok-bench, the emulator) may use Foundation.
@Suite struct FoundationFootprintTests {
    static let runtimeTargets = [
        "GitOpsKit", "SourceController", "SourceControllerMain", "KustomizeControllerKit", "KustomizeController",
        "Kustomize", "GoTemplate", "HelmRender", "HelmController", "NotificationController", "ImageAutomation",
    ]

    @Test func runtimeTargetsDoNotImportFullFoundation() throws {
        let sources = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appending(path: "Sources").path
        var offenders: [String] = []
        var scanned = 0
        for target in Self.runtimeTargets {
            let directory = sources + "/" + target
            guard FileManager.default.fileExists(atPath: directory) else { continue }
            for file in try FileManager.default.subpathsOfDirectory(atPath: directory) where file.hasSuffix(".swift") {
                let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
                scanned += 1
                for line in text.split(separator: "\n") {
                    let words = line.split(separator: " ")
                    if let index = words.firstIndex(of: "import"), words.index(after: index) < words.endIndex,
                        words[words.index(after: index)] == "Foundation"
                    {
                        offenders.append("\(target)/\(file)")
                    }
                }
            }
        }
        #expect(scanned > 100)
        #expect(offenders == [], "import FoundationEssentials instead (full Foundation links ICU into the controllers)")
    }
}
