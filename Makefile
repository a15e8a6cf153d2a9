# maas-api. `make run` and `make test` are all a fresh machine needs; the README documents every target.
MVN ?= ./mvnw -B -ntp

.PHONY: run test build bench policies clean help

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

run: ## start the service on :8080 in dev mode, serving the default tiers (no cluster needed)
	$(MVN) quarkus:dev

test: ## run every test (unit, API, Kubernetes mock server, manifest validation)
	$(MVN) verify

build: ## build the runnable jar into target/quarkus-app (tests skipped)
	$(MVN) package -DskipTests

bench: build ## measure the tier lookup against baselines; writes bench-results/ (see docs/performance.md)
	bench/run.sh

policies: ## render policies/gateway-*rate-limits.yaml from the default tier file (commit the result)
	$(MVN) -q compile exec:java@render-policies

clean: ## remove build output
	$(MVN) clean
	rm -rf bench-results
