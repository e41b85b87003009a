import GitOpsKit
import Testing

struct PatchJSONPatchTests {
    static let doc: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c", "finalizers": ["a", "b"]]]

    /// Each row: operations, expected `metadata` after applying them to `doc`. Expected values were produced by
    /// `kubectl patch --local --type json -o json` (kubectl v1.32, evanphx/json-patch v4).
    static let kubectlCases: [(String, String)] = [
        (#"[{"op":"add","path":"/metadata/finalizers/01","value":"x"}]"#, #"{"name":"c","finalizers":["a","x","b"]}"#),
        (#"[{"op":"add","path":"/metadata/finalizers/-1","value":"x"}]"#, #"{"name":"c","finalizers":["a","b","x"]}"#),
        (#"[{"op":"add","path":"/metadata/finalizers/-3","value":"x"}]"#, #"{"name":"c","finalizers":["x","a","b"]}"#),
        (#"[{"op":"add","path":"/metadata/finalizers/2","value":"x"}]"#, #"{"name":"c","finalizers":["a","b","x"]}"#),
        (#"[{"op":"add","path":"/metadata/finalizers/-","value":"x"}]"#, #"{"name":"c","finalizers":["a","b","x"]}"#),
        (#"[{"op":"remove","path":"/metadata/finalizers/-1"}]"#, #"{"name":"c","finalizers":["a"]}"#),
        (#"[{"op":"replace","path":"/metadata/finalizers/-2","value":"x"}]"#, #"{"name":"c","finalizers":["x","b"]}"#),
        (#"[{"op":"replace","path":"/metadata/q","value":"2"}]"#, #"{"name":"c","finalizers":["a","b"],"q":"2"}"#),
        (#"[{"op":"copy","from":"/metadata/nope","path":"/metadata/x"}]"#, #"{"name":"c","finalizers":["a","b"],"x":null}"#),
        (#"[{"op":"add","path":"/metadata/x"}]"#, #"{"name":"c","finalizers":["a","b"],"x":null}"#),
        (#"[{"op":"test","path":"/metadata/nope","value":null}]"#, #"{"name":"c","finalizers":["a","b"]}"#),
        (#"[{"op":"copy","from":"/metadata/finalizers","path":"/metadata/finalizers/-"}]"#, #"{"name":"c","finalizers":["a","b",["a","b"]]}"#),
        (#"[{"op":"move","from":"/metadata/finalizers/0","path":"/metadata/finalizers/-"}]"#, #"{"name":"c","finalizers":["b","a"]}"#),
        (#"[{"op":"add","path":"/metadata/","value":1}]"#, #"{"name":"c","finalizers":["a","b"],"":1}"#),
        (#"[{"op":"add","path":"/metadata/a~2","value":1}]"#, #"{"name":"c","finalizers":["a","b"],"a~2":1}"#),
        (#"[{"op":"add","path":"/metadata/a~1b~0c","value":1}]"#, #"{"name":"c","finalizers":["a","b"],"a/b~c":1}"#),
        (#"[{"op":"move","from":"/metadata/name","path":"/metadata/name"}]"#, #"{"name":"c","finalizers":["a","b"]}"#),
        (#"[{"op":"test","path":"/metadata/finalizers","value":["a","b"]},{"op":"remove","path":"/metadata/finalizers"}]"#, #"{"name":"c"}"#),
    ]

    @Test(arguments: kubectlCases.indices)
    func matchesKubectl(row: Int) throws {
        let (ops, metadata) = Self.kubectlCases[row]
        let result = try JSONPatch.apply(try json(ops), to: Self.doc)
        #expect(result["metadata"] == (try json(metadata)))
        #expect(result["kind"] == "ConfigMap")
    }

    /// Each row: operations and the error kubectl prints for them.
    static let kubectlErrors: [(String, String)] = [
        (#"[{"op":"remove","path":"/metadata/zz"}]"#, "error in remove for path: '/metadata/zz': Unable to remove nonexistent key: zz: missing value"),
        (#"[{"op":"add","path":"/x/y","value":1}]"#, #"add operation does not apply: doc is missing path: "/x/y": missing value"#),
        (#"[{"op":"test","path":"/metadata/name","value":"d"}]"#, "testing value /metadata/name failed: test failed"),
        (#"[{"op":"add","path":"/metadata/finalizers/5","value":"x"}]"#, "error in add for path: '/metadata/finalizers/5': Unable to access invalid index: 5: invalid index referenced"),
        (#"[{"op":"add","path":"/metadata/finalizers/-4","value":"x"}]"#, "error in add for path: '/metadata/finalizers/-4': Unable to access invalid index: -4: invalid index referenced"),
        (#"[{"op":"remove","path":"/metadata/finalizers/2"}]"#, "error in remove for path: '/metadata/finalizers/2': Unable to access invalid index: 2: invalid index referenced"),
        (#"[{"op":"add","path":"/metadata/finalizers/x","value":"x"}]"#, "error in add for path: '/metadata/finalizers/x': value was not a proper array index: 'x'"),
        (#"[{"op":"replace","path":"/nope/x","value":"x"}]"#, "replace operation does not apply: doc is missing path: /nope/x: missing value"),
        (#"[{"op":"move","from":"/metadata","path":"/metadata/x"}]"#, "move operation does not apply: doc is missing destination path: /metadata/x"),
        (#"[{"op":"frob","path":"/x"}]"#, "Unexpected kind: frob"),
        (#"[{"path":"/x"}]"#, "Unexpected kind: unknown"),
        (#"[{"op":"add","path":"/metadata/name/x","value":1}]"#, #"add operation does not apply: doc is missing path: "/metadata/name/x": missing value"#),
        (#"[{"op":"remove","path":""}]"#, #"remove operation does not apply: doc is missing path: "": missing value"#),
    ]

    @Test(arguments: kubectlErrors.indices)
    func failsLikeKubectl(row: Int) throws {
        let (ops, message) = Self.kubectlErrors[row]
        let operations = try json(ops)
        #expect {
            _ = try JSONPatch.apply(operations, to: Self.doc)
        } throws: { error in
            (error as? PatchError)?.message == message
        }
    }

    @Test func failedOperationLeavesNoPartialResultAndLaterOpsDoNotRun() throws {
        let ops = try json(#"[{"op":"add","path":"/a","value":1},{"op":"test","path":"/a","value":2},{"op":"add","path":"/b","value":1}]"#)
        #expect(throws: PatchError.self) { try JSONPatch.apply(ops, to: [:]) }
    }

    @Test func rfc6902AppendixExamples() throws {
        // A.1, A.2, A.3, A.4, A.5, A.6, A.7, A.16 (array value), A.10 (nested add)
        #expect(try JSONPatch.apply(try json(#"[{"op":"add","path":"/baz","value":"qux"}]"#), to: ["foo": "bar"]) == ["foo": "bar", "baz": "qux"])
        #expect(try JSONPatch.apply(try json(#"[{"op":"add","path":"/foo/1","value":"qux"}]"#), to: ["foo": ["bar", "baz"]]) == ["foo": ["bar", "qux", "baz"]])
        #expect(try JSONPatch.apply(try json(#"[{"op":"remove","path":"/baz"}]"#), to: ["baz": "qux", "foo": "bar"]) == ["foo": "bar"])
        #expect(try JSONPatch.apply(try json(#"[{"op":"remove","path":"/foo/1"}]"#), to: ["foo": ["bar", "qux", "baz"]]) == ["foo": ["bar", "baz"]])
        #expect(try JSONPatch.apply(try json(#"[{"op":"replace","path":"/baz","value":"boo"}]"#), to: ["baz": "qux", "foo": "bar"]) == ["baz": "boo", "foo": "bar"])
        let moved = try JSONPatch.apply(try json(#"[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]"#),
                                        to: try json(#"{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}"#))
        #expect(moved == (try json(#"{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}"#)))
        #expect(try JSONPatch.apply(try json(#"[{"op":"move","from":"/foo/1","path":"/foo/3"}]"#), to: ["foo": ["all", "grass", "cows", "eat"]])
            == ["foo": ["all", "cows", "eat", "grass"]])
        #expect(try JSONPatch.apply(try json(#"[{"op":"add","path":"/child","value":{"grandchild":{}}}]"#), to: ["foo": "bar"])
            == (try json(#"{"foo":"bar","child":{"grandchild":{}}}"#)))
        #expect(try JSONPatch.apply(try json(#"[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]"#),
                                    to: try json(#"{"baz":"qux","foo":["a",2,"c"]}"#)) == (try json(#"{"baz":"qux","foo":["a",2,"c"]}"#)))
    }

    @Test func testComparesNumbersByValueAndObjectsWithoutOrder() throws {
        let doc = try json(#"{"n":1,"o":{"a":1,"b":[1.0,"x"]}}"#)
        _ = try JSONPatch.apply(try json(#"[{"op":"test","path":"/n","value":1.0},{"op":"test","path":"/o","value":{"b":[1,"x"],"a":1.0}}]"#), to: doc)
        #expect(throws: PatchError.self) { try JSONPatch.apply(try json(#"[{"op":"test","path":"/o","value":{"a":1}}]"#), to: doc) }
    }

    @Test func replacesTheWholeDocumentAtTheRootPath() throws {
        #expect(try JSONPatch.apply(try json(#"[{"op":"replace","path":"","value":{"a":1}}]"#), to: ["b": 2]) == ["a": 1])
    }

    @Test(arguments: [#"{"op":"add"}"#, #"["nope"]"#, #"[{"op":"add","path":7,"value":1}]"#, #"[{"op":"move","path":"/a"}]"#])
    func rejectsMalformedOperations(text: String) throws {
        let operations = try json(text)
        #expect(throws: PatchError.self) { try JSONPatch.apply(operations, to: ["a": 1]) }
    }

    @Test func pointerParsingAndEscaping() throws {
        let pointer = try JSONPointer("/a~1b/~0c/0")
        #expect(pointer.tokens == ["a/b", "~c", "0"])
        #expect(pointer.description == "/a~1b/~0c/0")
        #expect(try JSONPointer("").tokens.isEmpty)
        #expect(throws: PatchError.self) { try JSONPointer("a/b") }
        #expect(throws: PatchError.self) { try JSONPointer("/a~2") }
        #expect(pointer.value(in: ["a/b": ["~c": ["x"]]]) == "x")
        #expect(try JSONPointer("/a").isProperPrefix(of: JSONPointer("/a/b")))
        #expect(!(try JSONPointer("/a").isProperPrefix(of: JSONPointer("/a"))))
    }
}
