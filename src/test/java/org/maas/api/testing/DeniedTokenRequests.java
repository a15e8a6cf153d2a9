package org.maas.api.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The API server answers 403 Forbidden to every TokenRequest for one ServiceAccount, while open: a
 * ValidatingAdmissionPolicy (the API server's own admission, no webhook) that denies exactly that request, so
 * nothing else in the run is affected. The API server applies a new policy within about a second: callers
 * await the refusal, and after {@link #close()} the success, with Awaitility.
 */
public final class DeniedTokenRequests implements AutoCloseable {

    private final KubernetesClient admin = ControlPlane.shared().admin();
    private final List<HasMetadata> objects;

    public DeniedTokenRequests(String namespace, String serviceAccount) {
        String name = "deny-token-" + Integer.toHexString((namespace + "/" + serviceAccount).hashCode());
        String yaml = """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: %1$s}
                spec:
                  failurePolicy: Fail
                  matchConstraints:
                    resourceRules:
                      - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [serviceaccounts/token]}
                  validations:
                    - expression: "!(request.namespace == '%2$s' && request.name == '%3$s')"
                      reason: Forbidden
                      message: "a test denies TokenRequests of %2$s/%3$s"
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: %1$s}
                spec:
                  policyName: %1$s
                  validationActions: [Deny]
                """.formatted(name, namespace, serviceAccount);
        objects = admin.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
        objects.forEach(object -> admin.resource(object).forceConflicts().serverSideApply());
    }

    @Override
    public void close() {
        objects.forEach(object -> admin.resource(object).delete());
    }
}
