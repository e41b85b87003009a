import GitOpsKit
import Testing

/// Parses JSON test fixtures; a malformed fixture fails the test that uses it.
func json(_ text: String) throws -> JSONValue { try JSONValue(json: text) }

struct PatchJSONMergeTests {
    /// RFC 7386 appendix A, every row: (target, patch, result).
    static let rfcExamples: [(String, String, String)] = [
        (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
        (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
        (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
        (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
        (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
        (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
        (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
        (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
        (#"{"a":"foo"}"#, "null", "null"),
        (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
        (#"{"e":null}"#, #"{"a":1}"#, #"{"a":1,"e":null}"#),
        (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
        (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
    ]

    @Test(arguments: rfcExamples.indices)
    func appliesRFC7386Examples(row: Int) throws {
        let (target, patch, result) = Self.rfcExamples[row]
        #expect(JSONMergePatch.apply(try json(patch), to: try json(target)) == (try json(result)))
    }

    @Test func mergesLikeKubectlTypeMerge() throws {
        // Oracle: kubectl patch --local --type merge -p '{"metadata":{"labels":{"a":null,"c":"3"}},"data":{"k":"v"}}'
        let cm = try json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","labels":{"a":"1","b":"2"}},"data":{"x":"y"}}"#)
        let patched = JSONMergePatch.apply(try json(#"{"metadata":{"labels":{"a":null,"c":"3"}},"data":{"k":"v"}}"#), to: cm)
        #expect(patched == (try json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","labels":{"b":"2","c":"3"}},"data":{"x":"y","k":"v"}}"#)))
    }

    @Test func createThenApplyRoundTrips() throws {
        let original = try json(#"{"a":1,"b":{"c":[1,2],"d":"x","e":{"f":true}},"g":"gone"}"#)
        let modified = try json(#"{"a":1.5,"b":{"c":[2],"d":"x","e":{"f":true,"h":null}},"i":{"j":1}}"#)
        let patch = JSONMergePatch.create(from: original, to: modified)
        #expect(patch == (try json(#"{"a":1.5,"b":{"c":[2],"e":{"h":null}},"g":null,"i":{"j":1}}"#)))
        // `h: null` in modified cannot survive a merge patch: it reads as "delete h".
        #expect(JSONMergePatch.apply(patch, to: original) == (try json(#"{"a":1.5,"b":{"c":[2],"d":"x","e":{"f":true}},"i":{"j":1}}"#)))
    }

    @Test func createOfEqualObjectsIsEmptyAndOfScalarsIsTheValue() throws {
        let value = try json(#"{"a":{"b":[1]}}"#)
        #expect(JSONMergePatch.create(from: value, to: value) == [:])
        #expect(JSONMergePatch.create(from: value, to: "x") == "x")
        #expect(JSONMergePatch.create(from: [1], to: ["a": 1]) == ["a": 1])
    }
}
