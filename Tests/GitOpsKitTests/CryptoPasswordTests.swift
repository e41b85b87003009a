import GitOpsKit
import Testing

/// bcrypt, scrypt and AES-CBC, checked against independent implementations (libxcrypt's `crypt` for bcrypt,
/// RFC 7914's vectors for scrypt).
@Suite struct CryptoPasswordTests {
    @Test(arguments: [
        ("pass", Array(0..<16), 4, "$2a$04$..CA.uOD/eaGAOmJB.yMBuVnDB.KPkk3kiiq/SP2dHMqJqpuqJ.f."),
        ("", [UInt8](repeating: 0xFF, count: 16), 5, "$2a$05$999999999999999999999u2x1vY2OFo6MuyNyzSJNXQ22JBpMOPh6"),
        ("correct horse battery staple", Array(100..<116), 10,
         "$2a$10$XETkX0fnYkrqZU3taFDwauzaAX68/4JOPVSpm7h.McBWm.WqcIhDO"),
    ] as [(String, [UInt8], Int, String)])
    func bcryptMatchesCrypt(_ vector: (String, [UInt8], Int, String)) throws {
        #expect(try Bcrypt.hash(password: Array(vector.0.utf8), cost: vector.2, salt: vector.1) == vector.3)
    }

    @Test func bcryptRefusesLongPasswords() {
        #expect(throws: Bcrypt.Failure.self) { try Bcrypt.generate(password: [UInt8](repeating: 65, count: 73), cost: 4) }
        #expect(throws: Bcrypt.Failure.self) { try Bcrypt.hash(password: [], cost: 3, salt: Array(0..<16)) }
    }

    @Test func bcryptGeneratesFreshSalts() throws {
        let first = try Bcrypt.generate(password: Array("x".utf8), cost: 4)
        let second = try Bcrypt.generate(password: Array("x".utf8), cost: 4)
        #expect(first.hasPrefix("$2a$04$") && first.utf8.count == 60)
        #expect(first != second)
    }

    /// RFC 7914 §12, the second vector.
    @Test func scryptMatchesRFC7914() throws {
        let key = try Scrypt.key(password: Array("password".utf8), salt: Array("NaCl".utf8), n: 1024, r: 8, p: 16, length: 64)
        #expect(key.hexString == "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
            + "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")
    }

    @Test func aesRoundTripsAndRefusesPartialBlocks() throws {
        let key = [UInt8](repeating: 7, count: 32)
        let iv = [UInt8](repeating: 1, count: 16)
        let plain = Array("sixteen byte msg".utf8)
        let sealed = try AESCBC.encrypt(key: key, iv: iv, input: plain)
        #expect(sealed.count == 16 && sealed != plain)
        #expect(try AESCBC.decrypt(key: key, iv: iv, input: sealed) == plain)
        #expect(throws: AESCBC.Failure.self) { try AESCBC.encrypt(key: key, iv: iv, input: [1, 2, 3]) }
    }
}
