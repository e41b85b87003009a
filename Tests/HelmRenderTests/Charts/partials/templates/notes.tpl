{{- /* A .tpl file without the underscore is rendered like a manifest; this one renders to whitespace only. */ -}}
{{ define "partials.fromNonPartial" }}from notes.tpl{{ end }}
