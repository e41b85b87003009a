import json
cases = ["{{range 3}}{{.}}{{end}}", "{{range $i := 3}}{{$i}}{{end}}", "{{range $i, $v := 3}}{{end}}", "{{range 0}}x{{else}}none{{end}}",
 "{{range -2}}x{{else}}neg{{end}}", "{{range .num}}x{{end}}", "{{range (len .list)}}{{.}}{{end}}", "{{range 5}}{{if eq . 3}}{{break}}{{end}}{{.}}{{end}}",
 "{{range $i := 4}}{{if eq $i 1}}{{continue}}{{end}}{{$i}}{{end}}", "{{range 2}}{{$}}{{end}}",
 "{{with .missing}}a{{else with .str}}{{.}}{{else}}c{{end}}", "{{with .zero}}a{{else with .empty}}b{{else}}c{{end}}",
 "{{with .zero}}a{{else with .empty}}b{{else with .map}}{{.a}}{{end}}", "{{if .f}}a{{else with .str}}{{.}}{{end}}", "{{range .list}}{{else with .t}}{{end}}",
 "{{with .f}}{{else if .t}}x{{end}}", '{{js "a`b"}}', '{{js "<script>alert(1)</script>"}}', '{{js "\\x00\\x1f\\u0085"}}',
 '{{printf "%d" .num}}', '{{printf "%.2f" .num}}', '{{printf "%v" .big}}', '{{.big}}', '{{printf "%s" .num}}', '{{printf "%5.1f|%-8v|%e" .float .third .big}}',
 '{{printf "%g %G %v" .huge .tiny .neg}}', '{{ printf "%x" .num }}', '{{printf "%t" .t}}', '{{printf "%q" .list}}', '{{printf "%v" .mixed}}', '{{printf "%+v" .items}}',
 '{{printf "%#v" .map}}', '{{printf "%T" .map}}', '{{printf "%T %T" .list .nul}}',
 '{{template "s0" .}}', '{{template "s1"}}', '{{len .nul}}', '{{index .list 3}}',
 "a  \n  {{- .str -}}  \n  b", "{{- .str }}\n{{ .str -}}\n{{ .str }}", "x {{- if .t }} y {{- end }} z", "{{ if .t -}}\n  yes\n{{- end }}",
 "{{- range .list }}\n- {{ . }}\n{{- end }}", "  {{- /* c */}}  x", "{{/* c */ -}}  x", "{{- 3 -}}", "a {{- -3 }}", "{{ .str }}{{- /* trailing */ -}}\n\n",
 "{{ .str -}}\r\n\tz", "{{$x := 1 -}} {{$x}}", "\n\n{{- define_like := 1 }}"]
json.dump(cases, open('helmcases2.json','w'))
