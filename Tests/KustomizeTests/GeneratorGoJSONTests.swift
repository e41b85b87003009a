import GitOpsKit
import Testing

@testable import Kustomize

/// The Go `encoding/json` form kustomize's hash is taken over.
@Suite struct GeneratorGoJSONTests {
    @Test(arguments: [
        (1.5, "1.5"), (100, "100"), (-2, "-2"), (0.00001, "0.00001"), (0.000001, "0.000001"), (1e-7, "1e-7"),
        (1.5e-10, "1.5e-10"), (1e21, "1e+21"), (1.2345e22, "1.2345e+22"), (123456789012345680000, "123456789012345680000"),
        (0.1, "0.1"), (12.0625, "12.0625"), (9223372036854775807, "9223372036854776000"),
    ])
    func floatsAreFormattedLikeGo(_ value: Double, _ expected: String) {
        #expect(GoJSON.format(value) == expected)
    }

    @Test func objectsSortKeysByBytesAndEscapeHTML() {
        let value = GoJSON(["b": "<x>", "a": ["é": 1, "Z": true, "z": .null], "B": [1.5, "&"]] as [String: JSONValue])
        let text = String(decoding: value.encoded(), as: UTF8.self)
        #expect(text == #"{"B":[1.5,"\u0026"],"a":{"Z":true,"z":null,"é":1},"b":"\u003cx\u003e"}"#)
    }
}
