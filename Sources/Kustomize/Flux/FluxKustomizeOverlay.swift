import GitOpsKit

/// The settings of a Flux `Kustomization` that kustomize-controller applies on top of the kustomization at its
/// path (flux-api.md §3): they are merged into that kustomization before the build, as Flux's generator does.
public struct FluxKustomizeOverlay: Sendable, Hashable {
    /// `spec.targetNamespace`: becomes the kustomization's `namespace`.
    public var targetNamespace: String?
    public var namePrefix: String?
    public var nameSuffix: String?
    /// `spec.patches`: each `{patch, target}`, appended after the kustomization's own patches.
    public var patches: [JSONValue]
    /// `spec.images`: `{name, newName, newTag, digest}`, merged per field into entries of the same name.
    public var images: [JSONValue]
    /// `spec.components`: paths relative to the kustomization directory, appended.
    public var components: [String]
    /// `spec.commonMetadata`: labels (not on selectors) and annotations for every object.
    public var commonLabels: [String: String]
    public var commonAnnotations: [String: String]

    public init(targetNamespace: String? = nil, namePrefix: String? = nil, nameSuffix: String? = nil,
                patches: [JSONValue] = [], images: [JSONValue] = [], components: [String] = [],
                commonLabels: [String: String] = [:], commonAnnotations: [String: String] = [:]) {
        self.targetNamespace = targetNamespace
        self.namePrefix = namePrefix
        self.nameSuffix = nameSuffix
        self.patches = patches
        self.images = images
        self.components = components
        self.commonLabels = commonLabels
        self.commonAnnotations = commonAnnotations
    }

    /// The kustomization to build `directory` with: its own (or a generated one) with these settings merged in.
    func kustomization(for directory: String, fileSystem: KustomizeFileSystem) throws(KustomizeError) -> Kustomization {
        let builder = KustomizeBuilder(fileSystem: fileSystem)
        var raw: JSONValue
        let file: String
        if let existing = try builder.loadKustomization(in: directory) {
            raw = existing.raw.objectValue == nil ? .object([:]) : existing.raw
            file = existing.file
        } else {
            raw = try FluxKustomizationGenerator.generate(directory: directory, fileSystem: fileSystem)
            file = fileSystem.display(directory) + "/kustomization.yaml (generated)"
        }
        apply(to: &raw)
        return try Kustomization(raw, file: file)
    }

    /// Merges the overlay fields into a kustomization document.
    public func apply(to raw: inout JSONValue) {
        if let targetNamespace, !targetNamespace.isEmpty { raw["namespace"] = .string(targetNamespace) }
        if let namePrefix, !namePrefix.isEmpty { raw["namePrefix"] = .string(namePrefix) }
        if let nameSuffix, !nameSuffix.isEmpty { raw["nameSuffix"] = .string(nameSuffix) }
        if !patches.isEmpty { raw["patches"] = .array((raw["patches"]?.arrayValue ?? []) + patches) }
        if !components.isEmpty {
            raw["components"] = .array((raw["components"]?.arrayValue ?? []) + components.map(JSONValue.string))
        }
        if !images.isEmpty {
            var existing = raw["images"]?.arrayValue ?? []
            for image in images {
                if let index = existing.firstIndex(where: { $0["name"] == image["name"] }) {
                    for (key, value) in image.objectValue ?? [:] where value != .string("") { existing[index][key] = value }
                } else {
                    existing.append(image)
                }
            }
            raw["images"] = .array(existing)
        }
        if !commonLabels.isEmpty {
            let entry: JSONValue = .object(["pairs": .object(commonLabels.mapValues(JSONValue.string))])
            raw["labels"] = .array((raw["labels"]?.arrayValue ?? []) + [entry])
        }
        if !commonAnnotations.isEmpty {
            var annotations = raw["commonAnnotations"]?.objectValue ?? [:]
            for (key, value) in commonAnnotations { annotations[key] = .string(value) }
            raw["commonAnnotations"] = .object(annotations)
        }
    }
}

/// Flux's kustomization generation for a path without one: every YAML file below it that holds Kubernetes
/// objects, and every subdirectory with its own kustomization as one resource (not descended into).
public enum FluxKustomizationGenerator {
    public static func generate(directory: String, fileSystem: KustomizeFileSystem) throws(KustomizeError) -> JSONValue {
        var resources: [JSONValue] = []
        try walk(directory, base: directory, fileSystem: fileSystem, into: &resources)
        return .object(["apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
                        "resources": .array(resources)])
    }

    private static func walk(_ path: String, base: String, fileSystem: KustomizeFileSystem,
                             into resources: inout [JSONValue]) throws(KustomizeError) {
        for name in try fileSystem.list(path) {
            if name.hasPrefix(".") { continue }
            let child = try fileSystem.resolve(name, relativeTo: path)
            let relative = String((path + "/" + name).dropFirst(base.count + 1))
            if fileSystem.isDirectory(child) {
                if Kustomization.fileNames.contains(where: { fileSystem.isFile(child + "/" + $0) }) {
                    resources.append(.string(relative))
                } else {
                    try walk(path + "/" + name, base: base, fileSystem: fileSystem, into: &resources)
                }
            } else if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                // A file that does not parse fails the build, as in Flux: skipping it would turn a typo into an
                // empty build, and a prune of everything it used to hold.
                let bytes = try fileSystem.readFile(child, displayName: relative)
                let documents: [JSONValue]
                do {
                    documents = try YAML.decodeAll(bytes, rules: .kyaml)
                } catch {
                    let file = (try? fileSystem.relativePath(ofLocal: child)) ?? relative
                    throw KustomizeError("failed to decode Kubernetes YAML from \(file): \(error)")
                }
                guard !documents.isEmpty,
                    documents.allSatisfy({ $0["apiVersion"]?.stringValue != nil && $0["kind"]?.stringValue != nil })
                else { continue }
                resources.append(.string(relative))
            }
        }
    }
}
