import Foundation

@testable import GitOpsKit

/// Decodes a `Decodable` from a `JSONValue` and records every key the type asked for that the value lacks.
///
/// Decoding a Swift type from the maximal object of its CRD schema (every declared property present) therefore
/// lists exactly the fields the Swift type models that the schema does not declare: synthesized `Decodable`
/// implementations ask for every optional property with `decodeIfPresent`, which calls `contains(_:)`.
final class KeyRecordingDecoder {
    /// Paths asked for and absent, e.g. `spec.verify.provider`, `spec.include[].toPath`.
    private(set) var missingPaths: Set<String> = []
    /// The allowed values of every closed `FluxEnum` decoded, by path (`spec.provider`: `generic`, `aws`, …).
    private(set) var enumValues: [String: [String]] = [:]

    func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try Node(value: value, codingPath: [], log: self).unbox(type)
    }

    fileprivate func record(_ codingPath: [any CodingKey], _ key: any CodingKey) {
        missingPaths.insert(Self.path(codingPath + [key]))
    }

    fileprivate func recordEnum(_ codingPath: [any CodingKey], _ values: [String]) {
        if !values.isEmpty { enumValues[Self.path(codingPath)] = values }
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if key.intValue != nil {
                text += "[]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }
}

private struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}

/// The decoder at one position of the document.
private struct Node: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let log: KeyRecordingDecoder
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func mismatch(_ expected: Any.Type) -> DecodingError {
        .typeMismatch(expected, .init(codingPath: codingPath, debugDescription: "found \(value.jsonString())"))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw mismatch([String: JSONValue].self) }
        return KeyedDecodingContainer(Keyed<Key>(members: members, node: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch([JSONValue].self) }
        return Unkeyed(elements: elements, node: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(node: self) }

    func child(_ value: JSONValue, _ key: any CodingKey) -> Node {
        Node(value: value, codingPath: codingPath + [key], log: log)
    }

    func unbox<T: Decodable>(_ type: T.Type) throws -> T {
        if let same = value as? T { return same }
        if let enumType = type as? any FluxEnum.Type { log.recordEnum(codingPath, rawValues(enumType)) }
        switch type {
        case is String.Type:
            guard let text = value.stringValue, let result = text as? T else { throw mismatch(type) }
            return result
        case is Bool.Type:
            guard let flag = value.boolValue, let result = flag as? T else { throw mismatch(type) }
            return result
        case is Double.Type:
            guard let number = value.doubleValue, let result = number as? T else { throw mismatch(type) }
            return result
        case is Float.Type:
            guard let number = value.doubleValue, let result = Float(number) as? T else { throw mismatch(type) }
            return result
        case let integer as any FixedWidthInteger.Type:
            guard let number = value.intValue, let result = exactly(integer, number) as? T else { throw mismatch(type) }
            return result
        default:
            return try T(from: self)
        }
    }
}

private func rawValues<E: FluxEnum>(_ type: E.Type) -> [String] { E.allowedValues.map(\.rawValue) }

private func exactly<I: FixedWidthInteger>(_ type: I.Type, _ value: Int64) -> I? { I(exactly: value) }

private struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let node: Node
    var codingPath: [any CodingKey] { node.codingPath }
    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool {
        guard let value = members[key.stringValue], value != .null else {
            node.log.record(codingPath, key)
            return false
        }
        return true
    }

    func decodeNil(forKey key: Key) throws -> Bool { (members[key.stringValue] ?? .null) == .null }

    func value(_ key: Key) throws -> JSONValue {
        guard let value = members[key.stringValue] else {
            node.log.record(codingPath, key)
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
        }
        return value
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try node.child(try value(key), key).unbox(type)
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try generic(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try generic(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try generic(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try generic(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try generic(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try generic(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try generic(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try generic(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try generic(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try generic(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try generic(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try generic(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try generic(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try generic(type, key) }

    private func generic<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        try node.child(try value(key), key).unbox(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try node.child(try value(key), key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try node.child(try value(key), key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { node }
    func superDecoder(forKey key: Key) throws -> any Decoder { node.child(members[key.stringValue] ?? .null, key) }
}

private struct Unkeyed: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let node: Node
    var currentIndex = 0
    var codingPath: [any CodingKey] { node.codingPath }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    mutating func next() throws -> Node {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(JSONValue.self, .init(codingPath: codingPath, debugDescription: "end of array"))
        }
        defer { currentIndex += 1 }
        return node.child(elements[currentIndex], IndexKey(currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        if !isAtEnd, elements[currentIndex] == .null {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().unbox(type) }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try next().unbox(type) }
    mutating func decode(_ type: String.Type) throws -> String { try next().unbox(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next().unbox(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try next().unbox(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next().unbox(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next().unbox(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next().unbox(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next().unbox(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next().unbox(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next().unbox(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next().unbox(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next().unbox(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next().unbox(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next().unbox(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}

private struct Single: SingleValueDecodingContainer {
    let node: Node
    var codingPath: [any CodingKey] { node.codingPath }

    func decodeNil() -> Bool { node.value == .null }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try node.unbox(type) }
    func decode(_ type: Bool.Type) throws -> Bool { try node.unbox(type) }
    func decode(_ type: String.Type) throws -> String { try node.unbox(type) }
    func decode(_ type: Double.Type) throws -> Double { try node.unbox(type) }
    func decode(_ type: Float.Type) throws -> Float { try node.unbox(type) }
    func decode(_ type: Int.Type) throws -> Int { try node.unbox(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try node.unbox(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try node.unbox(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try node.unbox(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try node.unbox(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try node.unbox(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try node.unbox(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try node.unbox(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try node.unbox(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try node.unbox(type) }
}
