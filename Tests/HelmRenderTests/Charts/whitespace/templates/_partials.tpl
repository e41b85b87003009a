{{/* Partials produce nothing by themselves; this text outside a define is ignored too. */}}
{{- define "ws.list" -}}
{{- range . }}
- {{ . }}
{{- end }}
{{- end -}}
stray text in a partial is not rendered
