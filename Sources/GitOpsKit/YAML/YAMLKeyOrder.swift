/// The order go-yaml's encoder gives map keys, which `kubectl get -o yaml` and `kubectl kustomize` print:
/// "natural" order, where runs of digits compare by value (`a2` before `a10`) and, at the first difference, a
/// letter sorts after a non-letter unless a digit came just before.
enum YAMLKeyOrder {
    /// The keys in go-yaml's order.
    static func sorted(_ keys: some Sequence<String>) -> [String] {
        let decorated = keys.map { key in (key, Array(key.unicodeScalars)) }
        return decorated.sorted { less($0.1, $1.1) }.map(\.0)
    }

    /// go-yaml v2 `keyList.Less` for two string keys.
    static func less(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Bool {
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
            if al && bl { return ar.value < br.value }
            if al || bl { return digits ? al : bl }
            var an: Int64 = 0
            var bn: Int64 = 0
            if ar == "0" || br == "0" {
                var j = i - 1
                while j >= 0, isDigit(a[j]) {
                    if a[j] != "0" {
                        an = 1
                        bn = 1
                        break
                    }
                    j -= 1
                }
            }
            var ai = i
            while ai < a.count, isDigit(a[ai]) {
                an = an &* 10 &+ (Int64(a[ai].value) &- 48)
                ai += 1
            }
            var bi = i
            while bi < b.count, isDigit(b[bi]) {
                bn = bn &* 10 &+ (Int64(b[bi].value) &- 48)
                bi += 1
            }
            if an != bn { return an < bn }
            if ai != bi { return ai < bi }
            return ar.value < br.value
        }
        return a.count < b.count
    }

    /// Go's `unicode.IsLetter`: general category L.
    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let v = scalar.value | 0x20
            return v >= 0x61 && v <= 0x7A
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    /// Go's `unicode.IsDigit`: general category Nd.
    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar.value >= 0x30 && scalar.value <= 0x39 }
        return scalar.properties.generalCategory == .decimalNumber
    }
}
