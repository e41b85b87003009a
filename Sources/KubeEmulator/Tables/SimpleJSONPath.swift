import Foundation
import GitOpsKit

/// The "simple JSON path" of CRD printer columns: `.a.b`, `.a[0]`, `.a[*].b`, `.a[?(@.k=="v")].b`,
/// `.metadata.labels.app\.kubernetes\.io/name`.
struct SimpleJSONPath: Sendable {
    enum Step: Sendable {
        case field(String)
        case index(Int)
        case all
        case filter(key: [String], value: String, equal: Bool)
    }

    var steps: [Step]

    init?(_ text: String) {
        var path = text.trimmingCharacters(in: .whitespaces)
        if path.hasPrefix("{") && path.hasSuffix("}") { path = String(path.dropFirst().dropLast()) }
        if path.hasPrefix("$") { path.removeFirst() }
        var steps: [Step] = []
        var chars = Array(path)[...]
        while let c = chars.first {
            if c == "." {
                chars = chars.dropFirst()
                var name = ""
                while let d = chars.first, d != ".", d != "[" {
                    if d == "\\", chars.count > 1 {
                        name.append(chars[chars.index(after: chars.startIndex)])
                        chars = chars.dropFirst(2)
                        continue
                    }
                    name.append(d)
                    chars = chars.dropFirst()
                }
                if !name.isEmpty { steps.append(.field(name)) }
            } else if c == "[" {
                guard let close = chars.firstIndex(of: "]") else { return nil }
                let inner = String(chars[chars.index(after: chars.startIndex)..<close])
                chars = chars[chars.index(after: close)...]
                if inner == "*" {
                    steps.append(.all)
                } else if let n = Int(inner) {
                    steps.append(.index(n))
                } else if inner.hasPrefix("?(@.") && inner.hasSuffix(")") {
                    let body = inner.dropFirst(4).dropLast()
                    let equal = !body.contains("!=")
                    let parts = body.components(separatedBy: equal ? "==" : "!=")
                    guard parts.count == 2 else { return nil }
                    var value = parts[1].trimmingCharacters(in: .whitespaces)
                    if value.count >= 2, value.first == "\"" || value.first == "'" { value = String(value.dropFirst().dropLast()) }
                    let key = parts[0].trimmingCharacters(in: .whitespaces).split(separator: ".").map(String.init)
                    steps.append(.filter(key: key, value: value, equal: equal))
                } else if inner.hasPrefix("'") && inner.hasSuffix("'") && inner.count >= 2 {
                    steps.append(.field(String(inner.dropFirst().dropLast())))
                } else {
                    return nil
                }
            } else {
                return nil
            }
        }
        self.steps = steps
    }

    /// Every value the path selects.
    func evaluate(_ value: JSONValue) -> [JSONValue] {
        var current: [JSONValue] = [value]
        for step in steps {
            var next: [JSONValue] = []
            for item in current {
                switch step {
                case .field(let name):
                    if let child = item[name] { next.append(child) }
                case .index(let n):
                    if let array = item.arrayValue {
                        let i = n < 0 ? array.count + n : n
                        if array.indices.contains(i) { next.append(array[i]) }
                    }
                case .all:
                    if let array = item.arrayValue { next += array } else if let object = item.objectValue {
                        next += object.keys.sorted().compactMap { object[$0] }
                    }
                case .filter(let key, let expected, let equal):
                    for element in item.arrayValue ?? [] {
                        var probe: JSONValue? = element
                        for k in key { probe = probe?[k] }
                        let text = probe.map(Self.text) ?? ""
                        if (probe != nil && text == expected) == equal { next.append(element) }
                    }
                }
            }
            current = next
        }
        return current
    }

    /// A value printed as kubectl's jsonpath printer prints it.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .bool(let b): return b ? "true" : "false"
        case .null: return ""
        default: return value.jsonString()
        }
    }
}
