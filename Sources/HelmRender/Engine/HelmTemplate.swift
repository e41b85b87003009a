import FoundationEssentials
import GitOpsKit
import GoTemplate

/// The flags of `helm template` that change what it prints.
public struct HelmTemplateOptions: Sendable {
    public var releaseName: String
    public var namespace: String = "default"
    /// `-f` paths, read from disk, in order.
    public var valuesFiles: [String] = []
    /// `--set` expressions, in order.
    public var set: [String] = []
    /// `--set-string` expressions, in order.
    public var setString: [String] = []
    /// `--kube-version`.
    public var kubeVersion: String? = nil
    /// `--api-versions`.
    public var apiVersions: [String] = []
    /// `--include-crds`.
    public var includeCRDs = false
    /// `--skip-tests`.
    public var skipTests = false
    /// `--no-hooks`.
    public var noHooks = false
    /// `--is-upgrade`.
    public var isUpgrade = false
    /// `.Release.Revision` (1 for `helm template`; the new revision for helm-controller's upgrades).
    public var revision = 1

    public init(releaseName: String) {
        self.releaseName = releaseName
    }
}

/// `helm template`: load a chart, compute its values, render it, print the manifests as helm does.
///
/// Usage:
/// ```swift
/// var options = HelmTemplateOptions(releaseName: "web")
/// options.set = ["replicaCount=3"]
/// print(try HelmTemplate.run(chartPath: "./mychart", options: options), terminator: "")
/// ```
public enum HelmTemplate {
    /// Exactly what `helm template RELEASE CHART [flags]` prints on stdout (CHART: a chart directory or `.tgz`).
    /// On failure throws the error whose `description` is what helm prints after `Error: `.
    public static func run(chartPath: String, options: HelmTemplateOptions) throws(HelmRenderError) -> String {
        // helm checks --kube-version before reading anything else.
        if let kubeVersion = options.kubeVersion { _ = try Capabilities.KubeVersion(parsing: kubeVersion) }
        let values = try userValues(files: options.valuesFiles, set: options.set, setString: options.setString)
        let chart = try loadChart(path: chartPath)
        let rendered = try render(chart: chart, values: values, options: options, forCommandLine: true)
        return output(rendered, options: options)
    }

    /// Renders `chart` (loaded in memory) with user-supplied `values` (`-f`/`--set` merged, not yet coalesced) as
    /// `helm template`/`helm install` do: dependencies enabled and aliased, values coalesced and validated, every
    /// template executed, the output split into manifests and hooks and sorted in install order.
    public static func render(chart: LoadedChart, values: TemplateValue, options: HelmTemplateOptions)
        throws(HelmRenderError) -> RenderedRelease
    {
        try render(chart: chart, values: values, options: options, forCommandLine: false)
    }

    static func render(chart: LoadedChart, values: TemplateValue, options: HelmTemplateOptions, forCommandLine: Bool)
        throws(HelmRenderError) -> RenderedRelease
    {
        var capabilities = Capabilities.helmDefault
        if let kubeVersion = options.kubeVersion {
            capabilities.kubeVersion = try Capabilities.KubeVersion(parsing: kubeVersion)
        }
        capabilities.apiVersions += options.apiVersions

        if let type = chart.metadata.type, !type.isEmpty, type != "application" {
            throw HelmRenderError("\(type) charts are not installable")
        }
        try validateReleaseName(options.releaseName)

        let coalesced: TemplateValue
        let processed: LoadedChart
        do {
            processed = try HelmValues.processDependencies(chart: chart, values: values)
            coalesced = try HelmValues.coalesce(chart: processed, values: values)
            try HelmValues.validate(chart: processed, values: coalesced)
        } catch {
            throw HelmRenderError(error.description)
        }

        // From here on helm has a release object, so `helm template` adds its `--debug` hint to errors.
        let hint = forCommandLine ? "\n\nUse --debug flag to render out invalid YAML" : ""
        do {
            return try renderResources(
                chart: processed, values: coalesced, capabilities: capabilities,
                release: ReleaseOptions(name: options.releaseName, namespace: options.namespace, revision: options.revision,
                                        isUpgrade: options.isUpgrade))
        } catch {
            throw HelmRenderError(error.description + hint)
        }
    }

    /// Helm's `renderResources`: the kubeVersion check, the engine, NOTES.txt set aside, manifests sorted.
    static func renderResources(
        chart: LoadedChart, values: TemplateValue, capabilities: Capabilities, release: ReleaseOptions
    ) throws(HelmRenderError) -> RenderedRelease {
        if let constraint = chart.metadata.kubeVersion, !constraint.isEmpty {
            let compatible: Bool
            if let version = try? SemanticVersion(parsing: capabilities.kubeVersion.version),
                let parsed = try? VersionConstraint(parsing: constraint)
            {
                compatible = parsed.isSatisfied(by: version)
            } else {
                compatible = false
            }
            if !compatible {
                throw HelmRenderError(
                    "chart requires kubeVersion: \(constraint) which is incompatible with Kubernetes "
                        + capabilities.kubeVersion.version)
            }
        }
        var files = try HelmEngine().render(chart: chart, values: values, release: release, capabilities: capabilities)

        let notesPath = chart.name + "/templates/NOTES.txt"
        let notes = files[notesPath] ?? ""
        for path in files.keys where path.hasSuffix("NOTES.txt") { files[path] = nil }

        let (manifests, hooks) = try ManifestSorter.sort(files)
        let crds = chart.crdObjects().map { RenderedRelease.CRD(path: $0.path, content: String(decoding: $0.data, as: UTF8.self)) }
        return RenderedRelease(manifests: manifests, hooks: hooks, notes: notes, crds: crds)
    }

    /// What `helm template` prints: CRDs (with `--include-crds`), manifests, then hooks, each as
    /// `---\n# Source: PATH\nDOCUMENT\n`.
    static func output(_ release: RenderedRelease, options: HelmTemplateOptions) -> String {
        var manifest = ""
        if options.includeCRDs {
            for crd in release.crds { manifest += "---\n# Source: \(crd.path)\n\(crd.content)\n" }
        }
        for document in release.manifests { manifest += "---\n# Source: \(document.path)\n\(document.content)\n" }
        var out = GoText.trimSpace(manifest) + "\n"
        if !options.noHooks {
            for hook in release.hooks where !(options.skipTests && hook.isTest) {
                out += "---\n# Source: \(hook.path)\n\(hook.content)\n"
            }
        }
        return out
    }

    /// Helm's `ValidateReleaseName`.
    static func validateReleaseName(_ name: String) throws(HelmRenderError) {
        guard !name.isEmpty else { throw HelmRenderError("release name \"\": no name provided") }
        if name.utf8.count > 53 || !isDNSName(name) {
            throw HelmRenderError(
                "release name \(GoFormat.sprintf("%q", [.string(name)])): invalid release name, must match regex "
                    + #"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"#
                    + " and the length must not be longer than 53")
        }
    }

    /// `^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
    static func isDNSName(_ name: String) -> Bool {
        name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            guard let first = label.utf8.first, let last = label.utf8.last else { return false }
            func alphanumeric(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) }
            return alphanumeric(first) && alphanumeric(last) && label.utf8.allSatisfy { alphanumeric($0) || $0 == 0x2D }
        }
    }
}

/// Why a chart could not be rendered; `description` is what helm prints after `Error: `.
public struct HelmRenderError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
