package org.maas.api.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Answers a SubjectAccessReview the way the Kubernetes RBAC authorizer does, from the Roles, ClusterRoles,
 * RoleBindings and ClusterRoleBindings stored in the mock server, so a test grants access the way an admin
 * (or maas-api's reconciler) does on a cluster:
 * <ul>
 * <li>bindings: every RoleBinding in the review's namespace (its {@code roleRef} a Role of that namespace or
 * a ClusterRole) and every ClusterRoleBinding (always a ClusterRole); a missing role grants nothing;</li>
 * <li>subjects: {@code User} by username, {@code Group} by one of the review's groups, {@code ServiceAccount}
 * by name and namespace as user {@code system:serviceaccount:<ns>:<name>} (in a RoleBinding an empty
 * namespace means the binding's own);</li>
 * <li>resource rules: apiGroups, resources ({@code res}, {@code res/sub}, {@code * /sub}) and verbs match
 * exactly or by {@code *} (custom verbs like {@code post} are plain strings); a non-empty
 * {@code resourceNames} only matches a review that names one of them; non-resource rules match
 * {@code nonResourceURLs} exactly, by {@code *} or by a {@code /prefix/*}, only from ClusterRoles bound
 * cluster-wide.</li>
 * </ul>
 * Nothing that grants: {@code allowed: false} with no error, as the real server answers. A review without
 * user and groups, or without attributes, is refused with 422 as the API server validates it.
 * Not modelled: aggregated ClusterRoles ({@code aggregationRule}), the {@code system:masters} superuser,
 * webhook/Node authorizers.
 */
public final class RbacAuthorizer {

    static final String PATH = "/apis/authorization.k8s.io/v1/subjectaccessreviews";
    private static final String RBAC = "/apis/rbac.authorization.k8s.io/v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The stored objects, by list path: answers the list's JSON or null when the list cannot be read. */
    private final Function<String, JsonNode> lists;

    public RbacAuthorizer(Function<String, JsonNode> lists) {
        this.lists = lists;
    }

    /** What a review asks. {@code namespace}, {@code name}, {@code subresource} may be empty. */
    public record Attributes(String verb, String group, String resource, String subresource, String namespace,
            String name, String path) {

        public static Attributes resource(String verb, String group, String resource, String namespace, String name) {
            return new Attributes(verb, group, resource, "", namespace, name, null);
        }

        public static Attributes nonResource(String verb, String path) {
            return new Attributes(verb, "", "", "", "", "", path);
        }

        boolean isResource() {
            return path == null;
        }
    }

    /** The binding that allows it, as the API server's reason names it, else empty. */
    public Optional<String> allowedBy(String user, List<String> groups, Attributes attributes) {
        List<JsonNode> bindings = new ArrayList<>();
        if (attributes.isResource() && !attributes.namespace().isEmpty()) {
            items(RBAC + "/namespaces/" + attributes.namespace() + "/rolebindings").forEach(bindings::add);
        }
        items(RBAC + "/clusterrolebindings").forEach(bindings::add);
        for (JsonNode binding : bindings) {
            boolean namespaced = "RoleBinding".equals(binding.path("kind").asText())
                    || !binding.path("metadata").path("namespace").asText().isEmpty();
            String bindingNamespace = namespaced ? binding.path("metadata").path("namespace").asText() : "";
            Optional<String> subject = matchingSubject(binding, user, groups, bindingNamespace);
            if (subject.isEmpty()) {
                continue;
            }
            JsonNode role = role(binding.path("roleRef"), bindingNamespace);
            if (role == null) {
                continue;
            }
            for (JsonNode rule : role.path("rules")) {
                if (attributes.isResource() ? resourceRuleMatches(rule, attributes)
                        : !namespaced && nonResourceRuleMatches(rule, attributes)) {
                    String roleKind = binding.path("roleRef").path("kind").asText();
                    return Optional.of("RBAC: allowed by " + (namespaced ? "RoleBinding" : "ClusterRoleBinding") + " \""
                            + binding.path("metadata").path("name").asText()
                            + (namespaced ? "/" + bindingNamespace : "") + "\" of " + roleKind + " \""
                            + binding.path("roleRef").path("name").asText() + "\" to " + subject.get());
                }
            }
        }
        return Optional.empty();
    }

    /** The API server's answer to {@code POST /apis/authorization.k8s.io/v1/subjectaccessreviews}. */
    ObjectNode review(JsonNode body) throws InvalidReview {
        JsonNode spec = body.path("spec");
        String user = spec.path("user").asText("");
        List<String> groups = new ArrayList<>();
        spec.path("groups").forEach(g -> groups.add(g.asText()));
        if (user.isEmpty() && groups.isEmpty()) {
            throw new InvalidReview("spec.user: Invalid value: \"\": at least one of user or group must be specified");
        }
        JsonNode resource = spec.path("resourceAttributes");
        JsonNode nonResource = spec.path("nonResourceAttributes");
        if (resource.isMissingNode() == nonResource.isMissingNode()) {
            throw new InvalidReview("spec.resourceAttributes: Invalid value: exactly one of nonResourceAttributes or resourceAttributes must be specified");
        }
        Attributes attributes = resource.isMissingNode()
                ? Attributes.nonResource(nonResource.path("verb").asText(""), nonResource.path("path").asText(""))
                : new Attributes(resource.path("verb").asText(""), resource.path("group").asText(""),
                        resource.path("resource").asText(""), resource.path("subresource").asText(""),
                        resource.path("namespace").asText(""), resource.path("name").asText(""), null);
        Optional<String> reason = allowedBy(user, groups, attributes);
        ObjectNode answer = JSON.createObjectNode().put("apiVersion", "authorization.k8s.io/v1")
                .put("kind", "SubjectAccessReview");
        answer.putObject("metadata").put("creationTimestamp", (String) null);
        answer.set("spec", spec);
        ObjectNode status = answer.putObject("status").put("allowed", reason.isPresent());
        reason.ifPresent(r -> status.put("reason", r));
        return answer;
    }

    /** A review the API server's validation refuses (422). */
    static final class InvalidReview extends Exception {
        InvalidReview(String message) {
            super(message);
        }
    }

    private Optional<String> matchingSubject(JsonNode binding, String user, List<String> groups, String bindingNamespace) {
        for (JsonNode subject : binding.path("subjects")) {
            String kind = subject.path("kind").asText();
            String name = subject.path("name").asText();
            switch (kind) {
                case "User" -> {
                    if (name.equals(user)) {
                        return Optional.of("User \"" + name + "\"");
                    }
                }
                case "Group" -> {
                    if (groups.contains(name)) {
                        return Optional.of("Group \"" + name + "\"");
                    }
                }
                case "ServiceAccount" -> {
                    String namespace = subject.path("namespace").asText("");
                    if (namespace.isEmpty()) {
                        namespace = bindingNamespace;
                    }
                    if (!namespace.isEmpty() && ("system:serviceaccount:" + namespace + ":" + name).equals(user)) {
                        return Optional.of("ServiceAccount \"" + namespace + "/" + name + "\"");
                    }
                }
                default -> {
                    // unknown subject kinds never match
                }
            }
        }
        return Optional.empty();
    }

    private JsonNode role(JsonNode roleRef, String bindingNamespace) {
        String name = roleRef.path("name").asText();
        String kind = roleRef.path("kind").asText();
        String list = "Role".equals(kind) && !bindingNamespace.isEmpty()
                ? RBAC + "/namespaces/" + bindingNamespace + "/roles"
                : "ClusterRole".equals(kind) ? RBAC + "/clusterroles" : null;
        if (list == null) {
            return null;
        }
        for (JsonNode role : items(list)) {
            if (name.equals(role.path("metadata").path("name").asText())) {
                return role;
            }
        }
        return null;
    }

    private static boolean resourceRuleMatches(JsonNode rule, Attributes a) {
        if (!contains(rule.path("verbs"), a.verb()) || !contains(rule.path("apiGroups"), a.group())
                || !resourceMatches(rule.path("resources"), a.resource(), a.subresource())) {
            return false;
        }
        JsonNode names = rule.path("resourceNames");
        if (names.isEmpty()) {
            return true;
        }
        for (JsonNode n : names) {
            if (n.asText().equals(a.name()) && !a.name().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static boolean resourceMatches(JsonNode resources, String resource, String subresource) {
        String combined = subresource.isEmpty() ? resource : resource + "/" + subresource;
        for (JsonNode r : resources) {
            String value = r.asText();
            if (value.equals("*") || value.equals(combined)
                    || (!subresource.isEmpty() && value.equals("*/" + subresource))) {
                return true;
            }
        }
        return false;
    }

    private static boolean nonResourceRuleMatches(JsonNode rule, Attributes a) {
        if (!contains(rule.path("verbs"), a.verb())) {
            return false;
        }
        for (JsonNode url : rule.path("nonResourceURLs")) {
            String value = url.asText();
            if (value.equals("*") || value.equals(a.path())
                    || (value.endsWith("*") && a.path().startsWith(value.substring(0, value.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(JsonNode values, String wanted) {
        for (JsonNode v : values) {
            if (v.asText().equals("*") || v.asText().equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    private Iterable<JsonNode> items(String listPath) {
        JsonNode list = lists.apply(listPath);
        return list == null ? List.of() : list.path("items");
    }
}
