import GitOpsKit
import GoTemplate
import HelmRender
import Testing

/// `--set` and friends, and the order `MergeValues` applies them in, checked against `helm template`.
@Suite("Values: --set parsing against helm")
struct ValuesStrvalsTests {
    static let defaults = """
        image:
          tag: stable
          pull: IfNotPresent
        list: [1, 2, 3]
        text: hello
        number: 5
        """

    static let chart: [String: String] = ["values.yaml": defaults]

    /// Single `--set` lines: types, lists, escapes, empties, nulls, and every error path of the scanner.
    static let setLines: [String] = [
        "a=1", "a=0", "a=-7", "a=+7", "a=007", "a=-007", "a=1.5", "a=1e3", "a=9223372036854775807",
        "a=9223372036854775808", "a=-9223372036854775808", "a=true", "a=TRUE", "a=False", "a=null", "a=NULL",
        "a=nil", "a=", "a=,b=2", "a=x y", "a.b.c=deep", "a.b=1,a.c=2", "a[0]=x", "a[2]=x", "a[1].b=y",
        "a[0].b=1,a[0].c=2", "a[0][1]=z", "a={x,y}", "a={}", "a={1,true,null}", "a={x,y},b=1", "a[0]={p,q}",
        "name=a\\,b", "name=a\\.b", "a\\.b=1", "a\\=b=1", "a=b\\\\c", "a=b=c", "image.tag=1.2.3", "list[1]=9",
        "list[5]=9", "list=", "text.sub=1", "number[0]=1", "image=", "image=null", "a.b=1,a=2", "a=1,a.b=2",
        "a[0]=1,a[0][0]=2", "a[0]=1,a[0].b=2", "a", "a,", "a.b", "a.", ".a=1", "a..b=1", "a[x]=1", "a[-1]=1",
        "a[1", "a[]=1", "a[0]x=1", "a[0]", "a[65536]=1", "a[65537]=1", "a[99999999999999999999]=1",
        "a={x,y", "a={x}y", "=1", "a[0]=1,a[1]=2", "a=é,b=ü", "emoji=😀", "a=\\", "a[0].b", "a[0].",
        "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.aa.bb.cc.dd=1",
        "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.aa.bb.cc.dd.ee=1",
    ]

    @Test("--set line", arguments: setLines)
    func setLine(_ line: String) throws {
        try ValuesOracle.expectSame(chart: Self.chart, arguments: ["--set", line])
    }

    static let stringLines: [String] = ["a=1", "a=true", "a=null", "a={1,2}", "a[0]=007", "a=", "list[0]=x", "a"]

    @Test("--set-string line", arguments: stringLines)
    func setStringLine(_ line: String) throws {
        try ValuesOracle.expectSame(chart: Self.chart, arguments: ["--set-string", line])
    }

    static let jsonLines: [String] = [
        "a=1", "a=1.5", "a={\"x\":[1,2,{\"y\":null}]}", "a=\"s\",b=true", "a=", "a=null", "a[0]={\"k\":1}",
        "a=[1,2] ,b=3", "a=1 b=2", "a={\"x\":", "a=tru", "a=\"\\u00e9\\n\"", "image={\"tag\":\"x\"}", "a=01",
        "a.b=[]", "a=-0.5e2",
    ]

    @Test("--set-json line", arguments: jsonLines)
    func setJSONLine(_ line: String) throws {
        try ValuesOracle.expectSame(chart: Self.chart, arguments: ["--set-json", line])
    }

    static let literalLines: [String] = ["a=1,b=2", "a.b=x=y", "a[1]=\\n", "a=", "a", "a[0].b={x}", "a\\.b=1"]

    @Test("--set-literal line", arguments: literalLines)
    func setLiteralLine(_ line: String) throws {
        try ValuesOracle.expectSame(chart: Self.chart, arguments: ["--set-literal", line])
    }

    @Test("flags combine in MergeValues order: files, --set-json, --set, --set-string, --set-file, --set-literal")
    func mergeOrder() throws {
        let files = [
            "one.yaml": "a: 1\nb: {x: 1, y: 2}\nc: [1, 2]\nd: file\n",
            "two.yaml": "b: {y: 3, z: 4}\nc: [9]\ne: two\n",
            "payload.txt": "from a file\n",
        ]
        try ValuesOracle.expectSame(
            chart: Self.chart, valueFiles: files,
            arguments: [
                "-f", "one.yaml", "-f", "two.yaml", "--set-literal", "e=lit", "--set-string", "d=7", "--set", "d=8",
                "--set", "a=2", "--set-json", "a=3", "--set-json", "f={\"g\":1}", "--set", "f.h=2",
                "--set-file", "p=payload.txt", "--set", "p=replaced",
            ])
    }

    @Test("--set-file with a missing file fails as helm does")
    func setFileMissing() throws {
        let (helm, ours) = try ValuesOracle.compare(chart: Self.chart, arguments: ["--set-file", "p=missing.txt"])
        #expect(helm.error == "failed parsing --set-file data: open missing.txt: no such file or directory")
        #expect(ours.error == helm.error)
    }

    @Test("--set writes into the values files' maps and lists")
    func setIntoFiles() throws {
        try ValuesOracle.expectSame(
            chart: Self.chart, valueFiles: ["f.yaml": "m: {a: 1}\nl: [{a: 1}, 2]\ns: str\n"],
            arguments: ["-f", "f.yaml", "--set", "m.b=2,l[0].b=3,l[3]=x"])
        let (helm, ours) = try ValuesOracle.compare(
            chart: Self.chart, valueFiles: ["f.yaml": "s: str\n"], arguments: ["-f", "f.yaml", "--set", "s.x=1"])
        #expect(
            helm.error
                == "failed parsing --set data: unable to parse key: interface conversion: interface {} is string, not map[string]interface {}"
        )
        #expect(ours.error == helm.error)
    }

    @Test("--set types stay Go int64 while file numbers are float64")
    func typesAreKept() throws {
        let user = try HelmValues.userValues(
            files: [TemplateValue(helmValues: ["n": 1, "m": 2.5])], set: ["i=3,z=0,s=03"], setString: ["t=4"])
        guard case .map(let members) = user else {
            Issue.record("not a map")
            return
        }
        #expect(members["n"].map(ValuesOracle.typeName) == "float64")
        #expect(members["i"].map(ValuesOracle.typeName) == "int64")
        #expect(members["z"].map(ValuesOracle.typeName) == "int64")
        #expect(members["s"].map(ValuesOracle.typeName) == "string")
        #expect(members["t"].map(ValuesOracle.typeName) == "string")
    }
}

extension ValuesOracle {
    static func typeName(_ value: TemplateValue) -> String {
        var types: [String: String] = [:]
        walk(value, path: "", into: &types)
        return types[""] ?? "?"
    }
}
