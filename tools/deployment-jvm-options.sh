#!/usr/bin/env bash
# The JVM options the Deployment gives maas-api, printed on one line: the two lines of application.properties that
# quarkus-kubernetes turns into GC_CONTAINER_OPTIONS and JAVA_OPTS_APPEND are the single source. `make demo` and
# the benchmarks start the jar with them, so what they run is what a pod runs.
set -euo pipefail
cd "$(dirname "$0")/.."
properties=src/main/resources/application.properties
gc=$(sed -n 's/^quarkus\.kubernetes\.env\.vars\.gc-container-options=//p' "$properties")
append=$(sed -n 's/^quarkus\.kubernetes\.env\.vars\.java-opts-append=//p' "$properties")
if [ -z "$gc" ] || [ -z "$append" ]; then
  echo "quarkus.kubernetes.env.vars.gc-container-options / java-opts-append not found in $properties" >&2
  exit 1
fi
printf '%s %s\n' "$gc" "$append"
