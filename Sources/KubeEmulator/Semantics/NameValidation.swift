/// Name and label checks with apimachinery's error texts.
enum NameValidation {
    enum Rule: Sendable {
        /// DNS-1123 subdomain (most kinds).
        case subdomain
        /// DNS-1123 label (namespaces).
        case label
        /// DNS-1035 label (services).
        case dns1035
        /// Any path segment (RBAC kinds).
        case pathSegment
    }

    static let subdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    static let labelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    static let dns1035Message = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"

    /// The problems with `name` under `rule` (empty when valid).
    static func problems(_ name: String, rule: Rule) -> [String] {
        var out: [String] = []
        if name == "." || name == ".." { out.append("may not be '\(name)'") }
        if name.contains("/") { out.append("may not contain '/'") }
        if name.contains("%") { out.append("may not contain '%'") }
        switch rule {
        case .pathSegment:
            break
        case .subdomain:
            if name.utf8.count > 253 { out.append("must be no more than 253 characters") }
            if !isSubdomain(name) { out.append(subdomainMessage) }
        case .label:
            if name.utf8.count > 63 { out.append("must be no more than 63 characters") }
            if !isLabel(name) { out.append(labelMessage) }
        case .dns1035:
            if name.utf8.count > 63 { out.append("must be no more than 63 characters") }
            if !isDNS1035(name) { out.append(dns1035Message) }
        }
        return out
    }

    private static func isLowerAlnum(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 48 && c <= 57) }
    private static func isAlnum(_ c: UInt8) -> Bool { isLowerAlnum(c) || (c >= 65 && c <= 90) }

    static func isLabel(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard let first = b.first, let last = b.last, isLowerAlnum(first), isLowerAlnum(last) else { return false }
        return b.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    static func isSubdomain(_ s: String) -> Bool {
        guard !s.isEmpty else { return false }
        return s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isLabel(String($0)) }
    }

    static func isDNS1035(_ s: String) -> Bool {
        guard let first = s.utf8.first, first >= 97, first <= 122 else { return false }
        return isLabel(s)
    }

    /// A qualified name part: `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`.
    static func isQualifiedNamePart(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard let first = b.first, let last = b.last, isAlnum(first), isAlnum(last) else { return false }
        return b.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }
}

/// Label key and value checks (`metadata.labels`, selectors).
enum LabelValidation {
    static let namePartMessage = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
    static let valueMessage = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"

    /// Why `key` is not a valid qualified name, or nil.
    static func keyProblem(_ key: String) -> String? {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        let name: Substring
        switch parts.count {
        case 1: name = parts[0]
        case 2:
            let prefix = String(parts[0])
            if prefix.isEmpty { return "prefix part must be non-empty" }
            if !NameValidation.isSubdomain(prefix) { return "prefix part \(NameValidation.subdomainMessage)" }
            if prefix.utf8.count > 253 { return "prefix part must be no more than 253 characters" }
            name = parts[1]
        default:
            return "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        }
        if name.isEmpty { return "name part must be non-empty" }
        if name.utf8.count > 63 { return "name part must be no more than 63 characters" }
        if !NameValidation.isQualifiedNamePart(String(name)) { return namePartMessage }
        return nil
    }

    /// Why `value` is not a valid label value, or nil.
    static func valueProblem(_ value: String) -> String? {
        if value.isEmpty { return nil }
        if value.utf8.count > 63 { return "must be no more than 63 characters" }
        if !NameValidation.isQualifiedNamePart(value) { return valueMessage }
        return nil
    }
}
