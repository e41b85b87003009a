import GitOpsKit
import KubeEmulator
import Testing

struct SchemaStructuralTests {
    /// A cut-down GitRepository schema in the shape Flux's CRD has.
    static let schemaJSON = #"""
    {"type":"object","properties":{
      "apiVersion":{"type":"string"},"kind":{"type":"string"},"metadata":{"type":"object"},
      "spec":{"type":"object","required":["interval","url"],"properties":{
        "interval":{"type":"string","pattern":"^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"},
        "url":{"type":"string","pattern":"^(http|https|ssh)://.*$"},
        "timeout":{"type":"string","default":"60s"},
        "provider":{"type":"string","enum":["generic","azure","github"],"default":"generic"},
        "suspend":{"type":"boolean"},
        "replicas":{"type":"integer","minimum":1,"maximum":5},
        "name":{"type":"string","minLength":1,"maxLength":5},
        "port":{"x-kubernetes-int-or-string":true},
        "createdAt":{"type":"string","format":"date-time"},
        "ref":{"type":"object","properties":{"branch":{"type":"string"},"depth":{"type":"integer","default":1}}},
        "tags":{"type":"array","maxItems":2,"items":{"type":"string"},"x-kubernetes-list-type":"set"},
        "include":{"type":"array","minItems":1,"items":{"type":"object","required":["repository"],"properties":{
            "repository":{"type":"object","properties":{"name":{"type":"string"}}},"toPath":{"type":"string"}}}},
        "values":{"type":"object","x-kubernetes-preserve-unknown-fields":true,"properties":{"known":{"type":"integer"}}},
        "labels":{"type":"object","additionalProperties":{"type":"string"}},
        "note":{"type":"string","nullable":true},
        "either":{"type":"object","anyOf":[{"required":["a"]},{"required":["b"]}],
                  "properties":{"a":{"type":"string"},"b":{"type":"string"}}}
      }},
      "status":{"type":"object","properties":{
        "conditions":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["type"],
          "items":{"type":"object","properties":{"type":{"type":"string"},"status":{"type":"string"}}}}}}
    }}
    """#

    static func schema() throws -> StructuralSchema {
        try StructuralSchema(openAPIV3Schema: JSONValue(json: schemaJSON))
    }

    static func object(_ spec: JSONValue) -> JSONValue {
        ["apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository", "metadata": ["name": "repo", "namespace": "flux"], "spec": spec]
    }

    static func messages(_ causes: [KubeError.Cause]) -> [String] {
        causes.map { "\($0.field ?? ""): \($0.message)" }
    }

    @Test func prunesUnknownFieldsButKeepsResourceFieldsAndPreservedOnes() throws {
        var input = Self.object(["interval": "1m", "url": "https://x", "bogus": 1,
                                 "ref": ["branch": "main", "extra": true],
                                 "values": ["known": 1, "anything": ["deep": [1, 2]]],
                                 "labels": ["a": "b"],
                                 "include": [["repository": ["name": "r", "junk": 1], "toPath": "p", "junk": 2]]])
        input[path: "metadata", "bogusMeta"] = "x"
        input["topLevelJunk"] = true
        let pruned = try Self.schema().pruned(input)
        #expect(pruned == Self.object(["interval": "1m", "url": "https://x", "ref": ["branch": "main"],
                                       "values": ["known": 1, "anything": ["deep": [1, 2]]], "labels": ["a": "b"],
                                       "include": [["repository": ["name": "r"], "toPath": "p"]]]))
    }

    @Test func appliesDefaultsWhereTheParentExists() throws {
        let input = Self.object(["interval": "1m", "url": "https://x", "ref": [:], "timeout": nil, "note": nil, "replicas": nil])
        let defaulted = try Self.schema().defaulted(input)
        #expect(defaulted["spec"] == ["interval": "1m", "url": "https://x", "ref": ["depth": 1], "timeout": "60s",
                                      "provider": "generic", "note": nil])
        // No `spec` at all: nothing under it is defaulted.
        let empty: JSONValue = ["apiVersion": "v1", "kind": "X"]
        #expect(try Self.schema().defaulted(empty) == empty)
    }

    @Test func reportsErrorsWithKubeApiserverWording() throws {
        let input = Self.object(["interval": "5x", "provider": "gitlab", "suspend": "yes", "replicas": 0, "name": "toolong",
                                 "port": true, "createdAt": "yesterday", "tags": ["a", "b", "a"], "include": [],
                                 "labels": ["k": 1]])
        let errors = Self.messages(try Self.schema().validate(input))
        let expected = [
            #"spec.url: Required value"#,
            #"spec.createdAt: Invalid value: "yesterday": spec.createdAt in body must be of type date-time: "yesterday""#,
            #"spec.include: Invalid value: []interface {}{}: spec.include in body should have at least 1 items"#,
            #"spec.interval: Invalid value: "5x": spec.interval in body should match '^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$'"#,
            #"spec.labels.k: Invalid value: "integer": spec.labels.k in body must be of type string: "integer""#,
            #"spec.name: Too long: may not be more than 5 bytes"#,
            #"spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean""#,
            #"spec.provider: Unsupported value: "gitlab": supported values: "generic", "azure", "github""#,
            #"spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1"#,
            #"spec.suspend: Invalid value: "string": spec.suspend in body must be of type boolean: "string""#,
            #"spec.tags: Too many: 3: must have at most 2 items"#,
            #"spec.tags[2]: Duplicate value: "a""#,
        ]
        #expect(errors == expected)
    }

    @Test func validObjectsPassAndNullableAllowsNull() throws {
        let input = Self.object(["interval": "1m30s", "url": "ssh://git@host/repo", "note": nil, "port": 8080, "replicas": 5,
                                 "createdAt": "2024-01-02T03:04:05Z", "either": ["b": "x"], "values": ["anything": 1]])
        #expect(try Self.schema().validate(input).isEmpty)
        #expect(try Self.schema().validate(Self.object(["interval": "1m", "url": "https://x", "port": "http"])).isEmpty)
    }

    @Test func anyOfFailuresAreReportedAtNil() throws {
        let errors = Self.messages(try Self.schema().validate(Self.object(["interval": "1m", "url": "https://x", "either": [:]])))
        #expect(errors.first == #"<nil>: Invalid value: "": "spec.either" must validate at least one schema (anyOf)"#)
        #expect(errors.contains("spec.either.a: Required value") || errors.contains("spec.either.b: Required value"))
    }

    @Test func listTypesDriveFieldOwnership() throws {
        let types = try Self.schema().listTypes
        var object = Self.object(["interval": "1m", "url": "https://x", "tags": ["a"]])
        object["status"] = ["conditions": [["type": "Ready", "status": "True"]]]
        let applied = try FieldManager.apply(object, to: nil, manager: "flux", force: false, subresource: "status",
                                             listTypes: types, now: "2024-01-01T00:00:00Z")
        let fields = applied[path: "metadata", "managedFields"]?[0]?["fieldsV1"]
        #expect(fields == ["f:status": ["f:conditions": [#"k:{"type":"Ready"}"#: [".": [:], "f:status": [:], "f:type": [:]]]]])
        let spec = try FieldManager.apply(object, to: nil, manager: "flux", force: false, subresource: nil, listTypes: types,
                                          now: "2024-01-01T00:00:00Z")
        #expect(spec[path: "metadata", "managedFields"]?[0]?[path: "fieldsV1", "f:spec", "f:tags"] == [#"v:"a""#: [:]])
    }

    @Test(arguments: [
        #"{"type":"objekt"}"#,
        #"{"type":"object","properties":{"a":{"type":"string","pattern":"(["}}}"#,
        #"{"type":"array","x-kubernetes-list-type":"map","items":{"type":"object"}}"#,
        #"{"type":"object","properties":[]}"#,
        #"[1]"#,
        #"{"type":"string","maxLength":-1}"#,
    ])
    func rejectsInvalidSchemas(text: String) throws {
        let value = try JSONValue(json: text)
        #expect(throws: PatchError.self) { try StructuralSchema(openAPIV3Schema: value) }
    }
}
