import FoundationEssentials
import GitOpsKit
import HelmRender
import Kustomize

/// Flux's post-rendering of a release's manifests (hooks are not post-rendered, as in Helm): every object gets the
/// origin labels (`helm.toolkit.fluxcd.io/name`, `…/namespace`), then `spec.commonMetadata` and each
/// `spec.postRenderers[].kustomize` (patches, images) run in order as kustomize builds over the documents.
struct ReleasePostRenderer {
    let release: HelmRelease

    /// `status.observedPostRenderersDigest`: what the current manifests were post-rendered with.
    static func digest(_ renderers: [HelmRelease.PostRenderer]?) -> String {
        let json = (try? JSONValue(encoding: renderers ?? [])) ?? .array([])
        return "sha256:" + Digest.sha256Hex(json.jsonBytes())
    }

    /// `status.observedCommonMetadataDigest`.
    static func digest(_ metadata: CommonMetadata?) -> String {
        let json = metadata.flatMap { try? JSONValue(encoding: $0) } ?? .null
        return "sha256:" + Digest.sha256Hex(json.jsonBytes())
    }

    func run(_ manifests: [RenderedRelease.Manifest]) throws(HelmReleaseFailure) -> [RenderedRelease.Manifest] {
        var documents: [(path: String, object: JSONValue)] = []
        for manifest in manifests {
            for var object in try ReleaseManifest.documents(manifest.content) {
                object[path: "metadata", "labels", FluxLabel.helmName] = .string(release.name)
                object[path: "metadata", "labels", FluxLabel.helmNamespace] = .string(release.namespace ?? "default")
                documents.append((manifest.path, object))
            }
        }
        var overlays: [FluxKustomizeOverlay] = []
        if let common = release.spec.commonMetadata {
            overlays.append(FluxKustomizeOverlay(commonLabels: common.labels ?? [:], commonAnnotations: common.annotations ?? [:]))
        }
        for renderer in release.spec.postRenderers ?? [] {
            guard let kustomize = renderer.kustomize else { continue }
            overlays.append(FluxKustomizeOverlay(
                patches: (kustomize.patches ?? []).map { (try? JSONValue(encoding: $0)) ?? .null },
                images: (kustomize.images ?? []).map { (try? JSONValue(encoding: $0)) ?? .null }))
        }
        for overlay in overlays where !documents.isEmpty {
            let built = try build(documents.map(\.object), overlay: overlay)
            // Kustomize keeps no `# Source:` comments: a document keeps its template path when it is still there.
            var paths: [String: String] = [:]
            for (path, object) in documents { if let id = ResourceIdentity(of: object) { paths[id.versionless] = path } }
            documents = built.map { object in (ResourceIdentity(of: object).flatMap { paths[$0.versionless] } ?? "", object) }
        }
        return documents.map { path, object in
            let yaml = YAML.encode(object)
            return RenderedRelease.Manifest(path: path, content: String(yaml.dropLast(yaml.hasSuffix("\n") ? 1 : 0)),
                                     apiVersion: object["apiVersion"]?.stringValue ?? "", kind: object["kind"]?.stringValue ?? "",
                                     name: object[path: "metadata", "name"]?.stringValue ?? "")
        }
    }

    /// One kustomize build of `objects` (as a single resource file) with `overlay`, in a scratch directory.
    private func build(_ objects: [JSONValue], overlay: FluxKustomizeOverlay) throws(HelmReleaseFailure) -> [JSONValue] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gok-postrender-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var kustomization: JSONValue = ["apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
                                        "resources": ["resources.yaml"]]
        overlay.apply(to: &kustomization)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let resources = objects.map { YAML.encode($0) }.joined(separator: "---\n")
            try Data(resources.utf8).write(to: URL(fileURLWithPath: directory + "/resources.yaml"))
            try Data(YAML.encode(kustomization).utf8).write(to: URL(fileURLWithPath: directory + "/kustomization.yaml"))
        } catch {
            throw HelmReleaseFailure(.reconciliationFailed, "post-render: cannot write scratch files: \(error)")
        }
        do {
            return try KustomizeBuilder(root: directory).build(path: ".")
        } catch {
            throw HelmReleaseFailure(.reconciliationFailed, "post-render failed: \(error.message)")
        }
    }
}
