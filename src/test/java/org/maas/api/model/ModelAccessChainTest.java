package org.maas.api.model;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.testing.Identities;
import org.maas.api.testing.KubernetesApiStub;
import org.maas.api.testing.KubernetesApiStubResource;

/**
 * The whole chain, with nothing hand-written in between: a model's tier annotation -> maas-api (the leader)
 * applies the Role and RoleBinding -> the API server's RBAC (the stub's authorizer, on what was stored)
 * allows the tier's MaaS identity -> GET /v1/models lists the model for that tier only.
 */
@QuarkusTest
@TestProfile(ModelAccessChainTest.ManageAccess.class)
@WithTestResource(KubernetesApiStubResource.class)
class ModelAccessChainTest {

    public static class ManageAccess implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("maas.models.manage-access", "true",
                    // a revoked grant shows in /v1/models after this; the default (30s) is only slower
                    "maas.models.access-cache-ttl", "1s",
                    "maas.policies.lease-duration", "3s",
                    "maas.policies.lease-renew-deadline", "2s",
                    "maas.policies.lease-retry-period", "200ms");
        }
    }

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final MaasIdentity IDENTITY = Identities.forGateway(ModelFixtures.GATEWAY);
    private static final String NS = "chain";

    @KubernetesTestServer
    KubernetesApiStub api;

    @Test
    void theAnnotationDecidesWhoListsTheModel() {
        api.serveApiGroup("serving.kserve.io", "v1alpha2", "v1alpha1");
        ModelFixtures fixtures = new ModelFixtures(api.client(), "v1alpha2");
        fixtures.onGateway(NS, "granite", "ibm/granite");
        String premium = api.addUser("pam", "system:authenticated", "premium-users");
        String free = api.addUser("fran", "system:authenticated");
        // The model cache starts with the first request and answers 503 until it has listed.
        await("the model cache answers").atMost(WITHIN).until(() -> given().header("Authorization", "Bearer " + premium)
                .get("/v1/models").statusCode() == 200);
        assertEquals(Set.of(), ids(premium), "not annotated: nobody");

        annotate("[\"premium\"]");
        await("premium lists the model").atMost(WITHIN).until(() -> ids(premium).equals(Set.of("ibm/granite")));
        assertEquals(Set.of(), ids(free));
        assertTrue(api.applied().stream().anyMatch(a -> a.path().endsWith("/namespaces/chain/rolebindings/maas-model-granite-access")),
                "maas-api applied the RoleBinding: " + api.applied());
        assertTrue(allowed("premium", "pam"), "the gateway's own question, for the premium MaaS identity");
        assertFalse(allowed("free", "fran"));

        annotate("[\"free\"]");
        await("premium no longer, free now").atMost(WITHIN)
                .until(() -> ids(premium).isEmpty() && ids(free).equals(Set.of("ibm/granite")));

        annotate(null);
        await("annotation gone: nobody").atMost(WITHIN).until(() -> ids(free).isEmpty());
        assertEquals(null, api.client().rbac().roles().inNamespace(NS).withName("maas-model-granite-access").get());
    }

    /** The SubjectAccessReview the gateway's AuthPolicy makes for a MaaS token of that user in that tier. */
    private boolean allowed(String tier, String user) {
        SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec()
                .withUser(IDENTITY.serviceAccountUsername(tier, user))
                .withGroups("system:serviceaccounts", IDENTITY.tierGroup(tier), "system:authenticated")
                .withNewResourceAttributes().withGroup("serving.kserve.io").withResource("llminferenceservices")
                .withNamespace(NS).withName("granite").withVerb("post").endResourceAttributes().endSpec().build();
        return api.client().authorization().v1().subjectAccessReview().create(review).getStatus().getAllowed();
    }

    private void annotate(String tiers) {
        api.client().genericKubernetesResources(ModelFixtures.services("v1alpha2")).inNamespace(NS).withName("granite")
                .edit(m -> {
                    Map<String, String> annotations = new HashMap<>();
                    if (tiers != null) {
                        annotations.put(TierAnnotation.KEY, tiers);
                    }
                    m.getMetadata().setAnnotations(annotations);
                    return m;
                });
    }

    private Set<String> ids(String bearer) {
        List<Map<String, Object>> data = given().header("Authorization", "Bearer " + bearer).get("/v1/models")
                .then().statusCode(200).extract().jsonPath().getList("data");
        Set<String> ids = new TreeSet<>();
        for (Map<String, Object> model : data) {
            if (NS.equals(model.get("owned_by"))) {
                ids.add((String) model.get("id"));
            }
        }
        return ids;
    }
}
