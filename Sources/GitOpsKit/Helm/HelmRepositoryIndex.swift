/// A Helm chart repository's `index.yaml`: every chart name with its versions, each with download URLs and a
/// digest. source-controller validates it (HelmRepository) and picks chart versions from it (HelmChart).
///
/// Loading follows Helm and Flux: an empty document or one without `apiVersion` is refused; entries that break
/// Helm's metadata rules (no name, a version that is not SemVer) are left out and listed in ``skipped``; each
/// chart's versions are sorted newest first.
///
/// Usage:
/// ```swift
/// let index = try HelmRepositoryIndex(bytes: downloaded)
/// let entry = try index.entry(named: "podinfo", matching: ">=6.0.0 <7.0.0")   // the newest match
/// let url = try entry.downloadURL(relativeTo: repository.spec.url)
/// ```
public struct HelmRepositoryIndex: Sendable, Hashable {
    /// One chart version as the index lists it (Helm's `repo.ChartVersion`).
    public struct Entry: Sendable, Hashable {
        /// The Chart.yaml fields the index repeats.
        public var metadata: ChartMetadata
        /// Download locations, absolute or relative to the repository URL; the first is used.
        public var urls: [String]
        /// Hex SHA-256 of the chart archive, when the index has one.
        public var digest: String?
        public var created: String?
        public var removed: Bool

        public var name: String { metadata.name }
        public var version: String { metadata.version }
    }

    public var apiVersion: String
    public var generated: String?
    /// Chart name → versions, newest first.
    public var entries: [String: [Entry]]
    /// Why each left-out entry was invalid (`podinfo 1.x: chart.metadata.version "1.x" is invalid`).
    public var skipped: [String]

    /// Parses `index.yaml` (or its JSON form).
    ///
    /// - Throws: ``HelmIndexError`` saying what is wrong: empty, not YAML (with line and column), no `apiVersion`,
    ///   or `entries` of the wrong shape.
    public init(bytes: [UInt8], limits: YAMLLimits = .default) throws(HelmIndexError) {
        guard bytes.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else { throw .empty }
        let document: JSONValue
        do {
            document = try YAML.decode(bytes, limits: limits)
        } catch {
            throw .malformed("\(error)")
        }
        guard case .object = document else {
            throw .malformed("expected a mapping at the top level, found \(document.typeName)")
        }
        guard let apiVersion = ChartMetadata.text(document["apiVersion"]), !apiVersion.isEmpty else {
            throw .noAPIVersion
        }
        self.apiVersion = apiVersion
        self.generated = ChartMetadata.text(document["generated"])
        var entries: [String: [Entry]] = [:]
        var skipped: [String] = []
        switch document["entries"] {
        case nil, .null?:
            break
        case .object(let members)?:
            for (name, list) in members {
                guard case .array(let versions) = list else {
                    throw .invalidEntries("entries.\(name) must be a list of chart versions, found \(list.typeName)")
                }
                var valid: [(entry: Entry, version: SemanticVersion)] = []
                for (position, item) in versions.enumerated() {
                    do {
                        let entry = try Self.entry(from: item)
                        guard let version = SemanticVersion(entry.version) else { continue }  // validate() refused it
                        valid.append((entry, version))
                    } catch {
                        let label = ChartMetadata.text(item["version"]).map { "\(name) \($0)" } ?? "\(name)[\(position)]"
                        skipped.append("\(label): \(error)")
                    }
                }
                // Newest first; equal precedence keeps the index order (stable sort).
                entries[name] = valid.enumerated().sorted { a, b in
                    a.element.version != b.element.version ? a.element.version > b.element.version : a.offset < b.offset
                }.map(\.element.entry)
            }
        case let other?:
            throw .invalidEntries("entries must be a mapping of chart names, found \(other.typeName)")
        }
        self.entries = entries
        self.skipped = skipped.sorted()
    }

    /// The chart version to use for `name` and a version expression, as Flux picks it: an entry whose version is
    /// exactly `constraint` wins; otherwise the newest version satisfying the SemVer range (default `*`, which
    /// excludes prereleases unless the range names one, as Masterminds/semver does).
    public func entry(named name: String, matching constraint: String = "*") throws(HelmIndexError) -> Entry {
        guard let versions = entries[name], !versions.isEmpty else { throw .chartNotFound(name: name) }
        let expression = constraint.trimmingWhitespace().isEmpty ? "*" : constraint
        if let exact = versions.first(where: { $0.version == expression }) { return exact }
        let parsed: SemverConstraint
        do {
            parsed = try SemverConstraint(expression)
        } catch {
            throw .invalidConstraint("\(error)")
        }
        // `versions` is sorted newest first, so the first match is the highest.
        for entry in versions {
            if let version = SemanticVersion(entry.version), parsed.isSatisfied(by: version) { return entry }
        }
        throw .noMatchingVersion(name: name, constraint: expression)
    }

    private static func entry(from value: JSONValue) throws(HelmChartError) -> Entry {
        guard case .object = value else { throw .invalidMetadata("expected a mapping, found \(value.typeName)") }
        var metadata = try ChartMetadata(value: value)
        if metadata.apiVersion.isEmpty { metadata.apiVersion = "v1" }  // as Helm defaults index entries
        try metadata.validate()
        let urls = (value["urls"]?.arrayValue ?? []).compactMap { ChartMetadata.text($0) }
        return Entry(metadata: metadata, urls: urls, digest: ChartMetadata.text(value["digest"]).flatMap { $0.isEmpty ? nil : $0 },
                     created: ChartMetadata.text(value["created"]), removed: value["removed"]?.boolValue ?? false)
    }
}

extension HelmRepositoryIndex.Entry {
    /// The absolute URL of the chart archive: the first of ``urls``, resolved against `repositoryURL` when relative
    /// (the repository URL is treated as a directory, and its query string is kept, as Flux does).
    ///
    /// - Throws: `HelmIndexError.invalidEntries` when the entry has no URL.
    public func downloadURL(relativeTo repositoryURL: String) throws(HelmIndexError) -> String {
        guard let first = urls.first(where: { !$0.isEmpty }) else {
            throw .invalidEntries("chart '\(name)' version '\(version)' has no download URL")
        }
        return HelmURL.resolve(first, against: repositoryURL)
    }
}
