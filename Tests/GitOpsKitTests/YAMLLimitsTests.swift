import Testing

@testable import GitOpsKit

/// Hostile input is refused with an error, quickly, never with a crash or a hang.
struct YAMLLimitsTests {
    static let billionLaughs = """
        a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
        c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
        e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
        f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
        g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
        h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
        i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
        """

    @Test func billionLaughsIsRefused() {
        let error = #expect(throws: YAMLError.self) { try YAML.decode(Self.billionLaughs) }
        #expect(error?.message.contains("excessive aliasing") == true)
        #expect(error?.line == 7)
    }

    @Test func aliasBudgetIsConfigurable() throws {
        let text = "a: &a [1, 2, 3]\nb: [*a, *a]\n"
        // Each alias repeats 4 nodes (the sequence and its three items).
        #expect(try YAML.decode(text, limits: YAMLLimits(maxAliasExpansions: 8))["b"] == [[1, 2, 3], [1, 2, 3]])
        let error = #expect(throws: YAMLError.self) { try YAML.decode(text, limits: YAMLLimits(maxAliasExpansions: 7)) }
        #expect(error?.line == 2)
        #expect(error?.column == 9)
    }

    @Test func inputSizeLimit() throws {
        let text = "a: " + String(repeating: "x", count: 100)
        #expect(try YAML.decode(text, limits: YAMLLimits(maxBytes: 103)) == ["a": .string(String(repeating: "x", count: 100))])
        let error = #expect(throws: YAMLError.self) { try YAML.decode(text, limits: YAMLLimits(maxBytes: 102)) }
        #expect(error?.line == 0)
        #expect(error?.description == "YAML input of 103 bytes exceeds the limit of 102 bytes")
    }

    @Test func deepNestingIsRefused() {
        let deepFlow = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = #expect(throws: YAMLError.self) { try YAML.decode(deepFlow) }
        #expect(error?.message == "nesting is deeper than the limit of 512")
        #expect(error?.column == 513)

        var deepBlock = ""
        for level in 0..<600 { deepBlock += String(repeating: " ", count: level) + "k:\n" }
        #expect(throws: YAMLError.self) { try YAML.decode(deepBlock) }
    }

    @Test func nestingLimitIsExact() throws {
        let limits = YAMLLimits(maxDepth: 3)
        #expect(try YAML.decode("[[[1]]]", limits: limits) == [[[1]]])
        #expect(throws: YAMLError.self) { try YAML.decode("[[[[1]]]]", limits: limits) }
    }

    @Test func aliasesCannotBuildDepthBeyondTheLimit() {
        let text = "a: &a [[[1]]]\nb: [[*a]]\n"
        #expect(throws: Never.self) { try YAML.decode(text, limits: YAMLLimits(maxDepth: 6)) }
        let error = #expect(throws: YAMLError.self) { try YAML.decode(text, limits: YAMLLimits(maxDepth: 5)) }
        #expect(error?.message.contains("through alias 'a'") == true)
    }

    @Test func garbageNeverCrashes() {
        // A deterministic pseudo-random mix of YAML punctuation: each input either parses or throws.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let alphabet = Array("ab:- \n\t[]{},&*!|>'\"#?%@`~0.1yn<".utf8)
        for _ in 0..<500 {
            var bytes: [UInt8] = []
            for _ in 0..<64 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                bytes.append(alphabet[Int(state >> 33) % alphabet.count])
            }
            _ = try? YAML.decodeAll(bytes)
        }
    }
}
