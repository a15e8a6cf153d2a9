package org.maas.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

/** How an LLMInferenceService is shown: the fields the store cannot easily produce (deletion, no addresses). */
class ModelReaderTest {

    private static final ObjectMapper YAML = new YAMLMapper();
    private final ModelReader reader = new ModelReader("maas-default-gateway", "openshift-ingress");

    private static JsonNode yaml(String text) throws Exception {
        return YAML.readTree(text);
    }

    private static final String READY = """
            metadata: {name: llama, namespace: llm, generation: 4, creationTimestamp: "2026-11-26T16:30:00Z"}
            spec: {router: {gateway: {refs: [{name: maas-default-gateway, namespace: openshift-ingress}]}}}
            status:
              observedGeneration: 4
              conditions: [{type: Ready, status: "True"}]
            """;

    @Test
    void aReadyModelWithoutAServedNameOrAddress() throws Exception {
        Model model = reader.model(yaml(READY), route -> null);
        assertEquals("llama", model.id(), "metadata.name when spec.model.name is unset");
        assertEquals("llm", model.namespace());
        assertEquals(java.time.Instant.parse("2026-11-26T16:30:00Z").getEpochSecond(), model.created());
        assertNull(model.url(), "no address published yet");
        assertTrue(model.ready());
    }

    @Test
    void beingDeletedAnOldGenerationOrNoReadyConditionIsNotReady() throws Exception {
        assertFalse(ModelReader.ready(yaml(READY.replace("generation: 4,",
                "generation: 4, deletionTimestamp: \"2026-11-27T00:00:00Z\","))));
        assertFalse(ModelReader.ready(yaml(READY.replace("observedGeneration: 4", "observedGeneration: 3"))));
        assertFalse(ModelReader.ready(yaml(READY.replace("observedGeneration: 4", "phase: x"))), "no observedGeneration");
        assertFalse(ModelReader.ready(yaml(READY.replace("status: \"True\"", "status: Unknown"))));
        assertFalse(ModelReader.ready(yaml(READY.replace("type: Ready", "type: RouterReady"))));
    }

    @Test
    void theUrlPrefersAnExternalAddressThenAddressThenUrl() throws Exception {
        assertEquals("https://maas.example.com/llm/llama", ModelReader.url(yaml("""
                addresses:
                  - {name: gateway-internal, url: "http://gw.openshift-ingress.svc.cluster.local/llm/llama"}
                  - {url: "http://llama.llm.svc"}
                  - {name: gateway-external, url: "https://maas.example.com/llm/llama"}
                address: {url: "http://address.llm.svc"}
                url: http://url.llm.svc
                """)));
        assertEquals("https://unnamed.example.com/x", ModelReader.url(yaml("""
                addresses: [{url: "http://x.llm.svc.cluster.local"}, {url: "https://unnamed.example.com/x"}]
                """)), "an unnamed address outside the cluster is external");
        assertEquals("http://address.llm.svc", ModelReader.url(yaml("""
                addresses: [{name: gateway-internal, url: "http://gw.svc/x"}]
                address: {url: "http://address.llm.svc"}
                url: http://url.llm.svc
                """)));
        assertEquals("http://url.llm.svc", ModelReader.url(yaml("url: http://url.llm.svc")));
    }

    @Test
    void aGatewayRefWithoutNamespaceMeansTheModelsOwn() throws Exception {
        JsonNode sameNamespace = yaml("""
                metadata: {name: m, namespace: openshift-ingress}
                spec: {router: {gateway: {refs: [{name: maas-default-gateway}]}}}
                """);
        JsonNode elsewhere = yaml("""
                metadata: {name: m, namespace: llm}
                spec: {router: {gateway: {refs: [{name: maas-default-gateway}]}}}
                """);
        assertTrue(reader.attached(sameNamespace, key -> null));
        assertFalse(reader.attached(elsewhere, key -> null));
        JsonNode otherKind = yaml("""
                metadata: {name: m, namespace: llm}
                spec: {router: {route: {http: {spec: {parentRefs: [{kind: Service, name: maas-default-gateway, namespace: openshift-ingress}]}}}}}
                """);
        assertFalse(reader.attached(otherKind, key -> null), "a parent that is no Gateway");
    }
}
