package org.maas.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which HTTPRoute serves a model: its counters' namespace in Limitador (GET /v1/usage). */
class ModelRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ModelReader reader = new ModelReader("maas-default-gateway", "openshift-ingress");

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void theRouteKServeManagesWhenNoneIsNamed() throws Exception {
        JsonNode service = json("""
                {"metadata": {"name": "llama", "namespace": "llm"},
                 "spec": {"router": {"gateway": {"refs": [{"name": "maas-default-gateway", "namespace": "openshift-ingress"}]},
                   "route": {}}}}""");
        assertEquals("llm/llama-kserve-route", reader.route(service, key -> null));
    }

    @Test
    void theNamedRouteOnTheGatewayFirst() throws Exception {
        JsonNode service = json("""
                {"metadata": {"name": "llama", "namespace": "llm"},
                 "spec": {"router": {"route": {"http": {"refs": [{"name": "elsewhere"}, {"name": "on-maas"}]}}}}}""");
        Map<String, JsonNode> routes = Map.of(
                "llm/elsewhere", json("{\"spec\": {\"parentRefs\": [{\"name\": \"other\", \"namespace\": \"x\"}]}}"),
                "llm/on-maas", json("{\"spec\": {\"parentRefs\": [{\"name\": \"maas-default-gateway\", \"namespace\": \"openshift-ingress\"}]}}"));
        assertEquals("llm/on-maas", reader.route(service, routes::get));
        assertEquals("llm/elsewhere", reader.route(service, key -> null), "none known: the first named");
    }

    @Test
    void aLongNameIsCutAndHashedLikeKmetaChildName() {
        String parent = "a".repeat(60);
        String name = ModelReader.childName(parent, "-kserve-route");
        assertEquals(63, name.length());
        assertTrue(name.startsWith("a".repeat(18)) && name.endsWith("-kserve-route"), name);
        assertEquals("short-kserve-route", ModelReader.childName("short", "-kserve-route"));
        assertEquals(63, ModelReader.childName("b".repeat(50), "-kserve-route").length(), "exactly 63 is kept");
        assertEquals("b".repeat(50) + "-kserve-route", ModelReader.childName("b".repeat(50), "-kserve-route"));
    }
}
