{{- define "metrics.name" -}}{{ .Release.Name }}-metrics{{- end -}}
