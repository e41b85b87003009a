import GitOpsKit

/// Which fields a schema pruned.
enum UnknownFields {
    /// Dotted paths present in `original` but not in `pruned`.
    static func paths(in original: JSONValue, keptIn pruned: JSONValue, prefix: String = "") -> [String] {
        switch (original, pruned) {
        case (.object(let a), .object(let b)):
            var out: [String] = []
            for key in a.keys.sorted() {
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                if let kept = b[key], let value = a[key] {
                    out += paths(in: value, keptIn: kept, prefix: path)
                } else {
                    out.append(path)
                }
            }
            return out
        case (.array(let a), .array(let b)) where a.count == b.count:
            return zip(a, b).enumerated().flatMap { i, pair in paths(in: pair.0, keptIn: pair.1, prefix: "\(prefix)[\(i)]") }
        default:
            return []
        }
    }
}
