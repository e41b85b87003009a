import Testing

@testable import GitOpsKit

struct CryptoEncodingTests {
    @Test func hexRoundTrip() {
        let bytes: [UInt8] = [0x00, 0x01, 0x7f, 0x80, 0xab, 0xff]
        #expect(bytes.hexString == "00017f80abff")
        #expect([UInt8](hex: "00017f80abff") == bytes)
        #expect([UInt8](hex: "00017F80ABFF") == bytes)
        #expect([UInt8](hex: "") == [])
        #expect([UInt8]().hexString == "")
        #expect(bytes[2...].hexString == "7f80abff")
    }

    @Test(arguments: ["0", "abc", "zz", "0g", " 0a", "0x00", "éé"])
    func hexRejectsMalformed(_ text: String) {
        #expect([UInt8](hex: text) == nil)
    }

    @Test func constantTimeEquality() {
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(!ConstantTime.equals([], [0]))
        #expect(ConstantTime.equals([], []))
    }

    @Test func secureRandom() {
        #expect(SecureRandom.bytes(0).isEmpty)
        #expect(SecureRandom.bytes(-1).isEmpty)
        let a = SecureRandom.bytes(32)
        let b = SecureRandom.bytes(32)
        #expect(a.count == 32)
        #expect(a != b)
        // 4 KiB of output uses (nearly) every byte value; a stuck generator would not.
        #expect(Set(SecureRandom.bytes(4096)).count > 200)
    }
}
