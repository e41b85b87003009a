{{- /* Redefines the block declared in configmap.yaml: which body wins depends on helm's parse order. */ -}}
{{- define "partials.block" -}}
"overridden block for {{ .Chart.Name }}"
{{- end -}}
