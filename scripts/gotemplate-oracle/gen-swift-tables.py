import json
data = json.load(open('/tmp/cases/data.json'))
gocases = json.load(open('/tmp/cases/gocases.json'))['cases']
gores = json.load(open('/tmp/cases/goresults.json'))
helmcases = json.load(open('/tmp/cases/helmcases.json'))
helmres = json.load(open('/tmp/cases/helmresults.json'))
skip_go = set(json.load(open('/tmp/cases/skip_go.json'))) if __import__('os').path.exists('/tmp/cases/skip_go.json') else set()
def kind(r):
    for k in ['out', 'err', 'perr', 'other']:
        if k in r: return k, r[k]
gorows = []
for c, r in zip(gocases, gores):
    if c['t'] + '\x00' + c['mode'] in skip_go: continue
    k, v = kind(r)
    gorows.append([c['t'], c['mode'], k, v])
helmrows = []
for c, r in zip(helmcases, helmres):
    k, v = kind(r)
    helmrows.append([c, k, v])
def lit(x):
    s = json.dumps(x, ensure_ascii=True, indent=0)
    assert '"""#' not in s
    return '#"""\n' + s + '\n"""#'
src = '''import GitOpsKit
import GoTemplate
import Testing

/// Differential tables: every row's expected output or error was produced by Go itself. `goTable` by go1.19's
/// `text/template` (all three `missingkey` modes: `template.New("t").Option("missingkey=MODE").Parse(text)`,
/// executed with the JSON `data` decoded by `encoding/json`); `helmTable` by helm 3.17 (go1.23, `missingkey=zero`):
/// each snippet rendered as `{{define "s0"}}SNIPPET{{end}}` in `c/templates/_s.tpl` through `include "s0" .Values`
/// with `data` as values.yaml (so `<no value>` survives and errors carry Go's own text). Rows whose go1.19 result
/// differs from go1.23 (range over integers, `else with`, …) are only in the helm table.
@Suite struct GoTemplateOracleTests {
    static let data: TemplateValue = {
        guard let json = try? JSONValue(json: ''' + lit(data) + ''') else { return .null }
        return TemplateValue(helmValues: json)
    }()

    /// Rows: [template text, missingkey mode, "out" | "err" | "perr", expected text].
    static let goTable = TaggedValue.rows(''' + lit(gorows) + ''')

    /// Rows: [snippet, "out" | "err" | "perr", expected text (for "perr", helm's `parse error at (FILE:LINE): MSG`)].
    static let helmTable = TaggedValue.rows(''' + lit(helmrows) + ''')

    @Test func tablesLoaded() {
        #expect(Self.goTable.count > 400)
        #expect(Self.helmTable.count > 300)
        if case .map(let members) = Self.data { #expect(members.count > 20) } else { Issue.record("no data") }
    }

    @Test(arguments: 0..<goTable.count)
    func matchesGo(_ index: Int) {
        let row = Self.goTable[index]
        let text = row[0].stringValue
        let mode: MissingKeyMode = switch row[1].stringValue {
        case "zero": .zero
        case "error": .error
        default: .invalid
        }
        var set = TemplateSet(missingKey: mode)
        let actual: (kind: String, text: String)
        do {
            try set.parse(name: "t", text: text)
            do {
                actual = ("out", try set.execute("t", data: Self.data))
            } catch {
                actual = ("err", error.description)
            }
        } catch {
            actual = ("perr", error.description)
        }
        #expect(actual.kind == row[2].stringValue, "\\(text) [\\(row[1].stringValue)]: \\(actual.text)")
        #expect(actual.text == row[3].stringValue, "\\(text) [\\(row[1].stringValue)]")
    }

    @Test(arguments: 0..<helmTable.count)
    func matchesHelm(_ index: Int) {
        let row = Self.helmTable[index]
        let snippet = row[0].stringValue
        guard case .map(let top) = Self.data else { return }
        var set = TemplateSet(missingKey: .zero)
        let actual: (kind: String, text: String)
        do {
            try set.parse(name: "c/templates/_s.tpl", text: "{{define \\"s0\\"}}" + snippet + "{{end}}")
            do {
                actual = ("out", try set.execute("s0", data: .map(top)))
            } catch {
                actual = ("err", error.description)
            }
        } catch {
            // Helm's cleanupParseError: the location and the last ": "-separated part.
            let parts = error.description.split(separator: ": ", omittingEmptySubsequences: false).map(String.init)
            actual = ("perr", "parse error at (\\(parts.count > 1 ? parts[1] : "")): \\(parts.last ?? "")")
        }
        #expect(actual.kind == row[1].stringValue, "\\(snippet): \\(actual.text)")
        #expect(actual.text == row[2].stringValue, "\\(snippet)")
    }
}
'''
open('/work/wt/gotemplate/Tests/GoTemplateTests/GoTemplateOracleTests.swift', 'w').write(src)
print(len(gorows), len(helmrows))
