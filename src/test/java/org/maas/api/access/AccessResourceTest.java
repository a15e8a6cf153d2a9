package org.maas.api.access;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.maas.api.model.ModelFixtures;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.ControlPlane.Pool;
import org.maas.api.testing.ControlPlaneResource;
import org.maas.api.usage.LimitadorFake;

/**
 * GET /v1/access on the real control plane: maas-api as its own ServiceAccount with the shipped RBAC, users
 * reviewed by the real TokenReview, every model decision made by the real RBAC authorizer, whose reason is
 * quoted. The class serves a tier config of its own, so that a user can be in no tier and a group can sit in
 * two tiers: free is for free-users only (the FREE pool's users have no group but system:authenticated),
 * enterprise-users are in premium and enterprise. Three models on the class's gateway: granite (annotated
 * premium, bound by hand to premium's group), llama (annotated premium and enterprise, bound to nobody: model
 * access management is off) and vault (no annotation, bound by hand to enterprise's group only).
 */
@QuarkusTest
@WithTestResource(LimitadorFake.class)
@WithTestResource(value = ControlPlaneResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = AccessResourceTest.NAMESPACE),
        @ResourceArg(name = "gateway", value = AccessResourceTest.GATEWAY)})
class AccessResourceTest {

    static final String NAMESPACE = "maas-api-access";
    static final String GATEWAY = "access-gw";
    private static final String MODELS = "access-models";
    private static final String TIER_PREFIX = GATEWAY + "-tier-";
    private static final ControlPlane PLANE = ControlPlane.shared();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final String TIERS = """
            - name: free
              level: 0
              groups: [free-users]
              limits: {requests: [{limit: 5, window: 2m}], tokens: [{limit: 100, window: 1m}]}
            - name: premium
              level: 1
              groups: [premium-users, enterprise-users]
              limits: {requests: [{limit: 20, window: 2m}], tokens: [{limit: 50000, window: 1m}]}
            - name: enterprise
              level: 2
              groups: [enterprise-users]
              limits: {requests: [{limit: 50, window: 2m}]}
            """;
    private static boolean seeded;

    @BeforeEach
    void seeded() {
        synchronized (AccessResourceTest.class) {
            if (seeded) {
                return;
            }
            var admin = PLANE.admin();
            admin.configMaps().inNamespace(NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("tier-to-group-mapping").withNamespace(NAMESPACE).endMetadata()
                    .addToData("tiers", TIERS).build()).forceConflicts().serverSideApply();
            admin.resource(new NamespaceBuilder().withNewMetadata().withName(MODELS).endMetadata().build())
                    .serverSideApply();
            ModelFixtures fixtures = new ModelFixtures(admin.adapt(NamespacedKubernetesClient.class), "v1alpha2");
            model(fixtures, "granite", "[\"premium\"]");
            model(fixtures, "llama", "[\"premium\", \"enterprise\"]");
            model(fixtures, "vault", null);
            fixtures.grant(MODELS, "granite", group("premium"));
            fixtures.grant(MODELS, "vault", group("enterprise"));
            seeded = true;
            await("the class's tier config is served: system:authenticated alone is in no tier").atMost(WITHIN)
                    .until(() -> given().contentType(ContentType.JSON).body("{\"groups\":[\"system:authenticated\"]}")
                            .post("/v1/tiers/lookup").statusCode() == 404);
        }
    }

    /** A ready model on the class's gateway; its tier annotation added as an admin would (no new generation). */
    private static void model(ModelFixtures fixtures, String name, String tiers) {
        fixtures.withRouter(MODELS, name, """
                gateway:
                  refs:
                    - name: %s
                      namespace: openshift-ingress
                """.formatted(GATEWAY), true);
        if (tiers != null) {
            PLANE.admin().genericKubernetesResources("serving.kserve.io/v1alpha2", "LLMInferenceService")
                    .inNamespace(MODELS).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                            "{\"metadata\":{\"annotations\":{\"alpha.maas.opendatahub.io/tiers\":"
                                    + JSON.valueToTree(tiers) + "}}}");
        }
    }

    private static String group(String tier) {
        return "system:serviceaccounts:" + TIER_PREFIX + tier;
    }

    @Test
    void aUserAllowedThroughAGroupRoleBindingSeesThatBindingNamed() {
        ControlPlane.User pat = PLANE.user(Pool.PREMIUM);
        JsonNode granite = awaitModel(pat.token(), "granite", m -> m.path("allowed").asBoolean());

        assertEquals("RBAC: allowed by RoleBinding \"granite-post/" + MODELS + "\" of Role \"granite-post\" to Group \""
                + group("premium") + "\"", granite.path("reason").asText(), "the real API server's own words");
        assertEquals("granite", granite.path("id").asText());
        assertEquals(List.of("premium"), texts(granite.path("annotationTiers")));
        JsonNode answer = access(pat.token());
        assertEquals("cluster-token", answer.path("caller").path("credential").asText());
        assertEquals(pat.name(), answer.path("caller").path("username").asText());
        assertEquals(List.of("premium-users", "system:authenticated"), texts(answer.path("caller").path("groups")));
        assertFalse(answer.path("gateway").path("acceptsThisCredential").asBoolean(), "a cluster token gets 401 there");
        assertTrue(answer.path("gateway").path("username").asText().startsWith("system:serviceaccount:" + TIER_PREFIX
                + "premium:"), answer.path("gateway").toString());
        assertEquals(List.of("system:serviceaccounts", group("premium"), "system:authenticated"),
                texts(answer.path("gateway").path("groups")));
        JsonNode tier = answer.path("tier");
        assertEquals(List.of("matched", "premium", "1"), List.of(tier.path("outcome").asText(),
                tier.path("name").asText(), tier.path("level").asText()));
        assertEquals(List.of("premium-users"), texts(tier.path("matchedGroups")));
        assertTrue(tier.path("why").asText().contains("premium-users"), tier.toString());
    }

    @Test
    void aGroupInTwoTiersSaysWhichLevelWon() {
        ControlPlane.User erin = PLANE.user(Pool.ENTERPRISE);
        JsonNode tier = access(erin.token()).path("tier");
        assertEquals("enterprise", tier.path("name").asText());
        assertEquals(List.of("enterprise-users"), texts(tier.path("matchedGroups")));
        assertEquals(1, tier.path("alsoMatched").size(), tier.toString());
        assertEquals(List.of("premium", "1", "[\"enterprise-users\"]"), List.of(
                tier.path("alsoMatched").get(0).path("name").asText(), tier.path("alsoMatched").get(0).path("level").asText(),
                tier.path("alsoMatched").get(0).path("groups").toString()));
        assertTrue(tier.path("why").asText().contains("the highest level wins"), tier.toString());
    }

    @Test
    void aUserInNoTierSeesWhyAndNoModelName() {
        ControlPlane.User nobody = PLANE.user(Pool.FREE);
        JsonNode answer = access(nobody.token());
        JsonNode tier = answer.path("tier");
        assertEquals("not_found", tier.path("outcome").asText());
        assertTrue(tier.path("name").isNull(), tier.toString());
        // the groups as the real TokenReview gives them (a static user without groups has one empty group name)
        List<String> groups = PLANE.admin().authentication().v1().tokenReviews().create(new TokenReviewBuilder()
                .withNewSpec().withToken(nobody.token()).endSpec().build()).getStatus().getUser().getGroups();
        assertTrue(groups.contains("system:authenticated"), groups::toString);
        assertEquals(groups, texts(answer.path("caller").path("groups")));
        assertTrue(tier.path("why").asText().startsWith("none of your groups " + groups + " is in a tier,"
                + " and no default tier is set"), tier.toString());
        assertEquals(0, answer.path("models").size());
        assertEquals(3, answer.path("hiddenModels").asInt(), "every model on the gateway, counted, none named");
        assertEquals(0, answer.path("limits").path("limits").size());
        assertTrue(answer.path("gateway").path("username").isNull(), "no tier: no MaaS identity to be");
        for (String name : List.of("granite", "llama", "vault")) {
            assertFalse(answer.toString().contains(name), name);
        }
        // what every other endpoint answers this user, for comparison
        given().auth().oauth2(nobody.token()).get("/v1/models").then().statusCode(403);
    }

    @Test
    void aDeniedModelOfTheCallersTierSaysWhichTiersMayCallItAndOthersStayHidden() {
        ControlPlane.User pat = PLANE.user(Pool.PREMIUM);
        JsonNode llama = awaitModel(pat.token(), "llama", m -> true);
        assertFalse(llama.path("allowed").asBoolean(true), llama.toString());
        assertEquals("", llama.path("reason").asText(), "the RBAC authorizer gives no reason for a denial");
        assertEquals(List.of("enterprise", "premium"), texts(llama.path("annotationTiers")));
        assertTrue(llama.path("why").asText().contains("maas.models.manage-access=false"), llama.toString());
        assertTrue(llama.path("why").asText().contains(group("premium")), "names the group to bind");

        JsonNode answer = access(pat.token());
        assertEquals(List.of("granite", "llama"), names(answer), "vault: not callable, not offered to premium");
        assertEquals(1, answer.path("hiddenModels").asInt());
        assertFalse(answer.toString().contains("vault"));

        ControlPlane.User erin = PLANE.user(Pool.ENTERPRISE); // the binding of vault's own makes it callable
        JsonNode vault = awaitModel(erin.token(), "vault", m -> m.path("allowed").asBoolean());
        assertTrue(vault.path("annotationTiers").isNull());
        assertTrue(vault.path("reason").asText().startsWith("RBAC: allowed by RoleBinding \"vault-post/" + MODELS),
                vault.toString());
        assertEquals(List.of("llama", "vault"), names(access(erin.token())), "granite is premium's only");
    }

    @Test
    void aMaasTokenAndAnApiKeyShowTheirOwnerAndExpiry() {
        ControlPlane.User pat = PLANE.user(Pool.PREMIUM);
        ExtractableResponse<Response> minted = given().auth().oauth2(pat.token()).contentType(ContentType.JSON)
                .body("{\"expiration\":\"1h\"}").post("/v1/tokens").then().statusCode(201).extract();
        String token = minted.path("token");
        JsonNode caller = access(token).path("caller");
        assertEquals("maas-token", caller.path("credential").asText());
        assertEquals(pat.name(), caller.path("owner").asText());
        assertEquals(reviewedUsername(token), caller.path("username").asText(), "the gateway's TokenReview");
        assertEquals(Instant.ofEpochSecond(((Number) minted.path("expiresAt")).longValue()).toString(),
                caller.path("expiresAt").asText());
        JsonNode answer = access(token);
        assertTrue(answer.path("gateway").path("acceptsThisCredential").asBoolean());
        assertEquals(reviewedUsername(token), answer.path("gateway").path("username").asText());
        assertTrue(answer.path("tier").path("why").asText().contains(TIER_PREFIX + "premium"), answer.path("tier")
                .toString());

        ExtractableResponse<Response> key = given().auth().oauth2(pat.token()).contentType(ContentType.JSON)
                .body("{\"name\":\"laptop\"}").post("/v1/api-keys").then().statusCode(201).extract();
        JsonNode viaKey = access(key.path("key")).path("caller");
        assertEquals(List.of("api-key", pat.name(), "laptop", key.path("id").toString()), List.of(
                viaKey.path("credential").asText(), viaKey.path("owner").asText(), viaKey.path("keyName").asText(),
                viaKey.path("keyId").asText()));
        assertEquals(Instant.ofEpochSecond(((Number) key.path("expiresAt")).longValue()).toString(),
                viaKey.path("expiresAt").asText());
    }

    @Test
    void anotherUsersDataNeverAppears() {
        ControlPlane.User pat = PLANE.user(Pool.PREMIUM);
        ControlPlane.User bob = PLANE.user(Pool.PREMIUM);
        String bobsKey = given().auth().oauth2(bob.token()).contentType(ContentType.JSON)
                .body("{\"name\":\"bobs-private-key\"}").post("/v1/api-keys").then().statusCode(201).extract().path("key");
        String patId = userid(mint(pat));
        String bobId = userid(bobsKey);
        LimitadorFake.counters(MODELS + "/granite-kserve-route",
                new LimitadorFake.Counter("premium-requests-2m", 20, 120, patId, "17", 71),
                new LimitadorFake.Counter("premium-requests-2m", 20, 120, bobId, "2", 30),
                new LimitadorFake.Counter("premium-tokens-1m", 50000, 60, bobId, "10", 30));
        awaitModel(pat.token(), "granite", m -> m.path("allowed").asBoolean());

        JsonNode answer = access(pat.token());
        String body = answer.toString();
        for (String other : List.of(bob.name(), bobId, "bobs-private-key")) {
            assertFalse(body.contains(other), other + " in " + body);
        }
        List<String> used = new ArrayList<>();
        answer.path("limits").path("usage").forEach(e -> used.add(e.path("limit").asText() + "=" + e.path("used").asLong()
                + "/" + e.path("remaining").asLong()));
        assertEquals(List.of("premium-requests-2m=3/17", "premium-tokens-1m=0/50000"), used,
                "pat's counter on granite, never bob's");
        assertNull(answer.path("limits").path("usageProblem").textValue());
        JsonNode limits = answer.path("limits").path("limits");
        assertEquals(List.of("premium-requests-2m", "premium-tokens-1m"), List.of(limits.get(0).path("name").asText(),
                limits.get(1).path("name").asText()));
        assertTrue(limits.get(0).path("atLimit").asText().startsWith("429"), limits.toString());
    }

    @Test
    void theGatewaysCachesAreTheShippedAuthPolicysOwn() throws IOException {
        JsonNode policy = new YAMLMapper().readTree(Path.of("policies/gateway-auth-policy.yaml").toFile());
        JsonNode propagation = access(PLANE.user(Pool.PREMIUM).token()).path("propagation");
        for (String rule : List.of("authentication/service-accounts", "metadata/matchedTier",
                "authorization/model-access")) {
            String[] at = rule.split("/");
            long ttl = policy.path("spec").path("rules").path(at[0]).path(at[1]).path("cache").path("ttl").asLong();
            assertTrue(ttl > 0, rule);
            JsonNode cache = find(propagation, "rule", at[0] + "." + at[1]);
            assertEquals(ttl, cache.path("ttlSeconds").asLong(), cache.toString());
            assertEquals("gateway", cache.path("where").asText());
        }
        assertEquals(30, find(propagation, "rule", "maas.models.access-cache-ttl").path("ttlSeconds").asLong(),
                "application.properties' default");
    }

    @Test
    void withoutAValidTokenTheAnswerIs401() {
        given().get("/v1/access").then().statusCode(401).header("WWW-Authenticate", "Bearer");
        given().auth().oauth2("not-a-token").get("/v1/access").then().statusCode(401);
    }

    // --- helpers ---

    private static JsonNode access(String token) {
        String body = given().auth().oauth2(token).get("/v1/access").then().statusCode(200)
                .header("Cache-Control", "no-store").extract().asString();
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(body, e);
        }
    }

    /** The model once the catalog has it and {@code ready} holds (informers and RBAC settle asynchronously). */
    private static JsonNode awaitModel(String token, String name, java.util.function.Predicate<JsonNode> ready) {
        JsonNode[] found = new JsonNode[1];
        await(name + " in GET /v1/access").atMost(WITHIN).until(() -> {
            for (JsonNode model : access(token).path("models")) {
                if (model.path("name").asText().equals(name) && ready.test(model)) {
                    found[0] = model;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private static List<String> names(JsonNode answer) {
        List<String> names = new ArrayList<>();
        answer.path("models").forEach(m -> names.add(m.path("name").asText()));
        return names;
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode item : array) {
            if (item.path(field).asText().equals(value)) {
                return item;
            }
        }
        throw new AssertionError("no " + field + "=" + value + " in " + array);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(t -> texts.add(t.asText()));
        return texts;
    }

    private static String mint(ControlPlane.User user) {
        return given().auth().oauth2(user.token()).contentType(ContentType.JSON).body("{}").post("/v1/tokens").then()
                .statusCode(201).extract().path("token");
    }

    /** The username the real API server gives a MaaS token, as the gateway reviews it. */
    private static String reviewedUsername(String token) {
        return PLANE.admin().authentication().v1().tokenReviews().create(new TokenReviewBuilder().withNewSpec()
                .withToken(token).withAudiences(GATEWAY + "-sa").endSpec().build()).getStatus().getUser().getUsername();
    }

    /** The gateway's auth.identity.userid for a MaaS token: its ServiceAccount's name. */
    private static String userid(String token) {
        String username = reviewedUsername(token);
        return username.substring(username.lastIndexOf(':') + 1);
    }
}
