package org.maas.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stub's SubjectAccessReview, asked through fabric8 as maas-api asks it, against stored RBAC objects. */
class RbacAuthorizerTest {

    private static final String NS = "models";
    private static final String PREMIUM = "system:serviceaccounts:maas-default-gateway-tier-premium";
    private static final String ALICE_SA = "system:serviceaccount:maas-default-gateway-tier-premium:alice-abc";

    private final KubernetesApiStub api = new KubernetesApiStub();
    private NamespacedKubernetesClient client;

    @BeforeEach
    void start() {
        api.start();
        client = api.client();
    }

    @AfterEach
    void stop() {
        api.stop();
    }

    @Test
    void nothingStoredDeniesWithoutAnError() {
        SubjectAccessReview review = ask(ALICE_SA, List.of(PREMIUM), "post", "llama");
        assertFalse(review.getStatus().getAllowed());
    }

    @Test
    void aRoleBindingToATierGroupAllowsThatOneModelInThatNamespaceOnly() {
        postRole("llama-post", "llama");
        bind("llama-post", "Role", group(PREMIUM));

        assertTrue(ask(ALICE_SA, List.of("system:authenticated", PREMIUM), "post", "llama").getStatus().getAllowed());
        assertTrue(ask(ALICE_SA, List.of(PREMIUM), "post", "llama").getStatus().getReason().contains("RoleBinding"));
        assertFalse(ask(ALICE_SA, List.of(PREMIUM), "post", "mistral").getStatus().getAllowed(), "another name");
        assertFalse(ask(ALICE_SA, List.of(PREMIUM), "get", "llama").getStatus().getAllowed(), "another verb");
        assertFalse(ask("system:serviceaccount:maas-default-gateway-tier-free:bob",
                List.of("system:serviceaccounts:maas-default-gateway-tier-free"), "post", "llama").getStatus().getAllowed());
        assertFalse(askIn("elsewhere", ALICE_SA, List.of(PREMIUM), "post", "llama").getStatus().getAllowed(),
                "a RoleBinding grants in its own namespace only");
    }

    @Test
    void resourceNamesDoNotMatchAReviewWithoutAName() {
        postRole("llama-post", "llama");
        bind("llama-post", "Role", group(PREMIUM));
        assertFalse(ask(ALICE_SA, List.of(PREMIUM), "post", "").getStatus().getAllowed());
    }

    @Test
    void userAndServiceAccountSubjects() {
        postRole("any-post", null);
        bind("any-post", "Role", new SubjectBuilder().withKind("User").withName("carol").build(),
                new SubjectBuilder().withKind("ServiceAccount").withName("alice-abc")
                        .withNamespace("maas-default-gateway-tier-premium").build(),
                new SubjectBuilder().withKind("ServiceAccount").withName("local").build());

        assertTrue(ask("carol", List.of(), "post", "llama").getStatus().getAllowed());
        assertTrue(ask(ALICE_SA, List.of(), "post", "mistral").getStatus().getAllowed());
        assertTrue(ask("system:serviceaccount:" + NS + ":local", List.of(), "post", "x").getStatus().getAllowed(),
                "a ServiceAccount without namespace in a RoleBinding is the binding's namespace's");
        assertFalse(ask("system:serviceaccount:other:alice-abc", List.of(), "post", "llama").getStatus().getAllowed());
        assertFalse(ask("dave", List.of("carol"), "post", "llama").getStatus().getAllowed(), "a group is not a user");
    }

    @Test
    void clusterRolesThroughRoleBindingsAndClusterRoleBindingsWithWildcards() {
        client.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName("models-user").endMetadata()
                .withRules(new PolicyRuleBuilder().withApiGroups("serving.kserve.io").withResources("*")
                        .withVerbs("*").build()).build()).create();
        bind("models-user", "ClusterRole", group("team-a"));
        assertTrue(ask("x", List.of("team-a"), "post", "llama").getStatus().getAllowed());
        assertFalse(askIn("elsewhere", "x", List.of("team-a"), "post", "llama").getStatus().getAllowed());

        client.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
                .withName("everywhere").endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "models-user")
                .withSubjects(group("team-b")).build()).create();
        assertTrue(askIn("elsewhere", "y", List.of("team-b"), "post", "llama").getStatus().getAllowed());
        assertFalse(askIn("elsewhere", "y", List.of("team-b"), "post", "llama", "apps").getStatus().getAllowed(),
                "another API group");
    }

    @Test
    void aBindingToAMissingRoleGrantsNothing() {
        bind("not-there", "Role", group(PREMIUM));
        assertFalse(ask(ALICE_SA, List.of(PREMIUM), "post", "llama").getStatus().getAllowed());
    }

    @Test
    void aReviewWithoutUserOrGroupsIsInvalid() {
        KubernetesClientException refused = org.junit.jupiter.api.Assertions.assertThrows(KubernetesClientException.class,
                () -> ask("", List.of(), "post", "llama"));
        assertEquals(422, refused.getCode());
        assertEquals(1, api.subjectAccessReviews());
    }

    private void postRole(String name, String resourceName) {
        PolicyRuleBuilder rule = new PolicyRuleBuilder().withApiGroups("serving.kserve.io")
                .withResources("llminferenceservices").withVerbs("post");
        if (resourceName != null) {
            rule.withResourceNames(resourceName);
        }
        client.rbac().roles().inNamespace(NS).resource(new RoleBuilder().withNewMetadata().withName(name)
                .withNamespace(NS).endMetadata().withRules(rule.build()).build()).create();
    }

    private void bind(String role, String kind, Subject... subjects) {
        client.rbac().roleBindings().inNamespace(NS).resource(new RoleBindingBuilder().withNewMetadata()
                .withName(role + "-binding").withNamespace(NS).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", kind, role).withSubjects(subjects).build()).create();
    }

    private static Subject group(String name) {
        return new SubjectBuilder().withKind("Group").withApiGroup("rbac.authorization.k8s.io").withName(name).build();
    }

    private SubjectAccessReview ask(String user, List<String> groups, String verb, String name) {
        return askIn(NS, user, groups, verb, name);
    }

    private SubjectAccessReview askIn(String namespace, String user, List<String> groups, String verb, String name) {
        return askIn(namespace, user, groups, verb, name, "serving.kserve.io");
    }

    private SubjectAccessReview askIn(String namespace, String user, List<String> groups, String verb, String name,
            String apiGroup) {
        return client.authorization().v1().subjectAccessReview().create(new SubjectAccessReviewBuilder()
                .withNewSpec().withUser(user.isEmpty() ? null : user).withGroups(groups)
                .withNewResourceAttributes().withGroup(apiGroup).withResource("llminferenceservices").withVerb(verb)
                .withNamespace(namespace).withName(name.isEmpty() ? null : name).endResourceAttributes()
                .endSpec().build());
    }
}
