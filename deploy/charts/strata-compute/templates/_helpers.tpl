{{- define "strata-compute.labels" -}}
app.kubernetes.io/part-of: strata
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{- define "strata-compute.prefix" -}}
{{- .namespacePrefix | default (printf "%s-" .name) -}}
{{- end -}}
