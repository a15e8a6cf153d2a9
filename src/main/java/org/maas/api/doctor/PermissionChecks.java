package org.maas.api.doctor;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * maas-api's own permissions, per feature: for each enabled one, every verb it needs asked as a
 * SelfSubjectAccessReview, so that a missing overlay (or a binding removed by hand) is named before a user
 * meets the 403. A feature that is off needs nothing and passes. The verbs mirror src/main/kubernetes and
 * overlays/NAME/rbac.yaml; the resource names are not given where the manifests grant by name, so that the
 * question matches the grant either way.
 */
final class PermissionChecks implements CheckGroup {

    /** One permission: verb on group/resource (subresource, name optional) in a namespace ("" for all). */
    record Need(String verb, String group, String resource, String subresource, String namespace, String name) {

        String describe() {
            return verb + " " + resource + (subresource == null ? "" : "/" + subresource)
                    + (group.isEmpty() ? "" : "." + group) + (name == null ? "" : " " + name)
                    + (namespace.isEmpty() ? "" : " in " + namespace);
        }
    }

    /** A feature: its check name, whether it is on, what grants it, and what it needs. */
    record Feature(String check, String setting, boolean enabled, String grantedBy, List<Need> needs) {
    }

    private final KubernetesClient client;
    private final List<Feature> features;

    PermissionChecks(KubernetesClient client, List<Feature> features) {
        this.client = client;
        this.features = features;
    }

    /**
     * @param tierConfigMap the tier ConfigMap's namespace and name, or null when the tiers come from a file
     */
    static List<Feature> of(String ownNamespace, String gatewayNamespace, String[] tierConfigMap,
                            boolean policyReconcile, boolean manageAccess, boolean groupRevocation) {
        List<Feature> features = new ArrayList<>();
        String[] configMap = tierConfigMap == null ? new String[] {ownNamespace, "tier-to-group-mapping"} : tierConfigMap;
        features.add(new Feature("permissions.tiers", "maas.tiers.source=configmap", tierConfigMap != null,
                "src/main/kubernetes Role maas-api-tier-config",
                List.of(need("get", "", "configmaps", configMap[0], configMap[1]),
                        need("watch", "", "configmaps", configMap[0], configMap[1]))));
        features.add(new Feature("permissions.tokens", "always", true, "src/main/kubernetes ClusterRole maas-api-tokens",
                List.of(need("create", "authentication.k8s.io", "tokenreviews", "", null),
                        need("create", "", "namespaces", "", null),
                        need("create", "", "serviceaccounts", "", null),
                        need("list", "", "serviceaccounts", "", null),
                        need("delete", "", "serviceaccounts", "", null),
                        new Need("create", "", "serviceaccounts", "token", "", null),
                        need("create", "", "secrets", "", null),
                        need("list", "", "secrets", "", null),
                        need("create", "authorization.k8s.io", "subjectaccessreviews", "", null),
                        need("create", "coordination.k8s.io", "leases", ownNamespace, null))));
        features.add(new Feature("permissions.models", "always", true, "src/main/kubernetes ClusterRole maas-api-models",
                List.of(need("list", "serving.kserve.io", "llminferenceservices", "", null),
                        need("watch", "serving.kserve.io", "llminferenceservices", "", null),
                        need("list", "gateway.networking.k8s.io", "httproutes", "", null),
                        need("watch", "gateway.networking.k8s.io", "httproutes", "", null))));
        features.add(new Feature("permissions.doctor", "always", true,
                "src/main/kubernetes Roles maas-api-doctor-gateway (gateway's namespace) and maas-api-doctor",
                List.of(need("get", "gateway.networking.k8s.io", "gateways", gatewayNamespace, null),
                        need("get", "kuadrant.io", "authpolicies", gatewayNamespace, null),
                        need("get", "kuadrant.io", "ratelimitpolicies", gatewayNamespace, null),
                        need("get", "kuadrant.io", "tokenratelimitpolicies", gatewayNamespace, null),
                        need("get", "kuadrant.io", "authpolicies", ownNamespace, null),
                        need("get", "kuadrant.io", "ratelimitpolicies", ownNamespace, null),
                        need("get", "kuadrant.io", "tokenratelimitpolicies", ownNamespace, null))));
        features.add(new Feature("permissions.policy-reconcile", "maas.policies.reconcile", policyReconcile,
                "overlays/policy-reconcile",
                List.of(need("get", "kuadrant.io", "ratelimitpolicies", gatewayNamespace, "gateway-rate-limits"),
                        need("patch", "kuadrant.io", "ratelimitpolicies", gatewayNamespace, "gateway-rate-limits"),
                        need("get", "kuadrant.io", "tokenratelimitpolicies", gatewayNamespace, "gateway-token-rate-limits"),
                        need("patch", "kuadrant.io", "tokenratelimitpolicies", gatewayNamespace, "gateway-token-rate-limits"),
                        need("create", "kuadrant.io", "ratelimitpolicies", gatewayNamespace, null),
                        need("create", "kuadrant.io", "tokenratelimitpolicies", gatewayNamespace, null),
                        need("patch", "coordination.k8s.io", "leases", ownNamespace, null))));
        features.add(new Feature("permissions.model-access", "maas.models.manage-access", manageAccess,
                "overlays/model-access",
                List.of(need("post", "serving.kserve.io", "llminferenceservices", "", null),
                        new Need("update", "serving.kserve.io", "llminferenceservices", "finalizers", "", null),
                        need("create", "rbac.authorization.k8s.io", "roles", "", null),
                        need("patch", "rbac.authorization.k8s.io", "rolebindings", "", null),
                        need("delete", "rbac.authorization.k8s.io", "rolebindings", "", null),
                        need("create", "", "events", "", null),
                        need("patch", "coordination.k8s.io", "leases", ownNamespace, null))));
        features.add(new Feature("permissions.group-revocation", "maas.revocation.on-group-change", groupRevocation,
                "overlays/group-revocation",
                List.of(need("list", "user.openshift.io", "groups", "", null),
                        need("watch", "user.openshift.io", "groups", "", null),
                        need("patch", "coordination.k8s.io", "leases", ownNamespace, null))));
        return features;
    }

    private static Need need(String verb, String group, String resource, String namespace, String name) {
        return new Need(verb, group, resource, null, namespace, name);
    }

    @Override
    public List<String> checks() {
        return features.stream().map(Feature::check).toList();
    }

    @Override
    public String reads() {
        return "SelfSubjectAccessReviews of maas-api's own ServiceAccount";
    }

    @Override
    public List<Check> run() {
        Map<String, Boolean> asked = new LinkedHashMap<>(); // features share some needs (the Lease)
        List<Check> checks = new ArrayList<>();
        for (Feature feature : features) {
            if (!feature.enabled()) {
                checks.add(Check.pass(feature.check(), feature.setting() + (feature.setting().contains("=")
                        ? " is not set" : " is off") + ": needs nothing"));
                continue;
            }
            List<String> missing = new ArrayList<>();
            for (Need need : feature.needs()) {
                if (!asked.computeIfAbsent(need.describe(), key -> allowed(need))) {
                    missing.add(need.describe());
                }
            }
            String on = feature.setting().equals("always") ? "" : " (" + feature.setting()
                    + (feature.setting().contains("=") ? ")" : " is on)");
            checks.add(missing.isEmpty()
                    ? Check.pass(feature.check(), "maas-api holds all " + feature.needs().size() + " permissions" + on)
                    : Check.fail(feature.check(), "maas-api may not " + String.join(", ", missing) + on,
                    "apply " + feature.grantedBy() + " (its ClusterRole or Role and the binding to maas-api's"
                            + " ServiceAccount)"));
        }
        return checks;
    }

    private boolean allowed(Need need) {
        SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder().withNewSpec()
                .withNewResourceAttributes().withVerb(need.verb()).withGroup(need.group())
                .withResource(need.resource()).withSubresource(need.subresource())
                .withNamespace(need.namespace().isEmpty() ? null : need.namespace()).withName(need.name())
                .endResourceAttributes().endSpec().build();
        SelfSubjectAccessReview answer = client.authorization().v1().selfSubjectAccessReview().create(review);
        return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
    }
}
