/// The tag go-yaml v2 resolves a scalar to.
enum YAMLResolvedTag: String, Sendable {
    case str, bool, int, float, null, timestamp, binary

    /// The long form libyaml reports, e.g. `tag:yaml.org,2002:int`.
    init?(longTag: String) {
        guard longTag.hasPrefix(YAMLScalarResolver.tagPrefix) else { return nil }
        self.init(rawValue: String(longTag.dropFirst(YAMLScalarResolver.tagPrefix.count)))
    }
}

/// go-yaml v2's scalar typing rules (YAML 1.1 flavoured), which is what sigs.k8s.io/yaml — and so Kubernetes,
/// kubectl, kustomize and Helm — apply: `yes/no/on/off/y/n` booleans, `010` octal, `0x1F` hex, `1_000`, `1e3`
/// floats, `~` nulls; quoted scalars stay strings.
enum YAMLScalarResolver {
    static let tagPrefix = "tag:yaml.org,2002:"
    static let mergeTag = "tag:yaml.org,2002:merge"

    /// Scalars whose whole text has a fixed meaning (only consulted when the first byte hints at them).
    private static let fixed: [String: (YAMLResolvedTag, YAMLScalar)] = {
        var table: [String: (YAMLResolvedTag, YAMLScalar)] = [:]
        for word in ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"] {
            table[word] = (.bool, .bool(true))
        }
        for word in ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"] {
            table[word] = (.bool, .bool(false))
        }
        for word in ["", "~", "null", "Null", "NULL"] { table[word] = (.null, .null) }
        for word in [".nan", ".NaN", ".NAN"] { table[word] = (.float, .float(.nan)) }
        for word in [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"] { table[word] = (.float, .float(.infinity)) }
        for word in ["-.inf", "-.Inf", "-.INF"] { table[word] = (.float, .float(-.infinity)) }
        return table
    }()

    /// Decodes a scalar event as go-yaml's `decoder.scalar` does for an `interface{}` target.
    /// - Parameters:
    ///   - tag: the event's tag (long form), `nil` when none was written.
    ///   - plainImplicit: libyaml's `plain_implicit`: a plain scalar without a tag (or with the non-specific `!`).
    static func decode(
        _ text: String, tag: String?, plainImplicit: Bool, rules: YAMLScalarRules = .goYAMLv2
    ) throws(YAMLScalarError) -> YAMLScalar {
        guard let tag, !tag.isEmpty else {
            guard plainImplicit else { return .string(text) }
            let value = resolveImplicit(text).value
            if rules == .kyaml, case .bool = value, !yaml12Booleans.contains(text) { return .string(text) }
            return value
        }
        guard let wanted = YAMLResolvedTag(longTag: tag) else {
            return .string(text)  // custom, non-specific or collection tags: the text as it is
        }
        switch wanted {
        case .str:
            return .string(text)
        case .binary:
            guard let bytes = YAMLBase64.decode(text) else {
                throw YAMLScalarError("!!binary value contains invalid base64 data")
            }
            return .string(String(decoding: bytes, as: UTF8.self))
        case .bool, .int, .float, .null, .timestamp:
            let (resolved, value) = resolve(text, allowTimestamp: wanted == .timestamp)
            if resolved == wanted { return resolved == .timestamp ? .string(text) : value }
            if wanted == .float, case .int(let i) = value { return .float(Double(i)) }
            throw YAMLScalarError("cannot decode !!\(resolved.rawValue) `\(text)` as a !!\(wanted.rawValue)")
        }
    }

    /// The timestamp go-yaml v3 decodes a scalar to: a plain one that resolves to a timestamp, or one tagged
    /// `!!timestamp`.
    static func timestamp(_ text: String, tag: String?, plainImplicit: Bool) -> YAMLTimestamp? {
        if let tag, !tag.isEmpty {
            guard tag == tagPrefix + YAMLResolvedTag.timestamp.rawValue else { return nil }
        } else if !plainImplicit {
            return nil
        }
        return YAMLTimestamp.parse(text)
    }

    /// The only plain scalars YAML 1.2 (go-yaml v3, kyaml) reads as booleans.
    private static let yaml12Booleans: Set<String> = ["true", "True", "TRUE", "false", "False", "FALSE"]

    /// Whether a mapping key scalar is the merge key `<<` (plain, or tagged `!!merge`).
    static func isMergeKey(_ text: String, tag: String?, plainImplicit: Bool) -> Bool {
        text == "<<" && (plainImplicit || tag == mergeTag)
    }

    /// go-yaml v2 `resolve("", text)`: the type a plain scalar gets.
    static func resolveImplicit(_ text: String) -> (tag: YAMLResolvedTag, value: YAMLScalar) {
        resolve(text, allowTimestamp: true)
    }

    /// Whether a string must be quoted to read back as the same string: it would resolve to another type, or it
    /// is a YAML 1.1 base-60 number (`1:20`), which go-yaml quotes for other parsers' sake.
    static func needsQuotes(_ text: String) -> Bool {
        resolve(text, allowTimestamp: true).tag != .str || isBase60Float(text)
    }

    private static func resolve(_ text: String, allowTimestamp: Bool) -> (tag: YAMLResolvedTag, value: YAMLScalar) {
        guard let first = text.utf8.first else { return (.null, .null) }
        switch first {
        case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"),
            UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"),
            UInt8(ascii: "~"):
            if text.utf8.count <= 5, let known = fixed[text] { return known }
            return (.str, .string(text))
        case UInt8(ascii: "."):
            if text.utf8.count <= 4, let known = fixed[text] { return known }
            if let d = GoNumberSyntax.parseDotFloat(Array(text.utf8)[...]) { return (.float, .float(d)) }
            return (.str, .string(text))
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            if text.utf8.count <= 5, let known = fixed[text] { return known }
            let bytes = Array(text.utf8)
            if allowTimestamp, YAMLTimestamp.matches(bytes) { return (.timestamp, .string(text)) }
            let plain = bytes.filter { $0 != UInt8(ascii: "_") }[...]
            if let i = GoNumberSyntax.parseInt(plain) { return (.int, .int(i)) }
            if let u = GoNumberSyntax.parseUInt(plain) { return (.int, .uint(u)) }
            if let d = GoNumberSyntax.parseYAMLStyleFloat(plain) { return (.float, .float(d)) }
            return (.str, .string(text))
        default:
            return (.str, .string(text))
        }
    }

    /// go-yaml's `isBase60Float`: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
    static func isBase60Float(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first,
            first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || isDigit(first),
            bytes.contains(UInt8(ascii: ":"))
        else { return false }
        var i = 0
        if bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count, isDigit(bytes[i]) else { return false }
        i += 1
        while i < bytes.count, isDigit(bytes[i]) || bytes[i] == UInt8(ascii: "_") { i += 1 }
        var groups = 0
        while i < bytes.count, bytes[i] == UInt8(ascii: ":") {
            i += 1
            // [0-5]?[0-9]
            if i + 1 < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "5")).contains(bytes[i]), isDigit(bytes[i + 1]) {
                i += 2
            } else if i < bytes.count, isDigit(bytes[i]) {
                i += 1
            } else {
                return false
            }
            groups += 1
        }
        guard groups > 0 else { return false }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < bytes.count, isDigit(bytes[i]) || bytes[i] == UInt8(ascii: "_") { i += 1 }
        }
        return i == bytes.count
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
