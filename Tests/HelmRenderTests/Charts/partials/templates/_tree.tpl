{{- /* Recursion through include: each node renders its children with a deeper indent. */ -}}
{{- define "partials.tree" -}}
- {{ .name }}
{{- with .children }}
{{- range . }}
{{ include "partials.tree" . | indent 2 }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "partials.dump" -}}
{{ . | toYaml }}
{{- end -}}

{{- define "partials.returnsDict" -}}
{{- dict "computed" (printf "%s-%d" .name (len .children)) "ok" true | toYaml -}}
{{- end -}}
