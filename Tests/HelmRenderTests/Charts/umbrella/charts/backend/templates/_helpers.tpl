{{- define "backend.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- define "backend.image" -}}
{{- $registry := .Values.global.imageRegistry | default "docker.io" -}}
{{ $registry }}/{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- end -}}
