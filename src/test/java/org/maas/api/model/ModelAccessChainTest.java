package org.maas.api.model;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.testing.Identities;
import org.maas.api.testing.ApiFaultsResource;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.ControlPlane.Pool;
import org.maas.api.usage.LimitadorFake;

/**
 * The whole chain on the real control plane, with nothing hand-written in between: a model's tier annotation ->
 * maas-api (the leader, as its own ServiceAccount with overlays/model-access) applies the Role and RoleBinding ->
 * the real RBAC authorizer allows the tier's MaaS identity -> GET /v1/models lists the model for that tier only.
 */
@QuarkusTest
@TestProfile(ModelsBoot.Profile.class)
@WithTestResource(value = ApiFaultsResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = ModelsBoot.NAMESPACE),
        @ResourceArg(name = "gateway", value = ModelsBoot.GATEWAY),
        @ResourceArg(name = "overlays", value = "model-access")})
@WithTestResource(LimitadorFake.class)
class ModelAccessChainTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final ControlPlane PLANE = ControlPlane.shared();
    private static final MaasIdentity IDENTITY = Identities.forGateway(ModelsBoot.GATEWAY);
    private static final String NS = "models-chain";

    private final KubernetesClient admin = PLANE.admin();

    @Test
    void theAnnotationDecidesWhoListsTheModel() {
        ModelFixtures fixtures = new ModelFixtures(admin, "v1alpha2", ModelsBoot.GATEWAY);
        fixtures.onGateway(NS, "granite", "ibm/granite");
        ControlPlane.User pam = PLANE.user(Pool.PREMIUM);
        ControlPlane.User fran = PLANE.user(Pool.FREE);
        String premium = pam.token();
        String free = fran.token();
        // The model cache starts with the first request and answers 503 until it has listed.
        await("the model cache answers").atMost(WITHIN).until(() -> given().header("Authorization", "Bearer " + premium)
                .get("/v1/models").statusCode() == 200);
        assertEquals(Set.of(), ids(premium), "not annotated: nobody");

        annotate("[\"premium\"]");
        await("premium lists the model").atMost(WITHIN).until(() -> ids(premium).equals(Set.of("ibm/granite")));
        assertEquals(Set.of(), ids(free));
        assertEquals(List.of("maas-api/Apply"), admin.rbac().roleBindings().inNamespace(NS)
                .withName("maas-model-granite-access").get().getMetadata().getManagedFields().stream()
                .map(f -> f.getManager() + "/" + f.getOperation()).toList(), "server-side applied by maas-api");
        assertTrue(allowed("premium", pam.name()), "the gateway's own question, for the premium MaaS identity");
        assertFalse(allowed("free", fran.name()));

        annotate("[\"free\"]");
        await("premium no longer, free now").atMost(WITHIN)
                .until(() -> ids(premium).isEmpty() && ids(free).equals(Set.of("ibm/granite")));

        annotate(null);
        await("annotation gone: nobody").atMost(WITHIN).until(() -> ids(free).isEmpty());
        await("the Role goes too").atMost(WITHIN).until(() -> admin.rbac().roles().inNamespace(NS).withName("maas-model-granite-access").get() == null);
    }

    /** The SubjectAccessReview the gateway's AuthPolicy makes for a MaaS token of that user in that tier. */
    private boolean allowed(String tier, String user) {
        SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec()
                .withUser(IDENTITY.serviceAccountUsername(tier, user))
                .withGroups("system:serviceaccounts", IDENTITY.tierGroup(tier), "system:authenticated")
                .withNewResourceAttributes().withGroup("serving.kserve.io").withResource("llminferenceservices")
                .withNamespace(NS).withName("granite").withVerb("post").endResourceAttributes().endSpec().build();
        return admin.authorization().v1().subjectAccessReview().create(review).getStatus().getAllowed();
    }

    private void annotate(String tiers) {
        admin.genericKubernetesResources(ModelFixtures.services("v1alpha2")).inNamespace(NS).withName("granite")
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
