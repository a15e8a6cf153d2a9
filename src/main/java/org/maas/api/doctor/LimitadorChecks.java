package org.maas.api.doctor;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.maas.api.model.Model;
import org.maas.api.model.ModelCatalog;
import org.maas.api.policy.PolicyRenderer;
import org.maas.api.tier.Tier;
import org.maas.api.tier.TierIndex;
import org.maas.api.tier.TierLimits;
import org.maas.api.usage.LimitadorClient;

/**
 * Limitador answers and holds, for each model route on the gateway (its namespace {@code <route namespace>/<route
 * name>}), a limit of every tier's every rate in the tier config, by the names the rendered policies give them
 * ({@link PolicyRenderer#limitName}). What Limitador holds is what the Kuadrant operator wrote from the policies in
 * effect: a missing limit means the policy is not enforced for that route. Whether the data plane really counts
 * (the wasm filter sends the hits, a model returns {@code usage}) is beyond what Limitador's limits show.
 */
final class LimitadorChecks implements CheckGroup {

    static final String LIMITS = "limitador.limits";
    private static final int NAMED = 5;

    private final LimitadorClient limitador;
    private final ModelCatalog catalog;
    private final Supplier<TierIndex> tiers;

    LimitadorChecks(LimitadorClient limitador, ModelCatalog catalog, Supplier<TierIndex> tiers) {
        this.limitador = limitador;
        this.catalog = catalog;
        this.tiers = tiers;
    }

    @Override
    public List<String> checks() {
        return List.of(LIMITS);
    }

    @Override
    public String reads() {
        return "Limitador at " + limitador.url();
    }

    @Override
    public List<Check> run() {
        TierIndex index = tiers.get();
        Set<String> expected = new TreeSet<>();
        for (Tier tier : index.tiers()) {
            for (TierLimits.Rate rate : tier.limits().requests()) {
                expected.add(PolicyRenderer.limitName(tier.name(), PolicyRenderer.REQUESTS, rate.window()));
            }
            for (TierLimits.Rate rate : tier.limits().tokens()) {
                expected.add(PolicyRenderer.limitName(tier.name(), PolicyRenderer.TOKENS, rate.window()));
            }
        }
        Set<String> routes = new TreeSet<>();
        for (Model model : catalog.models()) {
            if (model.route() != null) {
                routes.add(model.route());
            }
        }
        if (routes.isEmpty()) {
            return List.of(Check.warn(LIMITS, "no model route on the gateway, so no Limitador namespace to look up",
                    "attach a model to the gateway, then run the doctor again"));
        }
        List<String> missing = new ArrayList<>();
        for (String route : routes) {
            Set<String> held = limits(route);
            Set<String> absent = new TreeSet<>(expected);
            absent.removeAll(held);
            if (!absent.isEmpty()) {
                missing.add(route + " lacks " + String.join(", ", absent));
            }
        }
        if (missing.isEmpty()) {
            return List.of(Check.pass(LIMITS, "Limitador holds the " + expected.size() + " tier limits for each of "
                    + routes.size() + " model routes"));
        }
        String named = String.join("; ", missing.subList(0, Math.min(NAMED, missing.size())))
                + (missing.size() > NAMED ? "; and " + (missing.size() - NAMED) + " more routes" : "");
        return List.of(Check.fail(LIMITS, missing.size() + " of " + routes.size() + " model routes miss tier limits in"
                + " Limitador: " + named, "check the policy.gateway-*-rate-limits checks: Limitador holds only the"
                + " limits of enforced policies; until then those requests are not limited"));
    }

    /** The names of the limits Limitador holds for a route; a read that fails leaves the check unknown. */
    private Set<String> limits(String route) {
        try {
            return limitador.limitNames(route);
        } catch (LimitadorClient.LimitadorException | UncheckedIOException e) {
            throw new Doctor.Unanswered(e.getMessage());
        }
    }
}
