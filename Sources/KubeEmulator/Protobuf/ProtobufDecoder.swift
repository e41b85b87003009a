import Foundation
import GitOpsKit

/// A protobuf body that could not be decoded.
struct ProtobufDecodingError: Error, Sendable, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Decodes Kubernetes protobuf bodies (`k8s\0` + `runtime.Unknown` envelope) into the JSON objects they
/// represent, dropping the zero values Go's JSON encoding would omit.
enum ProtobufDecoder {
    static let magic: [UInt8] = [0x6B, 0x38, 0x73, 0x00]
    private static let metaPackage = "k8s.io.apimachinery.pkg.apis.meta.v1"

    /// The object in a protobuf request body, with `apiVersion` and `kind` from its envelope.
    static func decodeObject(_ bytes: [UInt8], schema: ProtobufSchema = .shared) throws(ProtobufDecodingError) -> JSONValue {
        guard bytes.count >= 4, Array(bytes.prefix(4)) == magic else {
            throw ProtobufDecodingError(message: "the protobuf body does not start with the Kubernetes magic number")
        }
        var apiVersion = ""
        var kind = ""
        var raw: ArraySlice<UInt8> = []
        var reader = ProtobufReader(bytes[4...])
        while let (number, wire) = try reader.nextTag() {
            switch (number, wire) {
            case (1, 2):
                var typeMeta = ProtobufReader(try reader.lengthDelimited())
                while let (field, fieldWire) = try typeMeta.nextTag() {
                    if fieldWire == 2, field == 1 { apiVersion = String(decoding: try typeMeta.lengthDelimited(), as: UTF8.self) }
                    else if fieldWire == 2, field == 2 { kind = String(decoding: try typeMeta.lengthDelimited(), as: UTF8.self) }
                    else { try typeMeta.skip(fieldWire) }
                }
            case (2, 2):
                raw = try reader.lengthDelimited()
            default:
                try reader.skip(wire)
            }
        }
        guard let message = schema.messageName(apiVersion: apiVersion, kind: kind) else {
            throw ProtobufDecodingError(message: "no protobuf support for \(apiVersion), Kind=\(kind); send JSON")
        }
        var object = try decode(message, raw, schema: schema)
        if case .object = object {
            object["apiVersion"] = .string(apiVersion)
            object["kind"] = .string(kind)
        }
        return object
    }

    static func decode(_ message: String, _ bytes: ArraySlice<UInt8>, schema: ProtobufSchema) throws(ProtobufDecodingError) -> JSONValue {
        if let special = try decodeSpecial(message, bytes) { return special }
        guard let fields = schema.messages[message] else {
            throw ProtobufDecodingError(message: "unknown protobuf message \(message)")
        }
        var members: [String: JSONValue] = [:]
        var inlined: [String] = []
        var reader = ProtobufReader(bytes)
        while let (number, wire) = try reader.nextTag() {
            guard let field = fields[number] else {
                try reader.skip(wire)
                continue
            }
            if field.map {
                guard wire == 2 else { throw ProtobufDecodingError(message: "map field \(field.name) is not length-delimited") }
                var entry = ProtobufReader(try reader.lengthDelimited())
                var key = ""
                var value: JSONValue = try zero(field, schema: schema)
                while let (entryField, entryWire) = try entry.nextTag() {
                    if entryField == 1, entryWire == 2 {
                        key = String(decoding: try entry.lengthDelimited(), as: UTF8.self)
                    } else if entryField == 2 {
                        value = try scalarOrMessage(field, wire: entryWire, reader: &entry, schema: schema)
                    } else {
                        try entry.skip(entryWire)
                    }
                }
                var map = members[field.name]?.objectValue ?? [:]
                map[key] = value
                members[field.name] = .object(map)
            } else if field.repeated {
                var list = members[field.name]?.arrayValue ?? []
                if wire == 2, field.kind != .string, field.kind != .bytes, field.kind != .message {
                    var packed = ProtobufReader(try reader.lengthDelimited())
                    while !packed.isAtEnd {
                        list.append(try scalarOrMessage(field, wire: field.kind == .double ? 1 : field.kind == .float ? 5 : 0,
                                                        reader: &packed, schema: schema))
                    }
                } else {
                    list.append(try scalarOrMessage(field, wire: wire, reader: &reader, schema: schema))
                }
                members[field.name] = .array(list)
            } else {
                let value = try scalarOrMessage(field, wire: wire, reader: &reader, schema: schema)
                if field.inline { inlined.append(field.name) }
                members[field.name] = value
            }
        }
        for (number, field) in fields where !field.keepZero && !field.repeated && !field.map {
            _ = number
            if let value = members[field.name], isZero(value, field) { members[field.name] = nil }
        }
        for (_, field) in fields where field.kind == .message && !field.repeated && !field.map {
            if members[field.name] == .null { members[field.name] = nil }
        }
        for name in inlined {
            if case .object(let nested)? = members.removeValue(forKey: name) {
                for (key, value) in nested where members[key] == nil { members[key] = value }
            }
        }
        return .object(members)
    }

    private static func zero(_ field: ProtobufSchema.Field, schema: ProtobufSchema) throws(ProtobufDecodingError) -> JSONValue {
        switch field.kind {
        case .string, .bytes: return ""
        case .bool: return false
        case .integer: return 0
        case .double, .float: return .double(0)
        case .message: return try decode(field.messageType, [], schema: schema)
        }
    }

    private static func isZero(_ value: JSONValue, _ field: ProtobufSchema.Field) -> Bool {
        switch (field.kind, value) {
        case (.string, .string(let s)), (.bytes, .string(let s)): return s.isEmpty
        case (.bool, .bool(let b)): return !b
        case (.integer, .int(let i)): return i == 0
        case (.double, .double(let d)), (.float, .double(let d)): return d == 0
        default: return false
        }
    }

    private static func scalarOrMessage(_ field: ProtobufSchema.Field, wire: Int, reader: inout ProtobufReader,
                                        schema: ProtobufSchema) throws(ProtobufDecodingError) -> JSONValue {
        switch field.kind {
        case .string:
            return .string(String(decoding: try reader.lengthDelimited(), as: UTF8.self))
        case .bytes:
            return .string(Data(try reader.lengthDelimited()).base64EncodedString())
        case .bool:
            return .bool(try reader.varint() != 0)
        case .integer:
            return .int(Int64(bitPattern: try reader.varint()))
        case .double:
            return .double(Double(bitPattern: try reader.fixed64()))
        case .float:
            return .double(Double(Float(bitPattern: try reader.fixed32())))
        case .message:
            return try decode(field.messageType, try reader.lengthDelimited(), schema: schema)
        }
    }

    /// Messages whose JSON form is not an object (times, int-or-string, quantities, raw JSON).
    private static func decodeSpecial(_ message: String, _ bytes: ArraySlice<UInt8>) throws(ProtobufDecodingError) -> JSONValue? {
        switch message {
        case "\(metaPackage).Time", "\(metaPackage).MicroTime":
            var seconds: Int64?
            var nanos: Int64 = 0
            var reader = ProtobufReader(bytes)
            while let (number, wire) = try reader.nextTag() {
                if number == 1 { seconds = Int64(bitPattern: try reader.varint()) }
                else if number == 2 { nanos = Int64(bitPattern: try reader.varint()) }
                else { try reader.skip(wire) }
            }
            guard let seconds else { return .null }
            let date = Date(timeIntervalSince1970: Double(seconds) + Double(nanos) / 1e9)
            if message.hasSuffix("MicroTime") {
                let micros = String(format: "%06d", Int(nanos / 1000))
                return .string(String(Timestamp.format(date).dropLast()) + ".\(micros)Z")
            }
            return .string(Timestamp.format(date))
        case "\(metaPackage).Duration":
            var reader = ProtobufReader(bytes)
            var nanoseconds: Int64 = 0
            while let (number, wire) = try reader.nextTag() {
                if number == 1 { nanoseconds = Int64(bitPattern: try reader.varint()) } else { try reader.skip(wire) }
            }
            return .string(goDuration(nanoseconds))
        case "k8s.io.apimachinery.pkg.util.intstr.IntOrString":
            var reader = ProtobufReader(bytes)
            var type: UInt64 = 0
            var intValue: Int64 = 0
            var stringValue = ""
            while let (number, wire) = try reader.nextTag() {
                switch number {
                case 1: type = try reader.varint()
                case 2: intValue = Int64(Int32(truncatingIfNeeded: Int64(bitPattern: try reader.varint())))
                case 3: stringValue = String(decoding: try reader.lengthDelimited(), as: UTF8.self)
                default: try reader.skip(wire)
                }
            }
            return type == 1 ? .string(stringValue) : .int(intValue)
        case "k8s.io.apimachinery.pkg.api.resource.Quantity":
            var reader = ProtobufReader(bytes)
            var text = ""
            while let (number, wire) = try reader.nextTag() {
                if number == 1 { text = String(decoding: try reader.lengthDelimited(), as: UTF8.self) } else { try reader.skip(wire) }
            }
            return .string(text)
        case "k8s.io.apimachinery.pkg.runtime.RawExtension", "\(metaPackage).FieldsV1":
            var reader = ProtobufReader(bytes)
            var raw: ArraySlice<UInt8> = []
            while let (number, wire) = try reader.nextTag() {
                if number == 1 { raw = try reader.lengthDelimited() } else { try reader.skip(wire) }
            }
            if raw.isEmpty { return .null }
            do {
                return try JSONValue(json: raw)
            } catch {
                throw ProtobufDecodingError(message: "embedded JSON in \(message) is invalid: \(error)")
            }
        default:
            return nil
        }
    }

    /// Go's `time.Duration.String()`.
    static func goDuration(_ nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        let magnitude = nanoseconds.magnitude
        var text: String
        if magnitude < 1_000_000_000 {
            if magnitude < 1_000 { text = "\(magnitude)ns" }
            else if magnitude < 1_000_000 { text = trimmed(Double(magnitude) / 1e3) + "µs" }
            else { text = trimmed(Double(magnitude) / 1e6) + "ms" }
        } else {
            let hours = magnitude / 3_600_000_000_000
            let minutes = (magnitude / 60_000_000_000) % 60
            let seconds = Double(magnitude % 60_000_000_000) / 1e9
            text = ""
            if hours > 0 { text += "\(hours)h" }
            if hours > 0 || minutes > 0 { text += "\(minutes)m" }
            text += trimmed(seconds) + "s"
        }
        return negative ? "-" + text : text
    }

    private static func trimmed(_ value: Double) -> String {
        var text = String(format: "%.9f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

/// A cursor over protobuf wire-format bytes.
struct ProtobufReader {
    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { bytes.isEmpty }

    mutating func nextTag() throws(ProtobufDecodingError) -> (Int, Int)? {
        if bytes.isEmpty { return nil }
        let key = try varint()
        let number = Int(truncatingIfNeeded: key >> 3)
        guard number > 0 else { throw ProtobufDecodingError(message: "invalid protobuf field number 0") }
        return (number, Int(key & 7))
    }

    mutating func varint() throws(ProtobufDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while let byte = bytes.first {
            bytes = bytes.dropFirst()
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift >= 64 { throw ProtobufDecodingError(message: "protobuf varint is too long") }
        }
        throw ProtobufDecodingError(message: "truncated protobuf varint")
    }

    mutating func fixed64() throws(ProtobufDecodingError) -> UInt64 {
        guard bytes.count >= 8 else { throw ProtobufDecodingError(message: "truncated protobuf fixed64") }
        var value: UInt64 = 0
        for (i, byte) in bytes.prefix(8).enumerated() { value |= UInt64(byte) << (8 * UInt64(i)) }
        bytes = bytes.dropFirst(8)
        return value
    }

    mutating func fixed32() throws(ProtobufDecodingError) -> UInt32 {
        guard bytes.count >= 4 else { throw ProtobufDecodingError(message: "truncated protobuf fixed32") }
        var value: UInt32 = 0
        for (i, byte) in bytes.prefix(4).enumerated() { value |= UInt32(byte) << (8 * UInt32(i)) }
        bytes = bytes.dropFirst(4)
        return value
    }

    mutating func lengthDelimited() throws(ProtobufDecodingError) -> ArraySlice<UInt8> {
        let length = try varint()
        guard length <= UInt64(bytes.count) else { throw ProtobufDecodingError(message: "truncated protobuf field") }
        let value = bytes.prefix(Int(length))
        bytes = bytes.dropFirst(Int(length))
        return value
    }

    mutating func skip(_ wire: Int) throws(ProtobufDecodingError) {
        switch wire {
        case 0: _ = try varint()
        case 1: _ = try fixed64()
        case 2: _ = try lengthDelimited()
        case 5: _ = try fixed32()
        default: throw ProtobufDecodingError(message: "unsupported protobuf wire type \(wire)")
        }
    }
}
