import FoundationEssentials

/// One CustomResourceDefinition manifest (`apiextensions.k8s.io/v1`), as shipped in `config/crd/bases`: the names,
/// scope and per-version settings the API server serves a Flux kind with.
///
/// Usage:
/// ```swift
/// let crds = try CRDManifests.load(fromDirectory: "config/crd/bases")
/// let gitRepositories = crds.first { $0.kind == GitRepository.kind.kind }
/// let schema = gitRepositories?.version("v1")?.openAPIV3Schema
/// ```
public struct CRDManifest: Hashable, Sendable {
    /// One entry of `spec.versions`.
    public struct Version: Hashable, Sendable {
        public var name: String
        public var served: Bool
        public var storage: Bool
        /// Whether `subresources.status` is set (status is then written only through `/status`).
        public var hasStatusSubresource: Bool
        /// `additionalPrinterColumns`, in order.
        public var printerColumns: [PrinterColumn]
        /// `schema.openAPIV3Schema`, nil when the version has none.
        public var openAPIV3Schema: JSONValue?
    }

    /// One `additionalPrinterColumns` entry: what `kubectl get` shows.
    public struct PrinterColumn: Hashable, Sendable {
        public var name: String
        public var type: String
        public var jsonPath: String
        /// 0 for the default view, more for `-o wide` only.
        public var priority: Int
    }

    /// The whole manifest, as decoded.
    public let object: JSONValue
    /// `metadata.name`, `<plural>.<group>`.
    public let name: String
    public let group: String
    public let kind: String
    public let plural: String
    public let singular: String?
    public let shortNames: [String]
    public let categories: [String]
    /// `spec.scope == Namespaced`.
    public let isNamespaced: Bool
    public let versions: [Version]

    /// Reads a CRD manifest.
    ///
    /// - Throws: `CRDManifestError` when `object` is not an `apiextensions.k8s.io/v1` CustomResourceDefinition or
    ///   lacks a name, group, kind, plural, scope or version.
    public init(_ object: JSONValue) throws(CRDManifestError) {
        guard object["apiVersion"]?.stringValue == "apiextensions.k8s.io/v1",
              object["kind"]?.stringValue == "CustomResourceDefinition"
        else {
            throw CRDManifestError(path: "", message: "not an apiextensions.k8s.io/v1 CustomResourceDefinition")
        }
        func string(_ path: String...) throws(CRDManifestError) -> String {
            var value: JSONValue? = object
            for key in path { value = value?[key] }
            guard let text = value?.stringValue, !text.isEmpty else {
                throw CRDManifestError(path: path.joined(separator: "."), message: "required value")
            }
            return text
        }
        self.object = object
        name = try string("metadata", "name")
        group = try string("spec", "group")
        kind = try string("spec", "names", "kind")
        plural = try string("spec", "names", "plural")
        singular = object[path: "spec", "names", "singular"]?.stringValue
        shortNames = (object[path: "spec", "names", "shortNames"]?.arrayValue ?? []).compactMap(\.stringValue)
        categories = (object[path: "spec", "names", "categories"]?.arrayValue ?? []).compactMap(\.stringValue)
        isNamespaced = try string("spec", "scope") == "Namespaced"
        var versions: [Version] = []
        for (index, entry) in (object[path: "spec", "versions"]?.arrayValue ?? []).enumerated() {
            guard let versionName = entry["name"]?.stringValue, !versionName.isEmpty else {
                throw CRDManifestError(path: "spec.versions[\(index)].name", message: "required value")
            }
            let columns = (entry["additionalPrinterColumns"]?.arrayValue ?? []).map { column in
                PrinterColumn(name: column["name"]?.stringValue ?? "", type: column["type"]?.stringValue ?? "",
                              jsonPath: column["jsonPath"]?.stringValue ?? "",
                              priority: Int(column["priority"]?.intValue ?? 0))
            }
            versions.append(Version(
                name: versionName, served: entry["served"]?.boolValue ?? false,
                storage: entry["storage"]?.boolValue ?? false,
                hasStatusSubresource: entry[path: "subresources", "status"] != nil, printerColumns: columns,
                openAPIV3Schema: entry[path: "schema", "openAPIV3Schema"]))
        }
        guard !versions.isEmpty else { throw CRDManifestError(path: "spec.versions", message: "required value") }
        self.versions = versions
    }

    /// The version named `name`.
    public func version(_ name: String) -> Version? { versions.first { $0.name == name } }

    /// The version objects are stored in.
    public var storageVersion: Version? { versions.first(where: \.storage) }

    /// The group/version/kind of every served version.
    public var servedKinds: [GroupVersionKind] {
        versions.filter(\.served).map { GroupVersionKind(group: group, version: $0.name, kind: kind) }
    }
}

/// Why a CRD manifest could not be read: the file (or field) and the problem.
public struct CRDManifestError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file, or the field of the manifest, that is wrong.
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// The CRD manifests of `config/crd/bases`, one file per kind named `<group>_<plural>.yaml`.
public enum CRDManifests {
    /// The file name of the CRD of `type`: `source.toolkit.fluxcd.io_gitrepositories.yaml`.
    public static func fileName(for type: any FluxObject.Type) -> String {
        "\(type.kind.group)_\(type.plural).yaml"
    }

    /// Every CustomResourceDefinition in the `.yaml`/`.yml` files of `directory`, in file-name order (documents of
    /// other kinds are skipped).
    ///
    /// - Throws: `CRDManifestError` naming the file that cannot be read, is not valid YAML, or holds a malformed CRD.
    public static func load(fromDirectory directory: String) throws(CRDManifestError) -> [CRDManifest] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw CRDManifestError(path: directory, message: "cannot list the directory: \(error)")
        }
        var manifests: [CRDManifest] = []
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            manifests += try load(file: PathString.join(directory, name))
        }
        return manifests
    }

    /// Every CustomResourceDefinition in one YAML file (documents of other kinds are skipped).
    public static func load(file path: String) throws(CRDManifestError) -> [CRDManifest] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CRDManifestError(path: path, message: "cannot read the file")
        }
        let documents: [JSONValue]
        do {
            documents = try YAML.decodeAll(Array(data))
        } catch {
            throw CRDManifestError(path: path, message: "invalid YAML: \(error)")
        }
        var manifests: [CRDManifest] = []
        for document in documents where document["kind"]?.stringValue == "CustomResourceDefinition" {
            do {
                manifests.append(try CRDManifest(document))
            } catch {
                throw CRDManifestError(path: path, message: error.description)
            }
        }
        return manifests
    }
}
