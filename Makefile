# maas-api. `make run` and `make test` are all a fresh machine needs; the README documents every target.
MVN ?= ./mvnw -B -ntp
KUBECTL ?= kubectl
# `make manifests IMAGE=registry/org/maas-api:tag` sets the image the Deployment runs.
IMAGE ?=
# policies/ for OpenShift's gateway controller, overlays/istio for Istio's.
POLICIES ?= policies
MANIFESTS := target/manifests
# The OpenAPI document the build stores, and the linters pinned in tools/openapi-lint/package-lock.json.
OPENAPI := target/openapi/openapi.yaml
JAR := target/quarkus-app/quarkus-run.jar
LINT := tools/openapi-lint

.PHONY: run demo doctor test lint-openapi build bench bench-lookup bench-mint bench-models bench-memory bench-faults bench-flood policies manifests deploy clean help

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

# PORT= for another port than 8080 (tools/check-make-run.sh, which `make test` runs, picks a free one).
run: ## start the service on :8080 in dev mode, serving the default tiers (no cluster needed)
	$(MVN) quarkus:dev -Dquarkus.analytics.disabled=true $(if $(PORT),-Dquarkus.http.port=$(PORT) -Ddebug=false)

demo: $(JAR) ## try the whole journey locally: maas-api on :8080 against a real local control plane (Ctrl-C stops)
	demo/run.sh

# MAAS: maas-api's base URL (through the gateway: https://<gateway host>/maas-api); TOKEN: an admin's own cluster token.
MAAS ?= http://127.0.0.1:8080
doctor: ## print the doctor's table of a running maas-api (MAAS=https://<gateway host>/maas-api TOKEN=<an admin's cluster token>)
	@test -n "$(TOKEN)" || { echo "set TOKEN to an admin's cluster token: make doctor TOKEN=\$$(oc whoami -t) MAAS=..." >&2; exit 1; }
	@curl -fsS -H "Authorization: Bearer $(TOKEN)" -H 'Accept: text/plain' "$(MAAS)/v1/admin/doctor"

# One real control plane (tools/control-plane) for the whole Maven run, stopped at the end whatever the outcome.
test: ## run every test against a real control plane (built once from Go modules), `make run` and the demo journey headless, then lint-openapi
	tools/control-plane/control-plane.sh run target/control-plane $(MVN) verify
	tools/check-make-run.sh
	demo/run.sh --check
	$(MAKE) lint-openapi

lint-openapi: $(LINT)/node_modules/.installed ## lint the OpenAPI document of the last build: Spectral (spectral:oas) and Redocly (recommended)
	@test -f $(OPENAPI) || { echo "$(OPENAPI) is missing: run make build (or make test) first" >&2; exit 1; }
	$(LINT)/node_modules/.bin/spectral lint --ruleset $(LINT)/.spectral.yaml --fail-severity error $(OPENAPI)
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
	  $(LINT)/node_modules/.bin/redocly lint --config $(LINT)/redocly.yaml $(OPENAPI)

# npm ci installs exactly the locked versions into $(LINT)/node_modules, nothing global.
$(LINT)/node_modules/.installed: $(LINT)/package.json $(LINT)/package-lock.json
	cd $(LINT) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

build: ## build the runnable jar into target/quarkus-app (tests skipped)
	$(MVN) package -DskipTests

# The jar, rebuilt only when a source or the pom is newer (make demo reuses an up-to-date one).
$(JAR): pom.xml $(shell find src -type f)
	$(MVN) package -DskipTests

# The lookup's constant baseline (src/bench/java) is only in the bench build, target/bench-build (pom.xml's
# bench profile); the other benchmarks run the production jar.
bench: build ## measure the tier lookup against baselines, then token mints and the model list; writes bench-results/ (see docs/performance.md)
	$(MVN) -Pbench package -Dmaven.test.skip=true
	bench/run.sh

bench-lookup: ## only the tier lookup against its baselines (the bench build, then bench/run.sh without the other parts); writes bench-results/
	$(MVN) -Pbench package -Dmaven.test.skip=true
	BENCH_MINT=0 BENCH_MODELS=0 BENCH_MEMORY=0 BENCH_FLOOD=0 bench/run.sh

bench-mint: build ## measure only token mints against a real kube-apiserver (tools/control-plane), with a direct TokenRequest as baseline; writes bench-results/mint/
	bench/mint.sh

bench-memory: build ## measure only the RSS of the jar (deployment's options) under a stress profile against a real kube-apiserver; fails when the peak passes the Deployment's memory request; writes bench-results/memory/
	bench/memory.sh

bench-models: build ## measure only GET /v1/models (1,000 models, 100 visible) against a real control plane; writes bench-results/models/
	bench/models.sh

bench-flood: build ## legitimate mints during a 15 s flood of junk bearer tokens against a real kube-apiserver: mint success, TokenReviews/s, the flooder's 503/429; writes bench-results/flood/
	bench/flood.sh

bench-faults: build ## time the answers of the jar while the Kubernetes API fails (refused, silent, 5xx, 429, restart)
	bench/faults.sh

policies: ## render policies/gateway-*rate-limits.yaml and the tier ConfigMap from the default tier file (commit the result)
	$(MVN) -q test-compile exec:java@render-policies

manifests: ## build every manifest into target/manifests/: maas-api.yaml (quarkus-kubernetes) and policies.yaml (kustomize)
	$(MVN) package -DskipTests $(if $(IMAGE),-Dquarkus.container-image.image=$(IMAGE))
	mkdir -p $(MANIFESTS)
	cp target/kubernetes/kubernetes.yml $(MANIFESTS)/maas-api.yaml
	$(KUBECTL) kustomize $(POLICIES) > $(MANIFESTS)/policies.yaml

deploy: manifests ## apply target/manifests/ to the current kubectl context; needs IMAGE= (docs/deployment.md)
	@if grep -q 'image: registry.invalid/' $(MANIFESTS)/maas-api.yaml; then \
	  echo "set the image: make deploy IMAGE=registry/org/maas-api:tag" >&2; exit 1; fi
	$(KUBECTL) apply -f $(MANIFESTS)/maas-api.yaml
	$(KUBECTL) apply -f $(MANIFESTS)/policies.yaml

clean: ## remove build output (the linters in tools/openapi-lint/node_modules stay)
	$(MVN) clean
	rm -rf bench-results
