import GitOpsKit
import GoTemplate

/// Base64/base32 (`b64dec`/`b32dec` return Go's error text as their result, as Sprig does) and checksums.
extension Sprig {
    static var encodingFunctions: [TemplateFunction] {
        [
            function("b64enc", [.string]) { .string(BaseEncoding.base64Encode(GoByteString.bytes(text($0[0])))) },
            function("b64dec", [.string]) { args in
                do {
                    return .string(GoStrings.string(try BaseEncoding.base64Decode(text(args[0]))))
                } catch {
                    return .string(String(describing: error))
                }
            },
            function("b32enc", [.string]) { .string(BaseEncoding.base32Encode(GoByteString.bytes(text($0[0])))) },
            function("b32dec", [.string]) { args in
                do {
                    return .string(GoStrings.string(try BaseEncoding.base32Decode(text(args[0]))))
                } catch {
                    return .string(String(describing: error))
                }
            },
            function("sha1sum", [.string]) { .string(Digest.compute(.sha1, GoByteString.bytes(text($0[0]))).hexString) },
            function("sha256sum", [.string]) { .string(Digest.compute(.sha256, GoByteString.bytes(text($0[0]))).hexString) },
            function("sha512sum", [.string]) { .string(Digest.compute(.sha512, GoByteString.bytes(text($0[0]))).hexString) },
            function("adler32sum", [.string]) { args in
                var a: UInt32 = 1
                var b: UInt32 = 0
                for byte in GoByteString.bytes(text(args[0])) {
                    a = (a + UInt32(byte)) % 65521
                    b = (b + a) % 65521
                }
                return .string(String(b << 16 | a))
            },
        ]
    }
}

/// Go's `base64.StdEncoding` and `base32.StdEncoding` (padded; decoding skips `\r` and `\n` and reports the
/// offset of the first bad byte as `illegal base64 data at input byte N`).
enum BaseEncoding {
    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let base32Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    static func base64Encode(_ bytes: [UInt8]) -> String {
        encode(bytes, alphabet: base64Alphabet, bitsPerSymbol: 6, blockSymbols: 4)
    }

    static func base32Encode(_ bytes: [UInt8]) -> String {
        encode(bytes, alphabet: base32Alphabet, bitsPerSymbol: 5, blockSymbols: 8)
    }

    /// Go's `StdEncoding.DecodeString`, error offsets included.
    static func base64Decode(_ text: String) throws(SprigError) -> [UInt8] {
        var lookup = [Int](repeating: -1, count: 256)
        for (index, symbol) in base64Alphabet.enumerated() { lookup[Int(symbol)] = index }
        let source = Array(text.utf8)
        func failure(_ offset: Int) -> SprigError { SprigError("illegal base64 data at input byte \(offset)") }
        func isNewline(_ byte: UInt8) -> Bool { byte == 0x0A || byte == 0x0D }
        var out: [UInt8] = []
        var index = 0
        while true {
            var quantum = [Int](repeating: 0, count: 4)
            var count = 0
            var finished = false
            while count < 4 {
                if index == source.count {
                    if count == 0 { return out }
                    throw failure(index - count)
                }
                let byte = source[index]
                index += 1
                let value = lookup[Int(byte)]
                if value >= 0 {
                    quantum[count] = value
                    count += 1
                    continue
                }
                if isNewline(byte) { continue }
                if byte != UInt8(ascii: "=") || count < 2 { throw failure(index - 1) }
                if count == 2 {
                    while index < source.count && isNewline(source[index]) { index += 1 }
                    if index == source.count { throw failure(source.count) }
                    if source[index] != UInt8(ascii: "=") { throw failure(index - 1) }
                    index += 1
                }
                while index < source.count && isNewline(source[index]) { index += 1 }
                if index < source.count { throw failure(index) }
                finished = true
                break
            }
            let bits = quantum[0] << 18 | quantum[1] << 12 | quantum[2] << 6 | quantum[3]
            let bytes = [UInt8(bits >> 16 & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits & 0xFF)]
            out += bytes.prefix(count - 1)
            if finished { return out }
        }
    }

    /// Go's `base32.StdEncoding.DecodeString` (newlines dropped first), error offsets included.
    static func base32Decode(_ text: String) throws(SprigError) -> [UInt8] {
        var lookup = [Int](repeating: -1, count: 256)
        for (index, symbol) in base32Alphabet.enumerated() { lookup[Int(symbol)] = index }
        let source = Array(text.utf8).filter { $0 != 0x0A && $0 != 0x0D }
        func failure(_ offset: Int) -> SprigError { SprigError("illegal base32 data at input byte \(offset)") }
        let total = source.count
        var index = 0
        var out: [UInt8] = []
        var end = false
        while index < total && !end {
            var quantum = [Int](repeating: 0, count: 8)
            var count = 8
            var j = 0
            while j < 8 {
                if index == total { throw failure(total - (total - index) - j) }
                let byte = source[index]
                index += 1
                let remaining = total - index
                if byte == UInt8(ascii: "=") && j >= 2 && remaining < 8 {
                    if remaining + j < 7 { throw failure(total) }
                    for k in 0..<(7 - j) where remaining > k && source[index + k] != UInt8(ascii: "=") {
                        throw failure(total - remaining + k - 1)
                    }
                    count = j
                    end = true
                    if count == 1 || count == 3 || count == 6 { throw failure(total - remaining - 1) }
                    break
                }
                let value = lookup[Int(byte)]
                if value < 0 { throw failure(total - remaining - 1) }
                quantum[j] = value
                j += 1
            }
            var bits: UInt64 = 0
            for value in quantum { bits = bits << 5 | UInt64(value) }
            let bytes = (0..<5).map { UInt8(truncatingIfNeeded: bits >> UInt64(32 - 8 * $0)) }
            let produced = [0, 0, 1, 1, 2, 3, 3, 4, 5][count]
            out += bytes.prefix(produced)
            if end { index = total }
        }
        return out
    }

    private static func encode(_ bytes: [UInt8], alphabet: [UInt8], bitsPerSymbol: Int, blockSymbols: Int) -> String {
        var out: [UInt8] = []
        var buffer = 0
        var bits = 0
        for byte in bytes {
            buffer = buffer << 8 | Int(byte)
            bits += 8
            while bits >= bitsPerSymbol {
                bits -= bitsPerSymbol
                out.append(alphabet[(buffer >> bits) & ((1 << bitsPerSymbol) - 1)])
            }
            buffer &= (1 << bits) - 1
        }
        if bits > 0 { out.append(alphabet[(buffer << (bitsPerSymbol - bits)) & ((1 << bitsPerSymbol) - 1)]) }
        while out.count % blockSymbols != 0 { out.append(UInt8(ascii: "=")) }
        return String(decoding: out, as: UTF8.self)
    }

    private static func decode(
        _ text: String, alphabet: [UInt8], bitsPerSymbol: Int, blockSymbols: Int, name: String
    ) throws(SprigError) -> [UInt8] {
        var lookup = [Int](repeating: -1, count: 256)
        for (index, symbol) in alphabet.enumerated() { lookup[Int(symbol)] = index }
        // Symbols with their offsets in the input; Go skips newlines.
        let input = Array(text.utf8).enumerated().filter { $0.element != 0x0A && $0.element != 0x0D }
        func failure(_ offset: Int) -> SprigError { SprigError("illegal \(name) data at input byte \(offset)") }
        var out: [UInt8] = []
        var index = 0
        while index < input.count {
            let block = input[index..<min(index + blockSymbols, input.count)]
            var buffer = 0
            var bits = 0
            var symbols = 0
            var padding = false
            for (offset, symbol) in block {
                if symbol == UInt8(ascii: "=") {
                    // Padding may only start after enough symbols for a byte and must fill the block.
                    if symbols < 2 || (bitsPerSymbol == 5 && ![2, 4, 5, 7].contains(symbols)) { throw failure(offset) }
                    padding = true
                    continue
                }
                if padding { throw failure(offset) }
                let value = lookup[Int(symbol)]
                if value < 0 { throw failure(offset) }
                buffer = buffer << bitsPerSymbol | value
                bits += bitsPerSymbol
                symbols += 1
                if bits >= 8 {
                    bits -= 8
                    out.append(UInt8((buffer >> bits) & 0xFF))
                    buffer &= (1 << bits) - 1
                }
            }
            if block.count < blockSymbols {
                let offset = input.count == 0 ? 0 : (block.last?.offset ?? 0)
                throw failure(symbols < 2 ? offset : (text.utf8.count - (padding ? 1 : 0)))
            }
            index += blockSymbols
            if padding && index < input.count { throw failure(input[index].offset) }
        }
        return out
    }
}
