/// The rule the Kubernetes API server applies to ConfigMap and Secret data keys.
///
/// kustomize v5 itself skips this check (its validator is a no-op) and leaves the refusal to the API server at
/// apply time; this engine refuses such keys at build time, naming the key.
enum DataKey {
    /// Why `key` is not a valid data key, or nil when it is.
    static func problems(_ key: String) -> String? {
        var problems: [String] = []
        if key.utf8.count > 253 { problems.append("must be no more than 253 characters") }
        let allowed = !key.isEmpty && key.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                return true
            default:
                return false
            }
        }
        if !allowed {
            problems.append(
                "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name', or "
                    + "'KEY_NAME', or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")
        }
        if key == "." {
            problems.append("must not be '.'")
        } else if key == ".." {
            problems.append("must not be '..'")
        } else if key.hasPrefix("..") {
            problems.append("must not start with '..'")
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }
}
