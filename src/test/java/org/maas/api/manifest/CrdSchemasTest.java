package org.maas.api.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The validator rejects what the API server rejects; without this, a passing schema test proves little. */
class CrdSchemasTest {

    private static ObjectNode yaml(String text) {
        return ManifestFiles.documents(text, "test").get(0);
    }

    private static List<String> problems(String text) {
        return SchemaAssertions.schemas().validate(yaml(text));
    }

    private static final String MODEL = """
            apiVersion: serving.kserve.io/v1alpha1
            kind: LLMInferenceService
            metadata:
              name: demo
              namespace: llm
            spec:
              model:
                uri: hf://Qwen/Qwen3-0.6B
              %s
            """;

    @Test
    void aModelOptsInUnderRouterNotDirectlyUnderSpec() {
        assertEquals(List.of(), problems(MODEL.formatted("""
                router:
                    gateway:
                      refs:
                        - name: maas-default-gateway
                          namespace: openshift-ingress
                    route: {}""")));
        List<String> guideForm = problems(MODEL.formatted("""
                gateway:
                    refs:
                      - name: maas-default-gateway
                        namespace: openshift-ingress"""));
        assertFalse(guideForm.isEmpty(), "spec.gateway (as the setup guide shows it) is not in the CRD");
        assertTrue(guideForm.toString().contains("gateway"), guideForm.toString());
    }

    private static final String LIMITS = """
            apiVersion: kuadrant.io/v1
            kind: RateLimitPolicy
            metadata:
              name: limits
              namespace: openshift-ingress
            spec:
              targetRef:
                group: gateway.networking.k8s.io
                kind: Gateway
                name: maas-default-gateway
              limits:
                free:
                  rates:
                    - limit: %s
                      window: %s
            """;

    @Test
    void rateWindowsAndLimitsAreChecked() {
        assertEquals(List.of(), problems(LIMITS.formatted("5", "2m")));
        assertFalse(problems(LIMITS.formatted("5", "2 minutes")).isEmpty(), "window pattern");
        assertFalse(problems(LIMITS.formatted("\"five\"", "2m")).isEmpty(), "limit is an integer");
    }

    @Test
    void unknownFieldsAndEnumsAreRejected() {
        String policy = """
                apiVersion: kuadrant.io/v1
                kind: AuthPolicy
                metadata:
                  name: p
                  namespace: openshift-ingress
                spec:
                  targetRef:
                    group: gateway.networking.k8s.io
                    kind: Gateway
                    name: maas-default-gateway
                  rules:
                    metadata:
                      tier:
                        http:
                          url: http://maas-api.maas-api.svc.cluster.local/v1/tiers/lookup
                          method: POST
                          contentType: %s
                """;
        assertEquals(List.of(), problems(policy.formatted("application/json")));
        assertFalse(problems(policy.formatted("text/plain")).isEmpty(), "contentType enum");
        assertFalse(problems(policy.formatted("application/json\n          timeout: 1s")).isEmpty(),
                "no timeout field in v0.26 AuthPolicy");
    }

    @Test
    void servedVersionsScopeAndNamesAreChecked() {
        assertFalse(problems("""
                apiVersion: kuadrant.io/v1beta1
                kind: AuthPolicy
                metadata: {name: p, namespace: n}
                spec: {}
                """).isEmpty(), "kuadrant.io/v1beta1 is not served");
        assertFalse(problems("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: GatewayClass
                metadata: {name: c, namespace: n}
                spec: {controllerName: example.com/x}
                """).isEmpty(), "GatewayClass is cluster-scoped");
        assertFalse(problems("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: Not_A_Name, namespace: n}
                """).isEmpty(), "core kinds: name sanity");
        assertFalse(problems("""
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: w, namespace: n}
                """).isEmpty(), "unknown API");
    }

    @Test
    void celValidationRulesOfTheCrdsAreEvaluated() {
        assertTrue(problems(LIMITS.formatted("5", "2m").replace("  limits:", "  defaults:\n    limits:\n      x:\n        rates: [{limit: 1, window: 1m}]\n  limits:"))
                .toString().contains("mutually exclusive"), "RateLimitPolicy: limits and defaults together");
        assertTrue(problems(LIMITS.formatted("5", "2m").replace("group: gateway.networking.k8s.io", "group: example.com"))
                .toString().contains("targetRef.group"), "Kuadrant policies target Gateway API objects");
        String route = """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: r, namespace: n}
                spec:
                  rules:
                    - matches: [{path: {type: %s, value: /maas-api/v1}}]
                      filters:
                        - type: URLRewrite
                          urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /v1}}
                      backendRefs: [{name: maas-api, port: 80}]
                """;
        assertEquals(List.of(), problems(route.formatted("PathPrefix")));
        assertFalse(problems(route.formatted("Exact")).isEmpty(), "ReplacePrefixMatch needs a PathPrefix match");
    }

    @Test
    void nullableAndIntOrStringBecomeJsonSchema() {
        JsonNode converted = OpenApiToJsonSchema.convert(yaml("""
                type: object
                properties:
                  a: {type: string, nullable: true}
                  q: {x-kubernetes-int-or-string: true}
                  open: {type: object, x-kubernetes-preserve-unknown-fields: true, properties: {x: {type: string}}}
                """));
        assertEquals("[\"string\",\"null\"]", converted.at("/properties/a/type").toString());
        assertEquals(2, converted.at("/properties/q/anyOf").size());
        assertFalse(converted.at("/properties/open").has("additionalProperties"));
        assertEquals(false, converted.path("additionalProperties").asBoolean(true));
    }
}
