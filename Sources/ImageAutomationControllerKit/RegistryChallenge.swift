/// A `WWW-Authenticate` challenge of a registry's 401: `Basic realm="…"` or
/// `Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:app:pull"`.
struct RegistryChallenge: Sendable, Hashable {
    enum Scheme: Sendable, Hashable { case basic, bearer, other(String) }

    var scheme: Scheme
    /// Lower-cased parameter names → values (quotes removed, `\"` unescaped).
    var parameters: [String: String]

    /// Parses the header value; nil when it is empty.
    init?(header: String) {
        var rest = Substring(header).drop(while: \.isWhitespace)
        let name = rest.prefix { !$0.isWhitespace }
        guard !name.isEmpty else { return nil }
        switch name.lowercased() {
        case "basic": scheme = .basic
        case "bearer": scheme = .bearer
        default: scheme = .other(String(name))
        }
        rest = rest.dropFirst(name.count)
        parameters = [:]
        while true {
            rest = rest.drop { $0.isWhitespace || $0 == "," }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = rest[..<equals].trimmedWhitespace.lowercased()
            rest = rest[rest.index(after: equals)...].drop(while: \.isWhitespace)
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if escaped {
                        value.append(character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        break
                    } else {
                        value.append(character)
                    }
                }
            } else {
                let token = rest.prefix { $0 != "," }
                value = token.trimmedWhitespace
                rest = rest.dropFirst(token.count)
            }
            parameters[key] = value
        }
    }

    var realm: String? { parameters["realm"] }
    var service: String? { parameters["service"] }
    var scope: String? { parameters["scope"] }
}
