{{- define "partials.labels" -}}
app: {{ .Chart.Name }}
release: {{ .Release.Name }}
{{- range $k, $v := .Values.labels }}
{{ $k }}: {{ $v | quote }}
{{- end }}
{{- end -}}

{{- define "partials.container" -}}
- name: {{ .container.name }}
  image: {{ .container.image }}:{{ .root.Chart.Version }}
  {{- if .container.ports }}
  ports:
    {{- range .container.ports }}
    - containerPort: {{ . }}
    {{- end }}
  {{- end }}
{{- end -}}
