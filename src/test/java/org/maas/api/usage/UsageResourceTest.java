package org.maas.api.usage;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.model.ModelFixtures;
import org.maas.api.model.ModelsBoot;
import org.maas.api.testing.ApiFaultsResource;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.ControlPlane.Pool;
import org.maas.api.testing.Identities;

/**
 * GET /v1/usage on the real control plane (users, models and RBAC as in the models tests, see
 * {@link ModelsBoot}) and a Limitador fake serving counters per model route. Each test has its own namespace
 * and users, so the models other tests grant do not change what it looks at: premium (exact answer), free (no
 * counters, a failing route), enterprise (Limitador not answering).
 */
@QuarkusTest
@TestProfile(ModelsBoot.Profile.class)
@WithTestResource(value = ApiFaultsResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = ModelsBoot.NAMESPACE),
        @ResourceArg(name = "gateway", value = ModelsBoot.GATEWAY),
        @ResourceArg(name = "overlays", value = "model-access")})
@WithTestResource(LimitadorFake.class)
class UsageResourceTest {

    static final ControlPlane PLANE = ControlPlane.shared();
    static final MaasIdentity IDENTITY = Identities.forGateway(ModelsBoot.GATEWAY);
    static final Duration INFORMERS = Duration.ofSeconds(60);
    static final Set<String> PREMIUM_MODELS = Set.of("meta-llama/Llama-3.1-8B-Instruct", "ibm/granite", "x/ungranted");
    static final Set<String> PARTIAL_MODELS = Set.of("org/works", "org/broken");
    /** 2^64 - 250: Limitador's unsigned remaining after a token limit was overshot by 250. */
    static final String WRAPPED = "18446744073709551366";

    @jakarta.inject.Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    final ModelFixtures fixtures = new ModelFixtures(PLANE.admin(), "v1alpha2", ModelsBoot.GATEWAY);

    @Test
    void aPremiumUserSeesExactlyTheirCountersForTheModelsTheyMayUse() {
        String ns = "usage-premium";
        fixtures.onGateway(ns, "llama", "meta-llama/Llama-3.1-8B-Instruct");
        fixtures.onGateway(ns, "granite", "ibm/granite");
        fixtures.onGateway(ns, "ungranted", "x/ungranted");
        fixtures.grant(ns, "llama", IDENTITY.tierGroup("premium"));
        fixtures.grant(ns, "granite", IDENTITY.tierGroup("premium"));
        ControlPlane.User patUser = PLANE.user(Pool.PREMIUM);
        String pat = patUser.token();
        String patId = IDENTITY.serviceAccountName(patUser.name());
        String bobId = IDENTITY.serviceAccountName("bob");
        LimitadorFake.counters(ns + "/llama-kserve-route",
                new LimitadorFake.Counter("premium-requests-2m", 20, 120, patId, "17", 71),
                new LimitadorFake.Counter("premium-tokens-1m", 50000, 60, patId, WRAPPED, 12),
                new LimitadorFake.Counter("premium-requests-2m", 20, 120, bobId, "1", 30),
                new LimitadorFake.Counter("free-tokens-1m", 100, 60, patId, "3", 40)); // a tier pat left
        LimitadorFake.counters(ns + "/granite-kserve-route",
                new LimitadorFake.Counter("premium-tokens-1m", 50000, 60, bobId, "0", 5));
        LimitadorFake.counters(ns + "/ungranted-kserve-route",
                new LimitadorFake.Counter("premium-requests-2m", 20, 120, patId, "0", 5));

        await().atMost(INFORMERS).until(() -> entries(usage(pat), PREMIUM_MODELS).size() == 4);
        JsonPath answer = usage(pat);
        assertEquals("premium", answer.getString("tier"));
        assertNull(answer.get("partial"));
        Map<String, Map<String, Object>> byKey = entries(answer, PREMIUM_MODELS);
        assertEquals(Set.of("meta-llama/Llama-3.1-8B-Instruct premium-requests-2m", "meta-llama/Llama-3.1-8B-Instruct premium-tokens-1m",
                "ibm/granite premium-requests-2m", "ibm/granite premium-tokens-1m"), byKey.keySet());

        Map<String, Object> requests = byKey.get("meta-llama/Llama-3.1-8B-Instruct premium-requests-2m");
        assertEquals(List.of("requests", "2m", 20, 3, 17), List.of(requests.get("kind"), requests.get("window"),
                requests.get("max"), requests.get("used"), requests.get("remaining")));
        int resets = (Integer) requests.get("resetsInSeconds");
        assertTrue(resets >= 0 && resets <= 71, "resets within the counter's expiry: " + resets);

        Map<String, Object> tokens = byKey.get("meta-llama/Llama-3.1-8B-Instruct premium-tokens-1m");
        assertEquals(List.of("tokens", "1m", 50000, 50250, 0), List.of(tokens.get("kind"), tokens.get("window"),
                tokens.get("max"), tokens.get("used"), tokens.get("remaining")), "overshot, not wrapped");

        for (String limit : List.of("premium-requests-2m", "premium-tokens-1m")) {
            Map<String, Object> untouched = byKey.get("ibm/granite " + limit);
            assertEquals(0, untouched.get("used"), "bob's counters are not pat's");
            assertEquals(untouched.get("max"), untouched.get("remaining"));
            assertTrue(untouched.containsKey("resetsInSeconds"));
            assertNull(untouched.get("resetsInSeconds"));
        }
        assertTrue(LimitadorFake.REQUESTS.contains("/counters/" + ns + "%2Fllama-kserve-route"),
                "the namespace's '/' is percent-encoded: " + LimitadorFake.REQUESTS);

        // pat's MaaS token is counted as the same userid (its ServiceAccount), so it sees the same numbers
        String maasToken = given().auth().oauth2(pat).post("/v1/tokens").then().statusCode(201).extract().path("token");
        Map<String, Map<String, Object>> withToken = entries(usage(maasToken), PREMIUM_MODELS);
        assertEquals(allWithoutResets(byKey), allWithoutResets(withToken));
        // for a look at the whole answer in the test log
        System.out.println("GET /v1/usage answered: " + given().auth().oauth2(pat).get("/v1/usage").asString());
    }

    @Test
    void aUserWithNoCountersSeesFullQuotas() {
        String ns = "usage-fresh";
        fixtures.onGateway(ns, "fresh", "org/fresh");
        fixtures.grant(ns, "fresh", IDENTITY.tierGroup("free"));
        String fred = PLANE.user(Pool.FREE).token();

        await().atMost(INFORMERS).until(() -> entries(usage(fred), Set.of("org/fresh")).size() == 2);
        Map<String, Map<String, Object>> byKey = entries(usage(fred), Set.of("org/fresh"));
        assertEquals(Map.of("model", "org/fresh", "limit", "free-requests-2m", "kind", "requests", "window", "2m",
                "max", 5, "used", 0, "remaining", 5), withoutResets(byKey.get("org/fresh free-requests-2m")));
        assertEquals(Map.of("model", "org/fresh", "limit", "free-tokens-1m", "kind", "tokens", "window", "1m",
                "max", 100, "used", 0, "remaining", 100), withoutResets(byKey.get("org/fresh free-tokens-1m")));
    }

    @Test
    void aRouteLimitadorFailsForIsLeftOutAndTheAnswerIsPartial() {
        String ns = "usage-partial";
        fixtures.onGateway(ns, "works", "org/works");
        fixtures.onGateway(ns, "broken", "org/broken");
        fixtures.grant(ns, "works", IDENTITY.tierGroup("free"));
        fixtures.grant(ns, "broken", IDENTITY.tierGroup("free"));
        LimitadorFake.failing(ns + "/broken-kserve-route");
        ControlPlane.User fayUser = PLANE.user(Pool.FREE);
        String fay = fayUser.token();
        LimitadorFake.counters(ns + "/works-kserve-route",
                new LimitadorFake.Counter("free-requests-2m", 5, 120, IDENTITY.serviceAccountName(fayUser.name()), "4", 100));

        // both models in the cache: the broken one makes the answer partial
        await().atMost(INFORMERS).until(() -> Boolean.TRUE.equals(usage(fay).get("partial")));
        JsonPath answer = usage(fay);
        assertEquals(true, answer.get("partial"));
        Map<String, Map<String, Object>> byKey = entries(answer, PARTIAL_MODELS);
        assertEquals(Set.of("org/works free-requests-2m", "org/works free-tokens-1m"), byKey.keySet());
        assertEquals(1, byKey.get("org/works free-requests-2m").get("used"));
    }

    @Test
    void limitadorNotAnsweringGives503WithRetryAfterWithinTheTimeout() {
        String ns = "usage-down";
        fixtures.onGateway(ns, "slow", "org/slow");
        fixtures.grant(ns, "slow", IDENTITY.tierGroup("enterprise"));
        LimitadorFake.slow(ns + "/slow-kserve-route", 60_000);
        String erin = PLANE.user(Pool.ENTERPRISE).token();

        // until the model shows, the answer is an empty 200; then Limitador's silence gives 503
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> await().atMost(INFORMERS).until(() ->
                given().auth().oauth2(erin).get("/v1/usage").statusCode() == 503));
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> given().auth().oauth2(erin).get("/v1/usage").then()
                .statusCode(503).header("Retry-After", "5")
                .body("error", equalTo("unavailable"), "message", notNullValue()));
    }

    @Test
    void noTokenIs401InTheJsonShape() {
        given().get("/v1/usage").then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .body("error", equalTo("unauthorized"));
    }

    @Test
    void theOpenApiDocumentDescribesGetUsage() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/v1/usage'.get.operationId", equalTo("getUsage"))
                .body("paths.'/v1/usage'.get.responses.'200'.content.'application/json'.examples", notNullValue())
                .body("paths.'/v1/usage'.get.responses.'401'.$ref", equalTo("#/components/responses/Unauthorized"))
                .body("paths.'/v1/usage'.get.responses.'403'.content.'application/json'.examples", notNullValue())
                .body("paths.'/v1/usage'.get.responses.'503'.$ref", equalTo("#/components/responses/Unavailable"))
                .body("components.schemas.UsageEntry.required", org.hamcrest.Matchers.hasItems("model", "limit", "kind",
                        "window", "max", "used", "remaining", "resetsInSeconds"));
    }

    @Test
    void answersAreCountedByOutcomeAndLimitadorReadsTimed() {
        double before = registry.counter("maas_usage_requests", "outcome", "unauthorized").count();
        given().auth().oauth2("not-a-token").get("/v1/usage").then().statusCode(401);
        assertEquals(before + 1, registry.counter("maas_usage_requests", "outcome", "unauthorized").count());

        String ns = "usage-metrics";
        // Limitador's answers are cached per route: the new route is read (and timed) once it shows
        long reads = registry.timer("maas_limitador_request_duration", "outcome", "ok").count();
        fixtures.onGateway(ns, "timed", "org/timed");
        // premium: no route Limitador fails for is granted to premium in this application (free's "broken" is)
        fixtures.grant(ns, "timed", IDENTITY.tierGroup("premium"));
        String tim = PLANE.user(Pool.PREMIUM).token();
        await().atMost(INFORMERS).until(() -> entries(usage(tim), Set.of("org/timed")).size() == 2);

        assertTrue(registry.timer("maas_limitador_request_duration", "outcome", "ok").count() > reads,
                "Limitador's answer for the new route was timed");

        double ok = count("maas_usage_requests", "outcome", "ok");
        usage(tim);
        assertEquals(ok + 1, count("maas_usage_requests", "outcome", "ok"), "one more answer, counted ok");
    }

    private double count(String name, String tag, String value) {
        io.micrometer.core.instrument.Counter counter = registry.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    private static JsonPath usage(String token) {
        return given().auth().oauth2(token).get("/v1/usage").then().statusCode(200)
                .header("Cache-Control", "no-store").extract().jsonPath();
    }

    /** Entries of these models, by "model limit" (the models of other tests have other ids). */
    private static Map<String, Map<String, Object>> entries(JsonPath answer, Set<String> models) {
        List<Map<String, Object>> usage = answer.getList("usage");
        return usage.stream().filter(e -> models.contains((String) e.get("model")))
                .collect(Collectors.toMap(e -> e.get("model") + " " + e.get("limit"), e -> e));
    }

    private static Map<String, Map<String, Object>> allWithoutResets(Map<String, Map<String, Object>> entries) {
        return entries.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().entrySet().stream()
                .filter(f -> !f.getKey().equals("resetsInSeconds")).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))));
    }

    private static Map<String, Object> withoutResets(Map<String, Object> entry) {
        assertTrue(entry.containsKey("resetsInSeconds"));
        assertNull(entry.get("resetsInSeconds"));
        return entry.entrySet().stream().filter(e -> !e.getKey().equals("resetsInSeconds"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
