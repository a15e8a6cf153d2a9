package org.maas.api.model;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.testing.Identities;
import org.maas.api.testing.ApiFaults;
import org.maas.api.testing.ApiFaultsResource;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.ControlPlane.Pool;
import org.maas.api.usage.LimitadorFake;

/**
 * GET /v1/models on the real control plane: models from the informer cache, visibility from the real RBAC
 * authorizer answering maas-api's SubjectAccessReviews (maas-api as its own ServiceAccount with the shipped
 * RBAC), callers authenticated by the real TokenReview. Each test uses its own namespace and users and looks
 * only at the models there (the application and its caches live across tests and classes, see
 * {@link ModelsBoot}).
 */
@QuarkusTest
@TestProfile(ModelsBoot.Profile.class)
@WithTestResource(value = ApiFaultsResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = ModelsBoot.NAMESPACE),
        @ResourceArg(name = "gateway", value = ModelsBoot.GATEWAY),
        @ResourceArg(name = "overlays", value = "model-access")})
@WithTestResource(LimitadorFake.class)
class ModelResourceTest {

    static final ControlPlane PLANE = ControlPlane.shared();
    static final MaasIdentity IDENTITY = Identities.forGateway(ModelsBoot.GATEWAY);
    static final String PREMIUM = IDENTITY.tierGroup("premium");
    static final String FREE = IDENTITY.tierGroup("free");
    /** Generous bound for the informers to see a change: a condition, not a timing assertion. */
    static final Duration INFORMERS = Duration.ofSeconds(60);

    ApiFaults faults;

    @Inject
    MeterRegistry registry;

    final KubernetesClient admin = PLANE.admin();
    final ModelFixtures fixtures = new ModelFixtures(admin, "v1alpha2", ModelsBoot.GATEWAY);

    @AfterEach
    void apiServerBack() throws Exception {
        faults.recover();
    }

    @Test
    void eachTierSeesTheModelsItsRoleBindingsGrant() {
        String ns = "models-tiers";
        fixtures.onGateway(ns, "llama", "models/llama");
        fixtures.onGateway(ns, "granite", "models/granite");
        fixtures.onGateway(ns, "ungranted", "models/ungranted");
        fixtures.grant(ns, "llama", PREMIUM);
        fixtures.grant(ns, "granite", PREMIUM, FREE);
        String premium = PLANE.user(Pool.PREMIUM).token();
        String free = PLANE.user(Pool.FREE).token();

        await().atMost(INFORMERS).until(() -> ids(premium, ns).size() == 2);
        assertEquals(Set.of("models/llama", "models/granite"), ids(premium, ns));
        assertEquals(Set.of("models/granite"), ids(free, ns));
    }

    @Test
    void theOpenAiListShapeWithReadyAndUrl() {
        String ns = "models-shape";
        fixtures.onGateway(ns, "ready-one", "org/ready");
        fixtures.withRouter(ns, "stale-one", """
                gateway:
                  refs:
                    - name: models-gw
                      namespace: openshift-ingress
                """, false);
        fixtures.grant(ns, "ready-one", FREE);
        fixtures.grant(ns, "stale-one", FREE);
        String bearer = PLANE.user(Pool.FREE).token();

        await().atMost(INFORMERS).until(() -> ids(bearer, ns).size() == 2);
        JsonPath body = given().header("Authorization", "Bearer " + bearer).get("/v1/models")
                .then().statusCode(200).header("Content-Type", "application/json;charset=UTF-8").header("Cache-Control", "no-store")
                .body("object", equalTo("list")).extract().jsonPath();
        Map<String, Object> ready = body.getMap("data.find { it.id == 'org/ready' }");
        assertEquals(Set.of("id", "object", "created", "owned_by", "url", "ready"), ready.keySet());
        assertEquals("model", ready.get("object"));
        assertEquals(ns, ready.get("owned_by"));
        assertEquals("https://maas.apps.example.com/models-shape/ready-one", ready.get("url"), "the external address");
        assertEquals(Boolean.TRUE, ready.get("ready"));
        long created = ((Number) ready.get("created")).longValue();
        String stored = admin.genericKubernetesResources(ModelFixtures.services("v1alpha2")).inNamespace(ns)
                .withName("ready-one").get().getMetadata().getCreationTimestamp();
        assertEquals(java.time.Instant.parse(stored).getEpochSecond(), created);

        Map<String, Object> stale = body.getMap("data.find { it.id == 'stale-one' }");
        assertEquals(Boolean.FALSE, stale.get("ready"), "status of an older generation: listed, not ready");
        // what the OpenAI SDKs read
        assertTrue(body.getList("data.id", String.class).containsAll(List.of("org/ready", "stale-one")));
    }

    @Test
    void modelsOnAnotherGatewayOrNoneAreNeverListed() {
        String ns = "models-elsewhere";
        fixtures.withRouter(ns, "other-gateway", """
                gateway:
                  refs:
                    - name: another-gateway
                      namespace: openshift-ingress
                """, true);
        fixtures.withRouter(ns, "same-name-other-namespace", """
                gateway:
                  refs:
                    - name: models-gw
                      namespace: somewhere
                """, true);
        fixtures.withRouter(ns, "no-router", "scheduler: {}\n", true);
        fixtures.onGateway(ns, "marker", "marker");
        for (String model : List.of("other-gateway", "same-name-other-namespace", "no-router", "marker")) {
            fixtures.grant(ns, model, FREE);
        }
        String bearer = PLANE.user(Pool.FREE).token();

        await().atMost(INFORMERS).until(() -> ids(bearer, ns).contains("marker"));
        assertEquals(Set.of("marker"), ids(bearer, ns));
    }

    @Test
    void modelsAttachedThroughAnHttpRouteWhoseParentIsTheGateway() {
        String ns = "models-routes";
        fixtures.route(ns, "to-maas", ModelsBoot.GATEWAY, ModelFixtures.GATEWAY_NAMESPACE);
        fixtures.route(ns, "to-other", "another-gateway", ModelFixtures.GATEWAY_NAMESPACE);
        fixtures.withRouter(ns, "by-route-ref", "route:\n  http:\n    refs:\n      - name: to-maas\n", true);
        fixtures.withRouter(ns, "by-other-route", "route:\n  http:\n    refs:\n      - name: to-other\n", true);
        fixtures.withRouter(ns, "by-missing-route", "route:\n  http:\n    refs:\n      - name: not-there\n", true);
        fixtures.withRouter(ns, "by-route-spec", """
                route:
                  http:
                    spec:
                      parentRefs:
                        - name: models-gw
                          namespace: openshift-ingress
                """, true);
        for (String model : List.of("by-route-ref", "by-other-route", "by-missing-route", "by-route-spec")) {
            fixtures.grant(ns, model, FREE);
        }
        String bearer = PLANE.user(Pool.FREE).token();

        await().atMost(INFORMERS).until(() -> ids(bearer, ns).size() == 2);
        assertEquals(Set.of("by-route-ref", "by-route-spec"), ids(bearer, ns));
    }

    @Test
    void aMaasTokenSeesWhatItsOwnServiceAccountIsGranted() {
        String ns = "models-maas-token";
        fixtures.onGateway(ns, "premium-only", "premium-only");
        fixtures.grant(ns, "premium-only", PREMIUM);
        ControlPlane.User minter = PLANE.user(Pool.PREMIUM);
        String person = minter.token();
        String token = given().header("Authorization", "Bearer " + person).post("/v1/tokens")
                .then().statusCode(201).extract().path("token");

        await().atMost(INFORMERS).until(() -> ids(token, ns).contains("premium-only"));
        assertEquals(ids(person, ns), ids(token, ns), "the same identity either way");

        // Granted to that one ServiceAccount, not to the tier, through a ClusterRole that the real
        // clusterrole-aggregation-controller fills from a labelled one: the person's would-be account is the same.
        String other = "sa-only";
        fixtures.onGateway(ns, other, other);
        String aggregated = "models-gw-model-users";
        admin.resource(new ClusterRoleBuilder().withNewMetadata().withName(aggregated).endMetadata()
                .withNewAggregationRule().addNewClusterRoleSelector()
                .addToMatchLabels("maas-test/aggregate-to-model-users", "true").endClusterRoleSelector()
                .endAggregationRule().build()).serverSideApply();
        admin.resource(new ClusterRoleBuilder().withNewMetadata().withName(aggregated + "-post")
                .addToLabels("maas-test/aggregate-to-model-users", "true").endMetadata()
                .addNewRule().withApiGroups("serving.kserve.io").withResources("llminferenceservices")
                .withResourceNames(other).withVerbs("post").endRule().build()).serverSideApply();
        admin.resource(new RoleBindingBuilder().withNewMetadata().withName("sa-only").withNamespace(ns).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", aggregated)
                .addNewSubject().withKind("ServiceAccount").withName(IDENTITY.serviceAccountName(minter.name()))
                .withNamespace(IDENTITY.tierNamespace("premium")).endSubject().build()).serverSideApply();
        await().atMost(INFORMERS).until(() -> ids(token, ns).contains(other));
        assertTrue(ids(person, ns).contains(other));
    }

    @Test
    void aRoleBindingToAGroupThroughAnAggregatedClusterRoleGrantsThatGroup() {
        String ns = "models-aggregated";
        fixtures.onGateway(ns, "shared", "org/shared");
        String aggregated = "models-gw-premium-models";
        admin.resource(new ClusterRoleBuilder().withNewMetadata().withName(aggregated).endMetadata()
                .withNewAggregationRule().addNewClusterRoleSelector()
                .addToMatchLabels("maas-test/aggregate-to-premium-models", "true").endClusterRoleSelector()
                .endAggregationRule().build()).serverSideApply();
        admin.resource(new ClusterRoleBuilder().withNewMetadata().withName(aggregated + "-post")
                .addToLabels("maas-test/aggregate-to-premium-models", "true").endMetadata()
                .addNewRule().withApiGroups("serving.kserve.io").withResources("llminferenceservices")
                .withVerbs("post").endRule().build()).serverSideApply();
        admin.resource(new RoleBindingBuilder().withNewMetadata().withName("premium-models").withNamespace(ns)
                .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", aggregated)
                .addNewSubject().withKind("Group").withApiGroup("rbac.authorization.k8s.io").withName(PREMIUM)
                .endSubject().build()).serverSideApply();
        String premium = PLANE.user(Pool.PREMIUM).token();
        String free = PLANE.user(Pool.FREE).token();

        await().atMost(INFORMERS).until(() -> ids(premium, ns).equals(Set.of("org/shared")));
        assertEquals(Set.of(), ids(free, ns), "the free tier's group is not bound");
    }

    /**
     * The caller keeps asking while only the grant changes (no model added or changed): the answer remembered for
     * them (ModelAccess) must not outlive the decision cache's TTL (1 s here).
     */
    @Test
    void aRevokedGrantLeavesTheListWhileTheModelsStayTheSame() {
        String ns = "models-revoked";
        fixtures.onGateway(ns, "kept", "kept");
        fixtures.onGateway(ns, "revoked", "revoked");
        fixtures.grant(ns, "kept", FREE);
        fixtures.grant(ns, "revoked", FREE);
        String bearer = PLANE.user(Pool.FREE).token();
        await().atMost(INFORMERS).until(() -> ids(bearer, ns).equals(Set.of("kept", "revoked")));
        assertEquals(Set.of("kept", "revoked"), ids(bearer, ns), "asked again: the same answer");

        admin.rbac().roleBindings().inNamespace(ns).withName("revoked-post").delete();
        await("the revoked model leaves the caller's list").atMost(INFORMERS)
                .until(() -> ids(bearer, ns).equals(Set.of("kept")));
    }

    @Test
    void aModelWhoseReviewFailsIsLeftOut() throws Exception {
        String ns = "models-fail-closed";
        fixtures.onGateway(ns, "visible", "visible");
        fixtures.grant(ns, "visible", FREE);
        String bearer = PLANE.user(Pool.FREE).token();
        await().atMost(INFORMERS).until(() -> ids(bearer, ns).contains("visible"));

        fixtures.onGateway(ns, "unreviewable", "unreviewable");
        fixtures.grant(ns, "unreviewable", FREE);
        String other = PLANE.user(Pool.FREE).token();
        await().atMost(INFORMERS).until(() -> ids(other, ns).contains("unreviewable"));
        double leftOut = leftOut();
        // RBAC refuses maas-api's SubjectAccessReviews (the bindings of the two shipped ClusterRoles that grant
        // them): a refused review leaves its model out, it is not guessed, and the answer is still a 200
        for (String role : List.of("maas-api-tokens", "maas-api-models")) {
            admin.rbac().clusterRoleBindings().withName(role + "-" + ModelsBoot.NAMESPACE).delete();
        }
        try {
            await("refused reviews leave the model out").atMost(INFORMERS).until(() -> {
                fresh(bearer); // keep the caller's own token review in the cache
                return !ids(bearer, ns).contains("unreviewable") && leftOut() >= leftOut + 1;
            });
        } finally {
            PLANE.maasApi(ModelsBoot.NAMESPACE, new String[] {"model-access"}); // the shipped bindings again
        }
        await("decided once the review works").atMost(INFORMERS)
                .until(() -> ids(bearer, ns).equals(Set.of("visible", "unreviewable")));
    }

    /** A call that reviews the caller's token (cached) and no model. */
    private static void fresh(String bearer) {
        given().auth().oauth2(bearer).get("/v1/tiers/me").then().statusCode(200);
    }

    @Test
    void theApiServerDownForEveryReviewNeededIs503() throws Exception {
        String ns = "models-api-down";
        fixtures.onGateway(ns, "first", "first");
        fixtures.grant(ns, "first", FREE);
        String bearer = PLANE.user(Pool.FREE).token();
        await().atMost(INFORMERS).until(() -> ids(bearer, ns).contains("first"));

        fixtures.onGateway(ns, "second", "second");
        fixtures.grant(ns, "second", FREE);
        String other = PLANE.user(Pool.FREE).token();
        await().atMost(INFORMERS).until(() -> ids(other, ns).contains("second"));
        fresh(bearer); // the caller's token review is in the cache; the decisions (1 s) about the models are not
        faults.set(ApiFaults.Fault.UNAVAILABLE_503);
        // once the cached decisions (1 s here) expire, every review this request needs fails: 503
        await().atMost(INFORMERS).until(() -> given().header("Authorization", "Bearer " + bearer).get("/v1/models")
                .statusCode() != 200);
        given().header("Authorization", "Bearer " + bearer).get("/v1/models").then().statusCode(503)
                .header("Retry-After", notNullValue()).body("error", equalTo("unavailable"));
    }

    /**
     * Every caller the real API server authenticates carries system:authenticated, the free tier's group in the
     * shipped config: a caller without a tier cannot be made here (the stub made one by leaving that group out).
     */
    @Test
    void withoutAValidTokenIs401() {
        given().get("/v1/models").then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .body("error", equalTo("unauthorized"));
        given().header("Authorization", "Bearer not-a-token").get("/v1/models").then().statusCode(401)
                .body("error", equalTo("unauthorized"));
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
