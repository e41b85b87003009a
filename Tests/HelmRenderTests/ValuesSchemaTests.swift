import GitOpsKit
import GoTemplate
import HelmRender
import Testing

/// `values.schema.json` validation, checked against `helm template`'s full error text.
@Suite("Values: JSON schema against helm")
struct ValuesSchemaTests {
    static let values = """
        name: web
        replicas: 3
        ratio: 0.3
        port: 8080
        image: {repository: nginx, tag: "1.25", pullPolicy: IfNotPresent}
        ports: [80, 443]
        labels: {app: web, tier: front}
        mode: fast
        """

    /// (schema, extra helm flags). Each runs once with the defaults and once with the flags.
    static let cases: [(String, [String])] = [
        (#"{"type":"object","required":["name","missing","other"]}"#, []),
        (#"{"properties":{"replicas":{"type":"integer","minimum":1,"maximum":5}}}"#, ["--set", "replicas=9"]),
        (#"{"properties":{"replicas":{"type":"integer"}}}"#, ["--set", "replicas=1.5"]),
        (#"{"properties":{"replicas":{"type":"string"}}}"#, []),
        (#"{"properties":{"replicas":{"type":["string","null"]}}}"#, ["--set", "replicas=null"]),
        (#"{"properties":{"ratio":{"multipleOf":0.1}}}"#, ["--set", "ratio=7"]),
        (#"{"properties":{"ratio":{"multipleOf":0.25}}}"#, []),
        (#"{"properties":{"port":{"exclusiveMinimum":8080,"exclusiveMaximum":9000}}}"#, ["--set", "port=9000"]),
        (#"{"properties":{"port":{"minimum":8080,"exclusiveMinimum":true}}}"#, []),
        (#"{"properties":{"name":{"minLength":4,"maxLength":10,"pattern":"^[a-z]+$"}}}"#, ["--set", "name=Web-Server-Long"]),
        (#"{"properties":{"mode":{"enum":["slow","medium",1,null]}}}"#, []),
        (#"{"properties":{"mode":{"const":"slow"}}}"#, []),
        (#"{"properties":{"ports":{"type":"array","items":{"type":"integer","maximum":100},"minItems":3,"uniqueItems":true}}}"#, ["--set", "ports={80,80}"]),
        (#"{"properties":{"ports":{"items":[{"const":80}],"additionalItems":false}}}"#, []),
        (#"{"properties":{"ports":{"contains":{"minimum":1000}}}}"#, []),
        (#"{"properties":{"labels":{"additionalProperties":false,"properties":{"app":{}}}}}"#, []),
        (#"{"properties":{"labels":{"patternProperties":{"^t":{"type":"integer"}},"additionalProperties":{"maxLength":2}}}}"#, []),
        (#"{"properties":{"labels":{"propertyNames":{"maxLength":3},"minProperties":3}}}"#, []),
        (#"{"properties":{"image":{"anyOf":[{"required":["digest"]},{"properties":{"tag":{"type":"integer"}}}]}}}"#, []),
        (#"{"properties":{"image":{"oneOf":[{"required":["tag"]},{"required":["repository"]}]}}}"#, []),
        (#"{"properties":{"image":{"allOf":[{"required":["tag"]},{"required":["digest"]}],"not":{"required":["tag"]}}}}"#, []),
        (#"{"if":{"properties":{"mode":{"const":"fast"}}},"then":{"required":["speed"]},"else":{"required":["slow"]}}"#, ["--set", "mode=other"]),
        (##"{"definitions":{"port":{"type":"integer","maximum":1000}},"properties":{"port":{"$ref":"#/definitions/port"},"ports":{"items":{"$ref":"#/definitions/port"}}}}"##, []),
        (#"{"$schema":"http://json-schema.org/draft-04/schema#","properties":{"port":{"maximum":8080,"exclusiveMaximum":true}}}"#, []),
        (#"{"dependencies":{"name":["nickname"],"mode":{"required":["speed"]}}}"#, []),
        (#"{"properties":{"name":false,"image":true}}"#, []),
        (#"{"type":"object","properties":{"image":{"type":"object","properties":{"tag":{"type":"number"}}}}}"#, ["--set", "image.tag=2"]),
        // Schemas gojsonschema refuses.
        (#"{"type":"thing"}"#, []),
        (#"{"properties":{"a":{"minLength":-1}}}"#, []),
        (#"{"required":"name"}"#, []),
        (##"{"properties":{"port":{"$ref":"#/definitions/nothere"}}}"##, []),
    ]

    @Test("schema", arguments: cases.indices)
    func schema(_ index: Int) throws {
        let (schema, flags) = Self.cases[index]
        let files = ["values.yaml": Self.values, "values.schema.json": schema]
        for arguments in [[], flags] {
            var (helm, ours) = try ValuesOracle.compare(chart: files, arguments: arguments)
            // gojsonschema walks Go maps, so helm's order of errors varies between runs: compare the lines as sets.
            helm.error = helm.error.map(Self.sortedLines)
            ours.error = ours.error.map(Self.sortedLines)
            #expect(helm == ours, "schema \(schema) \(arguments)\nhelm: \(helm)\nours: \(ours)")
        }
    }

    static func sortedLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).sorted().joined(separator: "\n")
    }

    @Test("subcharts are checked against their own values, each under its name")
    func subchartSchemas() throws {
        let files = [
            "values.yaml": "top: 1\nsub: {level: high}\n",
            "values.schema.json": #"{"properties":{"top":{"type":"string"}}}"#,
            "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
            "charts/sub/values.yaml": "level: low\n",
            "charts/sub/values.schema.json": #"{"properties":{"level":{"enum":["low","mid"]}},"required":["global"]}"#,
        ]
        let (helm, ours) = try ValuesOracle.compare(chart: files, arguments: [])
        #expect(
            helm.error == """
                values don't meet the specifications of the schema(s) in the following chart(s):
                root:
                - top: Invalid type. Expected: string, given: integer
                sub:
                - level: level must be one of the following: "low", "mid"

                """)
        #expect(ours.error == helm.error)
    }
}
