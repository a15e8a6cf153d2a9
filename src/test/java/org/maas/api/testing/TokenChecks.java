package org.maas.api.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the real control plane says about tokens, asked the way the gateway asks (a TokenReview with its
 * audience) and read without maas-api's code: the claims the API server signed, its request counters.
 */
public final class TokenChecks {

    private static final ControlPlane PLANE = ControlPlane.shared();
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * kube-apiserver caches a successful token authentication for 10 s, keyed by the token and the review's
     * audiences. A review for an audience here also names a second audience made up for that review alone:
     * no token carries it, and a token passes when one of its audiences is among the review's, so the verdict
     * is the one for the audience asked; but no cached success answers it, so a revocation shows at once
     * instead of after the cache expired (10 s per revocation a test checks).
     */
    private static final String ONE_OFF_AUDIENCE = "maas-test-uncached-";
    /** The API server sees a deleted ServiceAccount or Secret through its own informers: a short lag. */
    private static final Duration REFUSED_WITHIN = Duration.ofSeconds(20);

    private TokenChecks() {
    }

    /**
     * A TokenReview for this audience (null: the API server's own, which its cache may answer), as
     * system:masters, never answered from the API server's token cache (see {@link #ONE_OFF_AUDIENCE}).
     * An authenticated answer must be for exactly that audience.
     */
    public static TokenReview review(String token, String audience) {
        var spec = new TokenReviewBuilder().withNewSpec().withToken(token);
        if (audience != null) {
            spec.withAudiences(audience, ONE_OFF_AUDIENCE + UUID.randomUUID());
        }
        TokenReview review = PLANE.admin().authentication().v1().tokenReviews().create(spec.endSpec().build());
        if (audience != null && Boolean.TRUE.equals(review.getStatus().getAuthenticated())) {
            assertEquals(List.of(audience), review.getStatus().getAudiences(), "the audiences the token passed for");
        }
        return review;
    }

    /** Whether the API server accepts the token for this audience now (null: the API server's own). */
    public static boolean authenticates(String token, String audience) {
        return Boolean.TRUE.equals(review(token, audience).getStatus().getAuthenticated());
    }

    /** The API server refuses the token for the audience. */
    public static void awaitRefused(String token, String audience) {
        await("the API server refuses the revoked token").atMost(REFUSED_WITHIN)
                .until(() -> !authenticates(token, audience));
    }

    /** The payload of a JWT the API server signed (the signature is the TokenReview's business). */
    public static JsonNode claims(String jwt) {
        String[] parts = jwt.split("\\.");
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The tier namespace, made by maas-api (with its labels) through a mint of a fresh user of the pool when it
     * does not exist yet: fixtures that need the namespace never create it themselves.
     */
    public static void tierNamespace(String namespace, ControlPlane.Pool pool) {
        if (PLANE.admin().namespaces().withName(namespace).get() == null) {
            given().auth().oauth2(PLANE.user(pool).token()).post("/v1/tokens").then().statusCode(201);
        }
    }

    /**
     * How many requests with this verb on this resource (and subresource, "" for none) the API server has
     * answered so far, from every client: its own {@code apiserver_request_total}. Informers' LIST and WATCH are
     * verbs of their own, so they never count as a GET or POST.
     */
    public static long apiServerRequests(String verb, String resource, String subresource) {
        String metrics = PLANE.admin().raw(PLANE.apiUrl() + "/metrics");
        Pattern series = Pattern.compile("^apiserver_request_total\\{([^}]*)} (\\S+)$", Pattern.MULTILINE);
        Matcher line = series.matcher(metrics);
        long total = 0;
        while (line.find()) {
            String labels = line.group(1);
            if (labels.contains("resource=\"" + resource + "\"") && labels.contains("verb=\"" + verb + "\"")
                    && labels.contains("subresource=\"" + subresource + "\"")) {
                total += (long) Double.parseDouble(line.group(2));
            }
        }
        return total;
    }

    /** One series of maas-api's /q/metrics (name with its labels, as exposed), 0 when not there yet. */
    public static double metric(String series) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String line : body.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }
}
