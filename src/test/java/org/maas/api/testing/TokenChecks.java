package org.maas.api.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Base64;
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
     * kube-apiserver caches a successful token authentication for 10 s (per token and audiences): a token
     * reviewed just before its revocation is still accepted until then, one never reviewed is refused at once.
     */
    private static final Duration API_SERVER_TOKEN_CACHE = Duration.ofSeconds(20);

    private TokenChecks() {
    }

    /** A TokenReview for this audience (null: the API server's own), as system:masters. */
    public static boolean authenticates(String token, String audience) {
        var spec = new TokenReviewBuilder().withNewSpec().withToken(token);
        if (audience != null) {
            spec.withAudiences(audience);
        }
        var status = PLANE.admin().authentication().v1().tokenReviews().create(spec.endSpec().build()).getStatus();
        return Boolean.TRUE.equals(status.getAuthenticated());
    }

    /** The API server refuses the token for the audience, at the latest once its own cache has expired. */
    public static void awaitRefused(String token, String audience) {
        await("the API server refuses the revoked token").atMost(API_SERVER_TOKEN_CACHE)
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
