{{- define "shared.mutate" -}}
{{- $_ := set . "touched" "yes" -}}
{{- $_ := unset . "drop" -}}
{{- end -}}
{{- define "shared.values" -}}
{{- $_ := set .Values "fromhelper" "yes" -}}
{{- end -}}
