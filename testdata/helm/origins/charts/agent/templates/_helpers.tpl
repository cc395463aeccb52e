{{/* Prints a values subtree handed over in a dict, as library charts do. */}}
{{- define "agent.render" -}}
{{- if .context.Values.global.registry -}}
{{ toYaml .value }}
{{- end -}}
{{- end -}}
