/// `generatorOptions` (kustomization-wide) or a generator's `options`.
struct GeneratorOptions: Equatable {
    var labels: [String: String] = [:]
    var annotations: [String: String] = [:]
    var disableNameSuffixHash = false
    var immutable = false

    static let fieldNames: Set<String> = ["labels", "annotations", "disableNameSuffixHash", "immutable"]

    init() {}

    init(_ reader: GeneratorFieldReader) throws(KustomizeGeneratorError) {
        labels = try reader.stringMap("labels") ?? [:]
        annotations = try reader.stringMap("annotations") ?? [:]
        disableNameSuffixHash = try reader.bool("disableNameSuffixHash")
        immutable = try reader.bool("immutable")
    }

    /// The local options with the kustomization-wide ones folded in as kustomize does: local labels and annotations
    /// win over global ones of the same key; either side can disable the hash or make the object immutable.
    func merging(global: GeneratorOptions) -> GeneratorOptions {
        var result = self
        result.labels.merge(global.labels) { local, _ in local }
        result.annotations.merge(global.annotations) { local, _ in local }
        result.disableNameSuffixHash = disableNameSuffixHash || global.disableNameSuffixHash
        result.immutable = immutable || global.immutable
        return result
    }
}
