/// A semantic version as Masterminds/semver v3.3.0 reads it (what Helm's `semver`/`semverCompare` and chart
/// dependency ranges use): loose, so `v1`, `1.2` and `01.2.3` parse (missing parts are 0, leading zeros allowed in
/// the numeric parts), while pre-release identifiers follow SemVer 2.0 (`1.0.0-01` is invalid).
///
/// Ordering follows SemVer 2.0: build metadata is ignored, a pre-release sorts before its release, numeric
/// identifiers compare numerically and before alphanumeric ones.
///
/// Usage:
/// ```swift
/// let version = try SemanticVersion(parsing: "v1.2.3-rc.1+build")
/// version.prerelease   // "rc.1"
/// version < (try SemanticVersion(parsing: "1.2.3"))   // true
/// ```
public struct SemanticVersion: Sendable, Comparable, CustomStringConvertible {
    public var major: UInt64
    public var minor: UInt64
    public var patch: UInt64
    /// Dot-separated pre-release identifiers without the `-` (empty for a release).
    public var prerelease: String
    /// Build metadata without the `+` (ignored in comparisons).
    public var metadata: String
    /// The text the version was parsed from (`v1.2`), or its canonical form.
    public var original: String

    public init(major: UInt64, minor: UInt64, patch: UInt64, prerelease: String = "", metadata: String = "") {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
        self.metadata = metadata
        self.original = ""
        self.original = description
    }

    /// Parses `text` (Masterminds `NewVersion`); errors carry the library's messages.
    public init(parsing text: String) throws(SemanticVersionError) {
        var scanner = VersionScanner(text)
        _ = scanner.consume("v")
        guard let majorDigits = scanner.digits(allowWildcards: false) else { throw .invalid }
        var minorDigits: String?
        var patchDigits: String?
        if scanner.peek(".") {
            let mark = scanner.position
            scanner.advance()
            if let digits = scanner.digits(allowWildcards: false) { minorDigits = digits } else { scanner.position = mark }
            if minorDigits != nil, scanner.peek(".") {
                let mark = scanner.position
                scanner.advance()
                if let digits = scanner.digits(allowWildcards: false) { patchDigits = digits } else { scanner.position = mark }
            }
        }
        var prerelease = ""
        var metadata = ""
        if scanner.consume("-") {
            guard let identifiers = scanner.identifiers() else { throw .invalid }
            prerelease = identifiers
        }
        if scanner.consume("+") {
            guard let identifiers = scanner.identifiers() else { throw .invalid }
            metadata = identifiers
        }
        guard scanner.isAtEnd else { throw .invalid }
        self.major = try Self.segment(majorDigits)
        self.minor = try minorDigits.map(Self.segment) ?? 0
        self.patch = try patchDigits.map(Self.segment) ?? 0
        self.prerelease = prerelease
        self.metadata = metadata
        self.original = text
        if !prerelease.isEmpty {
            for part in prerelease.split(separator: ".", omittingEmptySubsequences: false)
            where part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) && part.utf8.count > 1 && part.hasPrefix("0") {
                throw SemanticVersionError("Version segment starts with 0")
            }
        }
    }

    private static func segment(_ digits: String) throws(SemanticVersionError) -> UInt64 {
        guard let value = UInt64(digits) else {
            throw SemanticVersionError(
                "Error parsing version segment: strconv.ParseUint: parsing \"\(digits)\": value out of range")
        }
        return value
    }

    /// `MAJOR.MINOR.PATCH[-PRE][+META]`.
    public var description: String {
        var text = "\(major).\(minor).\(patch)"
        if !prerelease.isEmpty { text += "-" + prerelease }
        if !metadata.isEmpty { text += "+" + metadata }
        return text
    }

    /// -1, 0 or 1 as `self` sorts before, with or after `other` (metadata ignored).
    public func compare(_ other: SemanticVersion) -> Int {
        if major != other.major { return major < other.major ? -1 : 1 }
        if minor != other.minor { return minor < other.minor ? -1 : 1 }
        if patch != other.patch { return patch < other.patch ? -1 : 1 }
        if prerelease.isEmpty && other.prerelease.isEmpty { return 0 }
        if prerelease.isEmpty { return 1 }
        if other.prerelease.isEmpty { return -1 }
        return Self.comparePrerelease(prerelease, other.prerelease)
    }

    public static func < (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool { lhs.compare(rhs) < 0 }
    public static func == (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool { lhs.compare(rhs) == 0 }

    static func comparePrerelease(_ a: String, _ b: String) -> Int {
        let left = a.split(separator: ".", omittingEmptySubsequences: false)
        let right = b.split(separator: ".", omittingEmptySubsequences: false)
        for index in 0..<max(left.count, right.count) {
            let x = index < left.count ? String(left[index]) : ""
            let y = index < right.count ? String(right[index]) : ""
            let order = comparePrereleasePart(x, y)
            if order != 0 { return order }
        }
        return 0
    }

    private static func comparePrereleasePart(_ a: String, _ b: String) -> Int {
        if a == b { return 0 }
        if a.isEmpty { return -1 }
        if b.isEmpty { return 1 }
        let x = UInt64(a)
        let y = UInt64(b)
        switch (x, y) {
        case (nil, nil): return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
        case (nil, _): return 1
        case (_, nil): return -1
        case (let x?, let y?): return x > y ? 1 : -1
        }
    }

    /// The next patch (a pre-release becomes its release), minor or major version, as Masterminds' `Inc*`.
    public func incrementingPatch() -> SemanticVersion {
        var next = self
        next.metadata = ""
        if prerelease.isEmpty { next.patch += 1 }
        next.prerelease = ""
        next.original = (original.hasPrefix("v") ? "v" : "") + next.description
        return next
    }

    public func incrementingMinor() -> SemanticVersion {
        var next = SemanticVersion(major: major, minor: minor + 1, patch: 0)
        next.original = (original.hasPrefix("v") ? "v" : "") + next.description
        return next
    }

    public func incrementingMajor() -> SemanticVersion {
        var next = SemanticVersion(major: major + 1, minor: 0, patch: 0)
        next.original = (original.hasPrefix("v") ? "v" : "") + next.description
        return next
    }
}

/// A version or constraint that does not parse; `description` is Masterminds/semver's message.
public struct SemanticVersionError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }

    static let invalid = SemanticVersionError("Invalid Semantic Version")
}

/// A cursor over the bytes of a version or constraint.
struct VersionScanner {
    let bytes: [UInt8]
    var position = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    var isAtEnd: Bool { position >= bytes.count }

    func peek(_ character: Unicode.Scalar) -> Bool { position < bytes.count && bytes[position] == UInt8(character.value) }

    mutating func advance() { position += 1 }

    mutating func consume(_ character: Unicode.Scalar) -> Bool {
        guard peek(character) else { return false }
        position += 1
        return true
    }

    mutating func skipSpaces() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C].contains(bytes[position]) { position += 1 }
    }

    /// `[0-9]+`, or with wildcards `[0-9xX*|]+` (Masterminds' constraint class, `|` included).
    mutating func digits(allowWildcards: Bool) -> String? {
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            let isDigit = byte >= 0x30 && byte <= 0x39
            let isWildcard = byte == UInt8(ascii: "x") || byte == UInt8(ascii: "X") || byte == UInt8(ascii: "*") || byte == UInt8(ascii: "|")
            guard isDigit || (allowWildcards && isWildcard) else { break }
            position += 1
        }
        return position > start ? String(decoding: bytes[start..<position], as: UTF8.self) : nil
    }

    /// `[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*`; stops before a dot not followed by an identifier.
    mutating func identifiers() -> String? {
        let start = position
        guard identifier() else { return nil }
        while peek(".") {
            let mark = position
            position += 1
            if !identifier() {
                position = mark
                break
            }
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func identifier() -> Bool {
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            let ok = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D
            guard ok else { break }
            position += 1
        }
        return position > start
    }
}
