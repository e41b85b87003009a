import GitOpsKit

extension KustomizeGenerators {
    /// The object kustomize keeps when a generator with `behavior: merge` or `replace` meets `existing`, an object of
    /// the same id from an earlier layer.
    ///
    /// Both behaviors keep `existing`'s name and namespace and merge labels and annotations (the generated ones win
    /// on equal keys); `merge` also merges `data` and `binaryData` (generated wins; existing scalar values become
    /// their text), `replace` keeps only the generated data. Every other field (`type`, `immutable`, …) is the
    /// generated object's. `create` throws, as kustomize refuses a second object with one id.
    public static func merge(_ generated: GeneratedResource, into existing: JSONValue) throws -> JSONValue {
        guard case .object(var result) = generated.object, case .object(let old) = existing else {
            throw KustomizeGeneratorMergeError.notObjects
        }
        guard generated.behavior != .create else {
            throw KustomizeGeneratorMergeError.behaviorMustBeMergeOrReplace(
                kind: generated.object["kind"]?.stringValue ?? "", name: generated.object[path: "metadata", "name"]?.stringValue ?? "")
        }
        var metadata = result["metadata"]?.objectValue ?? [:]
        let oldMetadata = old["metadata"]?.objectValue ?? [:]
        for field in ["labels", "annotations"] {
            let merged = stringMap(oldMetadata[field]).merging(stringMap(metadata[field])) { _, new in new }
            metadata[field] = merged.isEmpty ? Optional.none : GeneratedObject.stringMap(merged)
        }
        metadata["name"] = nonEmptyString(oldMetadata["name"])
        metadata["namespace"] = nonEmptyString(oldMetadata["namespace"])
        result["metadata"] = .object(metadata)
        if generated.behavior == .merge {
            for field in ["data", "binaryData"] {
                let merged = stringMap(old[field]).merging(stringMap(result[field])) { _, new in new }
                result[field] = merged.isEmpty ? Optional.none : GeneratedObject.stringMap(merged)
            }
        }
        return .object(result)
    }

    /// `merge(_:into:)` with the hash decision kustomize makes: the merged object gets a name hash only when both
    /// the generator and the existing object asked for one (an object from a plain resource file never does).
    public static func merge(_ generated: GeneratedResource, into existing: GeneratedResource) throws
        -> GeneratedResource
    {
        GeneratedResource(
            object: try merge(generated, into: existing.object),
            behavior: existing.behavior,
            appendHashSuffix: generated.appendHashSuffix && existing.appendHashSuffix)
    }

    /// A string map read like kustomize reads data and metadata maps: each scalar as its text (null as "").
    private static func stringMap(_ value: JSONValue?) -> [String: String] {
        guard case .object(let fields)? = value else { return [:] }
        return fields.mapValues(scalarText)
    }

    private static func scalarText(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number): "\(number)"
        case .bool(let flag): flag ? "true" : "false"
        case .null, .array, .object: ""
        }
    }

    private static func nonEmptyString(_ value: JSONValue?) -> JSONValue? {
        let text = value.map(scalarText) ?? ""
        return text.isEmpty ? Optional.none : .string(text)
    }
}
