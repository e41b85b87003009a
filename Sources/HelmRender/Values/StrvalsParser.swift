import GoTemplate

/// Helm's `strvals` parser: the `name1=value1,name2.sub[0]=value2` lines of `--set`, `--set-string`, `--set-json`,
/// `--set-file` and `--set-literal`, written into an existing values map.
///
/// It mirrors Helm 3.17's hand-written scanner step by step, because users see its corner cases: `a=` is an empty
/// string, `a[0]` alone is silently an empty list, `a={x,y}` is a list, an out-of-order `a[1].b` pads with nulls,
/// and writing a key under a value of the wrong type fails with Go's type-assertion text
/// (`unable to parse key: interface conversion: interface {} is int64, not map[string]interface {}`).
///
/// Usage:
/// ```swift
/// var values: [String: TemplateValue] = [:]
/// try StrvalsParser.parse("image.tag=1.2,replicas=3", into: &values, mode: .typed)
/// // ["image": ["tag": "1.2"], "replicas": .int64(3)]
/// ```
struct StrvalsParser {
    /// How the text after `=` becomes a value.
    enum Mode {
        /// `--set`: `true`/`false`/`null` (any case), Go `int64`s without a leading zero, else a string.
        case typed
        /// `--set-string`: always a string.
        case string
        /// `--set-json`: one JSON document per value; an empty value is null.
        case json
        /// `--set-file`: the value is a path; the value set is what `read` returns for it.
        case file(read: (String) throws(StrvalsFailure) -> TemplateValue)
        /// `--set-literal`: everything after the first `=` is the string, with no escapes, commas or lists.
        case literal
    }

    /// Helm's `strvals.MaxIndex`: larger list indexes are refused rather than allocating huge lists.
    static let maximumIndex = 65536
    /// Helm's `strvals.MaxNestedNameLevel`.
    static let maximumNestedNameLevel = 30

    /// Parses `line` into `values` (existing keys are overwritten or descended into, as Helm's `ParseInto` does).
    static func parse(_ line: String, into values: inout [String: TemplateValue], mode: Mode) throws(StrvalsFailure) {
        var parser = StrvalsParser(input: Array(line.unicodeScalars), mode: mode)
        while true {
            do throws(StrvalsStop) {
                try parser.key(&values, nestedNameLevel: 0)
            } catch {
                switch error {
                case .endOfInput: return
                case .failure(let failure): throw failure
                }
            }
        }
    }

    private let input: [Unicode.Scalar]
    private var position = 0
    private let mode: Mode

    private init(input: [Unicode.Scalar], mode: Mode) {
        self.input = input
        self.mode = mode
    }

    private var isLiteral: Bool {
        if case .literal = mode { return true }
        return false
    }

    private var isJSON: Bool {
        if case .json = mode { return true }
        return false
    }
}

/// Why a strvals line was refused, with Helm's message.
struct StrvalsFailure: Error, Sendable, CustomStringConvertible {
    var description: String
    /// A Go type-assertion panic, which the innermost `key` step turns into `unable to parse key: …`.
    var isTypeAssertion = false
    init(_ description: String) { self.description = description }
}

/// How one step of the scanner ended when it did not simply succeed: the end of the text (which is how a line
/// normally finishes) or a failure.
enum StrvalsStop: Error {
    case endOfInput
    case failure(StrvalsFailure)

    static func fail(_ message: String) -> StrvalsStop { .failure(StrvalsFailure(message)) }
}

// MARK: - Keys

extension StrvalsParser {
    /// Helm's `parser.key`: reads one key and what follows it (`=value`, `.sub…`, `[index]…`) into `data`.
    private mutating func key(_ data: inout [String: TemplateValue], nestedNameLevel: Int) throws(StrvalsStop) {
        let stops: Set<Unicode.Scalar> = isLiteral ? ["=", "[", "."] : ["=", "[", ",", "."]
        let (name, last) = runes(until: stops)
        guard let last else {
            if name.isEmpty { throw .endOfInput }
            throw .fail("key \(StrvalsText.quote(name)) has no value")
        }
        do throws(StrvalsStop) {
            switch last {
            case "[":
                try keyWithIndex(name, in: &data, nestedNameLevel: nestedNameLevel)
            case "=":
                try keyWithValue(name, in: &data)
            case ",":
                Self.set(&data, name, .string(""))
                throw .fail("key \(StrvalsText.quote(name)) has no value (cannot end with ,)")
            default:
                try keyWithTable(name, in: &data, nestedNameLevel: nestedNameLevel)
            }
        } catch .failure(let failure) where failure.isTypeAssertion {
            // Go recovers the type-assertion panic in the innermost `key` call and reports it as a parse error.
            throw .fail("unable to parse key: " + failure.description)
        }
    }

    private mutating func keyWithIndex(_ name: String, in data: inout [String: TemplateValue], nestedNameLevel: Int)
        throws(StrvalsStop)
    {
        let index = try keyIndex()
        var list: [TemplateValue] = []
        if let existing = data[name] {
            guard case .list(let elements) = existing else { throw .typeAssertion(existing, expected: "[]interface {}") }
            list = elements
        }
        let result = listItem(list, index: index, nestedNameLevel: nestedNameLevel)
        Self.set(&data, name, .list(result.list))
        if let stop = result.stop { throw stop }
    }

    private mutating func keyWithValue(_ name: String, in data: inout [String: TemplateValue]) throws(StrvalsStop) {
        switch mode {
        case .json:
            if skipEmptyValue() {
                Self.set(&data, name, .null)
                return
            }
            Self.set(&data, name, try jsonValue())
            _ = skipEmptyValue()
        case .literal:
            Self.set(&data, name, .string(String(String.UnicodeScalarView(input[position...]))))
            position = input.count
        case .typed, .string, .file:
            switch valueList() {
            case .list(let elements):
                Self.set(&data, name, .list(elements))
            case .endOfInput:
                Self.set(&data, name, .string(""))
                throw .endOfInput
            case .notList:
                let text = value()
                do {
                    Self.set(&data, name, try read(text))
                } catch {
                    Self.set(&data, name, .null)
                    throw .failure(error)
                }
            case .failure(let failure):
                throw .failure(failure)
            }
        }
    }

    private mutating func keyWithTable(_ name: String, in data: inout [String: TemplateValue], nestedNameLevel: Int)
        throws(StrvalsStop)
    {
        let level = nestedNameLevel + 1
        if level > Self.maximumNestedNameLevel {
            throw .fail(
                "value name nested level is greater than maximum supported nested level of \(Self.maximumNestedNameLevel)")
        }
        var inner: [String: TemplateValue] = [:]
        let existed = data[name] != nil
        if let existing = data[name] {
            guard case .map(let members) = existing else {
                throw .typeAssertion(existing, expected: "map[string]interface {}")
            }
            inner = members
        }
        var stop: StrvalsStop?
        do { try key(&inner, nestedNameLevel: level) } catch { stop = error }
        // Go mutates an existing map in place, so what the nested call wrote stays even when it stopped.
        if !inner.isEmpty {
            Self.set(&data, name, .map(inner))
        } else if existed, !name.isEmpty {
            data[name] = .map(inner)
        }
        if let stop { throw stop }
        if inner.isEmpty { throw .fail("key map \(StrvalsText.quote(name)) has no value") }
    }

    /// Helm's `set`: an empty key is silently dropped.
    private static func set(_ data: inout [String: TemplateValue], _ key: String, _ value: TemplateValue) {
        if key.isEmpty { return }
        data[key] = value
    }
}

// MARK: - Lists

extension StrvalsParser {
    /// Helm's `parser.keyIndex`: the text up to `]` as a Go `int` (`strconv.Atoi`).
    private mutating func keyIndex() throws(StrvalsStop) -> Int {
        let (text, last) = runes(until: ["]"])
        guard last != nil else { throw .fail("error parsing index: EOF") }
        switch StrvalsInteger.parse(text, function: "Atoi") {
        case .success(let value): return value
        case .failure(let failure): throw .fail("error parsing index: " + failure.description)
        }
    }

    /// Helm's `parser.listItem`: what follows `[index]`, applied to `list`. The list is returned even when the step
    /// stops, because Go hands back the (possibly mutated) slice with the error and the caller stores it.
    private mutating func listItem(_ list: [TemplateValue], index: Int, nestedNameLevel: Int)
        -> (list: [TemplateValue], stop: StrvalsStop?)
    {
        var list = list
        if index < 0 { return (list, .fail("negative \(index) index not allowed")) }
        let (text, last) = runes(until: ["[", ".", "="])
        if !text.isEmpty {
            // Go formats the `[]rune` it holds here with `%q`: a list of quoted characters.
            let runes = text.unicodeScalars.map { GoFormat.sprintf("%q", [.int(Int($0.value))]) }
            return (list, .fail("unexpected data at end of array index: [\(runes.joined(separator: " "))]"))
        }
        guard let last else { return (list, .endOfInput) }
        do throws(StrvalsStop) {
            switch last {
            case "=":
                return (try listValue(list, index: index), nil)
            case "[":
                let nextIndex = try keyIndex()
                var current: [TemplateValue] = []
                if list.count > index {
                    switch list[index] {
                    case .null: break
                    case .list(let elements): current = elements
                    case let other: throw StrvalsStop.typeAssertion(other, expected: "[]interface {}")
                    }
                }
                let nested = listItem(current, index: nextIndex, nestedNameLevel: nestedNameLevel)
                if let stop = nested.stop { return (list, stop) }
                return (try Self.setIndex(list, index, .list(nested.list)), nil)
            default:
                var inner: [String: TemplateValue] = [:]
                let inList = list.count > index
                if inList {
                    if case .map(let members) = list[index] {
                        inner = members
                    } else {
                        // Indexes written out of order: Go replaces the element with an empty map in place.
                        list[index] = .map([:])
                    }
                }
                do {
                    try key(&inner, nestedNameLevel: nestedNameLevel)
                } catch {
                    if inList { list[index] = .map(inner) }
                    return (list, error)
                }
                return (try Self.setIndex(list, index, .map(inner)), nil)
            }
        } catch {
            return (list, error)
        }
    }

    /// The `=value` after `[index]`.
    private mutating func listValue(_ list: [TemplateValue], index: Int) throws(StrvalsStop) -> [TemplateValue] {
        switch mode {
        case .json:
            if skipEmptyValue() { return try Self.setIndex(list, index, .null) }
            let decoded = try jsonValue()
            let updated = try Self.setIndex(list, index, decoded)
            _ = skipEmptyValue()
            return updated
        case .literal:
            let text = String(String.UnicodeScalarView(input[position...]))
            position = input.count
            return try Self.setIndex(list, index, .string(text))
        case .typed, .string, .file:
            switch valueList() {
            case .list(let elements): return try Self.setIndex(list, index, .list(elements))
            case .endOfInput: return try Self.setIndex(list, index, .string(""))
            case .notList:
                let text = value()
                let element: TemplateValue
                do { element = try read(text) } catch { throw .failure(error) }
                return try Self.setIndex(list, index, element)
            case .failure(let failure): throw .failure(failure)
            }
        }
    }

    /// Helm's `setIndex`: grows the list with nulls up to `index`.
    private static func setIndex(_ list: [TemplateValue], _ index: Int, _ value: TemplateValue) throws(StrvalsStop)
        -> [TemplateValue]
    {
        if index < 0 { throw .fail("negative \(index) index not allowed") }
        if index > maximumIndex {
            throw .fail("index of \(index) is greater than maximum supported index of \(maximumIndex)")
        }
        var list = list
        if list.count <= index { list += Array(repeating: .null, count: index + 1 - list.count) }
        list[index] = value
        return list
    }
}

// MARK: - Values

extension StrvalsParser {
    private enum ValueListResult {
        case list([TemplateValue])
        case notList
        case endOfInput
        case failure(StrvalsFailure)
    }

    /// Helm's `parser.valList`: `{a,b,c}` as a list of converted values.
    private mutating func valueList() -> ValueListResult {
        guard position < input.count else { return .endOfInput }
        guard input[position] == "{" else { return .notList }
        position += 1
        var list: [TemplateValue] = []
        while true {
            let (text, last) = runes(until: [",", "}"])
            switch last {
            case nil:
                return .failure(StrvalsFailure("list must terminate with '}'"))
            case "}":
                if position < input.count, input[position] == "," { position += 1 }
                do { list.append(try read(text)) } catch { return .failure(error) }
                return .list(list)
            default:
                do { list.append(try read(text)) } catch { return .failure(error) }
            }
        }
    }

    /// Helm's `parser.val`: the text up to the next unescaped comma.
    private mutating func value() -> String {
        runes(until: [","]).text
    }

    /// Helm's reader for the mode: `typedVal` for `--set`, the text for `--set-string`, the file for `--set-file`.
    private func read(_ text: String) throws(StrvalsFailure) -> TemplateValue {
        switch mode {
        case .typed: return Self.typedValue(text)
        case .file(let read): return try read(text)
        case .string, .json, .literal: return .string(text)
        }
    }

    /// Helm's `typedVal`: booleans and `null` in any letter case, `0`, and base-10 `int64`s not starting with `0`.
    static func typedValue(_ text: String) -> TemplateValue {
        if StrvalsText.equalFold(text, "true") { return .bool(true) }
        if StrvalsText.equalFold(text, "false") { return .bool(false) }
        if StrvalsText.equalFold(text, "null") { return .null }
        if text == "0" { return .int64(0) }
        if let first = text.utf8.first, first != UInt8(ascii: "0"),
            case .success(let number) = StrvalsInteger.parse(text, function: "ParseInt")
        {
            return .int64(number)
        }
        return .string(text)
    }

    /// Helm's `emptyVal` for `--set-json`: skips spaces; true at a comma (consumed) or the end of the text.
    private mutating func skipEmptyValue() -> Bool {
        while position < input.count {
            let scalar = input[position]
            if scalar == "," {
                position += 1
                return true
            }
            if !StrvalsText.isSpace(scalar) { return false }
            position += 1
        }
        return true
    }

    /// One JSON document from the rest of the text, as Go's `json.Decoder` reads it (trailing text is left).
    private mutating func jsonValue() throws(StrvalsStop) -> TemplateValue {
        var decoder = GoJSONPrefixDecoder(input: input, position: position)
        do {
            let value = try decoder.decodeValue()
            position = decoder.position
            return value
        } catch {
            throw .failure(StrvalsFailure(error.description))
        }
    }

    /// Helm's `runesUntil`: scalars up to one of `stops` (which is consumed and returned), with `\x` meaning a
    /// literal `x` except in `--set-literal`. A `nil` stop means the text ended.
    private mutating func runes(until stops: Set<Unicode.Scalar>) -> (text: String, last: Unicode.Scalar?) {
        var text = String.UnicodeScalarView()
        while position < input.count {
            let scalar = input[position]
            position += 1
            if stops.contains(scalar) { return (String(text), scalar) }
            if scalar == "\\", !isLiteral {
                guard position < input.count else { return (String(text), nil) }
                text.append(input[position])
                position += 1
                continue
            }
            text.append(scalar)
        }
        return (String(text), nil)
    }
}

extension StrvalsStop {
    /// Go's panic text for `value.(T)` on a value of another type.
    static func typeAssertion(_ value: TemplateValue, expected: String) -> StrvalsStop {
        var failure = StrvalsFailure(
            "interface conversion: interface {} is \(ValuesGoType.name(of: value)), not \(expected)")
        failure.isTypeAssertion = true
        return .failure(failure)
    }
}
