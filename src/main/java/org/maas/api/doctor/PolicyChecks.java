package org.maas.api.doctor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.maas.api.policy.PolicyReconciler;
import org.maas.api.policy.PolicyRenderer;
import org.maas.api.policy.RenderedPolicies;

/**
 * The six policies maas-api ships (three on the gateway, three on its own route): each exists and the Kuadrant
 * operator reports it {@code Accepted} and {@code Enforced} (the types and reasons of kuadrant-operator's
 * policy status: Accepted False with TargetNotFound, Invalid, Conflicted or MissingDependency; Enforced False
 * with Overridden or Unknown); and the two gateway limit policies equal what maas-api renders from the live
 * tier config, drift named per limit. A policy Accepted and Enforced whose status (or condition) observedGeneration
 * is older than its metadata.generation is a warning: the status speaks of an earlier spec.
 */
final class PolicyChecks implements CheckGroup {

    static final String RENDERED = ".rendered";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Policy(ResourceDefinitionContext kind, String namespace, String name) {

        String check() {
            return "policy." + name;
        }

        String describe() {
            return kind.getKind() + " " + namespace + "/" + name;
        }
    }

    private final KubernetesClient client;
    private final List<Policy> policies;
    private final Supplier<RenderedPolicies> rendered;

    PolicyChecks(KubernetesClient client, String gatewayNamespace, String ownNamespace,
                 Supplier<RenderedPolicies> rendered) {
        this.client = client;
        this.rendered = rendered;
        this.policies = List.of(
                new Policy(Resources.AUTH_POLICIES, gatewayNamespace, "gateway-auth-policy"),
                new Policy(PolicyReconciler.RATE_LIMIT_POLICIES, gatewayNamespace, PolicyRenderer.RATE_LIMIT_POLICY),
                new Policy(PolicyReconciler.TOKEN_RATE_LIMIT_POLICIES, gatewayNamespace, PolicyRenderer.TOKEN_RATE_LIMIT_POLICY),
                new Policy(Resources.AUTH_POLICIES, ownNamespace, "maas-api-auth-policy"),
                new Policy(PolicyReconciler.RATE_LIMIT_POLICIES, ownNamespace, "maas-api-rate-limits"),
                new Policy(PolicyReconciler.TOKEN_RATE_LIMIT_POLICIES, ownNamespace, "maas-api-token-rate-limits"));
    }

    @Override
    public List<String> checks() {
        List<String> names = new ArrayList<>();
        policies.forEach(p -> names.add(p.check()));
        names.add(policies.get(1).check() + RENDERED);
        names.add(policies.get(2).check() + RENDERED);
        return names;
    }

    @Override
    public String reads() {
        return "the AuthPolicies, RateLimitPolicies and TokenRateLimitPolicies of the gateway and of maas-api";
    }

    @Override
    public List<Check> run() {
        List<Check> checks = new ArrayList<>();
        List<GenericKubernetesResource> live = new ArrayList<>();
        for (Policy policy : policies) {
            GenericKubernetesResource found = client.genericKubernetesResources(policy.kind())
                    .inNamespace(policy.namespace()).withName(policy.name()).get();
            live.add(found);
            checks.add(status(policy, found));
        }
        RenderedPolicies want = rendered.get();
        checks.add(drift(policies.get(1), live.get(1), want.rateLimitPolicy()));
        checks.add(drift(policies.get(2), live.get(2), want.tokenRateLimitPolicy()));
        return checks;
    }

    static Check status(Policy policy, GenericKubernetesResource found) {
        String check = policy.check();
        String what = policy.describe();
        if (found == null) {
            return Check.fail(check, what + " not found", "apply it (make deploy applies every shipped policy;"
                    + " docs/deployment.md)");
        }
        Conditions conditions = Conditions.of(found);
        var accepted = conditions.find("Accepted");
        var enforced = conditions.find("Enforced");
        if (accepted.isEmpty() && enforced.isEmpty()) {
            return Check.fail(check, what + " has no status: the Kuadrant operator has not reconciled it",
                    "check that Kuadrant (or Connectivity Link) is installed and its operator runs in kuadrant-system");
        }
        if (accepted.isEmpty() || !accepted.get().isTrue()) {
            String reason = accepted.map(Conditions.Condition::reason).orElse("");
            String seen = what + ": " + accepted.map(Conditions.Condition::describe).orElse("no Accepted condition");
            return Check.fail(check, seen, switch (reason) {
                case "TargetNotFound" -> "create the object its spec.targetRef names, or point targetRef at the"
                        + " gateway or route that exists";
                case "Conflicted" -> "remove the other policy of the same kind that targets the same object";
                case "MissingDependency" -> "install what the message names (Authorino or Limitador, via the Kuadrant"
                        + " CR)";
                default -> "correct the policy as the message says and apply it again";
            });
        }
        if (enforced.isEmpty() || !enforced.get().isTrue()) {
            String reason = enforced.map(Conditions.Condition::reason).orElse("");
            String seen = what + ": " + accepted.get().describe() + "; "
                    + enforced.map(Conditions.Condition::describe).orElse("no Enforced condition");
            return Check.fail(check, seen, "Overridden".equals(reason)
                    ? "another policy replaces it (named in the message): remove that policy or move its rules into"
                    + " this one; until then these rules are not enforced"
                    : "see the Kuadrant operator's log and the gateway's data plane (Authorino, Limitador, the wasm"
                    + " filter); the rules are not enforced until Enforced is True");
        }
        String seen = what + ": " + accepted.get().describe() + "; " + enforced.get().describe();
        List<String> stale = stale(conditions, accepted.get(), enforced.get());
        if (!stale.isEmpty()) {
            return Check.warn(check, seen + ", but about an older spec: metadata.generation is "
                    + conditions.generation() + ", " + String.join(", ", stale),
                    "the Kuadrant operator has not reconciled the latest spec yet: run the doctor again in a minute;"
                            + " if it stays, see the Kuadrant operator's log (it may be stuck or not running)");
        }
        return Check.pass(check, seen);
    }

    /**
     * The generations the status speaks of, where older than metadata.generation: Kuadrant writes
     * status.observedGeneration (and metav1.Condition may carry its own observedGeneration), so a status older
     * than the spec says nothing about the spec in force.
     */
    private static List<String> stale(Conditions conditions, Conditions.Condition... written) {
        List<String> stale = new ArrayList<>();
        Long generation = conditions.generation();
        if (generation == null) {
            return stale;
        }
        Long status = conditions.observedGeneration();
        if (status != null && status < generation) {
            stale.add("status.observedGeneration " + status);
        }
        for (Conditions.Condition condition : written) {
            if (condition.observedGeneration() != null && condition.observedGeneration() < generation) {
                stale.add(condition.type() + " observedGeneration " + condition.observedGeneration());
            }
        }
        return stale;
    }

    /** The live spec against the rendered one: targetRef, when and each limit by name. */
    static Check drift(Policy policy, GenericKubernetesResource found, GenericKubernetesResource want) {
        String check = policy.check() + RENDERED;
        String what = policy.describe();
        String fix = "apply GET /v1/tiers/policies (curl ... -H 'Accept: application/yaml' | kubectl apply -f -), or"
                + " turn on maas.policies.reconcile (overlays/policy-reconcile) so maas-api keeps it in sync";
        if (found == null) {
            return Check.fail(check, what + " not found, so it holds none of the limits of the tier config", fix);
        }
        JsonNode live = plain(found.getAdditionalProperties().get("spec"));
        JsonNode rendered = plain(want.getAdditionalProperties().get("spec"));
        List<String> differences = new ArrayList<>();
        for (String field : List.of("targetRef", "when")) {
            if (!rendered.path(field).equals(live.path(field))) {
                differences.add(field + " differs");
            }
        }
        for (String stanza : List.of("defaults", "overrides")) {
            if (live.has(stanza)) {
                differences.add("has spec." + stanza + " (maas-api renders spec.limits)");
            }
        }
        TreeSet<String> names = new TreeSet<>();
        rendered.path("limits").fieldNames().forEachRemaining(names::add);
        live.path("limits").fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode w = rendered.path("limits").get(name);
            JsonNode l = live.path("limits").get(name);
            if (l == null) {
                differences.add("limit " + name + " missing");
            } else if (w == null) {
                differences.add("limit " + name + " not in the tier config");
            } else if (!w.equals(l)) {
                differences.add("limit " + name + " differs (" + rates(l) + " live, " + rates(w) + " rendered)");
            }
        }
        if (differences.isEmpty()) {
            return Check.pass(check, what + " equals the policy rendered from the live tier config ("
                    + rendered.path("limits").size() + " limits)");
        }
        return Check.fail(check, what + " differs from the policy rendered from the live tier config: "
                + String.join("; ", differences), fix);
    }

    private static String rates(JsonNode limit) {
        List<String> rates = new ArrayList<>();
        limit.path("rates").forEach(r -> rates.add(r.path("limit").asText() + "/" + r.path("window").asText()));
        return String.join(",", rates);
    }

    /** Plain JSON, so that an int 5 from the API server and a long 5 from the renderer compare equal. */
    private static JsonNode plain(Object value) {
        try {
            return JSON.readTree(JSON.writeValueAsString(value == null ? Map.of() : value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
