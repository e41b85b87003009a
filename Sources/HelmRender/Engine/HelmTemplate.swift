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

    public init(releaseName: String) {
        self.releaseName = releaseName
    }
}

/// `helm template`: load a chart, compute its values, render it, print the manifests as helm does.
public enum HelmTemplate {
    /// Exactly what `helm template RELEASE CHART [flags]` prints on stdout (CHART: a chart directory or `.tgz`).
    /// On failure throws the error whose `description` is what helm prints after `Error: `.
    public static func run(chartPath: String, options: HelmTemplateOptions) throws(HelmRenderError) -> String {
        throw HelmRenderError("not implemented yet")
    }
}

/// Why a chart could not be rendered; `description` is what helm prints after `Error: `.
public struct HelmRenderError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
