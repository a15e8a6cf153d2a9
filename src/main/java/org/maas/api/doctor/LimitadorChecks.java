package org.maas.api.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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

/**
 * Limitador answers and holds, for each model route on the gateway (its namespace {@code <route namespace>/<route
 * name>}), a limit of every tier's every rate in the tier config, by the names the rendered policies give them
 * ({@link PolicyRenderer#limitName}). What Limitador holds is what the Kuadrant operator wrote from the policies in
 * effect: a missing limit means the policy is not enforced for that route. Whether the data plane really counts
 * (the wasm filter sends the hits, a model returns {@code usage}) is beyond what Limitador's limits show.
 */
final class LimitadorChecks implements CheckGroup {

    static final String LIMITS = "limitador.limits";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NAMED = 5;

    private final String baseUrl;
    private final Duration timeout;
    private final HttpClient http;
    private final ModelCatalog catalog;
    private final Supplier<TierIndex> tiers;

    LimitadorChecks(String limitadorUrl, Duration timeout, ModelCatalog catalog, Supplier<TierIndex> tiers) {
        this.baseUrl = limitadorUrl.replaceAll("/+$", "");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.catalog = catalog;
        this.tiers = tiers;
    }

    @Override
    public List<String> checks() {
        return List.of(LIMITS);
    }

    @Override
    public String reads() {
        return "Limitador at " + baseUrl;
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

    /** The names of the limits Limitador holds for a route ({@code GET /limits/{namespace}}). */
    private Set<String> limits(String route) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/limits/"
                        + URLEncoder.encode(route, StandardCharsets.UTF_8)))
                .timeout(timeout).header("Accept", "application/json").GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new Doctor.Unanswered("Limitador answered HTTP " + response.statusCode() + " for " + route);
            }
            JsonNode body = JSON.readTree(response.body());
            if (!body.isArray()) {
                throw new Doctor.Unanswered("Limitador's limits of " + route + " are not a JSON array");
            }
            Set<String> names = new TreeSet<>();
            body.forEach(limit -> names.add(limit.path("name").asText()));
            return names;
        } catch (java.net.http.HttpTimeoutException e) {
            throw new Doctor.Unanswered("Limitador did not answer within " + timeout + " (maas.usage.limitador-timeout)");
        } catch (IOException e) {
            throw new Doctor.Unanswered("Limitador could not be read: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Doctor.Unanswered("interrupted reading Limitador");
        }
    }
}
