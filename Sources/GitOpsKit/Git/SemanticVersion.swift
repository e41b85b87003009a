/// A semantic version parsed leniently, the way Masterminds/semver (and so Flux and Helm) reads Git tags and chart
/// versions: an optional `v`, one to three numeric parts (`1.2` is `1.2.0`), then `-prerelease` and `+build`.
///
/// Ordering follows SemVer 2.0: numbers, then a release above its prereleases, prerelease identifiers compared
/// numerically or lexically; build metadata is ignored (so `Equatable` compares precedence, not text).
public struct SemanticVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var major: UInt64
    public var minor: UInt64
    public var patch: UInt64
    /// Dot-separated prerelease identifiers (`rc.1`), empty for a release.
    public var prerelease: String
    /// Build metadata (`build.5`), ignored in comparisons.
    public var metadata: String
    /// The text the version was parsed from (`v1.2`), for mapping back to a tag.
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

    /// Parses `text`; `nil` when it is not a version (`latest`, `1.2.3.4`, `1.2-`, `01.x`).
    public init?(_ text: String) {
        var rest = Substring(text)
        if rest.hasPrefix("v") { rest = rest.dropFirst() }
        var metadata = ""
        if let plus = rest.firstIndex(of: "+") {
            metadata = String(rest[rest.index(after: plus)...])
            rest = rest[..<plus]
            guard Self.validIdentifiers(metadata, allowLeadingZeros: true) else { return nil }
        }
        var prerelease = ""
        if let dash = rest.firstIndex(of: "-") {
            prerelease = String(rest[rest.index(after: dash)...])
            rest = rest[..<dash]
            guard Self.validIdentifiers(prerelease, allowLeadingZeros: false) else { return nil }
        }
        let numbers = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(numbers.count) else { return nil }
        var values: [UInt64] = []
        for number in numbers {
            guard !number.isEmpty, number.allSatisfy(\.isASCIIDigit), let value = UInt64(number) else { return nil }
            values.append(value)
        }
        while values.count < 3 { values.append(0) }
        self.major = values[0]
        self.minor = values[1]
        self.patch = values[2]
        self.prerelease = prerelease
        self.metadata = metadata
        self.original = text
    }

    /// `major.minor.patch[-prerelease][+metadata]`, without a `v`.
    public var description: String {
        var text = "\(major).\(minor).\(patch)"
        if !prerelease.isEmpty { text += "-" + prerelease }
        if !metadata.isEmpty { text += "+" + metadata }
        return text
    }

    public var isPrerelease: Bool { !prerelease.isEmpty }

    public static func == (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
        compare(lhs, rhs) == 0
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(major)
        hasher.combine(minor)
        hasher.combine(patch)
        hasher.combine(prerelease)
    }

    public static func < (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// -1, 0 or 1 by SemVer precedence.
    static func compare(_ lhs: SemanticVersion, _ rhs: SemanticVersion) -> Int {
        for (left, right) in [(lhs.major, rhs.major), (lhs.minor, rhs.minor), (lhs.patch, rhs.patch)] where left != right {
            return left < right ? -1 : 1
        }
        switch (lhs.prerelease.isEmpty, rhs.prerelease.isEmpty) {
        case (true, true): return 0
        case (true, false): return 1
        case (false, true): return -1
        case (false, false): return comparePrerelease(lhs.prerelease, rhs.prerelease)
        }
    }

    private static func comparePrerelease(_ lhs: String, _ rhs: String) -> Int {
        let left = lhs.split(separator: ".", omittingEmptySubsequences: false)
        let right = rhs.split(separator: ".", omittingEmptySubsequences: false)
        for index in 0..<max(left.count, right.count) {
            // A shorter list of identifiers sorts first when all shared ones are equal.
            guard index < left.count else { return -1 }
            guard index < right.count else { return 1 }
            let (a, b) = (left[index], right[index])
            if a == b { continue }
            switch (UInt64(a), UInt64(b)) {
            case let (x?, y?): return x < y ? -1 : 1
            case (.some, nil): return -1  // numeric identifiers sort below alphanumeric ones
            case (nil, .some): return 1
            case (nil, nil): return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
            }
        }
        return 0
    }

    /// Dot-separated, non-empty identifiers of `[0-9A-Za-z-]`; numeric prerelease identifiers without leading zeros.
    private static func validIdentifiers(_ text: String, allowLeadingZeros: Bool) -> Bool {
        for identifier in text.split(separator: ".", omittingEmptySubsequences: false) {
            guard !identifier.isEmpty else { return false }
            guard identifier.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else { return false }
            if !allowLeadingZeros, identifier.count > 1, identifier.first == "0", identifier.allSatisfy(\.isASCIIDigit) {
                return false
            }
        }
        return true
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
