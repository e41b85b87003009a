import FoundationEssentials
import GitOpsKit

/// Builds kustomizations in-process with `kubectl kustomize` (kustomize v5) semantics, confined to one root.
///
/// Usage:
/// ```swift
/// let builder = try KustomizeBuilder(root: artifactDirectory)
/// let objects = try builder.build(path: "apps/production")
/// print(YAML.encodeAll(objects), terminator: "")   // what `kubectl kustomize` prints
/// ```
/// Files a kustomization names must lie in or below its own directory (kustomize's default load restriction),
/// bases and components anywhere under the root; remote bases are refused.
public struct KustomizeBuilder: Sendable {
    public let fileSystem: KustomizeFileSystem

    public init(root: String) throws(KustomizeError) {
        fileSystem = try KustomizeFileSystem(root: root)
    }

    public init(fileSystem: KustomizeFileSystem) {
        self.fileSystem = fileSystem
    }

    /// The objects `kubectl kustomize <root>/<path>` prints, in its order.
    /// - Parameter path: the kustomization directory, relative to the root.
    public func build(path: String) throws(KustomizeError) -> [JSONValue] {
        try build(path: path, overlay: nil)
    }

    /// Builds `path` with a Flux Kustomization's settings applied on top (and a generated kustomization when the
    /// directory has none), as kustomize-controller does.
    public func build(path: String, overlay: FluxKustomizeOverlay?) throws(KustomizeError) -> [JSONValue] {
        let directory = try fileSystem.directory(path)
        var rootKustomization: Kustomization?
        if let overlay {
            rootKustomization = try overlay.kustomization(for: directory, fileSystem: fileSystem)
        }
        var map = try accumulate(directory: directory, override: rootKustomization, isComponent: false, stack: [])
        try map.addHashSuffixes()
        try map.fixNameReferences()
        var kustomization = rootKustomization
        if kustomization == nil { kustomization = try loadKustomization(in: directory) }
        switch kustomization?.sortOrder ?? .legacy(first: LegacyOrder.defaultFirst, last: LegacyOrder.defaultLast) {
        case .fifo: return map.resources.map(\.object)
        case .legacy(let first, let last): return LegacyOrder.sort(map.resources, first: first, last: last).map(\.object)
        }
    }

    /// The kustomization file of `directory`, or nil when it has none.
    func loadKustomization(in directory: String) throws(KustomizeError) -> Kustomization? {
        let present = Kustomization.fileNames.filter { fileSystem.isFile(directory + "/" + $0) }
        guard let name = present.first else { return nil }
        if present.count > 1 {
            throw KustomizeError("Found multiple kustomization files under: \(fileSystem.display(directory))")
        }
        let file = directory + "/" + name
        let display = fileSystem.display(file)
        let bytes = try fileSystem.readFile(try fileSystem.resolve(name, relativeTo: directory), displayName: display)
        let value: JSONValue
        do {
            value = try YAML.decode(bytes)
        } catch {
            throw KustomizeError("invalid Kustomization in '\(display)': \(error)")
        }
        return try Kustomization(value, file: display)
    }

    /// Builds one kustomization directory into a fresh map (or, for a component, into `into`).
    func accumulate(directory: String, override: Kustomization? = nil, isComponent: Bool, stack: [String],
                    into existing: ResourceMap = ResourceMap()) throws(KustomizeError) -> ResourceMap {
        if stack.contains(directory) {
            throw KustomizeError("cycle detected: '\(fileSystem.display(directory))' includes itself")
        }
        var loaded = override
        if loaded == nil { loaded = try loadKustomization(in: directory) }
        guard let kustomization = loaded else {
            throw KustomizeError(
                "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '\(fileSystem.display(directory))'")
        }
        if isComponent, !kustomization.isComponent {
            throw KustomizeError("expected kind 'Component' for path '\(fileSystem.display(directory))'")
        }
        if !isComponent, kustomization.isComponent {
            throw KustomizeError("expected kind != 'Component' for path '\(fileSystem.display(directory))'")
        }
        var map = existing
        let stack = stack + [directory]
        do {
            try accumulateResources(kustomization, directory: directory, into: &map, stack: stack)
        } catch {
            throw error.prefixed("accumulating resources")
        }
        try checkCRDs(kustomization, directory: directory)
        try runGenerators(kustomization, directory: directory, into: &map)
        for component in kustomization.components {
            try refuseRemote(component, kustomization: kustomization)
            let componentDirectory = try fileSystem.resolve(component, relativeTo: directory)
            guard fileSystem.isDirectory(componentDirectory) else {
                throw KustomizeError("accumulating components: component '\(component)' in '\(kustomization.file)' is not a directory")
            }
            map = try accumulate(directory: componentDirectory, isComponent: true, stack: stack, into: map)
        }
        try runTransformers(kustomization, directory: directory, on: &map)
        return map
    }

    private func accumulateResources(_ kustomization: Kustomization, directory: String, into map: inout ResourceMap,
                                     stack: [String]) throws(KustomizeError) {
        for entry in kustomization.resources {
            try refuseRemote(entry, kustomization: kustomization)
            let path = try fileSystem.resolve(entry, relativeTo: directory)
            if fileSystem.isFile(path) {
                let objects = try loadObjects(entry, directory: directory, kustomization: kustomization)
                for object in objects {
                    do { try map.append(KustomizeResource(object: object)) } catch {
                        throw error.prefixed("merging resources from '\(entry)'")
                    }
                }
            } else if fileSystem.isDirectory(path) {
                let sub = try accumulate(directory: path, isComponent: false, stack: stack)
                do { try map.append(contentsOf: sub) } catch {
                    throw error.prefixed("recursed merging from path '\(fileSystem.display(path))'")
                }
            } else {
                throw KustomizeError("'\(entry)' in '\(kustomization.file)' does not exist")
            }
        }
    }

    /// Objects of a file a kustomization names, which must lie in or below the kustomization's directory.
    func loadObjects(_ entry: String, directory: String, kustomization: Kustomization) throws(KustomizeError) -> [JSONValue] {
        let text = try loadText(entry, directory: directory, kustomization: kustomization)
        let documents: [JSONValue]
        do {
            documents = try YAML.decodeAll(Array(text.utf8), rules: .kyaml)
        } catch {
            throw KustomizeError("accumulating resources from '\(entry)': MalformedYAMLError: \(error)")
        }
        var objects: [JSONValue] = []
        for document in documents {
            guard case .object = document else {
                throw KustomizeError("accumulating resources from '\(entry)': expected an object, got \(document.typeName)")
            }
            if let kind = document["kind"]?.stringValue, kind.hasSuffix("List"), case .array(let items)? = document["items"] {
                objects += items.filter { !$0.isNull }
            } else {
                guard document["kind"]?.stringValue?.isEmpty == false else {
                    throw KustomizeError("accumulating resources from '\(entry)': missing kind in object")
                }
                objects.append(document)
            }
        }
        return objects
    }

    /// Text of a file named by a kustomization (resources, patches, CRDs), restricted to its directory.
    func loadText(_ entry: String, directory: String, kustomization: Kustomization) throws(KustomizeError) -> String {
        let path = try fileSystem.resolve(entry, relativeTo: directory)
        guard path == directory || path.hasPrefix(directory + "/") else {
            throw KustomizeError(
                "security; file '\(fileSystem.display(path))' named in '\(kustomization.file)' is not in or below '\(fileSystem.display(directory))'")
        }
        let bytes = try fileSystem.readFile(path, displayName: entry)
        return String(decoding: bytes, as: UTF8.self)
    }

    private func refuseRemote(_ entry: String, kustomization: Kustomization) throws(KustomizeError) {
        let lower = entry.lowercased()
        let remote = lower.contains("://") || lower.hasPrefix("git@") || lower.hasPrefix("github.com/")
            || lower.hasPrefix("gitlab.com/") || lower.hasPrefix("bitbucket.org/") || lower.contains("?ref=")
            || lower.contains("//?") || lower.hasSuffix(".git")
        if remote {
            throw KustomizeError("remote resource '\(entry)' in '\(kustomization.file)' is not supported: only local paths inside the root can be built")
        }
        if entry.hasPrefix("/") {
            throw KustomizeError("security; '\(entry)' in '\(kustomization.file)' is an absolute path; only paths inside the root can be used")
        }
    }

    /// `crds:` files must exist and parse; their OpenAPI name-reference annotations are not used.
    private func checkCRDs(_ kustomization: Kustomization, directory: String) throws(KustomizeError) {
        for entry in kustomization.crds {
            let text = try loadText(entry, directory: directory, kustomization: kustomization)
            do { _ = try YAML.decodeAll(Array(text.utf8), rules: .kyaml) } catch {
                throw KustomizeError("loading CRDs [\(entry)] in '\(kustomization.file)': \(error)")
            }
        }
    }

    private func runGenerators(_ kustomization: Kustomization, directory: String, into map: inout ResourceMap) throws(KustomizeError) {
        guard kustomization.hasGenerators else { return }
        let generated: [GeneratedResource]
        do {
            generated = try KustomizeGenerators.generate(kustomization: kustomization.raw, directory: directory,
                                                         files: GeneratorFileReader(fileSystem: fileSystem, directory: directory),
                                                         file: kustomization.file)
        } catch let error as KustomizeError {
            throw error
        } catch {
            throw KustomizeError("generating resources in '\(kustomization.file)': \(error)")
        }
        for item in generated {
            var resource = KustomizeResource(object: item.object)
            resource.behavior = item.behavior
            resource.needsHashSuffix = item.appendHashSuffix
            try map.absorb(resource)
        }
    }

    private func runTransformers(_ kustomization: Kustomization, directory: String, on map: inout ResourceMap) throws(KustomizeError) {
        for entry in kustomization.patchesStrategicMerge {
            let text = try patchText(entry, directory: directory, kustomization: kustomization)
            guard case .strategicMerge(let documents) = try LoadedPatch(text: text, source: "[\(entry)]") else {
                throw KustomizeError("patchesStrategicMerge entry '\(entry)' in '\(kustomization.file)' is not a strategic merge patch")
            }
            for document in documents { try map.applyStrategicMergeByID(document, source: "[\(entry)]") }
        }
        for patch in kustomization.patches {
            let (loaded, source) = try loadPatch(patch, directory: directory, kustomization: kustomization)
            try map.applyPatch(loaded, target: patch.target, allowNameChange: patch.allowNameChange,
                               allowKindChange: patch.allowKindChange, source: source)
        }
        try map.setNamespace(kustomization.namespace)
        map.addNameAffix(prefix: kustomization.namePrefix)
        map.addNameAffix(suffix: kustomization.nameSuffix)
        try map.applyLabels(kustomization)
        try map.setMapEntries(kustomization.commonAnnotations, specs: BuiltinFieldSpecs.commonAnnotations)
        for patch in kustomization.patchesJson6902 {
            guard patch.target != nil else {
                throw KustomizeError("patchesJson6902 entry in '\(kustomization.file)' must specify a target")
            }
            let (loaded, source) = try loadPatch(patch, directory: directory, kustomization: kustomization)
            guard case .json6902 = loaded else {
                throw KustomizeError("patchesJson6902 entry \(source) in '\(kustomization.file)' is not a JSON 6902 patch")
            }
            try map.applyPatch(loaded, target: patch.target, allowNameChange: false, allowKindChange: false, source: source)
        }
        for replica in kustomization.replicas { try map.applyReplicas(replica) }
        for image in kustomization.images { try map.applyImage(image) }
    }

    /// A `patchesStrategicMerge` entry is a file path, or the patch itself when no such file exists.
    private func patchText(_ entry: String, directory: String, kustomization: Kustomization) throws(KustomizeError) -> String {
        let looksInline = entry.contains("\n") || entry.contains(":")
        if looksInline { return entry }
        return try loadText(entry, directory: directory, kustomization: kustomization)
    }

    private func loadPatch(_ patch: Kustomization.PatchEntry, directory: String,
                           kustomization: Kustomization) throws(KustomizeError) -> (LoadedPatch, String) {
        let inline = patch.patch.map { $0.trimmingWhitespace() } ?? ""
        let path = patch.path ?? ""
        switch (inline.isEmpty, path.isEmpty) {
        case (true, true):
            throw KustomizeError("must specify one of patch and path in a patch of '\(kustomization.file)'")
        case (false, false):
            throw KustomizeError("patch and path can't be set at the same time in a patch of '\(kustomization.file)'")
        case (false, true):
            return (try LoadedPatch(text: inline, source: "[patch: \(inline.debugDescription)]"), "[patch in \(kustomization.file)]")
        case (true, false):
            let text = try loadText(path, directory: directory, kustomization: kustomization)
            return (try LoadedPatch(text: text, source: "[path: \"\(path)\"]"), "[path: \"\(path)\"]")
        }
    }
}

/// Root-restricted reads for generators, relative to one kustomization's directory.
public struct GeneratorFileReader: KustomizeFileReading {
    let fileSystem: KustomizeFileSystem
    let directory: String

    public func read(_ path: String, relativeTo directory: String) throws -> [UInt8] {
        let resolved = try fileSystem.resolve(path, relativeTo: directory)
        guard resolved.hasPrefix(directory + "/") else {
            throw KustomizeError("security; file '\(path)' is not in or below '\(fileSystem.display(directory))'")
        }
        return try fileSystem.readFile(resolved, displayName: path)
    }
}

extension ResourceMap {
    /// Appends `-<hash>` to generated objects that asked for it, after every merge (kustomize's HashTransformer).
    mutating func addHashSuffixes() throws(KustomizeError) {
        for index in resources.indices where resources[index].needsHashSuffix {
            let suffix: String
            do { suffix = try KustomizeHash.suffix(for: resources[index].object) } catch {
                throw KustomizeError("hashing \(resources[index].currentID): \(error)")
            }
            resources[index].storePreviousID()
            resources[index].object = resources[index].setName(resources[index].name + "-" + suffix)
        }
    }
}
