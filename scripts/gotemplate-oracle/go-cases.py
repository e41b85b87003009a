# Go-oracle cases: (template text, missingkey mode)
C = []
def add(t, mode="default"): C.append({"t": t, "mode": mode})
# text, comments, trim markers
for t in ["plain text", "", "a{{/* comment */}}b", "a {{- /* c */ -}} b", "a  {{- .str -}}  b", "a\n\n{{- .str}}\n\nb",
          "{{.str -}}\n  \n x", "a {{- 3 }} b", "{{- 3 -}}", "{{3 -}} x", "x {{- -3}}", "{{ -3 }}", "x\t\r\n{{- .str }}",
          "{{/* a */}}{{/* b */ -}}  c", "{{- /* multi\nline */ -}}\nx", "a{{\n.str\n}}b", "{{ .str }}{{/**/}}"]:
    add(t)
# literals and numbers
for t in ['{{"quoted\\t\\"x\\""}}', "{{`raw \\n string`}}", "{{'a'}}", "{{'\\n'}}", "{{'\\x41'}}", "{{'\\u00e9'}}", "{{1_000}}", "{{0x1F}}",
          "{{0X_ff}}", "{{0o17}}", "{{017}}", "{{0b101}}", "{{1.5}}", "{{1e3}}", "{{1E-3}}", "{{.5}}", "{{5.}}", "{{0x1p4}}", "{{1_0.5}}",
          "{{-0}}", "{{+7}}", "{{9223372036854775807}}", "{{9223372036854775808}}", "{{18446744073709551616}}", "{{true}} {{false}}",
          "{{nil}}", "{{08}}", "{{1__0}}", "{{0x}}", "{{1.2.3}}", "{{3x}}", '{{"\\q"}}', "{{'ab'}}", "{{''}}", "{{1e400}}",
          "{{printf \"%T %T %T\" 1 1.0 'a'}}", "{{printf \"%v\" 1e6}}", "{{ 1e6 }}", "{{ 100000.0 }}", "{{ 0.000001 }}"]:
    add(t)
# fields, maps, missing keys in all modes
for mode in ["default", "zero", "error"]:
    for t in ["{{.str}}", "{{.missing}}", "{{.missing.deeper}}", "{{.nul}}", "{{.nul.x}}", "{{.nested.x.y.z}}", "{{.nested.x.nope}}",
              "{{.nested.x.nope.z}}", "{{.str.x}}", "{{.list.x}}", "{{.num.x}}", "{{$x := .str}}{{$x.y}}", "{{(.missing).x}}",
              "{{(.nul).x}}", "{{with .missing}}yes{{else}}no{{end}}", "{{if .missing}}y{{else}}n{{end}}", "{{.map}}", "{{.map.c}}",
              "{{$.str}}", "{{$.missing.x}}", "{{.}}", "{{index .map \"zz\"}}", "{{(index .map \"zz\").q}}", "{{ print .missing }}",
              "{{ printf \"%v|%s|%d\" .missing .missing .missing }}", "{{ len .missing }}", "{{ .missing | len }}", "{{ not .missing }}",
              "{{ eq .missing nil }}", "{{ html .missing }}", "{{range .missing}}x{{else}}empty{{end}}", "{{.map.missing}}",
              "{{ .map.c.d.e }}", "{{ .items.name }}", "{{ template \"x\" .missing }}{{define \"x\"}}[{{.}}]{{end}}"]:
        add(t, mode)
# printing values
for t in ["{{.num}} {{.float}} {{.big}} {{.neg}} {{.tiny}} {{.huge}} {{.third}} {{.zero}}", "{{.list}}", "{{.nums}}", "{{.emptyList}}",
          "{{.map}}", "{{.emptyMap}}", "{{.mixed}}", "{{.items}}", "{{.t}} {{.f}}", "{{.html}}", "{{.unicode}}", "{{.nul}}", "{{.empty}}|",
          "{{.multi}}", "{{ . | len }}"]:
    add(t)
# variables
for t in ["{{$x := 1}}{{$x}}", "{{$x := 1}}{{$x = 2}}{{$x}}", "{{$x := .str}}{{if true}}{{$x = \"in\"}}{{end}}{{$x}}",
          "{{if true}}{{$y := 1}}{{end}}{{$y}}", "{{$x := 1}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}",
          "{{range $i, $v := .list}}{{$i}}={{$v}} {{end}}", "{{range $v := .list}}{{$v}}{{end}}", "{{range $i, $v := .map}}{{$i}}:{{$v}},{{end}}",
          "{{$x := 1}}{{range .list}}{{$x = .}}{{end}}{{$x}}", "{{$}}", "{{$.num}}", "{{$x}}", "{{$x = 1}}", "{{$x, $y := 1}}",
          "{{range $a, $b, $c := .list}}{{end}}", "{{range $i, := .list}}{{end}}", "{{with $x := .str}}{{$x}}{{end}}",
          "{{$x := .map}}{{$x.a}} {{$x.c.d}}", "{{ $x := 3 }}{{ $x | printf \"%d\" }}"]:
    add(t)
# if / else if / with / else
for t in ["{{if .t}}yes{{end}}", "{{if .f}}yes{{else}}no{{end}}", "{{if .f}}1{{else if .zero}}2{{else if .str}}3{{else}}4{{end}}",
          "{{if .empty}}a{{else if .emptyList}}b{{else if .emptyMap}}c{{else if .nul}}d{{else}}e{{end}}",
          "{{if and .t .str}}both{{end}}", "{{with .map}}{{.a}}{{end}}", "{{with .nested.x}}{{.y.z}}{{else}}none{{end}}",
          "{{with .empty}}x{{else}}empty{{end}}", "{{if}}x{{end}}", "{{if .t}}x", "{{else}}", "{{end}}", "{{if .t}}x{{else}}y{{else}}z{{end}}",
          "{{with .str}}{{.}}{{else if .t}}no{{end}}", "{{if .t}}{{else}}{{end}}ok", "{{ if 0 }}a{{ else }}b{{ end }}", "{{ if 0.0 }}a{{ else }}b{{ end }}",
          "{{if .map.a}}{{.map.a}}{{end}}"]:
    add(t)
# range
for t in ["{{range .list}}[{{.}}]{{end}}", "{{range .emptyList}}x{{else}}none{{end}}", "{{range .map}}{{.}}{{end}}", "{{range .emptyMap}}x{{else}}none{{end}}",
          "{{range .nul}}x{{else}}nil{{end}}", "{{range .str}}x{{end}}", "{{range .num}}x{{end}}", "{{range .t}}x{{end}}",
          "{{range .items}}{{.name}}={{.v}};{{end}}", "{{range .list}}{{if eq . \"b\"}}{{break}}{{end}}{{.}}{{end}}",
          "{{range .list}}{{if eq . \"b\"}}{{continue}}{{end}}{{.}}{{end}}", "{{break}}", "{{continue}}", "{{range .list}}{{break 1}}{{end}}",
          "{{range .nums}}{{range $.list}}{{.}}{{end}}|{{end}}", "{{range $i, $e := .mixed}}{{$i}}:{{$e}} {{end}}",
          "{{range .mixed}}{{printf \"%T \" .}}{{end}}", "{{range .list}}{{$}}{{end}}", "{{range $k, $v := .nested}}{{$k}}{{$v}}{{end}}",
          "{{range .list}}{{range .}}x{{end}}{{end}}", "{{range .list -}} {{.}} {{- end}}", "{{range $x := .list}}{{end}}{{$x}}"]:
    add(t)
# define / template / block
for t in ['{{define "a"}}A{{.}}{{end}}{{template "a" .str}}', '{{template "nope"}}', '{{template "a"}}{{define "a"}}[{{.}}]{{end}}',
          '{{block "b" .num}}block {{.}}{{end}}', '{{define "a"}}{{$}}{{end}}{{template "a" 5}}', '{{define "a"}}{{$x}}{{end}}{{$x := 1}}',
          '{{define "r"}}{{if .}}{{.}}-{{template "r" (slice . 1)}}{{end}}{{end}}{{template "r" .list}}',
          '{{define "a"}}1{{end}}{{define "a"}}2{{end}}', '{{define "a"}}{{end}}{{define "a"}}2{{end}}{{template "a"}}',
          '{{define "a"}}x{{else}}y{{end}}', '{{define "a" 1}}{{end}}', '{{define a}}{{end}}', '{{template .str}}', '{{template "a" 1 2}}',
          '{{define "e"}}{{.nope.x}}{{end}}{{template "e" .}}', '{{define "e"}}\n\n  {{index . 9}}{{end}}{{template "e" .list}}',
          '{{define `raw`}}R{{end}}{{template `raw`}}', '{{define "x"}}{{break}}{{end}}']:
    add(t)
# pipelines, parens, chains
for t in ['{{.str | printf "%s!"}}', '{{"a" | printf "%s%s" "b"}}', '{{.num | printf "%d" | printf "[%s]"}}', '{{(printf "%s" .str)}}',
          '{{(.map).a}}', '{{(index .items 1).name}}', '{{ (.nested.x).y.z }}', '{{ .str | .num }}', '{{ 1 | 2 }}', '{{ .str | "x" }}',
          '{{ (1).x }}', '{{ "a".x }}', '{{ nil.x }}', '{{ (nil).x }}', '{{ . | printf "%v" | len }}', '{{ printf "%d" (len .list) }}',
          '{{ len (print .str .str) }}', '{{ ( ) }}', '{{ (.str }}', '{{ .str) }}', '{{ | }}', '{{ .str | }}', '{{ printf }}',
          '{{ .str 1 }}', '{{ .map.a 1 }}', '{{ $x := 1 }}{{ $x 2 }}', '{{ 1 2 }}', '{{ "x" .str }}', '{{ . 1 }}', '{{ nil }}', '{{ true | not }}']:
    add(t)
# builtins
for t in ['{{and 1 0 "x"}}', '{{and 1 2}}', '{{or 0 "" "x" 1}}', '{{or 0 ""}}', '{{and}}', '{{or .missing .str}}', '{{and .t .missing}}',
          '{{or 0 (index .list 99)}}', '{{and 0 (index .list 99)}}', '{{not 0}} {{not 1}} {{not ""}} {{not .list}}', '{{not}}', '{{not 1 2}}',
          '{{len .str}} {{len .list}} {{len .map}} {{len .unicode}}', '{{len 3}}', '{{len .num}}', '{{len .nul}}', '{{len}}',
          '{{index .list 1}}', '{{index .list 3}}', '{{index .list 5}}', '{{index .list -1}}', '{{index .list 1.0}}', '{{index .list "x"}}',
          '{{index .list .missing}}', '{{index .map "a"}}', '{{index .map "c" "d"}}', '{{index .map 1}}', '{{index .map .missing}}',
          '{{index .items 0 "name"}}', '{{index .str 1}}', '{{index .num 1}}', '{{index .missing 1}}', '{{index .nul 1}}', '{{index .list}}',
          '{{index .mixed 2 3}}', '{{index .nested "x" "y" "z"}}',
          '{{slice .list 1}}', '{{slice .list 1 2}}', '{{slice .list 0 3 3}}', '{{slice .str 1 3}}', '{{slice .str 1 2 3}}', '{{slice .list 2 1}}',
          '{{slice .list 0 5}}', '{{slice .list 1 2 3 4}}', '{{slice .num 1}}', '{{slice .missing}}', '{{slice .list}}', '{{slice .unicode 0 2}}',
          '{{print 1 2 "a" "b" 3 .nul .list}}', '{{println 1 "a" .nul}}', '{{print}}|{{println}}|', '{{printf "%5.2f|%-4d|%x|%q" .float .num .str .str}}',
          '{{printf "%d %s" .num}}', '{{printf "%d" .float}}', '{{printf 1}}', '{{printf .num}}', '{{printf .str 1}}', '{{printf .missing}}', '{{printf .nul}}',
          '{{printf "%v %v" .map .list}}', '{{printf "%s" .items}}', '{{printf "%06.2f" .float}}', '{{printf "%03d" .num}}',
          '{{html .html}}', '{{html "<" 1 "x" 2}}', '{{html .list}}', '{{html}}', '{{js .html}}', '{{js "line\\nbreak\\t=é\\u2028"}}', '{{js 1 2}}',
          '{{urlquery "a b&c=d/é?"}}', '{{urlquery .list 1}}', '{{urlquery}}',
          '{{eq 1 1}} {{eq 1 2}} {{eq 1 2 3 1}} {{eq "a" "a"}} {{eq .str "hello"}} {{eq .num 3.0}} {{eq .t true}}', '{{eq .num 3}}', '{{eq 1 "1"}}',
          '{{eq 1}}', '{{eq}}', '{{eq .missing .nul}}', '{{eq .nul nil}}', '{{eq .str nil}}', '{{eq .list .list}}', '{{eq .map .map}}', '{{eq .list .map}}',
          '{{eq .list nil}}', '{{eq 1.5 1.5}}', '{{eq .str .missing}}', '{{ne 1 2}} {{ne "a" "a"}}', '{{ne 1}}', '{{ne 1 2 3}}', '{{ne 1 "a"}}',
          '{{lt 1 2}} {{lt 2 1}} {{lt "a" "b"}} {{lt 1.5 2.5}}', '{{lt 1 2.0}}', '{{lt true false}}', '{{lt .list .list}}', '{{lt .missing 1}}',
          '{{le 1 1}} {{le 2 1}} {{gt 2 1}} {{gt 1 1}} {{ge 1 1}} {{ge 0 1}}', '{{gt "b" "a"}} {{ge "a" "b"}}', '{{gt 1 "a"}}', '{{le}}',
          '{{call .str}}', '{{call .missing}}', '{{call}}', '{{call 1 2}}']:
    add(t)
# parse errors
for t in ["{{", "{{ .str", "{{ .str }", "{{ .str }}}", "{{ .str\n\n", "x\n{{ .str \n\n .x", "{{ 'x }}", '{{ "abc }}', "{{ `abc }}",
          "{{ unknownFunc }}", "{{ .str | unknownFunc }}", "{{ $undefined }}", "{{ @ }}", "{{ .a@b }}", "{{ end }}", "{{ else }}",
          "{{ if .t }}", "{{ range .t }}x", "{{ with }}{{ end }}", "{{ range }}{{end}}", "{{ $x := }}", "{{ := 1 }}", "{{ 1 := 2 }}",
          "{{ .x := 1 }}", "{{ $x :== 1 }}", "{{ $x : 1 }}", "{{/* unterminated", "{{/* c */ x}}", "{{ ) }}", "{{ ( }}", "{{ (1 }}", "{{ 1) }}",
          "{{ template }}", "{{ template \"x\" | }}", "{{ block \"b\" }}{{end}}", "{{ define \"x\" }}", "text\n\n{{ define \"x\" }}\n{{ if }}\n{{end}}",
          "{{ .str.3 }}", "{{ 3.str }}", "{{ \"a\".b }}", "{{ .str. }}", "{{ $.  }}", "{{ $x.y := 1 }}", "{{ .a,b }}", "{{ , }}", "{{ 'ab' }}",
          "{{ if .t }}{{ else if }}{{ end }}", "{{ range .list }}{{ else if .t }}{{ end }}", "{{ with .t }}{{ else with .t }}x{{ end }}",
          "{{ break }}", "{{ range .list }}{{ break }}x", "{{ range .list }}{{ continue 1 }}{{ end }}", "{{ 1 2 3 | }}", "{{\n.str\n\n|\n\nfoo\n}}",
          "line1\nline2 {{ .str\nline3 | nope }}", "{{ printf \"%d\" 1 | }}"]:
    add(t)
import json
json.dump({"data": json.load(open("data.json")), "cases": C}, open("gocases.json", "w"))
print(len(C))
extra = ['{{define "a"}}{{$}}|{{.}}{{end}}{{range .list}}{{template "a" .}};{{end}}', '{{define "a"}}{{define "b"}}{{end}}{{end}}',
 '{{$x := 5}}{{define "a"}}{{$x}}{{end}}', '{{ .str | printf "%s" | len }}', '{{ .héllo }}', '{{ $é := 1 }}{{ $é }}', '{{ .a_b1 }}',
 '{{range $i, $v := .items}}{{if $i}}, {{end}}{{$v.name}}{{end}}', '{{ with .items }}{{ range . }}{{ .name }}{{ end }}{{ end }}',
 '{{ range .items }}{{ with .name }}{{ . }}{{ $.str }}{{ end }}{{ end }}', '{{ if and (eq .str "hello") (gt (len .list) 2) }}ok{{ end }}',
 '{{ or .empty .emptyList "fallback" }}', '{{ and .str .list .map }}', '{{ $v := index .items 1 }}{{ $v.name }}', '{{ (index .items 0).v | printf "%.1f" }}',
 '{{- range $k, $v := .map }}\n{{ $k }}: {{ $v }}\n{{- end }}', '{{ "\\u00e9\\U0001F600\\x41\\101\\a" | printf "%q" }}', '{{ `a\nb` }}',
 '{{ print "a" 1 2 "b" }}{{ print 1 "a" 2 }}', '{{ printf "%[2]s %[1]s" "a" "b" }}', '{{ .nested.x.y | len }}', '{{ index . "str" }}',
 '{{ $x := "a" }}{{ $x := "b" }}{{ $x }}', '{{ range .list }}{{ $y := . }}{{ end }}{{ $y }}', '{{ slice "hello" 1 }}{{ slice "hello" 5 }}',
 '{{ html "<é>" }}{{ urlquery "é" }}{{ js "é\\u0000" }}', '{{ not .str }} {{ not .nul }} {{ not .map }}', '{{ 0x10 | printf "%d %x" 255 }}',
 '{{ le 1.5 1.5 }} {{ ge "b" "a" }} {{ lt -1 0 }}', '{{ eq .float 1.5 }} {{ eq .nums .nums }}', '{{ printf "%v" (slice .nums 1) }}']
for t in extra: add(t)
import json
json.dump({"data": json.load(open("data.json")), "cases": C}, open("gocases.json", "w"))
print(len(C))
