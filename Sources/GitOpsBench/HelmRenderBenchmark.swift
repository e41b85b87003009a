import ArgumentParser
import Foundation
import GitOpsKit
import GitOpsTestSupport
import GoTemplate
import HelmRender

/// The in-process Helm renderer on the chart `helm create` generates: renders per second over many renders in one
/// process, against the wall time of one `helm template` process on the same chart.
struct HelmRenderBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "helm-render",
        abstract: "Helm rendering: renders/s of the `helm create` chart (budget ≥ 200/s; one render faster than one helm process).")

    @Option(help: "Renders in one process.")
    var renders = 1_000

    func run() throws {
        let helm = try HelmFixtures.helmPath()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gok-bench-helm-\(getpid())").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let chartPath = root + "/mychart"
        _ = try Self.runProcess(helm, ["create", chartPath])

        let options = HelmTemplateOptions(releaseName: "bench")
        let reference = try Self.runProcess(helm, ["template", "bench", chartPath])
        let ours = try HelmTemplate.run(chartPath: chartPath, options: options)
        print("helm create chart: output \(ours == reference ? "identical to" : "DIFFERS from") helm template")

        // What a controller does per reconcile: render the in-memory chart with the user's values.
        let chart = try LoadedChart(contents: try ChartContents(directory: chartPath))
        let start = ContinuousClock.now
        for _ in 0..<renders {
            _ = try HelmTemplate.render(chart: chart, values: .map([:]), options: options)
        }
        let seconds = Self.seconds(ContinuousClock.now - start)
        let perSecond = Double(renders) / max(seconds, 1e-9)

        let helmStart = ContinuousClock.now
        _ = try Self.runProcess(helm, ["template", "bench", chartPath])
        let helmSeconds = Self.seconds(ContinuousClock.now - helmStart)

        let perRender = seconds / Double(max(renders, 1))
        print(String(format: "%d renders in %.2f s: %.0f renders/s, %.3f ms per render (budget ≥ 200/s): %@",
                     renders, seconds, perSecond, perRender * 1000, perSecond >= 200 ? "PASS" : "FAIL"))
        print(String(format: "one helm template process: %.1f ms; one render is %.0f× faster: %@",
                     helmSeconds * 1000, helmSeconds / max(perRender, 1e-9), perRender < helmSeconds ? "PASS" : "FAIL"))
    }

    static func runProcess(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
