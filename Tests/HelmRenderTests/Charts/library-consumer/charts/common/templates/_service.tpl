{{- define "common.service" -}}
{{- $top := first . -}}
{{- $name := index . 1 -}}
{{- $svc := index . 2 -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "common.names.fullname" (dict "context" $top "suffix" $name) }}
  labels: {{- include "common.labels.standard" $top | nindent 4 }}
  {{- with $svc.annotations }}
  annotations: {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ $svc.type }}
  ports:
    - port: {{ $svc.port }}
      name: {{ $name }}
{{- end -}}
