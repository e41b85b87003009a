import GitOpsKit
import GoTemplate
import HelmRender
import Testing

/// Differential table: every row's expected output or error was produced by helm 3.17.3 (scripts/sprig-oracle:
/// each snippet rendered as `{{define "s0"}}SNIPPET{{end}}` in `c/templates/_s.tpl` through `include "s0" .Values`
/// with `SprigOracleTable.values` as values.yaml). Here the same snippet runs on `Sprig.functions` alone.
@Suite struct SprigOracleTests {
    static let data: TemplateValue = {
        guard let json = try? YAML.decode(SprigOracleTable.values) else { return .null }
        return TemplateValue(helmValues: json)
    }()

    static let rows: [[String]] = {
        guard case .array(let rows)? = try? JSONValue(json: SprigOracleTable.rows) else { return [] }
        return rows.map { row in
            guard case .array(let cells) = row else { return [] }
            return cells.map { cell in
                if case .string(let text) = cell { return text }
                return ""
            }
        }
    }()

    /// Rows whose difference from helm is known, with the reason.
    static let knownDifferences: [String: String] = {
        let engineTypes = "GoTemplate checks only interface{}, string, int, float64, bool and map[string]interface {} "
            + "parameters: a wrong time.Time or sprig.certificate argument fails inside the function "
            + "(`error calling NAME: wrong type …`) instead of at the argument"
        var rows: [String: String] = [
            "{{ fromJson \"[1,\\\"x\\\"]\" | len }}": "Helm replaces Sprig's fromJson with its own (the engine adds it)",
            "{{ nindent 2 (toYaml (dict \"a\" 1)) }}": "toYaml is Helm's (the engine adds it)",
            "{{ mustFromJson \"{bad\" }}": "GitOpsKit's JSON parser words its errors differently from encoding/json",
        ]
        for snippet in ["{{ unixEpoch \"x\" }}", "{{ dateModify \"1h\" \"x\" }}",
                        "{{ genSignedCert \"x\" nil nil 1 \"notacert\" }}"] {
            rows[snippet] = engineTypes
        }
        return rows
    }()

    @Test func tableLoaded() {
        #expect(Self.rows.count > 600)
        if case .map(let members) = Self.data { #expect(members.count > 20) } else { Issue.record("no data") }
    }

    static func render(_ snippet: String) -> (kind: String, text: String) {
        var set = TemplateSet(functions: Sprig.functions, missingKey: .zero)
        do {
            try set.parse(name: "c/templates/_s.tpl", text: "{{define \"s0\"}}" + snippet + "{{end}}")
            do {
                return ("out", try set.execute("s0", data: data))
            } catch {
                return ("err", error.description)
            }
        } catch {
            // Helm's cleanupParseError: the location and the last ": "-separated part.
            let parts = error.description.split(separator: ": ", omittingEmptySubsequences: false).map(String.init)
            return ("perr", "parse error at (\(parts.count > 1 ? parts[1] : "")): \(parts.last ?? "")")
        }
    }

    @Test(arguments: 0..<rows.count)
    func matchesHelm(_ index: Int) {
        let row = Self.rows[index]
        guard row.count == 3 else {
            Issue.record("malformed row \(index)")
            return
        }
        let (snippet, kind, expected) = (row[0], row[1], row[2])
        let actual = Self.render(snippet)
        let check = {
            if kind == "other" {
                // Helm rewrites `fail`'s error to `execution error at (FILE:L:C): MESSAGE`.
                let message = expected.split(separator: "): ", maxSplits: 1, omittingEmptySubsequences: false).last.map(String.init) ?? ""
                #expect(actual.kind == "err", "\(snippet): \(actual.text)")
                #expect(actual.text.hasSuffix("error calling fail: " + message), "\(snippet): \(actual.text)")
            } else {
                #expect(actual.kind == kind, "\(snippet): \(actual.text)")
                #expect(actual.text == expected, "\(snippet)")
            }
        }
        if let reason = Self.knownDifferences[snippet] {
            withKnownIssue(Comment(rawValue: reason)) { check() }
        } else {
            check()
        }
    }
}
