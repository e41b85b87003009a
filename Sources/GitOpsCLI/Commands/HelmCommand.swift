import ArgumentParser
import Foundation
import HelmRender

/// `gok helm template NAME CHART`: prints what `helm template` prints, rendered in-process.
struct HelmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "helm", abstract: "Render Helm charts like helm.", subcommands: [Template.self])

    struct Template: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "template", abstract: "Print the manifests a chart renders to, as helm template does.")

        @Argument(help: "The release name.")
        var name: String

        @Argument(help: "A chart directory or .tgz archive.")
        var chart: String

        @Option(name: [.customShort("f"), .customLong("values")], help: "A values file (repeatable; later files win).")
        var values: [String] = []

        @Option(name: .customLong("set"), help: "A value on the command line, key=value (repeatable).")
        var set: [String] = []

        @Option(name: .customLong("set-string"), help: "A string value on the command line, key=value (repeatable).")
        var setString: [String] = []

        @Option(name: [.short, .long], help: "The release namespace.")
        var namespace = "default"

        @Flag(name: .customLong("include-crds"), help: "Print the chart's CRDs first.")
        var includeCRDs = false

        @Flag(name: .customLong("skip-tests"), help: "Leave out test hooks.")
        var skipTests = false

        @Flag(name: .customLong("no-hooks"), help: "Leave out hooks.")
        var noHooks = false

        @Option(name: .customLong("kube-version"), help: "The Kubernetes version for .Capabilities.KubeVersion.")
        var kubeVersion: String?

        @Option(name: [.customShort("a"), .customLong("api-versions")], help: "An extra API version for .Capabilities.APIVersions (repeatable).")
        var apiVersions: [String] = []

        @Flag(name: .customLong("is-upgrade"), help: "Set .Release.IsUpgrade instead of .Release.IsInstall.")
        var isUpgrade = false

        func run() throws {
            var options = HelmTemplateOptions(releaseName: name)
            options.namespace = namespace
            options.valuesFiles = values
            options.set = set
            options.setString = setString
            options.kubeVersion = kubeVersion
            // helm splits each --api-versions value on commas (a string slice flag).
            options.apiVersions = apiVersions.flatMap { $0.split(separator: ",").map(String.init) }
            options.includeCRDs = includeCRDs
            options.skipTests = skipTests
            options.noHooks = noHooks
            options.isUpgrade = isUpgrade
            do {
                let output = try HelmTemplate.run(chartPath: chart, options: options)
                FileHandle.standardOutput.write(Data(output.utf8))
            } catch {
                FileHandle.standardError.write(Data("Error: \(error.description)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
