package org.maas.api.doctor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.maas.api.error.ApiException;
import org.maas.api.error.ErrorCode;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.model.Model;
import org.maas.api.model.ModelAccess;
import org.maas.api.model.ModelCatalog;
import org.maas.api.model.TierAnnotation;
import org.maas.api.tier.Tier;
import org.maas.api.tier.TierIndex;

/**
 * Every LLMInferenceService attached to the gateway (the model cache of GET /v1/models): ready, served by an
 * HTTPRoute whose parent is the gateway, callable by at least one tier (the gateway's own question, asked
 * through {@link ModelAccess} for a MaaS token of each tier: a ServiceAccount in the tier's namespace with its
 * groups), its tier annotation valid, and the annotation not left without effect.
 */
final class ModelChecks implements CheckGroup {

    static final String READY = "models.ready";
    static final String ROUTED = "models.routed";
    static final String CALLABLE = "models.callable";
    static final String ANNOTATION = "models.tier-annotation";
    static final String UNMANAGED = "models.annotation-unmanaged";
    /** At most this many models are named in one check's {@code seen}. */
    private static final int NAMED = 5;

    /** The user whose MaaS token in each tier the doctor asks about (the groups decide, not the name). */
    private static final String DOCTOR = "maas-doctor";

    private final ModelAccess access;
    private final ModelCatalog catalog;
    private final Supplier<TierIndex> tiers;
    private final MaasIdentity identity;
    private final boolean manageAccess;
    private final String gateway;

    ModelChecks(ModelAccess access, ModelCatalog catalog, Supplier<TierIndex> tiers, MaasIdentity identity,
                boolean manageAccess, String gateway) {
        this.access = access;
        this.catalog = catalog;
        this.tiers = tiers;
        this.identity = identity;
        this.manageAccess = manageAccess;
        this.gateway = gateway;
    }

    @Override
    public List<String> checks() {
        return List.of(READY, ROUTED, CALLABLE, ANNOTATION, UNMANAGED);
    }

    @Override
    public String reads() {
        return "the LLMInferenceServices and HTTPRoutes of gateway " + gateway;
    }

    @Override
    public List<Check> run() {
        List<Model> models = catalog.models();
        TierIndex index = tiers.get();
        if (models.isEmpty()) {
            String seen = "no LLMInferenceService is attached to gateway " + gateway;
            return List.of(Check.warn(READY, seen + ": GET /v1/models is empty for everyone", "name the gateway in the"
                            + " models' spec.router.gateway.refs (or give them an HTTPRoute whose parent is the gateway)"),
                    Check.pass(ROUTED, seen), Check.pass(CALLABLE, seen), Check.pass(ANNOTATION, seen),
                    Check.pass(UNMANAGED, seen));
        }
        List<String> notReady = new ArrayList<>();
        List<String> notRouted = new ArrayList<>();
        List<String> nobody = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        List<String> annotated = new ArrayList<>();
        Set<Model> callable = callable(models, index);
        for (Model model : models) {
            String name = model.namespace() + "/" + model.name();
            if (!model.ready()) {
                notReady.add(name);
            }
            if (!catalog.routedThroughGateway(model)) {
                notRouted.add(name + " (route " + model.route() + ")");
            }
            if (!callable.contains(model)) {
                nobody.add(name);
            }
            String annotation = catalog.tierAnnotation(model);
            if (annotation != null) {
                annotated.add(name);
                TierAnnotation parsed = TierAnnotation.parse(annotation, index);
                parsed.problems().forEach(p -> invalid.add(name + ": " + p.message()));
            }
        }
        int total = models.size();
        return List.of(
                verdict(READY, total, notReady, "not Ready", "Ready", "see the model's status conditions (kubectl describe"
                        + " llminferenceservice); a model that is not Ready answers 503 through the gateway", false),
                verdict(ROUTED, total, notRouted, "without an HTTPRoute whose parent is the gateway",
                        "served by an HTTPRoute on the gateway", "give the model a"
                        + " route on the gateway (spec.router.route: {} lets KServe create it) or fix the route's"
                        + " parentRefs; without one the gateway has no path to it", false),
                verdict(CALLABLE, total, nobody, "callable by no tier: no one can call this model",
                        "callable by at least one tier", manageAccess
                        ? "list the tiers in its annotation " + TierAnnotation.KEY + " (e.g. [\"free\"], [] for all)"
                        : "grant post on the model to the tiers' groups (system:serviceaccounts:<tier namespace>) with a"
                        + " RoleBinding, or turn on maas.models.manage-access and annotate it", false),
                verdict(ANNOTATION, total, invalid, "with an invalid " + TierAnnotation.KEY,
                        "with a valid " + TierAnnotation.KEY + " or none", "write the annotation as a"
                        + " JSON array of tier names from GET /v1/tiers", false),
                manageAccess || annotated.isEmpty()
                        ? Check.pass(UNMANAGED, manageAccess ? "maas.models.manage-access is on: annotations grant access"
                        : "no model carries " + TierAnnotation.KEY)
                        : verdict(UNMANAGED, total, annotated, "annotated with " + TierAnnotation.KEY + " while"
                        + " maas.models.manage-access is off, so the annotation grants nothing", "", "turn on"
                        + " maas.models.manage-access (overlays/model-access), or grant access with RoleBindings and"
                        + " drop the annotation", true));
    }

    /**
     * The models some tier's MaaS token may post on, as the gateway asks; a review that failed leaves the
     * checks unknown rather than calling the model uncallable.
     */
    private Set<Model> callable(List<Model> models, TierIndex index) {
        Set<Model> callable = new HashSet<>();
        for (Tier tier : index.tiers()) {
            for (ModelAccess.Verdict verdict : access.verdicts(identity.tokenSubject(tier.name(), DOCTOR), models,
                    "the doctor")) {
                if (verdict.allowed() == null) {
                    throw new ApiException(ErrorCode.INTERNAL_ERROR, "the access review of " + verdict.model().namespace() + "/" + verdict.model().name()
                            + " failed: " + verdict.failure());
                }
                if (verdict.allowed()) {
                    callable.add(verdict.model());
                }
            }
        }
        return callable;
    }

    private static Check verdict(String check, int total, List<String> bad, String what, String good, String fix,
                                 boolean warn) {
        if (bad.isEmpty()) {
            return Check.pass(check, "all " + total + " models on the gateway " + good);
        }
        String named = String.join("; ", bad.subList(0, Math.min(NAMED, bad.size())))
                + (bad.size() > NAMED ? "; and " + (bad.size() - NAMED) + " more" : "");
        String seen = bad.size() + " of " + total + " models " + what + ": " + named;
        return warn ? Check.warn(check, seen, fix) : Check.fail(check, seen, fix);
    }
}
