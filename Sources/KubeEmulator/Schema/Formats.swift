import Foundation

/// The string formats kube-apiserver checks in custom resources (kube-openapi `strfmt`). Unknown formats pass,
/// as they do there.
enum Formats {
    static func isValid(_ s: String, format: String) -> Bool {
        switch format {
        case "date-time", "datetime": return matches(s, #"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"#)
        case "date": return matches(s, #"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"#)
        case "duration": return matches(s, #"^[-+]?(\d+(\.\d+)?\s*(ns|us|µs|ms|s|m|h|d|w|y)\s*)+$"#)
        case "uuid": return matches(s, #"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$"#)
        case "byte": return Data(base64Encoded: s) != nil
        case "ipv4": return isIPv4(s)
        case "ipv6": return s.contains(":") && isIPv6(s)
        case "cidr":
            let parts = s.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let bits = Int(parts[1]) else { return false }
            if isIPv4(String(parts[0])) { return (0...32).contains(bits) }
            return isIPv6(String(parts[0])) && (0...128).contains(bits)
        case "hostname":
            return s.count <= 253 && matches(s, #"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$"#)
        case "email": return matches(s, #"^[^@\s]+@[^@\s]+$"#)
        case "uri": return URL(string: s)?.scheme != nil
        case "mac": return matches(s, #"^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$"#)
        default: return true
        }
    }

    static func matches(_ s: String, _ pattern: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return false }
        return regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
    }

    static func isIPv4(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isNumber) && (Int(part) ?? 256) <= 255
        }
    }

    static func isIPv6(_ s: String) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET6, s, &address) == 1
    }
}
