#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import GoTemplate

/// `urlParse`, `urlJoin` (Go's `net/url` parts and string form) and `getHostByName`.
extension Sprig {
    static var urlFunctions: [TemplateFunction] {
        [
            function("urlParse", [.string]) { args in
                let url = GoURL(parsing: text(args[0]))
                return .map([
                    "scheme": .string(url.scheme), "host": .string(url.host), "hostname": .string(url.hostname),
                    "path": .string(url.path), "query": .string(url.rawQuery), "opaque": .string(url.opaque),
                    "fragment": .string(url.fragment), "userinfo": .string(url.userinfo),
                ])
            },
            function("urlJoin", [.dictionary]) { args in
                let members = try dictionary(args[0])
                func part(_ key: String) throws(SprigError) -> String {
                    guard let value = members[key] else { return "" }
                    guard case .string(let string) = value else {
                        throw SprigError("unable to parse \(key) key, must be of type string, but \(value.goKind) found")
                    }
                    return string
                }
                var url = GoURL()
                url.scheme = try part("scheme")
                url.host = try part("host")
                url.path = try part("path")
                url.rawQuery = try part("query")
                url.opaque = try part("opaque")
                url.fragment = try part("fragment")
                url.userinfo = GoURL.userinfoString(try part("userinfo"))
                return .string(url.string)
            },
            function("getHostByName", [.string]) { args in
                let addresses = lookupHost(text(args[0]))
                guard let address = addresses.randomElement() else { throw SprigError("invalid argument to Intn") }
                return .string(address)
            },
        ]
    }

    /// The host's addresses from the system resolver (`net.LookupHost`).
    static func lookupHost(_ name: String) -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(name, nil, &hints, &result) == 0 else { return [] }
        defer { freeaddrinfo(result) }
        var addresses: [String] = []
        var cursor = result
        while let info = cursor {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(info.pointee.ai_addr, info.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                let address = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !addresses.contains(address) { addresses.append(address) }
            }
            cursor = info.pointee.ai_next
        }
        return addresses
    }
}

/// The parts of a URL as Go's `url.Parse` splits them, and `URL.String()`.
struct GoURL {
    var scheme = ""
    var opaque = ""
    /// `User.String()`: the escaped form, as `urlParse` reports it and `String()` prints it.
    var userinfo = ""
    var host = ""
    var path = ""
    var rawQuery = ""
    var fragment = ""

    init() {}

    init(parsing text: String) {
        var rest = Substring(text)
        if let hash = rest.firstIndex(of: "#") {
            fragment = GoURL.unescape(String(rest[rest.index(after: hash)...]))
            rest = rest[..<hash]
        }
        if let colon = rest.firstIndex(of: ":"), colon > rest.startIndex,
           rest[..<colon].first?.isLetter == true,
           rest[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }) {
            scheme = rest[..<colon].lowercased()
            rest = rest[rest.index(after: colon)...]
        }
        if let question = rest.firstIndex(of: "?") {
            rawQuery = String(rest[rest.index(after: question)...])
            rest = rest[..<question]
        }
        if !scheme.isEmpty && !rest.hasPrefix("/") {
            opaque = String(rest)
            return
        }
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(of: "/") ?? rest.endIndex
            var authority = rest[..<end]
            rest = rest[end...]
            if let at = authority.lastIndex(of: "@") {
                userinfo = GoURL.userinfoString(String(authority[..<at]))
                authority = authority[authority.index(after: at)...]
            }
            host = String(authority)
        }
        path = GoURL.unescape(String(rest))
    }

    /// `Hostname()`: the host without port or IPv6 brackets.
    var hostname: String {
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            return String(host[host.index(after: host.startIndex)..<close])
        }
        if let colon = host.lastIndex(of: ":") { return String(host[..<colon]) }
        return host
    }

    /// `URL.String()`.
    var string: String {
        var out = ""
        if !scheme.isEmpty { out += scheme + ":" }
        if !opaque.isEmpty {
            out += opaque
        } else {
            if !scheme.isEmpty || !host.isEmpty || !userinfo.isEmpty {
                if !host.isEmpty || !path.isEmpty || !userinfo.isEmpty { out += "//" }
                if !userinfo.isEmpty { out += userinfo + "@" }
                out += host
            }
            let escapedPath = GoURL.escape(path, allowed: "$&+,/:;=@")
            if !escapedPath.isEmpty && !escapedPath.hasPrefix("/") && !host.isEmpty { out += "/" }
            if out.isEmpty, let colon = escapedPath.firstIndex(of: ":"),
               !escapedPath[..<colon].contains("/") { out += "./" }
            out += escapedPath
        }
        if !rawQuery.isEmpty { out += "?" + rawQuery }
        if !fragment.isEmpty { out += "#" + GoURL.escape(fragment, allowed: "$&+,/:;=@?!()*") }
        return out
    }

    /// `Userinfo.String()` of raw userinfo text: user and password (split at the first `:`) unescaped, then each
    /// escaped as `encodeUserPassword` does (only `@`, `/`, `?` and `:` of the reserved characters).
    static func userinfoString(_ raw: String) -> String {
        guard let colon = raw.firstIndex(of: ":") else { return escape(unescape(raw), allowed: "$&+,;=") }
        let user = unescape(String(raw[..<colon]))
        let password = unescape(String(raw[raw.index(after: colon)...]))
        return escape(user, allowed: "$&+,;=") + ":" + escape(password, allowed: "$&+,;=")
    }

    static func escape(_ text: String, allowed: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            let unreserved = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "~")
            if unreserved || (byte < 0x80 && allowed.unicodeScalars.contains(scalar)) {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func unescape(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let value = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                out.append(value)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
