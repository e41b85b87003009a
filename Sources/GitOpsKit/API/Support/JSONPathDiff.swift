/// Finds the members of one JSON document that another lacks: how `unsupportedFields(in:)` sees what decoding
/// into a struct dropped.
enum JSONPathDiff {
    /// Paths (`spec.verify.provider`, `spec.include[0].foo`) of non-null members of `original` that are missing
    /// from `roundTripped`, sorted. A missing object is reported once, not per member.
    static func pathsMissing(from roundTripped: JSONValue, presentIn original: JSONValue) -> [String] {
        var paths: [String] = []
        collect(original, roundTripped, path: "", into: &paths)
        return paths.sorted()
    }

    private static func collect(_ original: JSONValue, _ kept: JSONValue, path: String, into paths: inout [String]) {
        switch (original, kept) {
        case (.object(let members), .object(let keptMembers)):
            for (key, value) in members where value != .null {
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if let keptValue = keptMembers[key] {
                    collect(value, keptValue, path: childPath, into: &paths)
                } else {
                    paths.append(childPath)
                }
            }
        case (.array(let elements), .array(let keptElements)):
            for (index, element) in elements.enumerated() where element != .null {
                let childPath = "\(path)[\(index)]"
                if index < keptElements.count {
                    collect(element, keptElements[index], path: childPath, into: &paths)
                } else {
                    paths.append(childPath)
                }
            }
        default:
            break
        }
    }
}
