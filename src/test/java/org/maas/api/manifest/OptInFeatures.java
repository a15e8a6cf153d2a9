package org.maas.api.manifest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.ShortLease;
import org.maas.api.testing.TokenChecks;

/**
 * What the two opt-in classes share: every opt-in feature switched on with a fast Lease
 * ({@link AllOn}), and the fixtures an admin would create on the real control plane (models, Groups,
 * an admin's ClusterRole). {@link OptInOverlaysTest} binds every overlay, {@link OptInWithoutOverlaysTest} none.
 */
final class OptInFeatures {

    static final ControlPlane PLANE = ControlPlane.shared();
    static final Duration WITHIN = Duration.ofSeconds(60);

    static final ResourceDefinitionContext MODELS = new ResourceDefinitionContext.Builder()
            .withGroup("serving.kserve.io").withVersion("v1alpha2").withKind("LLMInferenceService")
            .withPlural("llminferenceservices").withNamespaced(true).build();
    static final ResourceDefinitionContext RATE_LIMIT_POLICIES = new ResourceDefinitionContext.Builder()
            .withGroup("kuadrant.io").withVersion("v1").withKind("RateLimitPolicy").withPlural("ratelimitpolicies")
            .withNamespaced(true).build();
    static final ResourceDefinitionContext TOKEN_RATE_LIMIT_POLICIES = new ResourceDefinitionContext.Builder()
            .withGroup("kuadrant.io").withVersion("v1alpha1").withKind("TokenRateLimitPolicy")
            .withPlural("tokenratelimitpolicies").withNamespaced(true).build();
    static final ResourceDefinitionContext GROUPS = new ResourceDefinitionContext.Builder()
            .withGroup("user.openshift.io").withVersion("v1").withKind("Group").withPlural("groups")
            .withNamespaced(false).build();

    /** The annotation a model opts in to tiers with, and the annotation of a key's Secret recording its expiry. */
    static final String TIERS_ANNOTATION = "alpha.maas.opendatahub.io/tiers";
    static final String KEY_EXPIRES_AT = "maas.opendatahub.io/expires-at";

    /**
     * Every opt-in feature on: policy reconcile, model access, group revocation, and the expired-key cleanup
     * (always on; a grace and an interval of a second here). The admin endpoints need no setting.
     */
    public static class AllOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return ShortLease.with(Map.of(
                    "maas.policies.reconcile", "true",
                    "maas.models.manage-access", "true",
                    "maas.revocation.on-group-change", "on",
                    "maas.revocation.resync-interval", "2s",
                    "maas.api-keys.cleanup-grace", "1s",
                    "maas.api-keys.cleanup-interval", "1s"));
        }
    }

    private OptInFeatures() {
    }

    static KubernetesClient admin() {
        return PLANE.admin();
    }

    /**
     * A new model in {@code namespace} on the gateway, opted in for {@code tiers} (a JSON list), as its owner
     * stores it.
     */
    static GenericKubernetesResource model(String namespace, String name, String gateway, String gatewayNamespace,
                                           String tiers) {
        admin().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .serverSideApply();
        GenericKubernetesResource model = Serialization.unmarshal("""
                apiVersion: serving.kserve.io/v1alpha2
                kind: LLMInferenceService
                metadata:
                  name: %s
                  namespace: %s
                  annotations:
                    %s: '%s'
                spec:
                  model:
                    uri: hf://org/model
                    name: %s
                  router:
                    gateway:
                      refs:
                        - name: %s
                          namespace: %s
                """.formatted(name, namespace, TIERS_ANNOTATION, tiers, name, gateway, gatewayNamespace),
                GenericKubernetesResource.class);
        var existing = admin().genericKubernetesResources(MODELS).inNamespace(namespace).withName(name);
        if (existing.get() != null) { // left by an earlier run on the same control plane: a new model, a new uid
            existing.delete();
            await("the earlier " + name + " is gone").atMost(WITHIN).until(() -> existing.get() == null);
        }
        return admin().genericKubernetesResources(MODELS).inNamespace(namespace).resource(model).create();
    }

    /** Changes the tier config in maas-api's namespace as an admin would (kubectl edit). */
    static void editTiers(String namespace, UnaryOperator<String> change) {
        admin().configMaps().inNamespace(namespace).withName("tier-to-group-mapping").edit(map -> {
            map.getData().put("tiers", change.apply(map.getData().get("tiers")));
            return map;
        });
    }

    /** Adds or removes one user of a Group (cluster-scoped, maybe shared), leaving its other users alone. */
    static void groupMember(String group, String user, boolean member) {
        Resource<GenericKubernetesResource> resource = admin().genericKubernetesResources(GROUPS).withName(group);
        await("Group " + group + " updated").atMost(WITHIN).ignoreException(KubernetesClientException.class).until(() -> {
            GenericKubernetesResource live = resource.get();
            if (live == null) {
                admin().genericKubernetesResources(GROUPS).resource(Serialization.unmarshal("""
                        apiVersion: user.openshift.io/v1
                        kind: Group
                        metadata:
                          name: %s
                        users: []
                        """.formatted(group), GenericKubernetesResource.class)).create();
                return false;
            }
            List<String> users = new ArrayList<>(users(live));
            users.remove(user);
            if (member) {
                users.add(user);
            }
            live.getAdditionalProperties().put("users", users);
            // With live's resourceVersion: a concurrent writer makes this a 409, and it is tried again.
            admin().genericKubernetesResources(GROUPS).resource(live).update();
            return true;
        });
    }

    @SuppressWarnings("unchecked")
    static List<String> users(GenericKubernetesResource group) {
        Object users = group.getAdditionalProperties().get("users");
        return users instanceof List<?> list ? (List<String>) list : List.of();
    }

    /**
     * What docs/tokens.md asks of a cluster admin for the admin endpoints: delete serviceaccounts in the tier
     * namespaces, here cluster-wide through a ClusterRole of the class's own, bound to one user.
     */
    static void makeAdmin(String clusterRole, String user) {
        admin().resource(new ClusterRoleBuilder().withNewMetadata().withName(clusterRole).endMetadata()
                .withRules(new PolicyRuleBuilder().withApiGroups("").withResources("serviceaccounts")
                        .withVerbs("delete").build()).build()).serverSideApply();
        admin().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(clusterRole).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", clusterRole)
                .addNewSubject().withKind("User").withApiGroup("rbac.authorization.k8s.io").withName(user).endSubject()
                .build()).serverSideApply();
    }

    static String mint(ControlPlane.User user) {
        return given().auth().oauth2(user.token()).contentType(ContentType.JSON).body("{}")
                .post("/v1/tokens").then().statusCode(201).extract().path("token");
    }

    /** Creates a key; returns its id and its token. */
    static Map<String, String> createKey(ControlPlane.User user, String name) {
        var created = given().auth().oauth2(user.token()).contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\"}").post("/v1/api-keys").then().statusCode(201).extract();
        return Map.of("id", created.path("id"), "key", created.path("key"));
    }

    /** The key's Secret, found by its uid (the key's id) among the Secrets of the tier namespace. */
    static Secret keySecret(String namespace, String id) {
        return admin().secrets().inNamespace(namespace).list().getItems().stream()
                .filter(s -> id.equals(s.getMetadata().getUid())).findFirst().orElse(null);
    }

    /** Reviews that the API server's token cache never answers: {@link TokenChecks#review}. */
    static TokenReview review(String token, String audience) {
        return TokenChecks.review(token, audience);
    }

    static boolean authenticates(String token, String audience) {
        return TokenChecks.authenticates(token, audience);
    }

    static void awaitRefused(String token, String audience) {
        TokenChecks.awaitRefused(token, audience);
    }
}
