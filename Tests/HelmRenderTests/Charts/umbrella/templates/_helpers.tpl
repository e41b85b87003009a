{{/* Defined by the parent, used by a subchart: every chart's templates share one namespace. */}}
{{- define "umbrella.sharedLabels" -}}
shop.example.com/part-of: umbrella
shop.example.com/chart: {{ .Chart.Name }}
{{- end -}}
