{{- define "common.names.fullname" -}}
{{- $ctx := .context | default . -}}
{{- printf "%s-%s" $ctx.Release.Name (.suffix | default $ctx.Chart.Name) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "common.labels.standard" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}
