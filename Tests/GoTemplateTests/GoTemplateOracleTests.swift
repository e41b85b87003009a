import GitOpsKit
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
        guard let json = try? JSONValue(json: #"""
{
"str": "hello",
"num": 3,
"float": 1.5,
"big": 1000000,
"neg": -2,
"t": true,
"f": false,
"nul": null,
"empty": "",
"list": [
"a",
"b",
"c"
],
"nums": [
1,
2,
3
],
"emptyList": [],
"map": {
"b": 2,
"a": 1,
"c": {
"d": "deep"
}
},
"emptyMap": {},
"nested": {
"x": {
"y": {
"z": "found"
}
}
},
"html": "<a href='x'>&\"</a>",
"unicode": "h\u00e9llo w\u00f6rld",
"zero": 0,
"items": [
{
"name": "one",
"v": 1
},
{
"name": "two",
"v": 2
}
],
"mixed": [
1,
"two",
null,
true,
2.5,
{
"k": "v"
},
[
1
]
],
"pct": "50%",
"spaces": "  padded  ",
"multi": "line1\nline2\n",
"tiny": 0.0001,
"huge": 1e+21,
"third": 0.3333333333333333
}
"""#) else { return .null }
        return TemplateValue(helmValues: json)
    }()

    /// Rows: [template text, missingkey mode, "out" | "err" | "perr", expected text].
    static let goTable = TaggedValue.rows(#"""
[
[
"plain text",
"default",
"out",
"plain text"
],
[
"",
"default",
"out",
""
],
[
"a{{/* comment */}}b",
"default",
"out",
"ab"
],
[
"a {{- /* c */ -}} b",
"default",
"out",
"ab"
],
[
"a  {{- .str -}}  b",
"default",
"out",
"ahellob"
],
[
"a\n\n{{- .str}}\n\nb",
"default",
"out",
"ahello\n\nb"
],
[
"{{.str -}}\n  \n x",
"default",
"out",
"hellox"
],
[
"a {{- 3 }} b",
"default",
"out",
"a3 b"
],
[
"{{- 3 -}}",
"default",
"out",
"3"
],
[
"{{3 -}} x",
"default",
"out",
"3x"
],
[
"x {{- -3}}",
"default",
"out",
"x-3"
],
[
"{{ -3 }}",
"default",
"out",
"-3"
],
[
"x\t\r\n{{- .str }}",
"default",
"out",
"xhello"
],
[
"{{/* a */}}{{/* b */ -}}  c",
"default",
"out",
"c"
],
[
"{{- /* multi\nline */ -}}\nx",
"default",
"out",
"x"
],
[
"a{{\n.str\n}}b",
"default",
"out",
"ahellob"
],
[
"{{ .str }}{{/**/}}",
"default",
"out",
"hello"
],
[
"{{\"quoted\\t\\\"x\\\"\"}}",
"default",
"out",
"quoted\t\"x\""
],
[
"{{`raw \\n string`}}",
"default",
"out",
"raw \\n string"
],
[
"{{'a'}}",
"default",
"out",
"97"
],
[
"{{'\\n'}}",
"default",
"out",
"10"
],
[
"{{'\\x41'}}",
"default",
"out",
"65"
],
[
"{{'\\u00e9'}}",
"default",
"out",
"233"
],
[
"{{1_000}}",
"default",
"out",
"1000"
],
[
"{{0x1F}}",
"default",
"out",
"31"
],
[
"{{0X_ff}}",
"default",
"out",
"255"
],
[
"{{0o17}}",
"default",
"out",
"15"
],
[
"{{017}}",
"default",
"out",
"15"
],
[
"{{0b101}}",
"default",
"out",
"5"
],
[
"{{1.5}}",
"default",
"out",
"1.5"
],
[
"{{1e3}}",
"default",
"out",
"1000"
],
[
"{{1E-3}}",
"default",
"out",
"0.001"
],
[
"{{.5}}",
"default",
"out",
"0.5"
],
[
"{{5.}}",
"default",
"out",
"5"
],
[
"{{0x1p4}}",
"default",
"out",
"16"
],
[
"{{1_0.5}}",
"default",
"out",
"10.5"
],
[
"{{-0}}",
"default",
"out",
"0"
],
[
"{{+7}}",
"default",
"out",
"7"
],
[
"{{9223372036854775807}}",
"default",
"out",
"9223372036854775807"
],
[
"{{9223372036854775808}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <9223372036854775808>: 9223372036854775808 overflows int"
],
[
"{{18446744073709551616}}",
"default",
"perr",
"template: t:1: integer overflow: \"18446744073709551616\""
],
[
"{{true}} {{false}}",
"default",
"out",
"true false"
],
[
"{{nil}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <nil>: nil is not a command"
],
[
"{{08}}",
"default",
"perr",
"template: t:1: integer overflow: \"08\""
],
[
"{{1__0}}",
"default",
"perr",
"template: t:1: illegal number syntax: \"1__0\""
],
[
"{{0x}}",
"default",
"perr",
"template: t:1: illegal number syntax: \"0x\""
],
[
"{{1.2.3}}",
"default",
"perr",
"template: t:1: unexpected \".3\" in operand"
],
[
"{{3x}}",
"default",
"perr",
"template: t:1: bad number syntax: \"3x\""
],
[
"{{\"\\q\"}}",
"default",
"perr",
"template: t:1: invalid syntax"
],
[
"{{'ab'}}",
"default",
"perr",
"template: t:1: malformed character constant: 'ab'"
],
[
"{{''}}",
"default",
"perr",
"template: t:1: invalid syntax"
],
[
"{{1e400}}",
"default",
"perr",
"template: t:1: illegal number syntax: \"1e400\""
],
[
"{{printf \"%T %T %T\" 1 1.0 'a'}}",
"default",
"out",
"int float64 int"
],
[
"{{printf \"%v\" 1e6}}",
"default",
"out",
"1e+06"
],
[
"{{ 1e6 }}",
"default",
"out",
"1e+06"
],
[
"{{ 100000.0 }}",
"default",
"out",
"100000"
],
[
"{{ 0.000001 }}",
"default",
"out",
"1e-06"
],
[
"{{.str}}",
"default",
"out",
"hello"
],
[
"{{.missing}}",
"default",
"out",
"<no value>"
],
[
"{{.missing.deeper}}",
"default",
"out",
"<no value>"
],
[
"{{.nul}}",
"default",
"out",
"<no value>"
],
[
"{{.nul.x}}",
"default",
"err",
"template: t:1:6: executing \"t\" at <.nul.x>: nil pointer evaluating interface {}.x"
],
[
"{{.nested.x.y.z}}",
"default",
"out",
"found"
],
[
"{{.nested.x.nope}}",
"default",
"out",
"<no value>"
],
[
"{{.nested.x.nope.z}}",
"default",
"out",
"<no value>"
],
[
"{{.str.x}}",
"default",
"err",
"template: t:1:6: executing \"t\" at <.str.x>: can't evaluate field x in type interface {}"
],
[
"{{.list.x}}",
"default",
"err",
"template: t:1:7: executing \"t\" at <.list.x>: can't evaluate field x in type interface {}"
],
[
"{{.num.x}}",
"default",
"err",
"template: t:1:6: executing \"t\" at <.num.x>: can't evaluate field x in type interface {}"
],
[
"{{$x := .str}}{{$x.y}}",
"default",
"err",
"template: t:1:18: executing \"t\" at <$x.y>: can't evaluate field y in type string"
],
[
"{{(.missing).x}}",
"default",
"out",
"<no value>"
],
[
"{{(.nul).x}}",
"default",
"out",
"<no value>"
],
[
"{{with .missing}}yes{{else}}no{{end}}",
"default",
"out",
"no"
],
[
"{{if .missing}}y{{else}}n{{end}}",
"default",
"out",
"n"
],
[
"{{.map}}",
"default",
"out",
"map[a:1 b:2 c:map[d:deep]]"
],
[
"{{.map.c}}",
"default",
"out",
"map[d:deep]"
],
[
"{{$.str}}",
"default",
"out",
"hello"
],
[
"{{$.missing.x}}",
"default",
"out",
"<no value>"
],
[
"{{.}}",
"default",
"out",
"map[big:1e+06 empty: emptyList:[] emptyMap:map[] f:false float:1.5 html:<a href='x'>&\"</a> huge:1e+21 items:[map[name:one v:1] map[name:two v:2]] list:[a b c] map:map[a:1 b:2 c:map[d:deep]] mixed:[1 two <nil> true 2.5 map[k:v] [1]] multi:line1\nline2\n neg:-2 nested:map[x:map[y:map[z:found]]] nul:<nil> num:3 nums:[1 2 3] pct:50% spaces:  padded   str:hello t:true third:0.3333333333333333 tiny:0.0001 unicode:h\u00e9llo w\u00f6rld zero:0]"
],
[
"{{index .map \"zz\"}}",
"default",
"out",
"<no value>"
],
[
"{{(index .map \"zz\").q}}",
"default",
"out",
"<no value>"
],
[
"{{ print .missing }}",
"default",
"out",
"<nil>"
],
[
"{{ printf \"%v|%s|%d\" .missing .missing .missing }}",
"default",
"out",
"<nil>|%!s(<nil>)|%!d(<nil>)"
],
[
"{{ len .missing }}",
"default",
"err",
"template: t:1:3: executing \"t\" at <len .missing>: error calling len: reflect: call of reflect.Value.Type on zero Value"
],
[
"{{ .missing | len }}",
"default",
"err",
"template: t:1:14: executing \"t\" at <len>: error calling len: reflect: call of reflect.Value.Type on zero Value"
],
[
"{{ not .missing }}",
"default",
"out",
"true"
],
[
"{{ eq .missing nil }}",
"default",
"out",
"true"
],
[
"{{ html .missing }}",
"default",
"out",
"&lt;no value&gt;"
],
[
"{{range .missing}}x{{else}}empty{{end}}",
"default",
"out",
"empty"
],
[
"{{.map.missing}}",
"default",
"out",
"<no value>"
],
[
"{{ .map.c.d.e }}",
"default",
"err",
"template: t:1:7: executing \"t\" at <.map.c.d.e>: can't evaluate field e in type interface {}"
],
[
"{{ .items.name }}",
"default",
"err",
"template: t:1:9: executing \"t\" at <.items.name>: can't evaluate field name in type interface {}"
],
[
"{{ template \"x\" .missing }}{{define \"x\"}}[{{.}}]{{end}}",
"default",
"out",
"[<no value>]"
],
[
"{{.str}}",
"zero",
"out",
"hello"
],
[
"{{.missing}}",
"zero",
"out",
"<no value>"
],
[
"{{.missing.deeper}}",
"zero",
"err",
"template: t:1:10: executing \"t\" at <.missing.deeper>: nil pointer evaluating interface {}.deeper"
],
[
"{{.nul}}",
"zero",
"out",
"<no value>"
],
[
"{{.nul.x}}",
"zero",
"err",
"template: t:1:6: executing \"t\" at <.nul.x>: nil pointer evaluating interface {}.x"
],
[
"{{.nested.x.y.z}}",
"zero",
"out",
"found"
],
[
"{{.nested.x.nope}}",
"zero",
"out",
"<no value>"
],
[
"{{.nested.x.nope.z}}",
"zero",
"err",
"template: t:1:9: executing \"t\" at <.nested.x.nope.z>: nil pointer evaluating interface {}.z"
],
[
"{{.str.x}}",
"zero",
"err",
"template: t:1:6: executing \"t\" at <.str.x>: can't evaluate field x in type interface {}"
],
[
"{{.list.x}}",
"zero",
"err",
"template: t:1:7: executing \"t\" at <.list.x>: can't evaluate field x in type interface {}"
],
[
"{{.num.x}}",
"zero",
"err",
"template: t:1:6: executing \"t\" at <.num.x>: can't evaluate field x in type interface {}"
],
[
"{{$x := .str}}{{$x.y}}",
"zero",
"err",
"template: t:1:18: executing \"t\" at <$x.y>: can't evaluate field y in type string"
],
[
"{{(.missing).x}}",
"zero",
"out",
"<no value>"
],
[
"{{(.nul).x}}",
"zero",
"out",
"<no value>"
],
[
"{{with .missing}}yes{{else}}no{{end}}",
"zero",
"out",
"no"
],
[
"{{if .missing}}y{{else}}n{{end}}",
"zero",
"out",
"n"
],
[
"{{.map}}",
"zero",
"out",
"map[a:1 b:2 c:map[d:deep]]"
],
[
"{{.map.c}}",
"zero",
"out",
"map[d:deep]"
],
[
"{{$.str}}",
"zero",
"out",
"hello"
],
[
"{{$.missing.x}}",
"zero",
"err",
"template: t:1:3: executing \"t\" at <$.missing.x>: nil pointer evaluating interface {}.x"
],
[
"{{.}}",
"zero",
"out",
"map[big:1e+06 empty: emptyList:[] emptyMap:map[] f:false float:1.5 html:<a href='x'>&\"</a> huge:1e+21 items:[map[name:one v:1] map[name:two v:2]] list:[a b c] map:map[a:1 b:2 c:map[d:deep]] mixed:[1 two <nil> true 2.5 map[k:v] [1]] multi:line1\nline2\n neg:-2 nested:map[x:map[y:map[z:found]]] nul:<nil> num:3 nums:[1 2 3] pct:50% spaces:  padded   str:hello t:true third:0.3333333333333333 tiny:0.0001 unicode:h\u00e9llo w\u00f6rld zero:0]"
],
[
"{{index .map \"zz\"}}",
"zero",
"out",
"<no value>"
],
[
"{{(index .map \"zz\").q}}",
"zero",
"out",
"<no value>"
],
[
"{{ print .missing }}",
"zero",
"out",
"<nil>"
],
[
"{{ printf \"%v|%s|%d\" .missing .missing .missing }}",
"zero",
"out",
"<nil>|%!s(<nil>)|%!d(<nil>)"
],
[
"{{ len .missing }}",
"zero",
"err",
"template: t:1:3: executing \"t\" at <len .missing>: error calling len: len of nil pointer"
],
[
"{{ .missing | len }}",
"zero",
"err",
"template: t:1:14: executing \"t\" at <len>: error calling len: reflect: call of reflect.Value.Type on zero Value"
],
[
"{{ not .missing }}",
"zero",
"out",
"true"
],
[
"{{ eq .missing nil }}",
"zero",
"out",
"true"
],
[
"{{ html .missing }}",
"zero",
"out",
"&lt;no value&gt;"
],
[
"{{range .missing}}x{{else}}empty{{end}}",
"zero",
"out",
"empty"
],
[
"{{.map.missing}}",
"zero",
"out",
"<no value>"
],
[
"{{ .map.c.d.e }}",
"zero",
"err",
"template: t:1:7: executing \"t\" at <.map.c.d.e>: can't evaluate field e in type interface {}"
],
[
"{{ .items.name }}",
"zero",
"err",
"template: t:1:9: executing \"t\" at <.items.name>: can't evaluate field name in type interface {}"
],
[
"{{ template \"x\" .missing }}{{define \"x\"}}[{{.}}]{{end}}",
"zero",
"out",
"[<no value>]"
],
[
"{{.str}}",
"error",
"out",
"hello"
],
[
"{{.missing}}",
"error",
"err",
"template: t:1:2: executing \"t\" at <.missing>: map has no entry for key \"missing\""
],
[
"{{.missing.deeper}}",
"error",
"err",
"template: t:1:10: executing \"t\" at <.missing.deeper>: map has no entry for key \"missing\""
],
[
"{{.nul}}",
"error",
"out",
"<no value>"
],
[
"{{.nul.x}}",
"error",
"err",
"template: t:1:6: executing \"t\" at <.nul.x>: nil pointer evaluating interface {}.x"
],
[
"{{.nested.x.y.z}}",
"error",
"out",
"found"
],
[
"{{.nested.x.nope}}",
"error",
"err",
"template: t:1:9: executing \"t\" at <.nested.x.nope>: map has no entry for key \"nope\""
],
[
"{{.nested.x.nope.z}}",
"error",
"err",
"template: t:1:9: executing \"t\" at <.nested.x.nope.z>: map has no entry for key \"nope\""
],
[
"{{.str.x}}",
"error",
"err",
"template: t:1:6: executing \"t\" at <.str.x>: can't evaluate field x in type interface {}"
],
[
"{{.list.x}}",
"error",
"err",
"template: t:1:7: executing \"t\" at <.list.x>: can't evaluate field x in type interface {}"
],
[
"{{.num.x}}",
"error",
"err",
"template: t:1:6: executing \"t\" at <.num.x>: can't evaluate field x in type interface {}"
],
[
"{{$x := .str}}{{$x.y}}",
"error",
"err",
"template: t:1:18: executing \"t\" at <$x.y>: can't evaluate field y in type string"
],
[
"{{(.missing).x}}",
"error",
"err",
"template: t:1:3: executing \"t\" at <.missing>: map has no entry for key \"missing\""
],
[
"{{(.nul).x}}",
"error",
"err",
"template: t:1:3: executing \"t\" at <.nul>: nil data; no entry for key \"x\""
],
[
"{{with .missing}}yes{{else}}no{{end}}",
"error",
"err",
"template: t:1:7: executing \"t\" at <.missing>: map has no entry for key \"missing\""
],
[
"{{if .missing}}y{{else}}n{{end}}",
"error",
"err",
"template: t:1:5: executing \"t\" at <.missing>: map has no entry for key \"missing\""
],
[
"{{.map}}",
"error",
"out",
"map[a:1 b:2 c:map[d:deep]]"
],
[
"{{.map.c}}",
"error",
"out",
"map[d:deep]"
],
[
"{{$.str}}",
"error",
"out",
"hello"
],
[
"{{$.missing.x}}",
"error",
"err",
"template: t:1:3: executing \"t\" at <$.missing.x>: map has no entry for key \"missing\""
],
[
"{{.}}",
"error",
"out",
"map[big:1e+06 empty: emptyList:[] emptyMap:map[] f:false float:1.5 html:<a href='x'>&\"</a> huge:1e+21 items:[map[name:one v:1] map[name:two v:2]] list:[a b c] map:map[a:1 b:2 c:map[d:deep]] mixed:[1 two <nil> true 2.5 map[k:v] [1]] multi:line1\nline2\n neg:-2 nested:map[x:map[y:map[z:found]]] nul:<nil> num:3 nums:[1 2 3] pct:50% spaces:  padded   str:hello t:true third:0.3333333333333333 tiny:0.0001 unicode:h\u00e9llo w\u00f6rld zero:0]"
],
[
"{{index .map \"zz\"}}",
"error",
"out",
"<no value>"
],
[
"{{(index .map \"zz\").q}}",
"error",
"err",
"template: t:1:14: executing \"t\" at <\"zz\">: nil data; no entry for key \"q\""
],
[
"{{ print .missing }}",
"error",
"err",
"template: t:1:9: executing \"t\" at <.missing>: map has no entry for key \"missing\""
],
[
"{{ printf \"%v|%s|%d\" .missing .missing .missing }}",
"error",
"err",
"template: t:1:21: executing \"t\" at <.missing>: map has no entry for key \"missing\""
],
[
"{{ len .missing }}",
"error",
"err",
"template: t:1:7: executing \"t\" at <.missing>: map has no entry for key \"missing\""
],
[
"{{ .missing | len }}",
"error",
"err",
"template: t:1:3: executing \"t\" at <.missing>: map has no entry for key \"missing\""
],
[
"{{ not .missing }}",
"error",
"err",
"template: t:1:7: executing \"t\" at <.missing>: map has no entry for key \"missing\""
],
[
"{{ eq .missing nil }}",
"error",
"err",
"template: t:1:6: executing \"t\" at <.missing>: map has no entry for key \"missing\""
],
[
"{{ html .missing }}",
"error",
"err",
"template: t:1:8: executing \"t\" at <.missing>: map has no entry for key \"missing\""
],
[
"{{range .missing}}x{{else}}empty{{end}}",
"error",
"err",
"template: t:1:8: executing \"t\" at <.missing>: map has no entry for key \"missing\""
],
[
"{{.map.missing}}",
"error",
"err",
"template: t:1:6: executing \"t\" at <.map.missing>: map has no entry for key \"missing\""
],
[
"{{ .map.c.d.e }}",
"error",
"err",
"template: t:1:7: executing \"t\" at <.map.c.d.e>: can't evaluate field e in type interface {}"
],
[
"{{ .items.name }}",
"error",
"err",
"template: t:1:9: executing \"t\" at <.items.name>: can't evaluate field name in type interface {}"
],
[
"{{ template \"x\" .missing }}{{define \"x\"}}[{{.}}]{{end}}",
"error",
"err",
"template: t:1:16: executing \"t\" at <.missing>: map has no entry for key \"missing\""
],
[
"{{.num}} {{.float}} {{.big}} {{.neg}} {{.tiny}} {{.huge}} {{.third}} {{.zero}}",
"default",
"out",
"3 1.5 1e+06 -2 0.0001 1e+21 0.3333333333333333 0"
],
[
"{{.list}}",
"default",
"out",
"[a b c]"
],
[
"{{.nums}}",
"default",
"out",
"[1 2 3]"
],
[
"{{.emptyList}}",
"default",
"out",
"[]"
],
[
"{{.map}}",
"default",
"out",
"map[a:1 b:2 c:map[d:deep]]"
],
[
"{{.emptyMap}}",
"default",
"out",
"map[]"
],
[
"{{.mixed}}",
"default",
"out",
"[1 two <nil> true 2.5 map[k:v] [1]]"
],
[
"{{.items}}",
"default",
"out",
"[map[name:one v:1] map[name:two v:2]]"
],
[
"{{.t}} {{.f}}",
"default",
"out",
"true false"
],
[
"{{.html}}",
"default",
"out",
"<a href='x'>&\"</a>"
],
[
"{{.unicode}}",
"default",
"out",
"h\u00e9llo w\u00f6rld"
],
[
"{{.nul}}",
"default",
"out",
"<no value>"
],
[
"{{.empty}}|",
"default",
"out",
"|"
],
[
"{{.multi}}",
"default",
"out",
"line1\nline2\n"
],
[
"{{ . | len }}",
"default",
"out",
"26"
],
[
"{{$x := 1}}{{$x}}",
"default",
"out",
"1"
],
[
"{{$x := 1}}{{$x = 2}}{{$x}}",
"default",
"out",
"2"
],
[
"{{$x := .str}}{{if true}}{{$x = \"in\"}}{{end}}{{$x}}",
"default",
"out",
"in"
],
[
"{{if true}}{{$y := 1}}{{end}}{{$y}}",
"default",
"perr",
"template: t:1: undefined variable \"$y\""
],
[
"{{$x := 1}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}",
"default",
"out",
"21"
],
[
"{{range $i, $v := .list}}{{$i}}={{$v}} {{end}}",
"default",
"out",
"0=a 1=b 2=c "
],
[
"{{range $v := .list}}{{$v}}{{end}}",
"default",
"out",
"abc"
],
[
"{{range $i, $v := .map}}{{$i}}:{{$v}},{{end}}",
"default",
"out",
"a:1,b:2,c:map[d:deep],"
],
[
"{{$x := 1}}{{range .list}}{{$x = .}}{{end}}{{$x}}",
"default",
"out",
"c"
],
[
"{{$}}",
"default",
"out",
"map[big:1e+06 empty: emptyList:[] emptyMap:map[] f:false float:1.5 html:<a href='x'>&\"</a> huge:1e+21 items:[map[name:one v:1] map[name:two v:2]] list:[a b c] map:map[a:1 b:2 c:map[d:deep]] mixed:[1 two <nil> true 2.5 map[k:v] [1]] multi:line1\nline2\n neg:-2 nested:map[x:map[y:map[z:found]]] nul:<nil> num:3 nums:[1 2 3] pct:50% spaces:  padded   str:hello t:true third:0.3333333333333333 tiny:0.0001 unicode:h\u00e9llo w\u00f6rld zero:0]"
],
[
"{{$.num}}",
"default",
"out",
"3"
],
[
"{{$x}}",
"default",
"perr",
"template: t:1: undefined variable \"$x\""
],
[
"{{$x = 1}}",
"default",
"err",
"template: t:1:7: executing \"t\" at <1>: undefined variable: $x"
],
[
"{{$x, $y := 1}}",
"default",
"perr",
"template: t:1: too many declarations in command"
],
[
"{{range $a, $b, $c := .list}}{{end}}",
"default",
"perr",
"template: t:1: too many declarations in range"
],
[
"{{range $i, := .list}}{{end}}",
"default",
"perr",
"template: t:1: range can only initialize variables"
],
[
"{{with $x := .str}}{{$x}}{{end}}",
"default",
"out",
"hello"
],
[
"{{$x := .map}}{{$x.a}} {{$x.c.d}}",
"default",
"out",
"1 deep"
],
[
"{{ $x := 3 }}{{ $x | printf \"%d\" }}",
"default",
"out",
"3"
],
[
"{{if .t}}yes{{end}}",
"default",
"out",
"yes"
],
[
"{{if .f}}yes{{else}}no{{end}}",
"default",
"out",
"no"
],
[
"{{if .f}}1{{else if .zero}}2{{else if .str}}3{{else}}4{{end}}",
"default",
"out",
"3"
],
[
"{{if .empty}}a{{else if .emptyList}}b{{else if .emptyMap}}c{{else if .nul}}d{{else}}e{{end}}",
"default",
"out",
"e"
],
[
"{{if and .t .str}}both{{end}}",
"default",
"out",
"both"
],
[
"{{with .map}}{{.a}}{{end}}",
"default",
"out",
"1"
],
[
"{{with .nested.x}}{{.y.z}}{{else}}none{{end}}",
"default",
"out",
"found"
],
[
"{{with .empty}}x{{else}}empty{{end}}",
"default",
"out",
"empty"
],
[
"{{if}}x{{end}}",
"default",
"perr",
"template: t:1: missing value for if"
],
[
"{{if .t}}x",
"default",
"perr",
"template: t:1: unexpected EOF"
],
[
"{{else}}",
"default",
"perr",
"template: t:1: unexpected {{else}}"
],
[
"{{end}}",
"default",
"perr",
"template: t:1: unexpected {{end}}"
],
[
"{{if .t}}x{{else}}y{{else}}z{{end}}",
"default",
"perr",
"template: t:1: expected end; found {{else}}"
],
[
"{{with .str}}{{.}}{{else if .t}}no{{end}}",
"default",
"perr",
"template: t:1: unexpected <if> in input"
],
[
"{{if .t}}{{else}}{{end}}ok",
"default",
"out",
"ok"
],
[
"{{ if 0 }}a{{ else }}b{{ end }}",
"default",
"out",
"b"
],
[
"{{ if 0.0 }}a{{ else }}b{{ end }}",
"default",
"out",
"b"
],
[
"{{if .map.a}}{{.map.a}}{{end}}",
"default",
"out",
"1"
],
[
"{{range .list}}[{{.}}]{{end}}",
"default",
"out",
"[a][b][c]"
],
[
"{{range .emptyList}}x{{else}}none{{end}}",
"default",
"out",
"none"
],
[
"{{range .map}}{{.}}{{end}}",
"default",
"out",
"12map[d:deep]"
],
[
"{{range .emptyMap}}x{{else}}none{{end}}",
"default",
"out",
"none"
],
[
"{{range .nul}}x{{else}}nil{{end}}",
"default",
"out",
"nil"
],
[
"{{range .str}}x{{end}}",
"default",
"err",
"template: t:1:8: executing \"t\" at <.str>: range can't iterate over hello"
],
[
"{{range .num}}x{{end}}",
"default",
"err",
"template: t:1:8: executing \"t\" at <.num>: range can't iterate over 3"
],
[
"{{range .t}}x{{end}}",
"default",
"err",
"template: t:1:8: executing \"t\" at <.t>: range can't iterate over true"
],
[
"{{range .items}}{{.name}}={{.v}};{{end}}",
"default",
"out",
"one=1;two=2;"
],
[
"{{range .list}}{{if eq . \"b\"}}{{break}}{{end}}{{.}}{{end}}",
"default",
"out",
"a"
],
[
"{{range .list}}{{if eq . \"b\"}}{{continue}}{{end}}{{.}}{{end}}",
"default",
"out",
"ac"
],
[
"{{break}}",
"default",
"perr",
"template: t:1: {{break}} outside {{range}}"
],
[
"{{continue}}",
"default",
"perr",
"template: t:1: {{continue}} outside {{range}}"
],
[
"{{range .list}}{{break 1}}{{end}}",
"default",
"perr",
"template: t:1: unexpected \"1\" in {{break}}"
],
[
"{{range .nums}}{{range $.list}}{{.}}{{end}}|{{end}}",
"default",
"out",
"abc|abc|abc|"
],
[
"{{range $i, $e := .mixed}}{{$i}}:{{$e}} {{end}}",
"default",
"out",
"0:1 1:two 2:<no value> 3:true 4:2.5 5:map[k:v] 6:[1] "
],
[
"{{range .mixed}}{{printf \"%T \" .}}{{end}}",
"default",
"out",
"float64 string <nil> bool float64 map[string]interface {} []interface {} "
],
[
"{{range .list}}{{$}}{{end}}",
"default",
"out",
"map[big:1e+06 empty: emptyList:[] emptyMap:map[] f:false float:1.5 html:<a href='x'>&\"</a> huge:1e+21 items:[map[name:one v:1] map[name:two v:2]] list:[a b c] map:map[a:1 b:2 c:map[d:deep]] mixed:[1 two <nil> true 2.5 map[k:v] [1]] multi:line1\nline2\n neg:-2 nested:map[x:map[y:map[z:found]]] nul:<nil> num:3 nums:[1 2 3] pct:50% spaces:  padded   str:hello t:true third:0.3333333333333333 tiny:0.0001 unicode:h\u00e9llo w\u00f6rld zero:0]map[big:1e+06 empty: emptyList:[] emptyMap:map[] f:false float:1.5 html:<a href='x'>&\"</a> huge:1e+21 items:[map[name:one v:1] map[name:two v:2]] list:[a b c] map:map[a:1 b:2 c:map[d:deep]] mixed:[1 two <nil> true 2.5 map[k:v] [1]] multi:line1\nline2\n neg:-2 nested:map[x:map[y:map[z:found]]] nul:<nil> num:3 nums:[1 2 3] pct:50% spaces:  padded   str:hello t:true third:0.3333333333333333 tiny:0.0001 unicode:h\u00e9llo w\u00f6rld zero:0]map[big:1e+06 empty: emptyList:[] emptyMap:map[] f:false float:1.5 html:<a href='x'>&\"</a> huge:1e+21 items:[map[name:one v:1] map[name:two v:2]] list:[a b c] map:map[a:1 b:2 c:map[d:deep]] mixed:[1 two <nil> true 2.5 map[k:v] [1]] multi:line1\nline2\n neg:-2 nested:map[x:map[y:map[z:found]]] nul:<nil> num:3 nums:[1 2 3] pct:50% spaces:  padded   str:hello t:true third:0.3333333333333333 tiny:0.0001 unicode:h\u00e9llo w\u00f6rld zero:0]"
],
[
"{{range $k, $v := .nested}}{{$k}}{{$v}}{{end}}",
"default",
"out",
"xmap[y:map[z:found]]"
],
[
"{{range .list}}{{range .}}x{{end}}{{end}}",
"default",
"err",
"template: t:1:23: executing \"t\" at <.>: range can't iterate over a"
],
[
"{{range .list -}} {{.}} {{- end}}",
"default",
"out",
"abc"
],
[
"{{range $x := .list}}{{end}}{{$x}}",
"default",
"perr",
"template: t:1: undefined variable \"$x\""
],
[
"{{define \"a\"}}A{{.}}{{end}}{{template \"a\" .str}}",
"default",
"out",
"Ahello"
],
[
"{{template \"nope\"}}",
"default",
"err",
"template: t:1:11: executing \"t\" at <{{template \"nope\"}}>: template \"nope\" not defined"
],
[
"{{template \"a\"}}{{define \"a\"}}[{{.}}]{{end}}",
"default",
"out",
"[<no value>]"
],
[
"{{block \"b\" .num}}block {{.}}{{end}}",
"default",
"out",
"block 3"
],
[
"{{define \"a\"}}{{$}}{{end}}{{template \"a\" 5}}",
"default",
"out",
"5"
],
[
"{{define \"a\"}}{{$x}}{{end}}{{$x := 1}}",
"default",
"perr",
"template: t:1: undefined variable \"$x\""
],
[
"{{define \"r\"}}{{if .}}{{.}}-{{template \"r\" (slice . 1)}}{{end}}{{end}}{{template \"r\" .list}}",
"default",
"out",
"[a b c]-[b c]-[c]-"
],
[
"{{define \"a\"}}1{{end}}{{define \"a\"}}2{{end}}",
"default",
"perr",
"template: t:1: template: multiple definition of template \"a\""
],
[
"{{define \"a\"}}{{end}}{{define \"a\"}}2{{end}}{{template \"a\"}}",
"default",
"out",
"2"
],
[
"{{define \"a\"}}x{{else}}y{{end}}",
"default",
"perr",
"template: t:1: unexpected {{else}} in define clause"
],
[
"{{define \"a\" 1}}{{end}}",
"default",
"perr",
"template: t:1: unexpected \"1\" in define clause"
],
[
"{{define a}}{{end}}",
"default",
"perr",
"template: t:1: unexpected \"a\" in define clause"
],
[
"{{template .str}}",
"default",
"perr",
"template: t:1: unexpected \".str\" in template clause"
],
[
"{{template \"a\" 1 2}}",
"default",
"err",
"template: t:1:11: executing \"t\" at <{{template \"a\" 1 2}}>: template \"a\" not defined"
],
[
"{{define \"e\"}}{{.nope.x}}{{end}}{{template \"e\" .}}",
"default",
"out",
"<no value>"
],
[
"{{define \"e\"}}\n\n  {{index . 9}}{{end}}{{template \"e\" .list}}",
"default",
"err",
"template: t:3:4: executing \"e\" at <index . 9>: error calling index: index out of range: 9"
],
[
"{{define `raw`}}R{{end}}{{template `raw`}}",
"default",
"out",
"R"
],
[
"{{define \"x\"}}{{break}}{{end}}",
"default",
"perr",
"template: t:1: {{break}} outside {{range}}"
],
[
"{{.str | printf \"%s!\"}}",
"default",
"out",
"hello!"
],
[
"{{\"a\" | printf \"%s%s\" \"b\"}}",
"default",
"out",
"ba"
],
[
"{{.num | printf \"%d\" | printf \"[%s]\"}}",
"default",
"out",
"[%!d(float64=3)]"
],
[
"{{(printf \"%s\" .str)}}",
"default",
"out",
"hello"
],
[
"{{(.map).a}}",
"default",
"out",
"1"
],
[
"{{(index .items 1).name}}",
"default",
"out",
"two"
],
[
"{{ (.nested.x).y.z }}",
"default",
"out",
"found"
],
[
"{{ .str | .num }}",
"default",
"err",
"template: t:1:10: executing \"t\" at <.num>: num is not a method but has arguments"
],
[
"{{ 1 | 2 }}",
"default",
"perr",
"template: t:1: non executable command in pipeline stage 2"
],
[
"{{ .str | \"x\" }}",
"default",
"perr",
"template: t:1: non executable command in pipeline stage 2"
],
[
"{{ (1).x }}",
"default",
"err",
"template: t:1:4: executing \"t\" at <1>: can't evaluate field x in type int"
],
[
"{{ \"a\".x }}",
"default",
"perr",
"template: t:1: unexpected . after term \"\\\"a\\\"\""
],
[
"{{ nil.x }}",
"default",
"perr",
"template: t:1: unexpected . after term \"nil\""
],
[
"{{ (nil).x }}",
"default",
"err",
"template: t:1:4: executing \"t\" at <nil>: nil is not a command"
],
[
"{{ . | printf \"%v\" | len }}",
"default",
"out",
"430"
],
[
"{{ printf \"%d\" (len .list) }}",
"default",
"out",
"3"
],
[
"{{ len (print .str .str) }}",
"default",
"out",
"10"
],
[
"{{ ( ) }}",
"default",
"perr",
"template: t:1: missing value for parenthesized pipeline"
],
[
"{{ (.str }}",
"default",
"perr",
"template: t:1: unclosed left paren"
],
[
"{{ | }}",
"default",
"perr",
"template: t:1: unexpected \"|\" in command"
],
[
"{{ .str | }}",
"default",
"out",
"hello"
],
[
"{{ printf }}",
"default",
"err",
"template: t:1:3: executing \"t\" at <printf>: wrong number of args for printf: want at least 1 got 0"
],
[
"{{ .str 1 }}",
"default",
"err",
"template: t:1:3: executing \"t\" at <.str>: str is not a method but has arguments"
],
[
"{{ .map.a 1 }}",
"default",
"err",
"template: t:1:7: executing \"t\" at <.map.a>: a is not a method but has arguments"
],
[
"{{ $x := 1 }}{{ $x 2 }}",
"default",
"err",
"template: t:1:16: executing \"t\" at <$x>: can't give argument to non-function $x"
],
[
"{{ 1 2 }}",
"default",
"err",
"template: t:1:3: executing \"t\" at <1>: can't give argument to non-function 1"
],
[
"{{ \"x\" .str }}",
"default",
"err",
"template: t:1:3: executing \"t\" at <\"x\">: can't give argument to non-function \"x\""
],
[
"{{ . 1 }}",
"default",
"err",
"template: t:1:3: executing \"t\" at <.>: can't give argument to non-function ."
],
[
"{{ nil }}",
"default",
"err",
"template: t:1:3: executing \"t\" at <nil>: nil is not a command"
],
[
"{{ true | not }}",
"default",
"out",
"false"
],
[
"{{and 1 0 \"x\"}}",
"default",
"out",
"0"
],
[
"{{and 1 2}}",
"default",
"out",
"2"
],
[
"{{or 0 \"\" \"x\" 1}}",
"default",
"out",
"x"
],
[
"{{or 0 \"\"}}",
"default",
"out",
""
],
[
"{{and}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <and>: wrong number of args for and: want at least 1 got 0"
],
[
"{{or .missing .str}}",
"default",
"out",
"hello"
],
[
"{{and .t .missing}}",
"default",
"out",
"<no value>"
],
[
"{{or 0 (index .list 99)}}",
"default",
"err",
"template: t:1:8: executing \"t\" at <index .list 99>: error calling index: index out of range: 99"
],
[
"{{and 0 (index .list 99)}}",
"default",
"out",
"0"
],
[
"{{not 0}} {{not 1}} {{not \"\"}} {{not .list}}",
"default",
"out",
"true false true false"
],
[
"{{not}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <not>: wrong number of args for not: want 1 got 0"
],
[
"{{not 1 2}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <not>: wrong number of args for not: want 1 got 2"
],
[
"{{len .str}} {{len .list}} {{len .map}} {{len .unicode}}",
"default",
"out",
"5 3 3 13"
],
[
"{{len 3}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <len 3>: error calling len: len of type int"
],
[
"{{len .num}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <len .num>: error calling len: len of type float64"
],
[
"{{len .nul}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <len .nul>: error calling len: len of nil pointer"
],
[
"{{len}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <len>: wrong number of args for len: want 1 got 0"
],
[
"{{index .list 1}}",
"default",
"out",
"b"
],
[
"{{index .list 3}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <index .list 3>: error calling index: reflect: slice index out of range"
],
[
"{{index .list 5}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <index .list 5>: error calling index: index out of range: 5"
],
[
"{{index .list -1}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <index .list -1>: error calling index: index out of range: -1"
],
[
"{{index .list 1.0}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <index .list 1.0>: error calling index: cannot index slice/array with type float64"
],
[
"{{index .list \"x\"}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <index .list \"x\">: error calling index: cannot index slice/array with type string"
],
[
"{{index .list .missing}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <index .list .missing>: error calling index: cannot index slice/array with nil"
],
[
"{{index .map \"a\"}}",
"default",
"out",
"1"
],
[
"{{index .map \"c\" \"d\"}}",
"default",
"out",
"deep"
],
[
"{{index .map 1}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <index .map 1>: error calling index: value has type int; should be string"
],
[
"{{index .map .missing}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <index .map .missing>: error calling index: value is nil; should be of type string"
],
[
"{{index .items 0 \"name\"}}",
"default",
"out",
"one"
],
[
"{{index .str 1}}",
"default",
"out",
"101"
],
[
"{{index .num 1}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <index .num 1>: error calling index: can't index item of type float64"
],
[
"{{index .missing 1}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <index .missing 1>: error calling index: index of untyped nil"
],
[
"{{index .nul 1}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <index .nul 1>: error calling index: index of untyped nil"
],
[
"{{index .list}}",
"default",
"out",
"[a b c]"
],
[
"{{index .mixed 2 3}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <index .mixed 2 3>: error calling index: index of nil pointer"
],
[
"{{index .nested \"x\" \"y\" \"z\"}}",
"default",
"out",
"found"
],
[
"{{slice .list 1}}",
"default",
"out",
"[b c]"
],
[
"{{slice .list 1 2}}",
"default",
"out",
"[b]"
],
[
"{{slice .list 0 3 3}}",
"default",
"out",
"[a b c]"
],
[
"{{slice .str 1 3}}",
"default",
"out",
"el"
],
[
"{{slice .str 1 2 3}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <slice .str 1 2 3>: error calling slice: cannot 3-index slice a string"
],
[
"{{slice .list 2 1}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <slice .list 2 1>: error calling slice: invalid slice index: 2 > 1"
],
[
"{{slice .list 0 5}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <slice .list 0 5>: error calling slice: index out of range: 5"
],
[
"{{slice .list 1 2 3 4}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <slice .list 1 2 3 4>: error calling slice: too many slice indexes: 4"
],
[
"{{slice .num 1}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <slice .num 1>: error calling slice: can't slice item of type float64"
],
[
"{{slice .missing}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <slice .missing>: error calling slice: slice of untyped nil"
],
[
"{{slice .list}}",
"default",
"out",
"[a b c]"
],
[
"{{slice .unicode 0 2}}",
"default",
"out",
"h\ufffd"
],
[
"{{print 1 2 \"a\" \"b\" 3 .nul .list}}",
"default",
"out",
"1 2ab3 <nil> [a b c]"
],
[
"{{println 1 \"a\" .nul}}",
"default",
"out",
"1 a <nil>\n"
],
[
"{{print}}|{{println}}|",
"default",
"out",
"|\n|"
],
[
"{{printf \"%5.2f|%-4d|%x|%q\" .float .num .str .str}}",
"default",
"out",
" 1.50|%!d(float64=3   )|68656c6c6f|\"hello\""
],
[
"{{printf \"%d %s\" .num}}",
"default",
"out",
"%!d(float64=3) %!s(MISSING)"
],
[
"{{printf \"%d\" .float}}",
"default",
"out",
"%!d(float64=1.5)"
],
[
"{{printf 1}}",
"default",
"err",
"template: t:1:9: executing \"t\" at <1>: expected string; found 1"
],
[
"{{printf .num}}",
"default",
"err",
"template: t:1:9: executing \"t\" at <.num>: wrong type for value; expected string; got float64"
],
[
"{{printf .str 1}}",
"default",
"out",
"hello%!(EXTRA int=1)"
],
[
"{{printf .missing}}",
"default",
"err",
"template: t:1:9: executing \"t\" at <.missing>: invalid value; expected string"
],
[
"{{printf .nul}}",
"default",
"err",
"template: t:1:9: executing \"t\" at <.nul>: wrong type for value; expected string; got interface {}"
],
[
"{{printf \"%v %v\" .map .list}}",
"default",
"out",
"map[a:1 b:2 c:map[d:deep]] [a b c]"
],
[
"{{printf \"%s\" .items}}",
"default",
"out",
"[map[name:one v:%!s(float64=1)] map[name:two v:%!s(float64=2)]]"
],
[
"{{printf \"%06.2f\" .float}}",
"default",
"out",
"001.50"
],
[
"{{printf \"%03d\" .num}}",
"default",
"out",
"%!d(float64=003)"
],
[
"{{html .html}}",
"default",
"out",
"&lt;a href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt;"
],
[
"{{html \"<\" 1 \"x\" 2}}",
"default",
"out",
"&lt;1x2"
],
[
"{{html .list}}",
"default",
"out",
"[a b c]"
],
[
"{{html}}",
"default",
"out",
""
],
[
"{{js .html}}",
"default",
"out",
"\\u003Ca href\\u003D\\'x\\'\\u003E\\u0026\\\"\\u003C/a\\u003E"
],
[
"{{js \"line\\nbreak\\t=\u00e9\\u2028\"}}",
"default",
"out",
"line\\u000Abreak\\u0009\\u003D\u00e9\\u2028"
],
[
"{{js 1 2}}",
"default",
"out",
"1 2"
],
[
"{{urlquery \"a b&c=d/\u00e9?\"}}",
"default",
"out",
"a+b%26c%3Dd%2F%C3%A9%3F"
],
[
"{{urlquery .list 1}}",
"default",
"out",
"%5Ba+b+c%5D+1"
],
[
"{{urlquery}}",
"default",
"out",
""
],
[
"{{eq 1 1}} {{eq 1 2}} {{eq 1 2 3 1}} {{eq \"a\" \"a\"}} {{eq .str \"hello\"}} {{eq .num 3.0}} {{eq .t true}}",
"default",
"out",
"true false true true true true true"
],
[
"{{eq .num 3}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <eq .num 3>: error calling eq: incompatible types for comparison"
],
[
"{{eq 1 \"1\"}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <eq 1 \"1\">: error calling eq: incompatible types for comparison"
],
[
"{{eq 1}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <eq 1>: error calling eq: missing argument for comparison"
],
[
"{{eq}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <eq>: wrong number of args for eq: want at least 1 got 0"
],
[
"{{eq .missing .nul}}",
"default",
"out",
"true"
],
[
"{{eq .nul nil}}",
"default",
"out",
"true"
],
[
"{{eq .str nil}}",
"default",
"out",
"false"
],
[
"{{eq .list .list}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <eq .list .list>: error calling eq: non-comparable type [a b c]: []interface {}"
],
[
"{{eq .map .map}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <eq .map .map>: error calling eq: non-comparable type map[a:%!s(float64=1) b:%!s(float64=2) c:map[d:deep]]: map[string]interface {}"
],
[
"{{eq .list .map}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <eq .list .map>: error calling eq: non-comparable types [a b c]: []interface {}, map[string]interface {}: map[a:1 b:2 c:map[d:deep]]"
],
[
"{{eq .list nil}}",
"default",
"out",
"false"
],
[
"{{eq 1.5 1.5}}",
"default",
"out",
"true"
],
[
"{{eq .str .missing}}",
"default",
"out",
"false"
],
[
"{{ne 1 2}} {{ne \"a\" \"a\"}}",
"default",
"out",
"true false"
],
[
"{{ne 1}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <ne>: wrong number of args for ne: want 2 got 1"
],
[
"{{ne 1 2 3}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <ne>: wrong number of args for ne: want 2 got 3"
],
[
"{{ne 1 \"a\"}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <ne 1 \"a\">: error calling ne: incompatible types for comparison"
],
[
"{{lt 1 2}} {{lt 2 1}} {{lt \"a\" \"b\"}} {{lt 1.5 2.5}}",
"default",
"out",
"true false true true"
],
[
"{{lt 1 2.0}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <lt 1 2.0>: error calling lt: incompatible types for comparison"
],
[
"{{lt true false}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <lt true false>: error calling lt: invalid type for comparison"
],
[
"{{lt .list .list}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <lt .list .list>: error calling lt: invalid type for comparison"
],
[
"{{lt .missing 1}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <lt .missing 1>: error calling lt: invalid type for comparison"
],
[
"{{le 1 1}} {{le 2 1}} {{gt 2 1}} {{gt 1 1}} {{ge 1 1}} {{ge 0 1}}",
"default",
"out",
"true false true false true false"
],
[
"{{gt \"b\" \"a\"}} {{ge \"a\" \"b\"}}",
"default",
"out",
"true false"
],
[
"{{gt 1 \"a\"}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <gt 1 \"a\">: error calling gt: incompatible types for comparison"
],
[
"{{le}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <le>: wrong number of args for le: want 2 got 0"
],
[
"{{call .missing}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <call .missing>: error calling call: call of nil"
],
[
"{{call}}",
"default",
"err",
"template: t:1:2: executing \"t\" at <call>: wrong number of args for call: want at least 1 got 0"
],
[
"{{",
"default",
"perr",
"template: t:1: unclosed action"
],
[
"{{ .str",
"default",
"perr",
"template: t:1: unclosed action"
],
[
"{{ .str }",
"default",
"perr",
"template: t:1: unexpected \"}\" in operand"
],
[
"{{ .str }}}",
"default",
"out",
"hello}"
],
[
"{{ .str\n\n",
"default",
"perr",
"template: t:3: unclosed action started at t:1"
],
[
"x\n{{ .str \n\n .x",
"default",
"perr",
"template: t:4: unclosed action started at t:2"
],
[
"{{ 'x }}",
"default",
"perr",
"template: t:1: unterminated character constant"
],
[
"{{ \"abc }}",
"default",
"perr",
"template: t:1: unterminated quoted string"
],
[
"{{ `abc }}",
"default",
"perr",
"template: t:1: unterminated raw quoted string"
],
[
"{{ unknownFunc }}",
"default",
"perr",
"template: t:1: function \"unknownFunc\" not defined"
],
[
"{{ .str | unknownFunc }}",
"default",
"perr",
"template: t:1: function \"unknownFunc\" not defined"
],
[
"{{ $undefined }}",
"default",
"perr",
"template: t:1: undefined variable \"$undefined\""
],
[
"{{ @ }}",
"default",
"perr",
"template: t:1: unexpected \"@\" in command"
],
[
"{{ .a@b }}",
"default",
"perr",
"template: t:1: bad character U+0040 '@'"
],
[
"{{ end }}",
"default",
"perr",
"template: t:1: unexpected {{end}}"
],
[
"{{ else }}",
"default",
"perr",
"template: t:1: unexpected {{else}}"
],
[
"{{ if .t }}",
"default",
"perr",
"template: t:1: unexpected EOF"
],
[
"{{ range .t }}x",
"default",
"perr",
"template: t:1: unexpected EOF"
],
[
"{{ with }}{{ end }}",
"default",
"perr",
"template: t:1: missing value for with"
],
[
"{{ range }}{{end}}",
"default",
"perr",
"template: t:1: missing value for range"
],
[
"{{ $x := }}",
"default",
"perr",
"template: t:1: missing value for command"
],
[
"{{ := 1 }}",
"default",
"perr",
"template: t:1: unexpected \":=\" in command"
],
[
"{{ 1 := 2 }}",
"default",
"perr",
"template: t:1: unexpected \":=\" in operand"
],
[
"{{ .x := 1 }}",
"default",
"perr",
"template: t:1: unexpected \":=\" in operand"
],
[
"{{ $x :== 1 }}",
"default",
"perr",
"template: t:1: unexpected \"=\" in command"
],
[
"{{ $x : 1 }}",
"default",
"perr",
"template: t:1: undefined variable \"$x\""
],
[
"{{/* unterminated",
"default",
"perr",
"template: t:1: unclosed comment"
],
[
"{{/* c */ x}}",
"default",
"perr",
"template: t:1: comment ends before closing delimiter"
],
[
"{{ ( }}",
"default",
"perr",
"template: t:1: unclosed left paren"
],
[
"{{ (1 }}",
"default",
"perr",
"template: t:1: unclosed left paren"
],
[
"{{ template }}",
"default",
"perr",
"template: t:1: unexpected \"}}\" in template clause"
],
[
"{{ template \"x\" | }}",
"default",
"perr",
"template: t:1: unexpected \"|\" in template clause"
],
[
"{{ block \"b\" }}{{end}}",
"default",
"perr",
"template: t:1: missing value for block clause"
],
[
"{{ define \"x\" }}",
"default",
"perr",
"template: t:1: unexpected EOF"
],
[
"text\n\n{{ define \"x\" }}\n{{ if }}\n{{end}}",
"default",
"perr",
"template: t:4: missing value for if"
],
[
"{{ .str.3 }}",
"default",
"perr",
"template: t:1: unexpected \".3\" in operand"
],
[
"{{ 3.str }}",
"default",
"perr",
"template: t:1: bad number syntax: \"3.s\""
],
[
"{{ \"a\".b }}",
"default",
"perr",
"template: t:1: unexpected . after term \"\\\"a\\\"\""
],
[
"{{ .str. }}",
"default",
"perr",
"template: t:1: unexpected <.> in operand"
],
[
"{{ $.  }}",
"default",
"perr",
"template: t:1: unexpected <.> in operand"
],
[
"{{ $x.y := 1 }}",
"default",
"perr",
"template: t:1: undefined variable \"$x\""
],
[
"{{ .a,b }}",
"default",
"perr",
"template: t:1: unexpected \",\" in operand"
],
[
"{{ , }}",
"default",
"perr",
"template: t:1: unexpected \",\" in command"
],
[
"{{ 'ab' }}",
"default",
"perr",
"template: t:1: malformed character constant: 'ab'"
],
[
"{{ if .t }}{{ else if }}{{ end }}",
"default",
"perr",
"template: t:1: missing value for if"
],
[
"{{ range .list }}{{ else if .t }}{{ end }}",
"default",
"perr",
"template: t:1: unexpected <if> in input"
],
[
"{{ break }}",
"default",
"perr",
"template: t:1: {{break}} outside {{range}}"
],
[
"{{ range .list }}{{ break }}x",
"default",
"perr",
"template: t:1: unexpected EOF"
],
[
"{{ range .list }}{{ continue 1 }}{{ end }}",
"default",
"perr",
"template: t:1: unexpected \"1\" in {{continue}}"
],
[
"{{ 1 2 3 | }}",
"default",
"err",
"template: t:1:3: executing \"t\" at <1>: can't give argument to non-function 1"
],
[
"{{\n.str\n\n|\n\nfoo\n}}",
"default",
"perr",
"template: t:6: function \"foo\" not defined"
],
[
"line1\nline2 {{ .str\nline3 | nope }}",
"default",
"perr",
"template: t:3: function \"line3\" not defined"
],
[
"{{ printf \"%d\" 1 | }}",
"default",
"out",
"1"
],
[
"{{define \"a\"}}{{$}}|{{.}}{{end}}{{range .list}}{{template \"a\" .}};{{end}}",
"default",
"out",
"a|a;b|b;c|c;"
],
[
"{{define \"a\"}}{{define \"b\"}}{{end}}{{end}}",
"default",
"perr",
"template: t:1: unexpected <define> in command"
],
[
"{{$x := 5}}{{define \"a\"}}{{$x}}{{end}}",
"default",
"perr",
"template: t:1: undefined variable \"$x\""
],
[
"{{ .str | printf \"%s\" | len }}",
"default",
"out",
"5"
],
[
"{{ .h\u00e9llo }}",
"default",
"out",
"<no value>"
],
[
"{{ $\u00e9 := 1 }}{{ $\u00e9 }}",
"default",
"out",
"1"
],
[
"{{ .a_b1 }}",
"default",
"out",
"<no value>"
],
[
"{{range $i, $v := .items}}{{if $i}}, {{end}}{{$v.name}}{{end}}",
"default",
"out",
"one, two"
],
[
"{{ with .items }}{{ range . }}{{ .name }}{{ end }}{{ end }}",
"default",
"out",
"onetwo"
],
[
"{{ range .items }}{{ with .name }}{{ . }}{{ $.str }}{{ end }}{{ end }}",
"default",
"out",
"onehellotwohello"
],
[
"{{ if and (eq .str \"hello\") (gt (len .list) 2) }}ok{{ end }}",
"default",
"out",
"ok"
],
[
"{{ or .empty .emptyList \"fallback\" }}",
"default",
"out",
"fallback"
],
[
"{{ and .str .list .map }}",
"default",
"out",
"map[a:1 b:2 c:map[d:deep]]"
],
[
"{{ $v := index .items 1 }}{{ $v.name }}",
"default",
"out",
"two"
],
[
"{{ (index .items 0).v | printf \"%.1f\" }}",
"default",
"out",
"1.0"
],
[
"{{- range $k, $v := .map }}\n{{ $k }}: {{ $v }}\n{{- end }}",
"default",
"out",
"\na: 1\nb: 2\nc: map[d:deep]"
],
[
"{{ \"\\u00e9\\U0001F600\\x41\\101\\a\" | printf \"%q\" }}",
"default",
"out",
"\"\u00e9\ud83d\ude00AA\\a\""
],
[
"{{ `a\nb` }}",
"default",
"out",
"a\nb"
],
[
"{{ print \"a\" 1 2 \"b\" }}{{ print 1 \"a\" 2 }}",
"default",
"out",
"a1 2b1a2"
],
[
"{{ printf \"%[2]s %[1]s\" \"a\" \"b\" }}",
"default",
"out",
"b a"
],
[
"{{ .nested.x.y | len }}",
"default",
"out",
"1"
],
[
"{{ index . \"str\" }}",
"default",
"out",
"hello"
],
[
"{{ $x := \"a\" }}{{ $x := \"b\" }}{{ $x }}",
"default",
"out",
"b"
],
[
"{{ range .list }}{{ $y := . }}{{ end }}{{ $y }}",
"default",
"perr",
"template: t:1: undefined variable \"$y\""
],
[
"{{ slice \"hello\" 1 }}{{ slice \"hello\" 5 }}",
"default",
"out",
"ello"
],
[
"{{ html \"<\u00e9>\" }}{{ urlquery \"\u00e9\" }}{{ js \"\u00e9\\u0000\" }}",
"default",
"out",
"&lt;\u00e9&gt;%C3%A9\u00e9\\u0000"
],
[
"{{ not .str }} {{ not .nul }} {{ not .map }}",
"default",
"out",
"false true false"
],
[
"{{ 0x10 | printf \"%d %x\" 255 }}",
"default",
"out",
"255 10"
],
[
"{{ le 1.5 1.5 }} {{ ge \"b\" \"a\" }} {{ lt -1 0 }}",
"default",
"out",
"true true true"
],
[
"{{ eq .float 1.5 }} {{ eq .nums .nums }}",
"default",
"err",
"template: t:1:23: executing \"t\" at <eq .nums .nums>: error calling eq: non-comparable type [%!s(float64=1) %!s(float64=2) %!s(float64=3)]: []interface {}"
],
[
"{{ printf \"%v\" (slice .nums 1) }}",
"default",
"out",
"[2 3]"
]
]
"""#)

    /// Rows: [snippet, "out" | "err" | "perr", expected text (for "perr", helm's `parse error at (FILE:LINE): MSG`)].
    static let helmTable = TaggedValue.rows(#"""
[
[
"plain text",
"out",
"plain text"
],
[
"",
"out",
""
],
[
"a{{/* comment */}}b",
"out",
"ab"
],
[
"a {{- /* c */ -}} b",
"out",
"ab"
],
[
"a  {{- .str -}}  b",
"out",
"ahellob"
],
[
"a\n\n{{- .str}}\n\nb",
"out",
"ahello\n\nb"
],
[
"{{.str -}}\n  \n x",
"out",
"hellox"
],
[
"a {{- 3 }} b",
"out",
"a3 b"
],
[
"{{- 3 -}}",
"out",
"3"
],
[
"{{3 -}} x",
"out",
"3x"
],
[
"x {{- -3}}",
"out",
"x-3"
],
[
"{{ -3 }}",
"out",
"-3"
],
[
"x\t\r\n{{- .str }}",
"out",
"xhello"
],
[
"{{/* a */}}{{/* b */ -}}  c",
"out",
"c"
],
[
"{{- /* multi\nline */ -}}\nx",
"out",
"x"
],
[
"a{{\n.str\n}}b",
"out",
"ahellob"
],
[
"{{ .str }}{{/**/}}",
"out",
"hello"
],
[
"{{\"quoted\\t\\\"x\\\"\"}}",
"out",
"quoted\t\"x\""
],
[
"{{`raw \\n string`}}",
"out",
"raw \\n string"
],
[
"{{'a'}}",
"out",
"97"
],
[
"{{'\\n'}}",
"out",
"10"
],
[
"{{'\\x41'}}",
"out",
"65"
],
[
"{{'\\u00e9'}}",
"out",
"233"
],
[
"{{1_000}}",
"out",
"1000"
],
[
"{{0x1F}}",
"out",
"31"
],
[
"{{0X_ff}}",
"out",
"255"
],
[
"{{0o17}}",
"out",
"15"
],
[
"{{017}}",
"out",
"15"
],
[
"{{0b101}}",
"out",
"5"
],
[
"{{1.5}}",
"out",
"1.5"
],
[
"{{1e3}}",
"out",
"1000"
],
[
"{{1E-3}}",
"out",
"0.001"
],
[
"{{.5}}",
"out",
"0.5"
],
[
"{{5.}}",
"out",
"5"
],
[
"{{0x1p4}}",
"out",
"16"
],
[
"{{1_0.5}}",
"out",
"10.5"
],
[
"{{-0}}",
"out",
"0"
],
[
"{{+7}}",
"out",
"7"
],
[
"{{9223372036854775807}}",
"out",
"9223372036854775807"
],
[
"{{9223372036854775808}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <9223372036854775808>: 9223372036854775808 overflows int"
],
[
"{{18446744073709551616}}",
"perr",
"parse error at (c/templates/_s.tpl:1): \"18446744073709551616\""
],
[
"{{true}} {{false}}",
"out",
"true false"
],
[
"{{nil}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <nil>: nil is not a command"
],
[
"{{08}}",
"perr",
"parse error at (c/templates/_s.tpl:1): \"08\""
],
[
"{{1__0}}",
"perr",
"parse error at (c/templates/_s.tpl:1): \"1__0\""
],
[
"{{0x}}",
"perr",
"parse error at (c/templates/_s.tpl:1): \"0x\""
],
[
"{{1.2.3}}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected \".3\" in operand"
],
[
"{{3x}}",
"perr",
"parse error at (c/templates/_s.tpl:1): \"3x\""
],
[
"{{\"\\q\"}}",
"perr",
"parse error at (c/templates/_s.tpl:1): invalid syntax"
],
[
"{{'ab'}}",
"perr",
"parse error at (c/templates/_s.tpl:1): 'ab'"
],
[
"{{''}}",
"perr",
"parse error at (c/templates/_s.tpl:1): invalid syntax"
],
[
"{{1e400}}",
"perr",
"parse error at (c/templates/_s.tpl:1): \"1e400\""
],
[
"{{printf \"%T %T %T\" 1 1.0 'a'}}",
"out",
"int float64 int"
],
[
"{{printf \"%v\" 1e6}}",
"out",
"1e+06"
],
[
"{{ 1e6 }}",
"out",
"1e+06"
],
[
"{{ 100000.0 }}",
"out",
"100000"
],
[
"{{ 0.000001 }}",
"out",
"1e-06"
],
[
"{{.str}}",
"out",
"hello"
],
[
"{{.missing}}",
"out",
"<no value>"
],
[
"{{.missing.deeper}}",
"err",
"template: c/templates/_s.tpl:1:25: executing \"s0\" at <.missing.deeper>: nil pointer evaluating interface {}.deeper"
],
[
"{{.nul}}",
"out",
"<no value>"
],
[
"{{.nul.x}}",
"err",
"template: c/templates/_s.tpl:1:21: executing \"s0\" at <.nul.x>: nil pointer evaluating interface {}.x"
],
[
"{{.nested.x.y.z}}",
"out",
"found"
],
[
"{{.nested.x.nope}}",
"out",
"<no value>"
],
[
"{{.nested.x.nope.z}}",
"err",
"template: c/templates/_s.tpl:1:24: executing \"s0\" at <.nested.x.nope.z>: nil pointer evaluating interface {}.z"
],
[
"{{.str.x}}",
"err",
"template: c/templates/_s.tpl:1:21: executing \"s0\" at <.str.x>: can't evaluate field x in type interface {}"
],
[
"{{.list.x}}",
"err",
"template: c/templates/_s.tpl:1:22: executing \"s0\" at <.list.x>: can't evaluate field x in type interface {}"
],
[
"{{.num.x}}",
"err",
"template: c/templates/_s.tpl:1:21: executing \"s0\" at <.num.x>: can't evaluate field x in type interface {}"
],
[
"{{$x := .str}}{{$x.y}}",
"err",
"template: c/templates/_s.tpl:1:33: executing \"s0\" at <$x.y>: can't evaluate field y in type string"
],
[
"{{(.missing).x}}",
"out",
"<no value>"
],
[
"{{(.nul).x}}",
"out",
"<no value>"
],
[
"{{with .missing}}yes{{else}}no{{end}}",
"out",
"no"
],
[
"{{if .missing}}y{{else}}n{{end}}",
"out",
"n"
],
[
"{{.map}}",
"out",
"map[a:1 b:2 c:map[d:deep]]"
],
[
"{{.map.c}}",
"out",
"map[d:deep]"
],
[
"{{$.str}}",
"out",
"hello"
],
[
"{{$.missing.x}}",
"err",
"template: c/templates/_s.tpl:1:18: executing \"s0\" at <$.missing.x>: nil pointer evaluating interface {}.x"
],
[
"{{.}}",
"out",
"map[big:1e+06 empty: emptyList:[] emptyMap:map[] f:false float:1.5 html:<a href='x'>&\"</a> huge:1e+21 items:[map[name:one v:1] map[name:two v:2]] list:[a b c] map:map[a:1 b:2 c:map[d:deep]] mixed:[1 two <nil> true 2.5 map[k:v] [1]] multi:line1\nline2\n neg:-2 nested:map[x:map[y:map[z:found]]] nul:<nil> num:3 nums:[1 2 3] pct:50% spaces:  padded   str:hello t:true third:0.3333333333333333 tiny:0.0001 unicode:h\u00e9llo w\u00f6rld zero:0]"
],
[
"{{index .map \"zz\"}}",
"out",
"<no value>"
],
[
"{{(index .map \"zz\").q}}",
"out",
"<no value>"
],
[
"{{ print .missing }}",
"out",
"<nil>"
],
[
"{{ printf \"%v|%s|%d\" .missing .missing .missing }}",
"out",
"<nil>|%!s(<nil>)|%!d(<nil>)"
],
[
"{{ len .missing }}",
"err",
"template: c/templates/_s.tpl:1:18: executing \"s0\" at <len .missing>: error calling len: len of nil pointer"
],
[
"{{ .missing | len }}",
"err",
"template: c/templates/_s.tpl:1:29: executing \"s0\" at <len>: error calling len: reflect: call of reflect.Value.Type on zero Value"
],
[
"{{ not .missing }}",
"out",
"true"
],
[
"{{ eq .missing nil }}",
"out",
"true"
],
[
"{{ html .missing }}",
"out",
"&lt;no value&gt;"
],
[
"{{range .missing}}x{{else}}empty{{end}}",
"out",
"empty"
],
[
"{{.map.missing}}",
"out",
"<no value>"
],
[
"{{ .map.c.d.e }}",
"err",
"template: c/templates/_s.tpl:1:22: executing \"s0\" at <.map.c.d.e>: can't evaluate field e in type interface {}"
],
[
"{{ .items.name }}",
"err",
"template: c/templates/_s.tpl:1:24: executing \"s0\" at <.items.name>: can't evaluate field name in type interface {}"
],
[
"{{.num}} {{.float}} {{.big}} {{.neg}} {{.tiny}} {{.huge}} {{.third}} {{.zero}}",
"out",
"3 1.5 1e+06 -2 0.0001 1e+21 0.3333333333333333 0"
],
[
"{{.list}}",
"out",
"[a b c]"
],
[
"{{.nums}}",
"out",
"[1 2 3]"
],
[
"{{.emptyList}}",
"out",
"[]"
],
[
"{{.emptyMap}}",
"out",
"map[]"
],
[
"{{.mixed}}",
"out",
"[1 two <nil> true 2.5 map[k:v] [1]]"
],
[
"{{.items}}",
"out",
"[map[name:one v:1] map[name:two v:2]]"
],
[
"{{.t}} {{.f}}",
"out",
"true false"
],
[
"{{.html}}",
"out",
"<a href='x'>&\"</a>"
],
[
"{{.unicode}}",
"out",
"h\u00e9llo w\u00f6rld"
],
[
"{{.empty}}|",
"out",
"|"
],
[
"{{.multi}}",
"out",
"line1\nline2\n"
],
[
"{{ . | len }}",
"out",
"26"
],
[
"{{$x := 1}}{{$x}}",
"out",
"1"
],
[
"{{$x := 1}}{{$x = 2}}{{$x}}",
"out",
"2"
],
[
"{{$x := .str}}{{if true}}{{$x = \"in\"}}{{end}}{{$x}}",
"out",
"in"
],
[
"{{if true}}{{$y := 1}}{{end}}{{$y}}",
"perr",
"parse error at (c/templates/_s.tpl:1): undefined variable \"$y\""
],
[
"{{$x := 1}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}",
"out",
"21"
],
[
"{{range $i, $v := .list}}{{$i}}={{$v}} {{end}}",
"out",
"0=a 1=b 2=c "
],
[
"{{range $v := .list}}{{$v}}{{end}}",
"out",
"abc"
],
[
"{{range $i, $v := .map}}{{$i}}:{{$v}},{{end}}",
"out",
"a:1,b:2,c:map[d:deep],"
],
[
"{{$x := 1}}{{range .list}}{{$x = .}}{{end}}{{$x}}",
"out",
"c"
],
[
"{{$}}",
"out",
"map[big:1e+06 empty: emptyList:[] emptyMap:map[] f:false float:1.5 html:<a href='x'>&\"</a> huge:1e+21 items:[map[name:one v:1] map[name:two v:2]] list:[a b c] map:map[a:1 b:2 c:map[d:deep]] mixed:[1 two <nil> true 2.5 map[k:v] [1]] multi:line1\nline2\n neg:-2 nested:map[x:map[y:map[z:found]]] nul:<nil> num:3 nums:[1 2 3] pct:50% spaces:  padded   str:hello t:true third:0.3333333333333333 tiny:0.0001 unicode:h\u00e9llo w\u00f6rld zero:0]"
],
[
"{{$.num}}",
"out",
"3"
],
[
"{{$x}}",
"perr",
"parse error at (c/templates/_s.tpl:1): undefined variable \"$x\""
],
[
"{{$x = 1}}",
"err",
"template: c/templates/_s.tpl:1:22: executing \"s0\" at <1>: undefined variable: $x"
],
[
"{{$x, $y := 1}}",
"perr",
"parse error at (c/templates/_s.tpl:1): too many declarations in command"
],
[
"{{range $a, $b, $c := .list}}{{end}}",
"perr",
"parse error at (c/templates/_s.tpl:1): too many declarations in range"
],
[
"{{range $i, := .list}}{{end}}",
"perr",
"parse error at (c/templates/_s.tpl:1): range can only initialize variables"
],
[
"{{with $x := .str}}{{$x}}{{end}}",
"out",
"hello"
],
[
"{{$x := .map}}{{$x.a}} {{$x.c.d}}",
"out",
"1 deep"
],
[
"{{ $x := 3 }}{{ $x | printf \"%d\" }}",
"out",
"3"
],
[
"{{if .t}}yes{{end}}",
"out",
"yes"
],
[
"{{if .f}}yes{{else}}no{{end}}",
"out",
"no"
],
[
"{{if .f}}1{{else if .zero}}2{{else if .str}}3{{else}}4{{end}}",
"out",
"3"
],
[
"{{if .empty}}a{{else if .emptyList}}b{{else if .emptyMap}}c{{else if .nul}}d{{else}}e{{end}}",
"out",
"e"
],
[
"{{if and .t .str}}both{{end}}",
"out",
"both"
],
[
"{{with .map}}{{.a}}{{end}}",
"out",
"1"
],
[
"{{with .nested.x}}{{.y.z}}{{else}}none{{end}}",
"out",
"found"
],
[
"{{with .empty}}x{{else}}empty{{end}}",
"out",
"empty"
],
[
"{{if}}x{{end}}",
"perr",
"parse error at (c/templates/_s.tpl:1): missing value for if"
],
[
"{{if .t}}x",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected EOF"
],
[
"{{else}}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected {{else}} in define clause"
],
[
"{{end}}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected {{end}}"
],
[
"{{if .t}}x{{else}}y{{else}}z{{end}}",
"perr",
"parse error at (c/templates/_s.tpl:1): expected end; found {{else}}"
],
[
"{{with .str}}{{.}}{{else if .t}}no{{end}}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected <if> in input"
],
[
"{{if .t}}{{else}}{{end}}ok",
"out",
"ok"
],
[
"{{ if 0 }}a{{ else }}b{{ end }}",
"out",
"b"
],
[
"{{ if 0.0 }}a{{ else }}b{{ end }}",
"out",
"b"
],
[
"{{if .map.a}}{{.map.a}}{{end}}",
"out",
"1"
],
[
"{{range .list}}[{{.}}]{{end}}",
"out",
"[a][b][c]"
],
[
"{{range .emptyList}}x{{else}}none{{end}}",
"out",
"none"
],
[
"{{range .map}}{{.}}{{end}}",
"out",
"12map[d:deep]"
],
[
"{{range .emptyMap}}x{{else}}none{{end}}",
"out",
"none"
],
[
"{{range .nul}}x{{else}}nil{{end}}",
"out",
"nil"
],
[
"{{range .str}}x{{end}}",
"err",
"template: c/templates/_s.tpl:1:23: executing \"s0\" at <.str>: range can't iterate over hello"
],
[
"{{range .num}}x{{end}}",
"err",
"template: c/templates/_s.tpl:1:23: executing \"s0\" at <.num>: range can't iterate over 3"
],
[
"{{range .t}}x{{end}}",
"err",
"template: c/templates/_s.tpl:1:23: executing \"s0\" at <.t>: range can't iterate over true"
],
[
"{{range .items}}{{.name}}={{.v}};{{end}}",
"out",
"one=1;two=2;"
],
[
"{{range .list}}{{if eq . \"b\"}}{{break}}{{end}}{{.}}{{end}}",
"out",
"a"
],
[
"{{range .list}}{{if eq . \"b\"}}{{continue}}{{end}}{{.}}{{end}}",
"out",
"ac"
],
[
"{{break}}",
"perr",
"parse error at (c/templates/_s.tpl:1): {{break}} outside {{range}}"
],
[
"{{continue}}",
"perr",
"parse error at (c/templates/_s.tpl:1): {{continue}} outside {{range}}"
],
[
"{{range .list}}{{break 1}}{{end}}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected \"1\" in {{break}}"
],
[
"{{range .nums}}{{range $.list}}{{.}}{{end}}|{{end}}",
"out",
"abc|abc|abc|"
],
[
"{{range $i, $e := .mixed}}{{$i}}:{{$e}} {{end}}",
"out",
"0:1 1:two 2:<no value> 3:true 4:2.5 5:map[k:v] 6:[1] "
],
[
"{{range .mixed}}{{printf \"%T \" .}}{{end}}",
"out",
"float64 string <nil> bool float64 map[string]interface {} []interface {} "
],
[
"{{range .list}}{{$}}{{end}}",
"out",
"map[big:1e+06 empty: emptyList:[] emptyMap:map[] f:false float:1.5 html:<a href='x'>&\"</a> huge:1e+21 items:[map[name:one v:1] map[name:two v:2]] list:[a b c] map:map[a:1 b:2 c:map[d:deep]] mixed:[1 two <nil> true 2.5 map[k:v] [1]] multi:line1\nline2\n neg:-2 nested:map[x:map[y:map[z:found]]] nul:<nil> num:3 nums:[1 2 3] pct:50% spaces:  padded   str:hello t:true third:0.3333333333333333 tiny:0.0001 unicode:h\u00e9llo w\u00f6rld zero:0]map[big:1e+06 empty: emptyList:[] emptyMap:map[] f:false float:1.5 html:<a href='x'>&\"</a> huge:1e+21 items:[map[name:one v:1] map[name:two v:2]] list:[a b c] map:map[a:1 b:2 c:map[d:deep]] mixed:[1 two <nil> true 2.5 map[k:v] [1]] multi:line1\nline2\n neg:-2 nested:map[x:map[y:map[z:found]]] nul:<nil> num:3 nums:[1 2 3] pct:50% spaces:  padded   str:hello t:true third:0.3333333333333333 tiny:0.0001 unicode:h\u00e9llo w\u00f6rld zero:0]map[big:1e+06 empty: emptyList:[] emptyMap:map[] f:false float:1.5 html:<a href='x'>&\"</a> huge:1e+21 items:[map[name:one v:1] map[name:two v:2]] list:[a b c] map:map[a:1 b:2 c:map[d:deep]] mixed:[1 two <nil> true 2.5 map[k:v] [1]] multi:line1\nline2\n neg:-2 nested:map[x:map[y:map[z:found]]] nul:<nil> num:3 nums:[1 2 3] pct:50% spaces:  padded   str:hello t:true third:0.3333333333333333 tiny:0.0001 unicode:h\u00e9llo w\u00f6rld zero:0]"
],
[
"{{range $k, $v := .nested}}{{$k}}{{$v}}{{end}}",
"out",
"xmap[y:map[z:found]]"
],
[
"{{range .list}}{{range .}}x{{end}}{{end}}",
"err",
"template: c/templates/_s.tpl:1:38: executing \"s0\" at <.>: range can't iterate over a"
],
[
"{{range .list -}} {{.}} {{- end}}",
"out",
"abc"
],
[
"{{range $x := .list}}{{end}}{{$x}}",
"perr",
"parse error at (c/templates/_s.tpl:1): undefined variable \"$x\""
],
[
"{{template \"nope\"}}",
"err",
"template: c/templates/_s.tpl:1:26: executing \"s0\" at <{{template \"nope\"}}>: template \"nope\" not defined"
],
[
"{{template .str}}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected \".str\" in template clause"
],
[
"{{template \"a\" 1 2}}",
"err",
"template: c/templates/_s.tpl:1:26: executing \"s0\" at <{{template \"a\" 1 2}}>: template \"a\" not defined"
],
[
"{{.str | printf \"%s!\"}}",
"out",
"hello!"
],
[
"{{\"a\" | printf \"%s%s\" \"b\"}}",
"out",
"ba"
],
[
"{{.num | printf \"%d\" | printf \"[%s]\"}}",
"out",
"[%!d(float64=3)]"
],
[
"{{(printf \"%s\" .str)}}",
"out",
"hello"
],
[
"{{(.map).a}}",
"out",
"1"
],
[
"{{(index .items 1).name}}",
"out",
"two"
],
[
"{{ (.nested.x).y.z }}",
"out",
"found"
],
[
"{{ .str | .num }}",
"err",
"template: c/templates/_s.tpl:1:25: executing \"s0\" at <.num>: num is not a method but has arguments"
],
[
"{{ 1 | 2 }}",
"perr",
"parse error at (c/templates/_s.tpl:1): non executable command in pipeline stage 2"
],
[
"{{ .str | \"x\" }}",
"perr",
"parse error at (c/templates/_s.tpl:1): non executable command in pipeline stage 2"
],
[
"{{ (1).x }}",
"err",
"template: c/templates/_s.tpl:1:19: executing \"s0\" at <1>: can't evaluate field x in type int"
],
[
"{{ \"a\".x }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected . after term \"\\\"a\\\"\""
],
[
"{{ nil.x }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected . after term \"nil\""
],
[
"{{ (nil).x }}",
"err",
"template: c/templates/_s.tpl:1:19: executing \"s0\" at <nil>: nil is not a command"
],
[
"{{ . | printf \"%v\" | len }}",
"out",
"430"
],
[
"{{ printf \"%d\" (len .list) }}",
"out",
"3"
],
[
"{{ len (print .str .str) }}",
"out",
"10"
],
[
"{{ ( ) }}",
"perr",
"parse error at (c/templates/_s.tpl:1): missing value for parenthesized pipeline"
],
[
"{{ (.str }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unclosed left paren"
],
[
"{{ .str) }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected right paren"
],
[
"{{ | }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected \"|\" in command"
],
[
"{{ .str | }}",
"out",
"hello"
],
[
"{{ printf }}",
"err",
"template: c/templates/_s.tpl:1:18: executing \"s0\" at <printf>: wrong number of args for printf: want at least 1 got 0"
],
[
"{{ .str 1 }}",
"err",
"template: c/templates/_s.tpl:1:18: executing \"s0\" at <.str>: str is not a method but has arguments"
],
[
"{{ .map.a 1 }}",
"err",
"template: c/templates/_s.tpl:1:22: executing \"s0\" at <.map.a>: a is not a method but has arguments"
],
[
"{{ $x := 1 }}{{ $x 2 }}",
"err",
"template: c/templates/_s.tpl:1:31: executing \"s0\" at <$x>: can't give argument to non-function $x"
],
[
"{{ 1 2 }}",
"err",
"template: c/templates/_s.tpl:1:18: executing \"s0\" at <1>: can't give argument to non-function 1"
],
[
"{{ \"x\" .str }}",
"err",
"template: c/templates/_s.tpl:1:18: executing \"s0\" at <\"x\">: can't give argument to non-function \"x\""
],
[
"{{ . 1 }}",
"err",
"template: c/templates/_s.tpl:1:18: executing \"s0\" at <.>: can't give argument to non-function ."
],
[
"{{ nil }}",
"err",
"template: c/templates/_s.tpl:1:18: executing \"s0\" at <nil>: nil is not a command"
],
[
"{{ true | not }}",
"out",
"false"
],
[
"{{and 1 0 \"x\"}}",
"out",
"0"
],
[
"{{and 1 2}}",
"out",
"2"
],
[
"{{or 0 \"\" \"x\" 1}}",
"out",
"x"
],
[
"{{or 0 \"\"}}",
"out",
""
],
[
"{{and}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <and>: wrong number of args for and: want at least 1 got 0"
],
[
"{{or .missing .str}}",
"out",
"hello"
],
[
"{{and .t .missing}}",
"out",
"<no value>"
],
[
"{{or 0 (index .list 99)}}",
"err",
"template: c/templates/_s.tpl:1:23: executing \"s0\" at <index .list 99>: error calling index: index out of range: 99"
],
[
"{{and 0 (index .list 99)}}",
"out",
"0"
],
[
"{{not 0}} {{not 1}} {{not \"\"}} {{not .list}}",
"out",
"true false true false"
],
[
"{{not}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <not>: wrong number of args for not: want 1 got 0"
],
[
"{{not 1 2}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <not>: wrong number of args for not: want 1 got 2"
],
[
"{{len .str}} {{len .list}} {{len .map}} {{len .unicode}}",
"out",
"5 3 3 13"
],
[
"{{len 3}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <len 3>: error calling len: len of type int"
],
[
"{{len .num}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <len .num>: error calling len: len of type float64"
],
[
"{{len .nul}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <len .nul>: error calling len: len of nil pointer"
],
[
"{{len}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <len>: wrong number of args for len: want 1 got 0"
],
[
"{{index .list 1}}",
"out",
"b"
],
[
"{{index .list 3}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <index .list 3>: error calling index: reflect: slice index out of range"
],
[
"{{index .list 5}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <index .list 5>: error calling index: index out of range: 5"
],
[
"{{index .list -1}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <index .list -1>: error calling index: index out of range: -1"
],
[
"{{index .list 1.0}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <index .list 1.0>: error calling index: cannot index slice/array with type float64"
],
[
"{{index .list \"x\"}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <index .list \"x\">: error calling index: cannot index slice/array with type string"
],
[
"{{index .list .missing}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <index .list .missing>: error calling index: cannot index slice/array with nil"
],
[
"{{index .map \"a\"}}",
"out",
"1"
],
[
"{{index .map \"c\" \"d\"}}",
"out",
"deep"
],
[
"{{index .map 1}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <index .map 1>: error calling index: value has type int; should be string"
],
[
"{{index .map .missing}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <index .map .missing>: error calling index: value is nil; should be of type string"
],
[
"{{index .items 0 \"name\"}}",
"out",
"one"
],
[
"{{index .str 1}}",
"out",
"101"
],
[
"{{index .num 1}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <index .num 1>: error calling index: can't index item of type float64"
],
[
"{{index .missing 1}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <index .missing 1>: error calling index: index of untyped nil"
],
[
"{{index .nul 1}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <index .nul 1>: error calling index: index of untyped nil"
],
[
"{{index .list}}",
"out",
"[a b c]"
],
[
"{{index .mixed 2 3}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <index .mixed 2 3>: error calling index: index of nil pointer"
],
[
"{{index .nested \"x\" \"y\" \"z\"}}",
"out",
"found"
],
[
"{{print 1 2 \"a\" \"b\" 3 .nul .list}}",
"out",
"1 2ab3 <nil> [a b c]"
],
[
"{{println 1 \"a\" .nul}}",
"out",
"1 a <nil>\n"
],
[
"{{print}}|{{println}}|",
"out",
"|\n|"
],
[
"{{printf \"%5.2f|%-4d|%x|%q\" .float .num .str .str}}",
"out",
" 1.50|%!d(float64=3   )|68656c6c6f|\"hello\""
],
[
"{{printf \"%d %s\" .num}}",
"out",
"%!d(float64=3) %!s(MISSING)"
],
[
"{{printf \"%d\" .float}}",
"out",
"%!d(float64=1.5)"
],
[
"{{printf 1}}",
"err",
"template: c/templates/_s.tpl:1:24: executing \"s0\" at <1>: expected string; found 1"
],
[
"{{printf .num}}",
"err",
"template: c/templates/_s.tpl:1:24: executing \"s0\" at <.num>: wrong type for value; expected string; got float64"
],
[
"{{printf .str 1}}",
"out",
"hello%!(EXTRA int=1)"
],
[
"{{printf .missing}}",
"err",
"template: c/templates/_s.tpl:1:24: executing \"s0\" at <.missing>: wrong type for value; expected string; got interface {}"
],
[
"{{printf .nul}}",
"err",
"template: c/templates/_s.tpl:1:24: executing \"s0\" at <.nul>: wrong type for value; expected string; got interface {}"
],
[
"{{printf \"%v %v\" .map .list}}",
"out",
"map[a:1 b:2 c:map[d:deep]] [a b c]"
],
[
"{{printf \"%s\" .items}}",
"out",
"[map[name:one v:%!s(float64=1)] map[name:two v:%!s(float64=2)]]"
],
[
"{{printf \"%06.2f\" .float}}",
"out",
"001.50"
],
[
"{{printf \"%03d\" .num}}",
"out",
"%!d(float64=003)"
],
[
"{{html .html}}",
"out",
"&lt;a href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt;"
],
[
"{{html \"<\" 1 \"x\" 2}}",
"out",
"&lt;1x2"
],
[
"{{html .list}}",
"out",
"[a b c]"
],
[
"{{html}}",
"out",
""
],
[
"{{js .html}}",
"out",
"\\u003Ca href\\u003D\\'x\\'\\u003E\\u0026\\\"\\u003C/a\\u003E"
],
[
"{{js \"line\\nbreak\\t=\u00e9\\u2028\"}}",
"out",
"line\\u000Abreak\\u0009\\u003D\u00e9\\u2028"
],
[
"{{js 1 2}}",
"out",
"1 2"
],
[
"{{urlquery \"a b&c=d/\u00e9?\"}}",
"out",
"a+b%26c%3Dd%2F%C3%A9%3F"
],
[
"{{urlquery .list 1}}",
"out",
"%5Ba+b+c%5D+1"
],
[
"{{urlquery}}",
"out",
""
],
[
"{{eq 1 1}} {{eq 1 2}} {{eq 1 2 3 1}} {{eq \"a\" \"a\"}} {{eq .str \"hello\"}} {{eq .num 3.0}} {{eq .t true}}",
"out",
"true false true true true true true"
],
[
"{{eq .num 3}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <eq .num 3>: error calling eq: incompatible types for comparison"
],
[
"{{eq 1 \"1\"}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <eq 1 \"1\">: error calling eq: incompatible types for comparison"
],
[
"{{eq 1}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <eq 1>: error calling eq: missing argument for comparison"
],
[
"{{eq}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <eq>: wrong number of args for eq: want at least 1 got 0"
],
[
"{{eq .missing .nul}}",
"out",
"true"
],
[
"{{eq .nul nil}}",
"out",
"true"
],
[
"{{eq .str nil}}",
"out",
"false"
],
[
"{{eq .list .list}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <eq .list .list>: error calling eq: non-comparable type [a b c]: []interface {}"
],
[
"{{eq .map .map}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <eq .map .map>: error calling eq: non-comparable type map[a:%!s(float64=1) b:%!s(float64=2) c:map[d:deep]]: map[string]interface {}"
],
[
"{{eq .list .map}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <eq .list .map>: error calling eq: non-comparable types [a b c]: []interface {}, map[string]interface {}: map[a:1 b:2 c:map[d:deep]]"
],
[
"{{eq .list nil}}",
"out",
"false"
],
[
"{{eq 1.5 1.5}}",
"out",
"true"
],
[
"{{eq .str .missing}}",
"out",
"false"
],
[
"{{ne 1 2}} {{ne \"a\" \"a\"}}",
"out",
"true false"
],
[
"{{ne 1}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <ne>: wrong number of args for ne: want 2 got 1"
],
[
"{{ne 1 2 3}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <ne>: wrong number of args for ne: want 2 got 3"
],
[
"{{ne 1 \"a\"}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <ne 1 \"a\">: error calling ne: incompatible types for comparison"
],
[
"{{lt 1 2}} {{lt 2 1}} {{lt \"a\" \"b\"}} {{lt 1.5 2.5}}",
"out",
"true false true true"
],
[
"{{lt 1 2.0}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <lt 1 2.0>: error calling lt: incompatible types for comparison"
],
[
"{{lt true false}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <lt true false>: error calling lt: invalid type for comparison"
],
[
"{{lt .list .list}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <lt .list .list>: error calling lt: invalid type for comparison"
],
[
"{{lt .missing 1}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <lt .missing 1>: error calling lt: invalid type for comparison"
],
[
"{{le 1 1}} {{le 2 1}} {{gt 2 1}} {{gt 1 1}} {{ge 1 1}} {{ge 0 1}}",
"out",
"true false true false true false"
],
[
"{{gt \"b\" \"a\"}} {{ge \"a\" \"b\"}}",
"out",
"true false"
],
[
"{{gt 1 \"a\"}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <gt 1 \"a\">: error calling gt: incompatible types for comparison"
],
[
"{{le}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <le>: wrong number of args for le: want 2 got 0"
],
[
"{{call .str}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <call .str>: error calling call: non-function .str of type string"
],
[
"{{call .missing}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <call .missing>: error calling call: call of nil"
],
[
"{{call}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <call>: wrong number of args for call: want at least 1 got 0"
],
[
"{{call 1 2}}",
"err",
"template: c/templates/_s.tpl:1:17: executing \"s0\" at <call 1 2>: error calling call: non-function 1 of type int"
],
[
"{{",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected \"{\" in command"
],
[
"{{ .str",
"perr",
"parse error at (c/templates/_s.tpl:1): bad character U+007B '{'"
],
[
"{{ .str }",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected \"}\" in operand"
],
[
"{{ .str }}}",
"out",
"hello}"
],
[
"{{ .str\n\n",
"perr",
"parse error at (c/templates/_s.tpl:3): unexpected \"{\" in operand"
],
[
"x\n{{ .str \n\n .x",
"perr",
"parse error at (c/templates/_s.tpl:4): bad character U+007B '{' in action started at c/templates/_s.tpl:2"
],
[
"{{ 'x }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unterminated character constant"
],
[
"{{ \"abc }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unterminated quoted string"
],
[
"{{ `abc }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unterminated raw quoted string"
],
[
"{{ unknownFunc }}",
"perr",
"parse error at (c/templates/_s.tpl:1): function \"unknownFunc\" not defined"
],
[
"{{ .str | unknownFunc }}",
"perr",
"parse error at (c/templates/_s.tpl:1): function \"unknownFunc\" not defined"
],
[
"{{ @ }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected \"@\" in command"
],
[
"{{ .a@b }}",
"perr",
"parse error at (c/templates/_s.tpl:1): bad character U+0040 '@'"
],
[
"{{ end }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected {{end}}"
],
[
"{{ else }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected {{else}} in define clause"
],
[
"{{ if .t }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected EOF"
],
[
"{{ range .t }}x",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected EOF"
],
[
"{{ with }}{{ end }}",
"perr",
"parse error at (c/templates/_s.tpl:1): missing value for with"
],
[
"{{ range }}{{end}}",
"perr",
"parse error at (c/templates/_s.tpl:1): missing value for range"
],
[
"{{ $x := }}",
"perr",
"parse error at (c/templates/_s.tpl:1): missing value for command"
],
[
"{{ := 1 }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected \":=\" in command"
],
[
"{{ 1 := 2 }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected \":=\" in operand"
],
[
"{{ .x := 1 }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected \":=\" in operand"
],
[
"{{ $x :== 1 }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected \"=\" in command"
],
[
"{{ $x : 1 }}",
"perr",
"parse error at (c/templates/_s.tpl:1): undefined variable \"$x\""
],
[
"{{/* unterminated",
"perr",
"parse error at (c/templates/_s.tpl:1): unclosed comment"
],
[
"{{/* c */ x}}",
"perr",
"parse error at (c/templates/_s.tpl:1): comment ends before closing delimiter"
],
[
"{{ ) }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected right paren"
],
[
"{{ ( }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unclosed left paren"
],
[
"{{ (1 }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unclosed left paren"
],
[
"{{ 1) }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected right paren"
],
[
"{{ template }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected \"}}\" in template clause"
],
[
"{{ template \"x\" | }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected \"|\" in template clause"
],
[
"{{ .str.3 }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected \".3\" in operand"
],
[
"{{ 3.str }}",
"perr",
"parse error at (c/templates/_s.tpl:1): \"3.s\""
],
[
"{{ \"a\".b }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected . after term \"\\\"a\\\"\""
],
[
"{{ .str. }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected <.> in operand"
],
[
"{{ $.  }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected <.> in operand"
],
[
"{{ $x.y := 1 }}",
"perr",
"parse error at (c/templates/_s.tpl:1): undefined variable \"$x\""
],
[
"{{ .a,b }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected \",\" in operand"
],
[
"{{ , }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected \",\" in command"
],
[
"{{ 'ab' }}",
"perr",
"parse error at (c/templates/_s.tpl:1): 'ab'"
],
[
"{{ if .t }}{{ else if }}{{ end }}",
"perr",
"parse error at (c/templates/_s.tpl:1): missing value for if"
],
[
"{{ range .list }}{{ else if .t }}{{ end }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected <if> in input"
],
[
"{{ with .t }}{{ else with .t }}x{{ end }}",
"out",
""
],
[
"{{ break }}",
"perr",
"parse error at (c/templates/_s.tpl:1): {{break}} outside {{range}}"
],
[
"{{ range .list }}{{ break }}x",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected EOF"
],
[
"{{ range .list }}{{ continue 1 }}{{ end }}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected \"1\" in {{continue}}"
],
[
"{{ 1 2 3 | }}",
"err",
"template: c/templates/_s.tpl:1:18: executing \"s0\" at <1>: can't give argument to non-function 1"
],
[
"{{\n.str\n\n|\n\nfoo\n}}",
"perr",
"parse error at (c/templates/_s.tpl:6): function \"foo\" not defined"
],
[
"line1\nline2 {{ .str\nline3 | nope }}",
"perr",
"parse error at (c/templates/_s.tpl:3): function \"line3\" not defined"
],
[
"{{ printf \"%d\" 1 | }}",
"out",
"1"
],
[
"{{with .missing}}a{{else with .str}}{{.}}{{else}}c{{end}}",
"out",
"hello"
],
[
"{{with .zero}}a{{else with .empty}}b{{else}}c{{end}}",
"out",
"c"
],
[
"{{with .zero}}a{{else with .empty}}b{{else with .map}}{{.a}}{{end}}",
"out",
"1"
],
[
"{{if .f}}a{{else with .str}}{{.}}{{end}}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected <with> in input"
],
[
"{{range .list}}{{else with .t}}{{end}}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected <with> in input"
],
[
"{{with .f}}{{else if .t}}x{{end}}",
"perr",
"parse error at (c/templates/_s.tpl:1): unexpected <if> in input"
],
[
"{{js \"a`b\"}}",
"out",
"a`b"
],
[
"{{js \"<script>alert(1)</script>\"}}",
"out",
"\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E"
],
[
"{{js \"\\x00\\x1f\\u0085\"}}",
"out",
"\\u0000\\u001F\\u0085"
],
[
"{{printf \"%d\" .num}}",
"out",
"%!d(float64=3)"
],
[
"{{printf \"%.2f\" .num}}",
"out",
"3.00"
],
[
"{{printf \"%v\" .big}}",
"out",
"1e+06"
],
[
"{{.big}}",
"out",
"1e+06"
],
[
"{{printf \"%s\" .num}}",
"out",
"%!s(float64=3)"
],
[
"{{printf \"%5.1f|%-8v|%e\" .float .third .big}}",
"out",
"  1.5|0.3333333333333333|1.000000e+06"
],
[
"{{printf \"%g %G %v\" .huge .tiny .neg}}",
"out",
"1e+21 0.0001 -2"
],
[
"{{ printf \"%x\" .num }}",
"out",
"0x1.8p+01"
],
[
"{{printf \"%t\" .t}}",
"out",
"true"
],
[
"{{printf \"%q\" .list}}",
"out",
"[\"a\" \"b\" \"c\"]"
],
[
"{{printf \"%v\" .mixed}}",
"out",
"[1 two <nil> true 2.5 map[k:v] [1]]"
],
[
"{{printf \"%+v\" .items}}",
"out",
"[map[name:one v:1] map[name:two v:2]]"
],
[
"{{printf \"%#v\" .map}}",
"out",
"map[string]interface {}{\"a\":1, \"b\":2, \"c\":map[string]interface {}{\"d\":\"deep\"}}"
],
[
"{{printf \"%T\" .map}}",
"out",
"map[string]interface {}"
],
[
"{{printf \"%T %T\" .list .nul}}",
"out",
"[]interface {} <nil>"
],
[
"{{template \"s0\" .}}",
"err",
"template: c/templates/_s.tpl:1:26: executing \"s0\" at <{{template \"s0\" .}}>: exceeded maximum template depth (100000)"
],
[
"{{template \"s1\"}}",
"err",
"template: c/templates/_s.tpl:1:26: executing \"s0\" at <{{template \"s1\"}}>: template \"s1\" not defined"
],
[
"a  \n  {{- .str -}}  \n  b",
"out",
"ahellob"
],
[
"{{- .str }}\n{{ .str -}}\n{{ .str }}",
"out",
"hello\nhellohello"
],
[
"x {{- if .t }} y {{- end }} z",
"out",
"x y z"
],
[
"{{ if .t -}}\n  yes\n{{- end }}",
"out",
"yes"
],
[
"{{- range .list }}\n- {{ . }}\n{{- end }}",
"out",
"\n- a\n- b\n- c"
],
[
"  {{- /* c */}}  x",
"out",
"  x"
],
[
"{{/* c */ -}}  x",
"out",
"x"
],
[
"a {{- -3 }}",
"out",
"a-3"
],
[
"{{ .str }}{{- /* trailing */ -}}\n\n",
"out",
"hello"
],
[
"{{ .str -}}\r\n\tz",
"out",
"helloz"
],
[
"{{$x := 1 -}} {{$x}}",
"out",
"1"
],
[
"\n\n{{- define_like := 1 }}",
"perr",
"parse error at (c/templates/_s.tpl:3): function \"define_like\" not defined"
]
]
"""#)

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
        #expect(actual.kind == row[2].stringValue, "\(text) [\(row[1].stringValue)]: \(actual.text)")
        #expect(actual.text == row[3].stringValue, "\(text) [\(row[1].stringValue)]")
    }

    @Test(arguments: 0..<helmTable.count)
    func matchesHelm(_ index: Int) {
        let row = Self.helmTable[index]
        let snippet = row[0].stringValue
        guard case .map(let top) = Self.data else { return }
        var set = TemplateSet(missingKey: .zero)
        let actual: (kind: String, text: String)
        do {
            try set.parse(name: "c/templates/_s.tpl", text: "{{define \"s0\"}}" + snippet + "{{end}}")
            do {
                actual = ("out", try set.execute("s0", data: .map(top)))
            } catch {
                actual = ("err", error.description)
            }
        } catch {
            // Helm's cleanupParseError: the location and the last ": "-separated part.
            let parts = error.description.split(separator: ": ", omittingEmptySubsequences: false).map(String.init)
            actual = ("perr", "parse error at (\(parts.count > 1 ? parts[1] : "")): \(parts.last ?? "")")
        }
        #expect(actual.kind == row[1].stringValue, "\(snippet): \(actual.text)")
        #expect(actual.text == row[2].stringValue, "\(snippet)")
    }
}
