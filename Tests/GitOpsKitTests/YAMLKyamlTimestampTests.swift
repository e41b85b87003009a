import Testing

@testable import GitOpsKit

/// kyaml (go-yaml v3) turns plain timestamps into Go `time.Time`, which kustomize prints as RFC 3339; the
/// expectations were observed with `kubectl kustomize` (kustomize v5.5).
struct YAMLKyamlTimestampTests {
    @Test(arguments: [
        ("2001-12-14", "2001-12-14T00:00:00Z"),
        ("2001-1-4", "2001-01-04T00:00:00Z"),
        ("2001-12-14t21:59:43.10-05:00", "2001-12-14T21:59:43.1-05:00"),
        ("2001-12-14T21:59:43Z", "2001-12-14T21:59:43Z"),
        ("2001-12-14T21:59:43.10+01:00", "2001-12-14T21:59:43.1+01:00"),
        ("2001-12-14T21:59:43+00:00", "2001-12-14T21:59:43Z"),
        ("2001-12-14T21:59:43-00:00", "2001-12-14T21:59:43Z"),
        ("2001-12-14T21:59:43+01:60", "2001-12-14T21:59:43+02:00"),
        ("2001-12-14T21:59:43-09:30", "2001-12-14T21:59:43-09:30"),
        ("2001-12-14 21:59:43.10", "2001-12-14T21:59:43.1Z"),
        ("2001-12-14   21:59:43", "2001-12-14T21:59:43Z"),
        ("2001-12-14 1:2:3", "2001-12-14T01:02:03Z"),
        ("2001-12-14T21:59:43,5Z", "2001-12-14T21:59:43.5Z"),
        ("2001-12-14T21:59:43.000Z", "2001-12-14T21:59:43Z"),
        ("2001-12-14T21:59:43.1234567891234Z", "2001-12-14T21:59:43.123456789Z"),
        ("0000-01-01", "0000-01-01T00:00:00Z"),
        ("9999-12-31T23:59:59.999999999Z", "9999-12-31T23:59:59.999999999Z"),
    ])
    func printsRFC3339Nano(_ text: String, _ expected: String) {
        #expect(YAMLTimestamp.parse(text)?.rfc3339Nano == expected)
    }

    @Test func offsetsOf24HoursParseButCannotBePrinted() {
        #expect(YAMLTimestamp.parse("2001-12-14T21:59:43+24:00") != nil)
        #expect(YAMLTimestamp.parse("2001-12-14T21:59:43+24:00")?.rfc3339Nano == nil)
        #expect(YAMLTimestamp.parse("2001-12-14T21:59:43+25:00") == nil)
        #expect(YAMLTimestamp.parse("2001-12-14T21:59:43+01:61") == nil)
    }

    @Test func kyamlConvertsValuesButNotAnnotationsKeysOrQuotedText() throws {
        let yaml = """
            metadata:
              labels: {l: 2001-12-14}
              annotations: {a: 2001-12-14, b: 2001-12-14T21:59:43+24:00}
            spec:
              2001-12-14: key
              plain: 2001-12-14t21:59:43.10-05:00
              quoted: "2001-12-14"
              str: !!str 2001-12-14
              tagged: !!timestamp 2001-12-14
              list:
              - 2001-12-14 21:59:43
              template:
                metadata:
                  annotations:
                    nested: 2001-12-14
            """
        let value = try #require(YAML.decodeAll(Array(yaml.utf8), rules: .kyaml).first)
        #expect(value[path: "metadata", "labels", "l"] == "2001-12-14T00:00:00Z")
        #expect(value[path: "metadata", "annotations", "a"] == "2001-12-14")
        #expect(value[path: "metadata", "annotations", "b"] == "2001-12-14T21:59:43+24:00")
        #expect(value[path: "spec", "2001-12-14"] == "key")
        #expect(value[path: "spec", "plain"] == "2001-12-14T21:59:43.1-05:00")
        #expect(value[path: "spec", "quoted"] == "2001-12-14")
        #expect(value[path: "spec", "str"] == "2001-12-14")
        #expect(value[path: "spec", "tagged"] == "2001-12-14T00:00:00Z")
        #expect(value[path: "spec", "list"] == ["2001-12-14T21:59:43Z"])
        #expect(value[path: "spec", "template", "metadata", "annotations", "nested"] == "2001-12-14T00:00:00Z")
    }

    @Test func listItemAnnotationsKeepTheirText() throws {
        let yaml = """
            kind: List
            items:
            - metadata: {name: a, annotations: {a: 2001-12-14}}
              data: {d: 2001-12-14}
            """
        let value = try #require(YAML.decodeAll(Array(yaml.utf8), rules: .kyaml).first)
        #expect(value[path: "items"] == [["metadata": ["name": "a", "annotations": ["a": "2001-12-14"]], "data": ["d": "2001-12-14T00:00:00Z"]]])
    }

    @Test func flowCollectionsConvertOnlyPlainDates() throws {
        let yaml = "seq: [2001-12-14, 2001-12-14T21:59:43.50Z, 2001-12-14 21:59:43, !!timestamp 2001-12-14 21:59:43]\n"
        let value = try #require(YAML.decodeAll(Array(yaml.utf8), rules: .kyaml).first)
        #expect(value["seq"] == ["2001-12-14T00:00:00Z", "2001-12-14T21:59:43.50Z", "2001-12-14 21:59:43", "2001-12-14T21:59:43Z"])
    }

    @Test func goYAMLv2KeepsTimestampText() throws {
        let yaml = "a: 2001-12-14\nb: 2001-12-14T21:59:43+24:00\nc: !!timestamp 2001-12-14\n"
        #expect(try YAML.decode(yaml) == ["a": "2001-12-14", "b": "2001-12-14T21:59:43+24:00", "c": "2001-12-14"])
    }

    @Test func kyamlRefusesAnOffsetItCannotPrint() {
        #expect(throws: YAMLError.self) {
            try YAML.decodeAll(Array("a: 2001-12-14T21:59:43+24:00\n".utf8), rules: .kyaml)
        }
    }
}
