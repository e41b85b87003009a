import Testing

@testable import GitOpsKit

struct YAMLDecodeTests {
    @Test func decodeAllSkipsEmptyDocumentsLikeKubectl() throws {
        // kubectl applies only the ConfigMap from the first six documents. It refuses content on a `---` line,
        // which YAML (and Helm's splitter) allow; we accept it.
        let text = """
            ---
            # only a comment
            ---
            ~
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: a}
            ---
            ---
            null
            ...
            --- {b: 2}
            --- plain scalar
            """
        let documents = try YAML.decodeAll(text)
        #expect(documents.count == 3)
        #expect(documents[0][path: "metadata", "name"] == "a")
        #expect(documents[1] == ["b": 2])
        #expect(documents[2] == "plain scalar")
        #expect(try YAML.decodeAll("") == [])
        #expect(try YAML.decodeAll("# nothing\n") == [])
    }

    @Test func anchorsDoNotCrossDocuments() {
        let error = #expect(throws: YAMLError.self) { try YAML.decodeAll("a: &x 1\n---\nb: *x\n") }
        #expect(error?.message == "unknown anchor 'x' referenced")
        #expect(error?.line == 3)
        #expect(error?.column == 4)
    }

    @Test func decodeWantsOneDocument() throws {
        #expect(try YAML.decode("") == .null)
        #expect(try YAML.decode("---\na: 1\n---\n") == ["a": 1])
        #expect(try YAML.decode("[1, two]") == [1, "two"])
        let error = #expect(throws: YAMLError.self) { try YAML.decode("a: 1\n---\nb: 2\n") }
        #expect(error?.message == "expected a single YAML document but found 2")
        #expect(error?.line == 2)
    }

    @Test func bytesAndUTF16() throws {
        let text = "name: ünï\nlist: [1, 2]\n"
        var utf16LE: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { utf16LE += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let expected: JSONValue = ["name": "ünï", "list": [1, 2]]
        #expect(try YAML.decode(Array(text.utf8)) == expected)
        #expect(try YAML.decode(utf16LE) == expected)
        #expect(try YAML.decodeAll(utf16LE) == [expected])
    }

    @Test func nonContiguousStringsWork() throws {
        // A bridged or substring-backed string may lack contiguous UTF-8; the fallback copies it.
        let text = String("xx a: 1".dropFirst(3))
        #expect(try YAML.decode(text) == ["a": 1])
    }

    @Test func parserErrorsCarryLibyamlPositionAndContext() {
        let error = #expect(throws: YAMLError.self) { try YAML.decode("a:\n  b: 1\n c: 2\n") }
        #expect(error?.message == "did not find expected key")
        #expect(error?.line == 3)
        #expect(error?.column == 2)
        #expect(error?.context == "while parsing a block mapping that started at line 1, column 1")
        #expect(
            error?.description
                == "did not find expected key at line 3, column 2 (while parsing a block mapping that started at line 1, column 1)")
    }

    @Test func scannerErrorPosition() {
        let error = #expect(throws: YAMLError.self) { try YAML.decode("key: \"unterminated\n") }
        #expect(error?.message == "found unexpected end of stream")
        #expect(error?.line == 2)
        #expect(error?.column == 1)
    }

    @Test func tabIndentationIsRefused() {
        let error = #expect(throws: YAMLError.self) { try YAML.decode("a:\n\tb: 1\n") }
        #expect(error?.line == 2)
        #expect(error?.message == "found character that cannot start any token")
    }

    @Test func invalidUTF8IsAReaderErrorWithPosition() {
        let bytes = Array("a: 1\nb: ".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        let error = #expect(throws: YAMLError.self) { try YAML.decode(bytes) }
        #expect(error?.message == "invalid trailing UTF-8 octet")
        // libyaml reports the offending octet: the second byte of the broken character.
        #expect(error?.line == 2)
        #expect(error?.column == 5)
    }

    @Test func semanticErrorsPointAtTheNode() {
        let error = #expect(throws: YAMLError.self) { try YAML.decode("a: 1\nb:\n  c: .inf\n") }
        #expect(error?.line == 3)
        #expect(error?.column == 6)
        #expect(error?.description == "the value .inf cannot be represented in JSON at line 3, column 6")
    }

    @Test func aliasOfAnchoredKeyAndScalars() throws {
        let value = try YAML.decode("&k name: &v value\nother: *k\n*v : x\nnum: &n 1.0\nm: *n\n")
        #expect(value == ["name": "value", "other": "name", "value": "x", "num": 1, "m": 1])
    }

    @Test func aliasOfCollectionAsKeyIsRefused() {
        let error = #expect(throws: YAMLError.self) { try YAML.decode("a: &m {x: 1}\n*m : 2\n") }
        #expect(error?.message.contains("invalid map key") == true)
    }

    @Test func mergeIntoNestedMapsAndDocumentsStayIndependent() throws {
        let text = """
            defaults: &defaults
              adapter: postgres
              host: localhost
            development:
              database: dev
              <<: *defaults
            test:
              <<: *defaults
              host: test-db
            """
        let value = try YAML.decode(text)
        #expect(value["development"] == ["database": "dev", "adapter": "postgres", "host": "localhost"])
        #expect(value["test"] == ["adapter": "postgres", "host": "test-db"])
        #expect(value["defaults"] == ["adapter": "postgres", "host": "localhost"])
    }

    @Test func largeManifestStreamDecodes() throws {
        var text = ""
        for index in 0..<1_000 {
            text += """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: app-\(index)
                  labels: {app: app-\(index), tier: "backend"}
                spec:
                  replicas: 0
                  template:
                    spec:
                      containers:
                      - name: app
                        image: registry.example.com/app:1.\(index)
                        args: ["--port=8080", "--verbose"]
                        env:
                        - {name: A, value: "1"}
                ---

                """
        }
        let documents = try YAML.decodeAll(text)
        #expect(documents.count == 1_000)
        #expect(documents[999][path: "metadata", "name"] == "app-999")
        #expect(documents[7][path: "spec", "replicas"] == 0)
        #expect(YAML.encodeAll(documents).count > text.count / 2)
    }
}
