package org.maas.api.model;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.testing.Identities;
import org.maas.api.testing.KubernetesApiStub;
import org.maas.api.testing.KubernetesApiStubResource;

/**
 * GET /v1/models against the API stub: models from the informer cache, visibility from SubjectAccessReviews
 * that the stub answers from the Roles and RoleBindings each test stores. Each test uses its own namespace
 * and looks only at the models there (the application and its caches live across tests).
 */
@QuarkusTest
@WithTestResource(KubernetesApiStubResource.class)
class ModelResourceTest {

    static final MaasIdentity IDENTITY = Identities.forGateway(ModelFixtures.GATEWAY);
    static final String PREMIUM = IDENTITY.tierGroup("premium");
    static final String FREE = IDENTITY.tierGroup("free");
    /** Generous bound for the informers to see a change: a condition, not a timing assertion. */
    static final Duration INFORMERS = Duration.ofSeconds(20);

    @KubernetesTestServer
    KubernetesApiStub api;

    @Inject
    MeterRegistry registry;

    ModelFixtures fixtures;

    @BeforeEach
    void kserveInstalled() {
        api.serveApiGroup("serving.kserve.io", "v1alpha2", "v1alpha1");
        fixtures = new ModelFixtures(api.client(), "v1alpha2");
    }

    @Test
    void eachTierSeesTheModelsItsRoleBindingsGrant() {
        String ns = "tiers";
        fixtures.onGateway(ns, "llama", "meta-llama/Llama-3.1-8B-Instruct");
        fixtures.onGateway(ns, "granite", "ibm/granite");
        fixtures.onGateway(ns, "ungranted", "x/ungranted");
        fixtures.grant(ns, "llama", PREMIUM);
        fixtures.grant(ns, "granite", PREMIUM, FREE);
        String premium = api.addUser("pat", "system:authenticated", "premium-users");
        String free = api.addUser("fred", "system:authenticated");

        await().atMost(INFORMERS).until(() -> ids(premium, ns).size() == 2);
        assertEquals(Set.of("meta-llama/Llama-3.1-8B-Instruct", "ibm/granite"), ids(premium, ns));
        assertEquals(Set.of("ibm/granite"), ids(free, ns));
    }

    @Test
    void theOpenAiListShapeWithReadyAndUrl() {
        String ns = "shape";
        fixtures.onGateway(ns, "ready-one", "org/ready");
        fixtures.withRouter(ns, "stale-one", """
                gateway:
                  refs:
                    - name: maas-default-gateway
                      namespace: openshift-ingress
                """, false);
        fixtures.grant(ns, "ready-one", FREE);
        fixtures.grant(ns, "stale-one", FREE);
        String bearer = api.addUser("shape-user", "system:authenticated");

        await().atMost(INFORMERS).until(() -> ids(bearer, ns).size() == 2);
        JsonPath body = given().header("Authorization", "Bearer " + bearer).get("/v1/models")
                .then().statusCode(200).contentType("application/json").header("Cache-Control", "no-store")
                .body("object", equalTo("list")).extract().jsonPath();
        Map<String, Object> ready = body.getMap("data.find { it.id == 'org/ready' }");
        assertEquals(Set.of("id", "object", "created", "owned_by", "url", "ready"), ready.keySet());
        assertEquals("model", ready.get("object"));
        assertEquals(ns, ready.get("owned_by"));
        assertEquals("https://maas.apps.example.com/shape/ready-one", ready.get("url"), "the external address");
        assertEquals(Boolean.TRUE, ready.get("ready"));
        long created = ((Number) ready.get("created")).longValue();
        String stored = api.client().genericKubernetesResources(ModelFixtures.services("v1alpha2")).inNamespace(ns)
                .withName("ready-one").get().getMetadata().getCreationTimestamp();
        assertEquals(java.time.Instant.parse(stored).getEpochSecond(), created);

        Map<String, Object> stale = body.getMap("data.find { it.id == 'stale-one' }");
        assertEquals(Boolean.FALSE, stale.get("ready"), "status of an older generation: listed, not ready");
        // what the OpenAI SDKs read
        assertTrue(body.getList("data.id", String.class).containsAll(List.of("org/ready", "stale-one")));
    }

    @Test
    void modelsOnAnotherGatewayOrNoneAreNeverListed() {
        String ns = "elsewhere";
        fixtures.withRouter(ns, "other-gateway", """
                gateway:
                  refs:
                    - name: another-gateway
                      namespace: openshift-ingress
                """, true);
        fixtures.withRouter(ns, "same-name-other-namespace", """
                gateway:
                  refs:
                    - name: maas-default-gateway
                      namespace: somewhere
                """, true);
        fixtures.withRouter(ns, "no-router", "scheduler: {}\n", true);
        fixtures.onGateway(ns, "marker", "marker");
        for (String model : List.of("other-gateway", "same-name-other-namespace", "no-router", "marker")) {
            fixtures.grant(ns, model, FREE);
        }
        String bearer = api.addUser("elsewhere-user", "system:authenticated");

        await().atMost(INFORMERS).until(() -> ids(bearer, ns).contains("marker"));
        assertEquals(Set.of("marker"), ids(bearer, ns));
    }

    @Test
    void modelsAttachedThroughAnHttpRouteWhoseParentIsTheGateway() {
        String ns = "routes";
        fixtures.route(ns, "to-maas", ModelFixtures.GATEWAY, ModelFixtures.GATEWAY_NAMESPACE);
        fixtures.route(ns, "to-other", "another-gateway", ModelFixtures.GATEWAY_NAMESPACE);
        fixtures.withRouter(ns, "by-route-ref", "route:\n  http:\n    refs:\n      - name: to-maas\n", true);
        fixtures.withRouter(ns, "by-other-route", "route:\n  http:\n    refs:\n      - name: to-other\n", true);
        fixtures.withRouter(ns, "by-missing-route", "route:\n  http:\n    refs:\n      - name: not-there\n", true);
        fixtures.withRouter(ns, "by-route-spec", """
                route:
                  http:
                    spec:
                      parentRefs:
                        - name: maas-default-gateway
                          namespace: openshift-ingress
                """, true);
        for (String model : List.of("by-route-ref", "by-other-route", "by-missing-route", "by-route-spec")) {
            fixtures.grant(ns, model, FREE);
        }
        String bearer = api.addUser("routes-user", "system:authenticated");

        await().atMost(INFORMERS).until(() -> ids(bearer, ns).size() == 2);
        assertEquals(Set.of("by-route-ref", "by-route-spec"), ids(bearer, ns));
    }

    @Test
    void aMaasTokenSeesWhatItsOwnServiceAccountIsGranted() {
        String ns = "maas-token";
        fixtures.onGateway(ns, "premium-only", "premium-only");
        fixtures.grant(ns, "premium-only", PREMIUM);
        String person = api.addUser("minter", "system:authenticated", "premium-users");
        String token = given().header("Authorization", "Bearer " + person).post("/v1/tokens")
                .then().statusCode(201).extract().path("token");

        await().atMost(INFORMERS).until(() -> ids(token, ns).contains("premium-only"));
        assertEquals(ids(person, ns), ids(token, ns), "the same identity either way");

        // granted to that one ServiceAccount, not to the tier: the person's would-be account is the same one
        String other = "sa-only";
        fixtures.onGateway(ns, other, other);
        api.client().rbac().roleBindings().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder()
                .withNewMetadata().withName("sa-only").withNamespace(ns).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "model-user")
                .addNewSubject().withKind("ServiceAccount").withName(IDENTITY.serviceAccountName("minter"))
                .withNamespace(IDENTITY.tierNamespace("premium")).endSubject().build()).create();
        api.client().rbac().clusterRoles().resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder()
                .withNewMetadata().withName("model-user").endMetadata().addNewRule().withApiGroups("serving.kserve.io")
                .withResources("llminferenceservices").withVerbs("post").endRule().build()).create();
        await().atMost(INFORMERS).until(() -> ids(token, ns).contains(other));
        assertTrue(ids(person, ns).contains(other));
    }

    @Test
    void aModelWhoseReviewFailsIsLeftOut() {
        String ns = "fail-closed";
        fixtures.onGateway(ns, "visible", "visible");
        fixtures.grant(ns, "visible", FREE);
        String bearer = api.addUser("fail-closed-user", "system:authenticated");
        await().atMost(INFORMERS).until(() -> ids(bearer, ns).contains("visible"));

        fixtures.onGateway(ns, "unreviewable", "unreviewable");
        fixtures.grant(ns, "unreviewable", FREE);
        String other = api.addUser("fail-closed-other", "system:authenticated");
        await().atMost(INFORMERS).until(() -> ids(other, ns).contains("unreviewable"));
        double leftOut = leftOut();
        try {
            api.forbid("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews");
            // the earlier decision is cached; the new model's review is refused (RBAC): left out, not guessed
            assertEquals(Set.of("visible"), ids(bearer, ns));
        } finally {
            api.recover();
        }
        assertTrue(leftOut() >= leftOut + 1, "counted in maas_models_left_out");
        assertEquals(Set.of("visible", "unreviewable"), ids(bearer, ns), "decided once the review works");
    }

    @Test
    void theApiServerDownForEveryReviewNeededIs503() {
        String ns = "api-down";
        fixtures.onGateway(ns, "first", "first");
        fixtures.grant(ns, "first", FREE);
        String bearer = api.addUser("api-down-user", "system:authenticated");
        await().atMost(INFORMERS).until(() -> ids(bearer, ns).contains("first"));

        fixtures.onGateway(ns, "second", "second");
        fixtures.grant(ns, "second", FREE);
        String other = api.addUser("api-down-other", "system:authenticated");
        await().atMost(INFORMERS).until(() -> ids(other, ns).contains("second"));
        // the first caller's decisions and token review are cached, except the decision about "second"
        try {
            api.failEverything(503);
            given().header("Authorization", "Bearer " + bearer).get("/v1/models").then().statusCode(503)
                    .header("Retry-After", notNullValue()).body("error", equalTo("unavailable"));
        } finally {
            api.recover();
        }
    }

    @Test
    void withoutAValidTokenIs401AndWithoutATierIs403() {
        given().get("/v1/models").then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .body("error", equalTo("unauthorized"));
        given().header("Authorization", "Bearer not-a-token").get("/v1/models").then().statusCode(401)
                .body("error", equalTo("unauthorized"));
        // a ServiceAccount of no tier namespace, in no tier's group: system:authenticated is the free tier's,
        // so only a caller without it has no tier
        String untiered = api.addUser("robot", "robots");
        given().header("Authorization", "Bearer " + untiered).get("/v1/models").then().statusCode(403)
                .body("error", equalTo("forbidden")).body("message", containsString("no tier"));
    }

    @Test
    void theOpenApiDocumentDescribesListModels() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/v1/models'.get.operationId", equalTo("listModels"))
                .body("paths.'/v1/models'.get.responses.'503'.$ref", equalTo("#/components/responses/Unavailable"))
                .body("paths.'/v1/models'.get.responses.'200'.content.'application/json'.examples", notNullValue())
                .body("paths.'/v1/models'.get.responses.'403'.content.'application/json'.examples", notNullValue());
    }

    private double leftOut() {
        return registry.counter("maas_models_left_out", "reason", "review_failed").count();
    }

    /** The ids of the models in this namespace that the caller is shown. */
    Set<String> ids(String bearer, String namespace) {
        List<Map<String, Object>> data = given().header("Authorization", "Bearer " + bearer).get("/v1/models")
                .then().statusCode(200).extract().jsonPath().getList("data");
        assertNotNull(data, "data is a list, never absent or null");
        Set<String> ids = new TreeSet<>();
        for (Map<String, Object> model : data) {
            if (namespace.equals(model.get("owned_by"))) {
                ids.add((String) model.get("id"));
            }
        }
        return ids;
    }
}
