/// The order go-yaml's encoder gives map keys, which `kubectl get -o yaml` and `kubectl kustomize` print:
/// "natural" order, where runs of digits compare by value (`a2` before `a10`) and, at the first difference, a
/// letter sorts after a non-letter unless a digit came just before.
enum YAMLKeyOrder {
    /// The keys in go-yaml's order.
    static func sorted(_ keys: some Collection<String>) -> [String] {
        if keys.count < 2 { return Array(keys) }
        // Compare code points; for ASCII keys (nearly all) the UTF-8 bytes are the code points.
        let decorated = keys.map { key -> (String, [UInt32]) in
            if key.utf8.allSatisfy({ $0 < 0x80 }) {
                return (key, key.utf8.map { UInt32($0) })
            }
            return (key, key.unicodeScalars.map(\.value))
        }
        return decorated.sorted { less($0.1, $1.1) }.map(\.0)
    }

    /// go-yaml v2 `keyList.Less` for two string keys given as code points.
    static func less(_ a: [UInt32], _ b: [UInt32]) -> Bool {
        var digits = false
        var i = 0
        while i < a.count, i < b.count {
            let ar = a[i]
            let br = b[i]
            if ar == br {
                digits = isDigit(ar)
                i += 1
                continue
            }
            let al = isLetter(ar)
            let bl = isLetter(br)
            if al && bl { return ar < br }
            if al || bl { return digits ? al : bl }
            var an: Int64 = 0
            var bn: Int64 = 0
            if ar == 0x30 || br == 0x30 {
                var j = i - 1
                while j >= 0, isDigit(a[j]) {
                    if a[j] != 0x30 {
                        an = 1
                        bn = 1
                        break
                    }
                    j -= 1
                }
            }
            var ai = i
            while ai < a.count, isDigit(a[ai]) {
                an = an &* 10 &+ (Int64(a[ai]) &- 48)
                ai += 1
            }
            var bi = i
            while bi < b.count, isDigit(b[bi]) {
                bn = bn &* 10 &+ (Int64(b[bi]) &- 48)
                bi += 1
            }
            if an != bn { return an < bn }
            if ai != bi { return ai < bi }
            return ar < br
        }
        return a.count < b.count
    }

    /// Go's `unicode.IsLetter`: general category L.
    private static func isLetter(_ value: UInt32) -> Bool {
        if value < 0x80 {
            let v = value | 0x20
            return v >= 0x61 && v <= 0x7A
        }
        guard let scalar = Unicode.Scalar(value) else { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    /// Go's `unicode.IsDigit`: general category Nd.
    private static func isDigit(_ value: UInt32) -> Bool {
        if value < 0x80 { return value >= 0x30 && value <= 0x39 }
        return Unicode.Scalar(value)?.properties.generalCategory == .decimalNumber
    }
}
