package org.maas.api.openapi;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.maas.api.testing.ControlPlane;

/**
 * While open, the real API server answers 403 Forbidden to one kind of request of maas-api's ServiceAccount (and
 * of no one else), as a cluster whose RBAC lacks the grant would. The reviews: the class's copies of the shipped
 * ClusterRoleBindings that grant them are deleted, and created again on close (a ValidatingAdmissionPolicy does
 * not refuse a TokenReview or a SubjectAccessReview: tried, the probe was allowed). A DELETE: a
 * ValidatingAdmissionPolicy, since RBAC cannot take one verb out of the shipped role. The constructor returns once
 * the API server refuses a probe of that request made with maas-api's own token; {@link #close()} once it allows
 * it again.
 */
final class Refusal implements AutoCloseable {

    /** What maas-api may be refused. */
    enum Request {
        /** maas-api-tokens is the only shipped ClusterRole that grants TokenReviews. */
        TOKEN_REVIEW("maas-api-tokens"),
        /** maas-api-tokens (admin authorization) and maas-api-models (model access) grant SubjectAccessReviews. */
        ACCESS_REVIEW("maas-api-tokens", "maas-api-models"),
        /** Deleting a ServiceAccount or a Secret (revoking tokens, deleting an API key). */
        DELETE();

        final List<String> bindings;

        Request(String... bindings) {
            this.bindings = List.of(bindings);
        }
    }

    private static final Duration APPLIED = Duration.ofSeconds(30);
    private static final String PROBE = "refusal-probe";
    private final KubernetesClient admin = ControlPlane.shared().admin();
    private final KubernetesClient maasApi;
    private final Request request;
    private final String namespace;
    /** The policy that close() deletes, or the bindings it creates again. */
    private final List<HasMetadata> objects;

    /** Refuses {@code request} to the ServiceAccount maas-api of {@code namespace}. */
    Refusal(Request request, String namespace) {
        this.request = request;
        this.namespace = namespace;
        String token = admin.serviceAccounts().inNamespace(namespace).withName("maas-api")
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
        maasApi = ControlPlane.shared().clientAs(token, namespace);
        if (request == Request.DELETE) {
            admin.resource(new ServiceAccountBuilder().withNewMetadata().withName(PROBE).withNamespace(namespace)
                    .endMetadata().build()).serverSideApply(); // something to try a dry-run delete of
            objects = admissionPolicy(namespace);
            objects.forEach(object -> admin.resource(object).forceConflicts().serverSideApply());
        } else {
            objects = request.bindings.stream().<HasMetadata>map(role -> admin.rbac().clusterRoleBindings()
                    .withName(role + "-" + namespace).require()).toList();
            objects.forEach(binding -> admin.resource(binding).delete());
        }
        await("the API server refuses " + request).atMost(APPLIED).ignoreExceptions().until(this::refused);
    }

    /** Denies maas-api's DELETEs of ServiceAccounts and Secrets. */
    private List<HasMetadata> admissionPolicy(String namespace) {
        String yaml = """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: refuse-delete-%1$s}
                spec:
                  failurePolicy: Fail
                  matchConstraints:
                    resourceRules:
                      - {apiGroups: [""], apiVersions: ["*"], operations: [DELETE], resources: [serviceaccounts, secrets]}
                  validations:
                    - expression: "request.userInfo.username != 'system:serviceaccount:%1$s:maas-api'"
                      reason: Forbidden
                      message: "a test refuses this request to maas-api"
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: refuse-delete-%1$s}
                spec:
                  policyName: refuse-delete-%1$s
                  validationActions: [Deny]
                """.formatted(namespace);
        return admin.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
    }

    /** Whether the API server refuses the request to maas-api now (a probe that changes nothing). */
    private boolean refused() {
        try {
            switch (request) {
                case TOKEN_REVIEW -> maasApi.authentication().v1().tokenReviews().create(new TokenReviewBuilder()
                        .withNewSpec().withToken("probe").endSpec().build());
                case ACCESS_REVIEW -> maasApi.authorization().v1().subjectAccessReview().create(
                        new SubjectAccessReviewBuilder().withNewSpec().withUser("probe").withNewResourceAttributes()
                                .withVerb("get").withResource("pods").endResourceAttributes().endSpec().build());
                case DELETE -> maasApi.serviceAccounts().inNamespace(namespace).withName(PROBE).dryRun().delete();
                default -> throw new IllegalStateException(request.name());
            }
            return false;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                return true;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        for (HasMetadata object : objects) {
            if (request == Request.DELETE) {
                admin.resource(object).delete();
            } else {
                object.getMetadata().setResourceVersion(null);
                object.getMetadata().setUid(null);
                object.getMetadata().setManagedFields(null);
                object.getMetadata().setCreationTimestamp(null);
                admin.resource(object).forceConflicts().serverSideApply();
            }
        }
        await("the API server allows " + request + " again").atMost(APPLIED).ignoreExceptions()
                .until(() -> !refused());
        maasApi.close();
    }
}
