{{- define "partials.footer" -}}
footer: defined in _blocks.tpl
{{- end -}}
