import FoundationEssentials
import GitOpsKit
import Kustomize
import NIOPosix

/// What a Kustomization builds to from a directory: the kustomize build of `spec.path` with the Flux overlay
/// (target namespace, prefixes, patches, images, components, common metadata), the post-build substitutions and
/// the owner labels. Shared by the reconciler and `gok build`/`gok diff`, so both see the same objects.
public struct KustomizationBuild: Sendable {
    /// Reads `substituteFrom` ConfigMaps and Secrets.
    let api: any KubernetesAPI

    public init(api: any KubernetesAPI) {
        self.api = api
    }

    /// The objects and the digest of their YAML; the error (a ``CustomStringConvertible``) says what failed.
    public func objects(for kustomization: Kustomization, root: String) async throws -> (objects: [JSONValue], digest: String) {
        try await build(kustomization, root: root)
    }

    /// Builds `spec.path` of the unpacked artifact with the overlay, substitutes variables and adds the owner labels;
    /// `digest` is the sha256 of the built YAML (before the owner labels), the `status.history` key.
    func build(_ kustomization: Kustomization, root: String) async throws(KustomizationFailure)
        -> (objects: [JSONValue], digest: String)
    {
        let path = Self.relativePath(kustomization.spec.path)
        var isDirectory = false
        if !FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory) || !isDirectory {
            throw KustomizationFailure(.artifactFailed, "kustomization path not found: \(kustomization.spec.path ?? "./")")
        }
        var objects: [JSONValue]
        let overlay = Self.overlay(kustomization)
        do {
            // The build reads files and can take a while on a big tree: off the cooperative pool.
            objects = try await NIOThreadPool.singleton.runIfActive {
                try KustomizeBuilder(root: root).build(path: path, overlay: overlay)
            }
        } catch let error as KustomizeError {
            throw KustomizationFailure(.buildFailed, "kustomize build failed: \(error.message)")
        } catch {
            throw KustomizationFailure(.buildFailed, "kustomize build failed: \(error)")
        }
        if let postBuild = kustomization.spec.postBuild {
            let variables = try await PostBuildVariables(api: api)
                .variables(postBuild, namespace: kustomization.namespace ?? "default")
            objects = try PostBuildVariables.substitute(objects, variables: variables, strategy: kustomization.substituteStrategy)
        }
        let digest = "sha256:" + Digest.sha256Hex(Array(YAML.encodeAll(objects).utf8))
        let labels = KustomizationReconciler.ownerLabels(kustomization)
        for index in objects.indices {
            guard ResourceIdentity(of: objects[index]) != nil else {
                throw KustomizationFailure(.buildFailed,
                    "kustomize build failed: object has no apiVersion, kind or metadata.name: \(String(decoding: objects[index].jsonBytes().prefix(200), as: UTF8.self))")
            }
            for (key, value) in labels { objects[index][path: "metadata", "labels", key] = .string(value) }
        }
        return (objects, digest)
    }

    static func relativePath(_ path: String?) -> String {
        var path = path ?? ""
        while path.hasPrefix("./") { path.removeFirst(2) }
        while path.hasPrefix("/") { path.removeFirst() }
        while path.hasSuffix("/") { path.removeLast() }
        return path.isEmpty || path == "." ? "." : path
    }

    static func overlay(_ kustomization: Kustomization) -> FluxKustomizeOverlay {
        let spec = kustomization.spec
        return FluxKustomizeOverlay(
            targetNamespace: spec.targetNamespace, namePrefix: spec.namePrefix, nameSuffix: spec.nameSuffix,
            patches: (spec.patches ?? []).map { (try? JSONValue(encoding: $0)) ?? .null },
            images: (spec.images ?? []).map { (try? JSONValue(encoding: $0)) ?? .null },
            components: spec.components ?? [],
            commonLabels: spec.commonMetadata?.labels ?? [:], commonAnnotations: spec.commonMetadata?.annotations ?? [:])
    }

}
