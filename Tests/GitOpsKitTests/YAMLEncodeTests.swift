import Testing

@testable import GitOpsKit

struct YAMLEncodeTests {
    @Test func encodeAllJoinsLikeKustomize() {
        let text = YAML.encodeAll([["kind": "A", "metadata": ["name": "a"]], ["kind": "B"]])
        #expect(text == "kind: A\nmetadata:\n  name: a\n---\nkind: B\n")
        #expect(YAML.encodeAll([]) == "")
    }

    @Test func rootValues() throws {
        #expect(YAML.encode([:]) == "{}\n")
        #expect(YAML.encode([]) == "[]\n")
        #expect(YAML.encode(["a", 1]) == "- a\n- 1\n")
        #expect(YAML.encode("plain") == "plain\n")
        #expect(YAML.encode("yes") == "\"yes\"\n")
        #expect(YAML.encode(.null) == "null\n")
        #expect(YAML.encode(7) == "7\n")
        // No `...` end marker after a keep-chomped block, at the root or nested.
        #expect(YAML.encode("x\n\n") == "|+\n  x\n\n")
        #expect(YAML.encode(["a", ["b": "c\n\n"]]) == "- a\n- b: |+\n    c\n\n")
        #expect(YAML.encodeAll([["a": "x\n\n"], ["b": 1]]) == "a: |+\n  x\n\n---\nb: 1\n")
        #expect(try YAML.decodeAll(YAML.encodeAll([["a": "x\n\n"], ["b": 1]])) == [["a": "x\n\n"], ["b": 1]])
        #expect(YAML.encode(["a": "wait..."]) == "a: wait...\n")
    }

    @Test func numbersPrintLikeGo() {
        #expect(YAML.encode(["a": .double(1e6)]) == "a: 1000000\n")
        #expect(YAML.encode(["a": .double(1234567.5)]) == "a: 1.2345675e+06\n")
        #expect(YAML.encode(["a": .double(-0.0)]) == "a: 0\n")
        #expect(YAML.encode(["a": .double(.infinity), "b": .double(-.infinity), "c": .double(.nan)])
            == "a: .inf\nb: -.inf\nc: .nan\n")
        #expect(YAML.encode(["a": .int(Int64.min)]) == "a: -9223372036854775808\n")
    }

    @Test func roundTripsTrickyValues() throws {
        let strings = [
            "", " ", "yes", "No", "on", "~", "null", "1", "0x10", "1e3", "1:20", "2001-12-14", "-", "- a", "a: b", "#",
            "x\ny", "x\n", "\n", "  x\n", "trailing \n", "tab\t", "quote'\"", "ünï", "😀", "\u{1}", "---", "...", "<<",
            String(repeating: "long words ", count: 20), String(repeating: "k", count: 200),
        ]
        var object: [String: JSONValue] = [:]
        for (index, string) in strings.enumerated() {
            object["v\(index)"] = .string(string)
            object[string] = .int(Int64(index))
        }
        let value = JSONValue.object([
            "strings": .object(object), "list": .array(strings.map { .string($0) }),
            "numbers": [0, -1, 0.5, 1e-9, 1e300, .int(Int64.max)], "nested": [[[["deep": [[]]]]]],
        ])
        #expect(try YAML.decode(YAML.encode(value)) == value)
    }

    /// Deliberate differences from kubectl, where its output would not read back as the same value.
    @Test func nelAndBOMAreEscaped() throws {
        // kubectl prints NEL raw (`x<NEL>y` plain), which a YAML parser reads as a line break.
        let value: JSONValue = ["nel": "x\u{85}y", "bom": "\u{FEFF}bom"]
        #expect(YAML.encode(value) == #"bom: "\uFEFFbom"\#nnel: "x\Ny"\#n"#)
        #expect(try YAML.decode(YAML.encode(value)) == value)
    }

    /// As kubectl: LS/PS raw in single quotes, the next line indented (which reads back as the same string), or
    /// escaped in double quotes where a space touches the break.
    @Test func lineAndParagraphSeparatorsAsKubectl() throws {
        let value: JSONValue = [
            "data": ["ls": "line\u{2028}sep", "ps": "a\u{2029}\u{2028}b", "end": "end\u{2028}", "space": "a \u{2028} b"]
        ]
        #expect(
            YAML.encode(value)
                == "data:\n  end: 'end\u{2028}'\n  ls: 'line\u{2028}    sep'\n  ps: 'a\u{2029}\u{2028}    b'\n  space: \"a \\L b\"\n")
        #expect(try YAML.decode(YAML.encode(value)) == value)
    }

    @Test func mergeKeyNameIsQuotedAsAKeyOnly() throws {
        // kubectl prints the key plain (`<<: 1`), which reads back as a merge key.
        let value: JSONValue = ["<<": 1, "v": "<<"]
        #expect(YAML.encode(value) == "\"<<\": 1\nv: <<\n")
        #expect(try YAML.decode(YAML.encode(value)) == value)
    }

    @Test func keyOrderIsGoYAMLNatural() {
        let keys = ["b", "a10", "a9", "A", "_x", "1", "01", "a01", "a1", "a001", "a-b", "a.b", "ab", "a", "é", "10", "9", ""]
        #expect(
            YAMLKeyOrder.sorted(keys) == [
                "", "_x", "1", "01", "9", "10", "A", "a", "a-b", "a.b", "a1", "a01", "a001", "a9", "a10", "ab", "b", "é",
            ])
        // After a digit, a letter sorts before a non-letter; elsewhere after.
        #expect(YAMLKeyOrder.sorted(["x1-", "x1a"]) == ["x1a", "x1-"])
        #expect(YAMLKeyOrder.sorted(["x-", "xa"]) == ["x-", "xa"])
    }

    @Test(arguments: [
        (1e6, 64, "1e+06"), (123456.0, 64, "123456"), (0.0001, 64, "0.0001"), (0.00001, 64, "1e-05"),
        (1.5, 64, "1.5"), (-2.5e-7, 64, "-2.5e-07"), (1e21, 64, "1e+21"), (1e100, 64, "1e+100"), (0, 64, "0"),
        (100, 64, "100"), (0.1, 32, "0.1"), (1.0 / 3.0, 32, "0.33333334"), (123456789, 32, "1.2345679e+08"),
        (1e30, 32, "1e+30"), (1e300, 32, "+Inf"), (.nan, 64, "NaN"), (-.infinity, 64, "-Inf"),
    ] as [(Double, Int, String)])
    func goFormatG(_ value: Double, _ bits: Int, _ expected: String) {
        #expect(GoFloatFormatting.formatG(value, bitSize: bits) == expected)
    }
}

/// go-yaml's scalar typing pieces, tested directly.
struct YAMLScalarResolverTests {
    @Test(arguments: ["2001-12-14", "2001-1-2", "2004-02-29", "2001-12-14T21:59:43Z", "2001-12-14t21:59:43.10-05:00",
        "2001-12-14 21:59:43.10", "2001-12-14 1:2:3", "2001-12-14T21:59:43,5+01:00", "2001-12-14  21:59:43",
        "2001-12-14T21:59:43+24:60"])
    func timestamps(_ text: String) {
        #expect(YAMLTimestamp.matches(Array(text.utf8)))
        #expect(YAMLScalarResolver.needsQuotes(text))
    }

    @Test(arguments: ["2001-13-14", "2003-02-29", "01-12-14", "2001-12-14 21:59:43.10 -5", "2001-12-14T25:00:00Z",
        "2001-12-14T21:59:43", "2001-12-14x", "20011-12-14", "2001-12-014", "2001-12-14T21:59:43+25:00",
        "2001-12-14T21:59:43+01:61", "2001-12-14T21:59:60Z", "2001-12-14 21:59:43Z"])
    func notTimestamps(_ text: String) {
        #expect(!YAMLTimestamp.matches(Array(text.utf8)))
    }

    @Test(arguments: [("1:20", true), ("-1:20:30.5", true), ("190:20:30.15", true), ("1:60", false), ("a:1", false),
        ("1:", false), ("1_0:5_", false), ("1_0:5.1_", true)] as [(String, Bool)])
    func base60(_ text: String, _ expected: Bool) {
        #expect(YAMLScalarResolver.isBase60Float(text) == expected)
    }

    @Test func binary() {
        #expect(YAMLBase64.decode("aGVsbG8=") == Array("hello".utf8))
        #expect(YAMLBase64.decode("aGVs\nbG8=\n") == Array("hello".utf8))
        #expect(YAMLBase64.decode("") == [])
        #expect(YAMLBase64.decode("aGVsbG8") == nil)
        #expect(YAMLBase64.decode("aG=Vs") == nil)
        #expect(YAMLBase64.decode("a===") == nil)
    }
}
