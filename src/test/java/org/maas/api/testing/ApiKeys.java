package org.maas.api.testing;

import static io.restassured.RestAssured.given;

import io.fabric8.kubernetes.api.model.Secret;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Instant;

/** Calls of the key endpoints and looks at key Secrets on the real control plane, for the API tests. */
public final class ApiKeys {

    public static final String PATH = "/v1/api-keys";

    private ApiKeys() {
    }

    public static ValidatableResponse create(String bearer, String body) {
        var request = given().header("Authorization", "Bearer " + bearer);
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return request.when().post(PATH).then();
    }

    /** Creates a key with this name and returns the answer's {@code id} and {@code key}. */
    public static Created created(String bearer, String name) {
        ValidatableResponse response = create(bearer, "{\"name\": \"" + name + "\"}").statusCode(201);
        return new Created(response.extract().path("id"), response.extract().path("key"));
    }

    public record Created(String id, String key) {
    }

    public static ValidatableResponse list(String bearer) {
        return given().header("Authorization", "Bearer " + bearer).when().get(PATH).then();
    }

    public static ValidatableResponse get(String bearer, String id) {
        return given().header("Authorization", "Bearer " + bearer).when().get(PATH + "/" + id).then();
    }

    public static ValidatableResponse delete(String bearer, String id) {
        return given().header("Authorization", "Bearer " + bearer).when().delete(PATH + "/" + id).then();
    }

    /** The key's Secret, found by its uid (the key id) in any namespace, as system:masters sees it. */
    public static Secret secret(String id) {
        return ControlPlane.shared().admin().secrets().inAnyNamespace()
                .withLabel("maas.opendatahub.io/api-key", "true").list()
                .getItems().stream().filter(s -> id.equals(s.getMetadata().getUid())).findFirst().orElse(null);
    }

    /** As if time passed: the key's recorded expiry moves to this instant (its token keeps its own exp). */
    public static void setExpiry(String id, Instant expiresAt) {
        Secret secret = secret(id);
        ControlPlane.shared().admin().secrets().inNamespace(secret.getMetadata().getNamespace())
                .withName(secret.getMetadata().getName()).edit(s -> {
                    s.getMetadata().getAnnotations().put("maas.opendatahub.io/expires-at", expiresAt.toString());
                    return s;
                });
    }
}
