{{- define "postgresql.primary.fullname" -}}
{{- $fullname := printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- ternary (printf "%s-%s" $fullname "primary" | trunc 63 | trimSuffix "-") $fullname (eq .Values.architecture "replication") -}}
{{- end -}}

{{- define "postgresql.secretName" -}}
{{- if .Values.auth.existingSecret -}}
{{- tpl .Values.auth.existingSecret $ -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name -}}
{{- end -}}
{{- end -}}

{{- define "postgresql.storageClass" -}}
{{- $storageClass := coalesce .Values.global.storageClass .Values.primary.persistence.storageClass -}}
{{- if $storageClass -}}
{{- if (eq "-" $storageClass) -}}
storageClassName: ""
{{- else }}
storageClassName: {{ $storageClass | quote }}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "postgresql.postgresPassword" -}}
{{- coalesce .Values.global.postgresql.auth.postgresPassword .Values.auth.postgresPassword | default "generated" -}}
{{- end -}}

{{- define "common.securityContext" -}}
{{- omit . "enabled" | toYaml -}}
{{- end -}}
