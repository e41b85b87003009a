import Testing
@testable import GitOpsKit

struct JSONValueTests {
    @Test func parsesAndSerializesWithSortedKeys() throws {
        let value = try JSONValue(json: #"{"b": [1, 2.5, -3e2, true, null], "a": "x\n\u00e9\ud83d\ude00"}"#)
        #expect(value["a"] == .string("x\né😀"))
        #expect(value["b"]?[0] == .int(1))
        #expect(value["b"]?[1] == .double(2.5))
        #expect(value["b"]?[2] == .double(-300))
        #expect(value.jsonString() == #"{"a":"x\n\#u{e9}😀","b":[1,2.5,-300,true,null]}"#)
    }

    @Test(arguments: ["{", "[1,]", #"{"a" 1}"#, "01", "1.", "tru", #""\x""#, "[1] 2", "\"a\u{01}\""])
    func rejectsMalformedJSON(text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(json: text) }
    }

    @Test func refusesHostileNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONValue(json: deep) }
    }

    @Test func keyPathAccessCreatesAndRemoves() {
        var v: JSONValue = ["metadata": ["name": "a"]]
        v[path: "metadata", "labels", "app"] = "web"
        #expect(v[path: "metadata", "labels", "app"] == "web")
        v[path: "metadata", "name"] = nil
        #expect(v[path: "metadata", "name"] == nil)
        #expect(v.jsonString() == #"{"metadata":{"labels":{"app":"web"}}}"#)
    }
}

struct JSONNumberFormattingTests {
    /// Expected texts are what Go's `json.Marshal(float64)` prints.
    @Test(arguments: [
        (1000.0, "1000"), (0.1, "0.1"), (-2.5, "-2.5"), (1e-7, "1e-7"), (1.5e-7, "1.5e-7"), (1e-6, "0.000001"),
        (1e20, "100000000000000000000"), (1e21, "1e+21"), (123456789.125, "123456789.125"), (0.0, "0"),
    ])
    func doublesPrintLikeGo(value: Double, expected: String) {
        #expect(JSONValue.double(value).jsonString() == expected)
    }
}
