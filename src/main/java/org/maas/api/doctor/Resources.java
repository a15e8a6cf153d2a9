package org.maas.api.doctor;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * The kinds the doctor reads, at the versions Kuadrant 1.5 and Gateway API v1 serve (the rate limit policies:
 * {@link org.maas.api.policy.PolicyReconciler}, which applies them).
 */
final class Resources {

    static final ResourceDefinitionContext GATEWAYS = context("gateway.networking.k8s.io", "v1", "Gateway", "gateways");
    static final ResourceDefinitionContext AUTH_POLICIES = context("kuadrant.io", "v1", "AuthPolicy", "authpolicies");

    private Resources() {
    }

    private static ResourceDefinitionContext context(String group, String version, String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }
}
