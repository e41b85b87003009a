import COpenSSL

/// bcrypt password hashing (Provos and Mazières' EksBlowfish), as Go's `golang.org/x/crypto/bcrypt` writes it:
/// `$2a$<cost>$<22-character salt><31-character hash>`.
public enum Bcrypt {
    /// A password bcrypt cannot hash.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Go's `bcrypt.DefaultCost`.
    public static let defaultCost = 10

    /// `GenerateFromPassword`: the hash of `password` with a random salt.
    public static func generate(password: [UInt8], cost: Int = defaultCost) throws(Failure) -> String {
        try hash(password: password, cost: cost, salt: SecureRandom.bytes(16))
    }

    /// The hash of `password` with the 16-byte `salt` and `cost` (log2 of the key-expansion rounds, 4...31).
    public static func hash(password: [UInt8], cost: Int, salt: [UInt8]) throws(Failure) -> String {
        guard password.count <= 72 else { throw Failure(description: "bcrypt: password length exceeds 72 bytes") }
        guard (4...31).contains(cost) else {
            throw Failure(description: "crypto/bcrypt: cost \(cost) is outside allowed inclusive range 4..31")
        }
        guard salt.count == 16 else { throw Failure(description: "crypto/bcrypt: salt must be 16 bytes") }
        let key = password + [0]
        var state = Blowfish.initial
        state.expand(key: key, salt: salt)
        for _ in 0..<(1 << cost) {
            state.expand(key: key, salt: nil)
            state.expand(key: salt, salt: nil)
        }
        var words: [UInt32] = []
        let magic = Array("OrpheanBeholderScryDoubt".utf8)
        for index in stride(from: 0, to: magic.count, by: 4) { words.append(Blowfish.word(magic, index)) }
        for block in stride(from: 0, to: words.count, by: 2) {
            var left = words[block]
            var right = words[block + 1]
            for _ in 0..<64 { (left, right) = state.encrypt(left, right) }
            words[block] = left
            words[block + 1] = right
        }
        var digest: [UInt8] = []
        for word in words { digest += [UInt8(word >> 24), UInt8((word >> 16) & 0xFF), UInt8((word >> 8) & 0xFF), UInt8(word & 0xFF)] }
        let costText = cost < 10 ? "0\(cost)" : "\(cost)"
        return "$2a$" + costText + "$" + encode(salt) + encode(Array(digest.prefix(23)))
    }

    /// bcrypt's base64: its own alphabet, no padding.
    static func encode(_ bytes: [UInt8]) -> String {
        let alphabet = Array("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let b0 = UInt32(bytes[index])
            let b1 = index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0
            let b2 = index + 2 < bytes.count ? UInt32(bytes[index + 2]) : 0
            let group = b0 << 16 | b1 << 8 | b2
            let characters = min(4, (bytes.count - index) * 8 / 6 + 1)
            for position in 0..<characters { out.append(alphabet[Int((group >> (18 - 6 * UInt32(position))) & 0x3F)]) }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Blowfish's key schedule state and block encryption, with the salted expansion bcrypt needs.
struct Blowfish {
    var p: [UInt32]
    var s: [UInt32]  // four 256-entry S-boxes, one after the other

    /// The initial state: the hexadecimal digits of π after the point, P-array first, then the S-boxes.
    static let initial: Blowfish = {
        let words = PiDigits.fractionWords(18 + 4 * 256)
        return Blowfish(p: Array(words[0..<18]), s: Array(words[18...]))
    }()

    static func word(_ bytes: [UInt8], _ index: Int) -> UInt32 {
        UInt32(bytes[index]) << 24 | UInt32(bytes[index + 1]) << 16 | UInt32(bytes[index + 2]) << 8 | UInt32(bytes[index + 3])
    }

    /// The next 32 bits of `bytes`, read cyclically from `position`.
    private static func nextWord(_ bytes: [UInt8], _ position: inout Int) -> UInt32 {
        var word: UInt32 = 0
        for _ in 0..<4 {
            word = word << 8 | UInt32(bytes[position])
            position = (position + 1) % bytes.count
        }
        return word
    }

    private func f(_ x: UInt32) -> UInt32 {
        ((s[Int(x >> 24)] &+ s[256 + Int((x >> 16) & 0xFF)]) ^ s[512 + Int((x >> 8) & 0xFF)]) &+ s[768 + Int(x & 0xFF)]
    }

    func encrypt(_ left: UInt32, _ right: UInt32) -> (UInt32, UInt32) {
        var l = left
        var r = right
        for round in 0..<16 {
            l ^= p[round]
            r ^= f(l)
            swap(&l, &r)
        }
        swap(&l, &r)
        r ^= p[16]
        l ^= p[17]
        return (l, r)
    }

    /// Mixes `key` into the P-array, then re-encrypts the whole state, XORing `salt` words into the chain.
    mutating func expand(key: [UInt8], salt: [UInt8]?) {
        var keyPosition = 0
        for index in 0..<18 { p[index] ^= Self.nextWord(key, &keyPosition) }
        var saltPosition = 0
        var l: UInt32 = 0
        var r: UInt32 = 0
        func next(_ state: Blowfish) -> (UInt32, UInt32) {
            if let salt {
                l ^= Self.nextWord(salt, &saltPosition)
                r ^= Self.nextWord(salt, &saltPosition)
            }
            return state.encrypt(l, r)
        }
        for index in stride(from: 0, to: 18, by: 2) {
            (l, r) = next(self)
            p[index] = l
            p[index + 1] = r
        }
        for index in stride(from: 0, to: s.count, by: 2) {
            (l, r) = next(self)
            s[index] = l
            s[index + 1] = r
        }
    }
}

/// Hexadecimal digits of π, computed with Machin's formula (π = 16·atan(1/5) − 4·atan(1/239)) in fixed point.
enum PiDigits {
    /// The first `count` 32-bit words of π's fraction (0x243F6A88, 0x85A308D3, …).
    static func fractionWords(_ count: Int) -> [UInt32] {
        let bits = count * 32
        let guardBits = 64
        let scale = bits + guardBits
        guard let pi = BN_new() else { return [] }
        defer { BN_free(pi) }
        let a = arctangentInverse(5, scale: scale)
        let b = arctangentInverse(239, scale: scale)
        defer {
            BN_free(a)
            BN_free(b)
        }
        BN_mul_word(a, 16)
        BN_mul_word(b, 4)
        BN_sub(pi, a, b)
        BN_rshift(pi, pi, Int32(guardBits))
        // pi·2^bits: the integer part 3, then `bits` bits of fraction.
        let length = Int(BN_num_bits(pi) + 7) / 8
        var bytes = [UInt8](repeating: 0, count: length)
        _ = bytes.withUnsafeMutableBufferPointer { BN_bn2bin(pi, $0.baseAddress) }
        let fraction = Array(bytes.suffix(bits / 8))
        return stride(from: 0, to: fraction.count, by: 4).map { Blowfish.word(fraction, $0) }
    }

    /// atan(1/x)·2^scale, by its Taylor series.
    private static func arctangentInverse(_ x: UInt, scale: Int) -> OpaquePointer? {
        let sum = BN_new()
        let power = BN_new()
        let term = BN_new()
        defer {
            BN_free(power)
            BN_free(term)
        }
        BN_set_word(power, 1)
        BN_lshift(power, power, Int32(scale))
        BN_div_word(power, x)
        BN_copy(sum, power)
        let square = x * x
        var k: UInt = 1
        while true {
            BN_div_word(power, square)
            if BN_is_zero(power) == 1 { break }
            BN_copy(term, power)
            BN_div_word(term, 2 * k + 1)
            if k % 2 == 1 { BN_sub(sum, sum, term) } else { BN_add(sum, sum, term) }
            k += 1
        }
        return sum
    }
}
