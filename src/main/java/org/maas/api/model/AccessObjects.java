package org.maas.api.model;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.maas.api.account.ManagedObjects;
import org.maas.api.identity.MaasIdentity;

/**
 * The Role and RoleBinding that let a model's tiers {@code post} to it, as maas-api applies them, and how
 * to recognise them. Named {@code maas-model-<model>-access}: upstream's clean-up deletes objects ending
 * in {@code -model-post-access} and {@code -model-post-access-tier-binding}, which these never do.
 */
final class AccessObjects {

    static final String MANAGED_BY = ManagedObjects.MANAGED_BY;
    static final String MANAGER = ManagedObjects.MANAGER;
    static final String MODEL_LABEL = "maas.opendatahub.io/model";
    static final String GROUP = "serving.kserve.io";
    static final String RESOURCE = "llminferenceservices";
    static final String KIND = "LLMInferenceService";
    static final String VERB = "post";
    private static final String RBAC = "rbac.authorization.k8s.io";
    private static final int MAX_NAME = 253;

    private AccessObjects() {
    }

    static String name(String model) {
        String name = "maas-model-" + model + "-access";
        if (name.length() <= MAX_NAME) {
            return name;
        }
        // Still unique per model, still not one of upstream's suffixes.
        String hash = sha256(model).substring(0, 10);
        return "maas-model-" + model.substring(0, MAX_NAME - 29) + "-" + hash + "-access";
    }

    static Role role(GenericKubernetesResource model, String apiVersion) {
        return new RoleBuilder().withMetadata(metadata(model, apiVersion).build())
                .withRules(new PolicyRuleBuilder().withApiGroups(GROUP).withResources(RESOURCE)
                        .withResourceNames(model.getMetadata().getName()).withVerbs(VERB).build())
                .build();
    }

    static RoleBinding binding(GenericKubernetesResource model, String apiVersion, Set<String> tiers,
                               MaasIdentity identity) {
        List<Subject> subjects = tiers.stream().sorted().map(tier -> new SubjectBuilder().withKind("Group")
                .withApiGroup(RBAC).withName(identity.tierGroup(tier)).build()).toList();
        return new RoleBindingBuilder().withMetadata(metadata(model, apiVersion).build())
                .withNewRoleRef().withApiGroup(RBAC).withKind("Role").withName(name(model.getMetadata().getName()))
                .endRoleRef()
                .withSubjects(subjects)
                .build();
    }

    private static io.fabric8.kubernetes.api.model.ObjectMetaBuilder metadata(GenericKubernetesResource model,
                                                                          String apiVersion) {
        String name = model.getMetadata().getName();
        OwnerReference owner = new OwnerReferenceBuilder().withApiVersion(apiVersion).withKind(KIND)
                .withName(name).withUid(model.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
        return new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withName(name(name)).withNamespace(model.getMetadata().getNamespace())
                .withLabels(Map.of(MANAGED_BY, MANAGER, MODEL_LABEL, label(name)))
                .withOwnerReferences(owner);
    }

    /** Only objects with maas-api's label are maas-api's: anything else it never changes or deletes. */
    static boolean ours(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels != null && MANAGER.equals(labels.get(MANAGED_BY));
    }

    /** Whether the live object already is what would be applied: then nothing is written. */
    static boolean current(Role live, Role desired) {
        return ours(live) && owned(live, desired) && Objects.equals(live.getRules(), desired.getRules());
    }

    static boolean current(RoleBinding live, RoleBinding desired) {
        return ours(live) && owned(live, desired) && Objects.equals(live.getRoleRef(), desired.getRoleRef())
                && Objects.equals(live.getSubjects(), desired.getSubjects());
    }

    private static boolean owned(HasMetadata live, HasMetadata desired) {
        return Objects.equals(live.getMetadata().getOwnerReferences(), desired.getMetadata().getOwnerReferences());
    }

    /** Label values are at most 63 characters; longer model names are hashed. */
    private static String label(String model) {
        return model.length() <= 63 ? model : sha256(model).substring(0, 63);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
