import Foundation
import GitOpsTestSupport
import HelmRender
import Testing

/// Renders a small chart written into a temporary directory with both the real `helm template` and
/// `HelmTemplate.run`, so a test can compare the two byte for byte (stdout, or the error line on stderr).
struct EngineOracle {
    /// What a renderer printed: stdout on success, the `Error: …` text on failure.
    enum Outcome: Equatable, CustomStringConvertible {
        case output(String)
        case error(String)

        var description: String {
            switch self {
            case .output(let text): return "output:\n" + text
            case .error(let text): return "Error: " + text
            }
        }
    }

    let root: String

    /// Writes `files` (paths relative to the chart) as chart `name` with a default Chart.yaml unless one is given.
    init(name: String = "mychart", files: [String: String]) throws {
        root = try ArtifactTestSupport.makeDirectory("engine-oracle")
        var all = files
        if all["Chart.yaml"] == nil { all["Chart.yaml"] = "apiVersion: v2\nname: \(name)\nversion: 0.1.0\nappVersion: \"1.16.0\"\n" }
        for (path, text) in all { try ArtifactTestSupport.write(text, to: "\(name)/\(path)", in: root) }
        chartPath = root + "/" + name
    }

    let chartPath: String

    /// Writes an extra file next to the chart (values files for `-f`).
    func write(_ text: String, to relative: String) throws {
        try ArtifactTestSupport.write(text, to: relative, in: root)
    }

    func cleanUp() { ArtifactTestSupport.cleanUp(root) }

    /// `helm template RELEASE CHART ARGS…`.
    func helm(release: String = "rel", _ arguments: [String] = []) throws -> Outcome {
        do {
            let output = try HelmFixtures.helm(["template", release, chartPath] + arguments, home: root + "/.home")
            return .output(output)
        } catch let failure as ArtifactTestSupport.CommandFailure {
            // helm prints nothing on stdout when it fails; stderr is "Error: MESSAGE\n" after any warnings.
            guard let range = failure.output.range(of: "Error: ") else { return .error(failure.output) }
            var message = String(failure.output[range.upperBound...])
            if message.hasSuffix("\n") { message.removeLast() }
            return .error(message)
        }
    }

    /// The same through `HelmTemplate.run`, with the flags parsed the way `gok helm template` does.
    func ours(release: String = "rel", _ arguments: [String] = []) -> Outcome {
        var options = HelmTemplateOptions(releaseName: release)
        var index = 0
        while index < arguments.count {
            let flag = arguments[index]
            let value = index + 1 < arguments.count ? arguments[index + 1] : ""
            switch flag {
            case "-f": options.valuesFiles.append(value); index += 1
            case "--set": options.set.append(value); index += 1
            case "--set-string": options.setString.append(value); index += 1
            case "-n", "--namespace": options.namespace = value; index += 1
            case "--kube-version": options.kubeVersion = value; index += 1
            case "--api-versions": options.apiVersions.append(value); index += 1
            case "--include-crds": options.includeCRDs = true
            case "--skip-tests": options.skipTests = true
            case "--no-hooks": options.noHooks = true
            case "--is-upgrade": options.isUpgrade = true
            default: Issue.record("unknown flag \(flag)")
            }
            index += 1
        }
        do {
            return .output(try HelmTemplate.run(chartPath: chartPath, options: options))
        } catch {
            return .error(error.description)
        }
    }

    /// Renders with both and expects identical results; returns helm's for further checks.
    @discardableResult
    func expectSame(release: String = "rel", _ arguments: [String] = [], sourceLocation: SourceLocation = #_sourceLocation)
        throws -> Outcome
    {
        let reference = try helm(release: release, arguments)
        let ours = ours(release: release, arguments)
        #expect(ours == reference, sourceLocation: sourceLocation)
        return reference
    }

    /// One chart, one comparison: writes, renders with both, cleans up.
    @discardableResult
    static func compare(
        name: String = "mychart", files: [String: String], _ arguments: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Outcome {
        let oracle = try EngineOracle(name: name, files: files)
        defer { oracle.cleanUp() }
        return try oracle.expectSame(arguments, sourceLocation: sourceLocation)
    }
}
