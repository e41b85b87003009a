import GitOpsKit

/// Typed, strict access to one object of a kustomization (a generator entry or `generatorOptions`), with errors that
/// name the file and the field as kustomize's strict decoding would refuse them.
struct GeneratorFieldReader {
    let file: String
    let path: String
    let fields: [String: JSONValue]

    /// Reads `value` at `path` as an object whose keys must all be in `known`; `nil` for an absent/null value.
    init?(_ value: JSONValue?, file: String, path: String, known: Set<String>) throws(KustomizeGeneratorError) {
        self.file = file
        self.path = path
        switch value {
        case nil, .null?:
            return nil
        case .object(let fields)?:
            if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
                throw KustomizeGeneratorError(file: file, field: "\(path).\(unknown)", reason: .unknownField(unknown))
            }
            self.fields = fields
        case let other?:
            throw KustomizeGeneratorError(
                file: file, field: path, reason: .wrongType(expected: "object", found: other.typeName))
        }
    }

    func error(_ key: String, _ reason: KustomizeGeneratorError.Reason) -> KustomizeGeneratorError {
        KustomizeGeneratorError(file: file, field: "\(path).\(key)", reason: reason)
    }

    /// A string field; absent or null reads as "" as Go's decoder leaves it.
    func string(_ key: String) throws(KustomizeGeneratorError) -> String {
        switch fields[key] {
        case nil, .null?: return ""
        case .string(let text)?: return text
        case let other?: throw error(key, .wrongType(expected: "string", found: other.typeName))
        }
    }

    func bool(_ key: String) throws(KustomizeGeneratorError) -> Bool {
        switch fields[key] {
        case nil, .null?: return false
        case .bool(let flag)?: return flag
        case let other?: throw error(key, .wrongType(expected: "boolean", found: other.typeName))
        }
    }

    func strings(_ key: String) throws(KustomizeGeneratorError) -> [String] {
        switch fields[key] {
        case nil, .null?: return []
        case .array(let items)?:
            var result: [String] = []
            for (index, item) in items.enumerated() {
                guard case .string(let text) = item else {
                    throw error("\(key)[\(index)]", .wrongType(expected: "string", found: item.typeName))
                }
                result.append(text)
            }
            return result
        case let other?: throw error(key, .wrongType(expected: "list of strings", found: other.typeName))
        }
    }

    /// A string-to-string map; `nil` when absent or null (kustomize distinguishes that from an empty map only where
    /// it makes no difference to the output).
    func stringMap(_ key: String) throws(KustomizeGeneratorError) -> [String: String]? {
        switch fields[key] {
        case nil, .null?: return nil
        case .object(let entries)?:
            var result: [String: String] = [:]
            for (name, value) in entries {
                switch value {
                case .string(let text): result[name] = text
                case .null: result[name] = ""
                default: throw error("\(key).\(name)", .wrongType(expected: "string", found: value.typeName))
                }
            }
            return result
        case let other?: throw error(key, .wrongType(expected: "map of strings", found: other.typeName))
        }
    }
}
