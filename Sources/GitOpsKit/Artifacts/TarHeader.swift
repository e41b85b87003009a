/// A ustar header block (512 bytes) as archives written here carry it, and the fields read back from one.
///
/// Writing follows Go's `archive/tar` (what Flux writes): plain ustar when the name fits, the ustar `prefix` field
/// for longer ASCII names, and a PAX extended header (`x`) with a `path` record otherwise.
struct TarHeader: Sendable, Equatable {
    enum EntryType: UInt8, Sendable {
        case regular = 0x30  // '0'
        case hardLink = 0x31  // '1'
        case symbolicLink = 0x32  // '2'
        case characterDevice = 0x33
        case blockDevice = 0x34
        case directory = 0x35  // '5'
        case fifo = 0x36
        case contiguous = 0x37
        case paxExtended = 0x78  // 'x'
        case paxGlobal = 0x67  // 'g'
        case gnuLongName = 0x4C  // 'L'
        case gnuLongLink = 0x4B  // 'K'
    }

    static let blockSize = 512

    var name: String
    var mode: Int64
    var size: Int64
    /// The raw type flag byte (`0` and NUL both mean a regular file).
    var typeFlag: UInt8
    var linkName: String = ""

    var entryType: EntryType? {
        typeFlag == 0 ? .regular : EntryType(rawValue: typeFlag)
    }
}

// MARK: - Writing

extension TarHeader {
    /// The blocks that announce this entry: an optional PAX header (with its records) and the ustar header.
    /// uid/gid and mtime are zero, uname/gname empty, so only name, mode, size and type reach the archive.
    func encodedBlocks() -> [UInt8] {
        var paxRecords: [(String, String)] = []
        var nameField = name
        var prefixField = ""
        let nameBytes = Array(name.utf8)
        let isASCII = nameBytes.allSatisfy { $0 < 0x80 }
        if nameBytes.count > 100 || !isASCII {
            if isASCII, let (prefix, suffix) = Self.splitUSTARPath(nameBytes) {
                prefixField = prefix
                nameField = suffix
            } else {
                paxRecords.append(("path", name))
                nameField = Self.asciiFallback(name, limit: 100)
            }
        }
        var sizeField = size
        if size > 0o777_7777_7777 {
            paxRecords.append(("size", String(size)))
            sizeField = 0
        }
        var out: [UInt8] = []
        if !paxRecords.isEmpty {
            let body = Self.paxBody(paxRecords)
            let paxName = Self.asciiFallback(Self.paxHeaderName(for: name), limit: 100)
            out += Self.ustarBlock(name: paxName, prefix: "", mode: 0, size: Int64(body.count), typeFlag: EntryType.paxExtended.rawValue)
            out += body
            out += [UInt8](repeating: 0, count: Self.padding(for: Int64(body.count)))
        }
        out += Self.ustarBlock(name: nameField, prefix: prefixField, mode: mode, size: sizeField, typeFlag: typeFlag)
        return out
    }

    /// Zero bytes that round `size` up to a whole block.
    static func padding(for size: Int64) -> Int {
        let remainder = Int(size % Int64(blockSize))
        return remainder == 0 ? 0 : blockSize - remainder
    }

    /// Go's `splitUSTARPath`: a `prefix/name` split with `name` ≤ 100 and `prefix` ≤ 155 bytes.
    private static func splitUSTARPath(_ bytes: [UInt8]) -> (String, String)? {
        var length = bytes.count
        if length > 156 {
            length = 156
        } else if bytes[length - 1] == UInt8(ascii: "/") {
            length -= 1
        }
        guard let slash = bytes[..<length].lastIndex(of: UInt8(ascii: "/")) else { return nil }
        let suffixLength = bytes.count - slash - 1
        guard slash > 0, suffixLength > 0, suffixLength <= 100, slash <= 155 else { return nil }
        return (String(decoding: bytes[..<slash], as: UTF8.self), String(decoding: bytes[(slash + 1)...], as: UTF8.self))
    }

    /// `dir/PaxHeaders.0/base`, the name Go gives PAX headers.
    private static func paxHeaderName(for name: String) -> String {
        let trimmed = name.hasSuffix("/") ? String(name.dropLast()) : name
        let parent = FileSystem.parentPath(of: trimmed)
        let base = trimmed.split(separator: "/").last.map(String.init) ?? trimmed
        return (parent.isEmpty ? "" : parent + "/") + "PaxHeaders.0/" + base
    }

    private static func asciiFallback(_ text: String, limit: Int) -> String {
        String(decoding: text.utf8.filter { $0 < 0x80 && $0 != 0 }.prefix(limit), as: UTF8.self)
    }

    /// PAX records: `"<len> <key>=<value>\n"` where `<len>` counts the whole record including itself.
    private static func paxBody(_ records: [(String, String)]) -> [UInt8] {
        var body: [UInt8] = []
        for (key, value) in records {
            let payload = " \(key)=\(value)\n".utf8.count
            var length = payload + String(payload).utf8.count
            if String(length).utf8.count + payload != length { length = String(length).utf8.count + payload }
            body += Array("\(length) \(key)=\(value)\n".utf8)
        }
        return body
    }

    private static func ustarBlock(name: String, prefix: String, mode: Int64, size: Int64, typeFlag: UInt8) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: blockSize)
        put(name, at: 0, width: 100, in: &block)
        putOctal(mode, at: 100, width: 8, in: &block)
        putOctal(0, at: 108, width: 8, in: &block)  // uid
        putOctal(0, at: 116, width: 8, in: &block)  // gid
        putOctal(size, at: 124, width: 12, in: &block)
        putOctal(0, at: 136, width: 12, in: &block)  // mtime
        block[156] = typeFlag
        put("ustar\0", at: 257, width: 6, in: &block)
        put("00", at: 263, width: 2, in: &block)
        putOctal(0, at: 329, width: 8, in: &block)  // devmajor
        putOctal(0, at: 337, width: 8, in: &block)  // devminor
        put(prefix, at: 345, width: 155, in: &block)
        // Checksum: sum of all bytes with the checksum field as spaces, written as 6 octal digits, NUL, space.
        for index in 148..<156 { block[index] = 0x20 }
        let sum = block.reduce(0) { $0 + Int64($1) }
        putOctal(sum, at: 148, width: 7, in: &block)
        block[155] = 0x20
        return block
    }

    private static func put(_ text: String, at offset: Int, width: Int, in block: inout [UInt8]) {
        for (index, byte) in text.utf8.prefix(width).enumerated() { block[offset + index] = byte }
    }

    /// Zero-padded octal in `width - 1` digits plus a NUL, as Go and GNU tar write numeric fields.
    private static func putOctal(_ value: Int64, at offset: Int, width: Int, in block: inout [UInt8]) {
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width - 1)
        var remaining = value
        var index = digits.count - 1
        while remaining > 0 && index >= 0 {
            digits[index] = UInt8(ascii: "0") + UInt8(remaining & 7)
            remaining >>= 3
            index -= 1
        }
        for (position, byte) in digits.enumerated() { block[offset + position] = byte }
        block[offset + width - 1] = 0
    }
}

// MARK: - Reading

extension TarHeader {
    /// Whether a block is all zeros (the end-of-archive marker).
    static func isZeroBlock(_ block: ArraySlice<UInt8>) -> Bool {
        block.allSatisfy { $0 == 0 }
    }

    /// Decodes one header block; `nil` name/size overrides come from preceding PAX or GNU long-name entries.
    static func decode(_ block: ArraySlice<UInt8>) throws(ArchiveError) -> TarHeader {
        let bytes = Array(block)
        guard bytes.count == blockSize else { throw .corrupt("short header block") }
        guard let stored = parseNumber(bytes[148..<156]) else { throw .corrupt("unreadable header checksum") }
        var unsigned: Int64 = 0
        var signed: Int64 = 0
        for (index, byte) in bytes.enumerated() {
            let value = (148..<156).contains(index) ? 0x20 : byte
            unsigned += Int64(value)
            signed += Int64(Int8(bitPattern: value))
        }
        guard stored == unsigned || stored == signed else { throw .corrupt("header checksum mismatch") }
        guard let mode = parseNumber(bytes[100..<108]) else { throw .corrupt("unreadable mode field") }
        guard let size = parseNumber(bytes[124..<136]), size >= 0 else { throw .corrupt("unreadable size field") }
        var name = string(bytes[0..<100])
        let magic = bytes[257..<263]
        if Array(magic) == Array("ustar\0".utf8) {
            let prefix = string(bytes[345..<500])
            if !prefix.isEmpty { name = prefix + "/" + name }
        }
        return TarHeader(name: name, mode: mode, size: size, typeFlag: bytes[156], linkName: string(bytes[157..<257]))
    }

    /// A NUL-terminated field.
    private static func string(_ field: ArraySlice<UInt8>) -> String {
        String(decoding: field.prefix(while: { $0 != 0 }), as: UTF8.self)
    }

    /// An octal field (spaces and NULs around it allowed) or GNU base-256 (high bit set).
    static func parseNumber(_ field: ArraySlice<UInt8>) -> Int64? {
        guard let first = field.first else { return nil }
        if first & 0x80 != 0 {
            guard first == 0x80, field.count <= 9 || field.dropFirst().dropLast(8).allSatisfy({ $0 == 0 }) else {
                return nil
            }
            var value: Int64 = 0
            for byte in field.suffix(8) {
                if value > (Int64.max >> 8) { return nil }
                value = value << 8 | Int64(byte)
            }
            return value
        }
        let digits = field.drop { $0 == 0x20 || $0 == 0 }.prefix { $0 != 0x20 && $0 != 0 }
        var value: Int64 = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "7") else { return nil }
            if value > (Int64.max >> 3) { return nil }
            value = value << 3 | Int64(digit - UInt8(ascii: "0"))
        }
        return value
    }

    /// PAX records (`<len> key=value\n`…) as a dictionary.
    static func parsePAXRecords(_ body: [UInt8]) throws(ArchiveError) -> [String: String] {
        var records: [String: String] = [:]
        var index = 0
        while index < body.count {
            guard let space = body[index...].firstIndex(of: 0x20) else { throw .corrupt("malformed PAX record") }
            guard let length = Int(String(decoding: body[index..<space], as: UTF8.self)), length > 0,
                index + length <= body.count, body[index + length - 1] == 0x0A
            else { throw .corrupt("malformed PAX record") }
            let record = body[(space + 1)..<(index + length - 1)]
            guard let equals = record.firstIndex(of: UInt8(ascii: "=")) else { throw .corrupt("malformed PAX record") }
            let key = String(decoding: record[..<equals], as: UTF8.self)
            records[key] = String(decoding: record[(equals + 1)...], as: UTF8.self)
            index += length
        }
        return records
    }
}
