{{- define "origins.capabilities" -}}
{{ toYaml .Values.capabilities }}
{{- end }}
