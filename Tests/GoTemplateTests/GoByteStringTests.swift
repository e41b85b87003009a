import GitOpsKit
import GoTemplate
import Testing

/// Go strings that are not UTF-8 survive as `String`s: bytes in, the same bytes out.
@Suite struct GoByteStringTests {
    @Test(arguments: [
        [0xFF, 0xFE, 0x00, 0x41, 0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80],
        Array("héllo ✓ 𝄞".utf8), [],
    ] as [[UInt8]])
    func bytesRoundTrip(_ bytes: [UInt8]) {
        let string = GoByteString.string(bytes)
        #expect(GoByteString.bytes(string) == bytes)
        #expect(GoByteString.byteCount(string) == bytes.count)
    }

    @Test func validTextIsUnchangedAndJSONGetsReplacementCharacters() {
        #expect(GoByteString.string(Array("plain ü".utf8)) == "plain ü")
        let string = GoByteString.string([0x61, 0xFF, 0x62])
        #expect(string.unicodeScalars.count == 3)
        #expect(GoByteString.validUTF8(string) == "a\u{FFFD}b")
        #expect(TemplateValue.string(string).jsonValue == .string("a\u{FFFD}b"))
    }

    @Test func lenAndIndexCountBytes() throws {
        var set = TemplateSet()
        try set.parse(name: "t", text: "{{ len . }} {{ index . 1 }} {{ slice . 1 2 | len }}")
        #expect(try set.execute("t", data: .string(GoByteString.string([0x61, 0xFF, 0x62]))) == "3 255 1")
    }
}
