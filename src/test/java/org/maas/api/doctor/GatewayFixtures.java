package org.maas.api.doctor;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.maas.api.policy.PolicyReconciler;

/**
 * The gateway side as an admin sets it up by the seed's guide, on the real control plane: the Gateway and the
 * six policies maas-api ships (from policies/ and src/main/kubernetes, moved to the test's gateway and
 * namespaces), with the status conditions their controllers write, through the status subresource: the Gateway
 * API controller's {@code Programmed} and the Kuadrant operator's {@code Accepted} and {@code Enforced} (types,
 * reasons and messages as kuadrant-operator v1.5 writes them).
 */
final class GatewayFixtures {

    private final KubernetesClient admin;
    private final String gateway;
    private final String gatewayNamespace;
    private final String ownNamespace;

    GatewayFixtures(KubernetesClient admin, String gateway, String gatewayNamespace, String ownNamespace) {
        this.admin = admin;
        this.gateway = gateway;
        this.gatewayNamespace = gatewayNamespace;
        this.ownNamespace = ownNamespace;
    }

    record Named(ResourceDefinitionContext kind, String namespace, String name) {
    }

    Named gatewayObject() {
        return new Named(Resources.GATEWAYS, gatewayNamespace, gateway);
    }

    Named gatewayPolicy(String name) {
        return new Named(name.equals("gateway-auth-policy") ? Resources.AUTH_POLICIES
                : name.equals("gateway-rate-limits") ? PolicyReconciler.RATE_LIMIT_POLICIES : PolicyReconciler.TOKEN_RATE_LIMIT_POLICIES,
                gatewayNamespace, name);
    }

    Named ownPolicy(String name) {
        return new Named(name.endsWith("auth-policy") ? Resources.AUTH_POLICIES
                : name.endsWith("token-rate-limits") ? PolicyReconciler.TOKEN_RATE_LIMIT_POLICIES : PolicyReconciler.RATE_LIMIT_POLICIES,
                ownNamespace, name);
    }

    List<Named> policies() {
        return List.of(gatewayPolicy("gateway-auth-policy"), gatewayPolicy("gateway-rate-limits"),
                gatewayPolicy("gateway-token-rate-limits"), ownPolicy("maas-api-auth-policy"),
                ownPolicy("maas-api-rate-limits"), ownPolicy("maas-api-token-rate-limits"));
    }

    /** Everything as the guide leaves it once the controllers have done their part: every check passes. */
    void healthy() {
        admin.resource(new NamespaceBuilder().withNewMetadata().withName(gatewayNamespace).endMetadata().build())
                .serverSideApply();
        GenericKubernetesResource gw = shipped(Path.of("policies/gateway.yaml"), "Gateway", "maas-default-gateway");
        apply(gatewayObject(), gw);
        conditions(gatewayObject(), condition("Accepted", "True", "Accepted", "Resource accepted"),
                condition("Programmed", "True", "Programmed", "Resource programmed, assigned to service(s)"));
        for (Named policy : policies()) {
            Path file = policy.namespace().equals(gatewayNamespace) ? Path.of("policies/" + policy.name() + ".yaml")
                    : Path.of("src/main/kubernetes/kubernetes.yml");
            apply(policy, shipped(file, policy.kind().getKind(), policy.name()));
            accepted(policy);
        }
    }

    /** Accepted and Enforced, as the operator writes them for a policy in effect. */
    void accepted(Named policy) {
        String kind = policy.kind().getKind();
        conditions(policy, condition("Accepted", "True", "Accepted", kind + " has been accepted"),
                condition("Enforced", "True", "Enforced", kind + " has been successfully enforced"));
    }

    /** The operator's answer when a more specific policy of the same kind replaces this one. */
    void overridden(Named policy, String by) {
        String kind = policy.kind().getKind();
        conditions(policy, condition("Accepted", "True", "Accepted", kind + " has been accepted"),
                condition("Enforced", "False", "Overridden", kind + " is overridden by [" + by + "]"));
    }

    /** The operator's answer when the policy's targetRef names nothing. */
    void targetNotFound(Named policy, String target) {
        String kind = policy.kind().getKind();
        conditions(policy, condition("Accepted", "False", "TargetNotFound", kind + " target " + target
                + " was not found"));
    }

    GenericKubernetesResource get(Named object) {
        return admin.genericKubernetesResources(object.kind()).inNamespace(object.namespace()).withName(object.name())
                .get();
    }

    void delete(Named object) {
        admin.genericKubernetesResources(object.kind()).inNamespace(object.namespace()).withName(object.name()).delete();
    }

    /** Writes the object's spec (server-side apply, as an admin's kubectl apply) and clears its status. */
    void apply(Named object, GenericKubernetesResource resource) {
        resource.getMetadata().setNamespace(object.namespace());
        resource.getMetadata().setName(object.name());
        resource.getMetadata().setResourceVersion(null);
        resource.getMetadata().setManagedFields(null);
        resource.getAdditionalProperties().remove("status");
        admin.genericKubernetesResources(object.kind()).inNamespace(object.namespace()).resource(resource)
                .forceConflicts().serverSideApply();
        conditions(object);
    }

    /** Replaces status.conditions through the status subresource, as a controller does. */
    void conditions(Named object, Map<String, Object>... conditions) {
        GenericKubernetesResource live = get(object);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("conditions", List.of(conditions));
        if (object.kind() != Resources.GATEWAYS) {
            status.put("observedGeneration", live.getMetadata().getGeneration());
        }
        live.setAdditionalProperty("status", status);
        admin.genericKubernetesResources(object.kind()).inNamespace(object.namespace()).resource(live).updateStatus();
    }

    static Map<String, Object> condition(String type, String status, String reason, String message) {
        Map<String, Object> condition = new LinkedHashMap<>();
        condition.put("type", type);
        condition.put("status", status);
        condition.put("reason", reason);
        condition.put("message", message);
        condition.put("lastTransitionTime", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        return condition;
    }

    /** A shipped object, moved to the test's gateway, namespaces, audience and Service address. */
    GenericKubernetesResource shipped(Path file, String kind, String name) {
        String text;
        try {
            text = Files.readString(file)
                    .replace("maas-api.maas-api.svc.cluster.local", "maas-api." + ownNamespace + ".svc.cluster.local")
                    .replace("maas-default-gateway-sa", gateway + "-sa")
                    .replace("name: maas-default-gateway", "name: " + gateway);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<HasMetadata> items = new ArrayList<>();
        try (InputStream in = new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            items.addAll(admin.load(in).items());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (HasMetadata item : items) {
            if (kind.equals(item.getKind()) && (name.equals(item.getMetadata().getName()) || "Gateway".equals(kind))) {
                GenericKubernetesResource resource = Serialization.unmarshal(Serialization.asJson(item),
                        GenericKubernetesResource.class);
                if (resource.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
                        && spec.get("targetRef") instanceof Map<?, ?> target && "Gateway".equals(target.get("kind"))) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> ref = (Map<String, Object>) target;
                    ref.put("name", gateway);
                }
                return resource;
            }
        }
        throw new IllegalStateException(kind + " " + name + " is not in " + file);
    }
}
