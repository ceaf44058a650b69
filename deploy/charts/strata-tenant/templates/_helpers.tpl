{{- define "strata-tenant.labels" -}}
app.kubernetes.io/part-of: strata
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{- define "strata-tenant.tenant" -}}
{{- required "tenant: the tenant's name is required" .Values.tenant -}}
{{- end -}}

{{/* The virtual node's Node name for one compute cluster entry. */}}
{{- define "strata-tenant.nodeName" -}}
{{- .cluster.nodeName | default (printf "strata-%s" .cluster.name) -}}
{{- end -}}
