package org.maas.api.hostile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.ControlPlane.Pool;
import org.maas.api.testing.ControlPlaneResource;
import org.maas.api.testing.LogCapture;

/**
 * Issue 24 on the real control plane, maas-api as its own ServiceAccount with the shipped RBAC: callers who
 * send what a client library or an attacker might (flags spelled loosely, names that hide characters, many
 * creates at once, typos in admin paths), and what the API server is asked on their behalf.
 */
@QuarkusTest
@TestProfile(HostileCallersTest.SmallKeyCap.class)
@WithTestResource(value = ControlPlaneResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = "maas-api-hostile"),
        @ResourceArg(name = "gateway", value = "hostile-gw")})
class HostileCallersTest {

    private static final ControlPlane PLANE = ControlPlane.shared();
    private static final int KEY_CAP = 10;
    private static final Pattern LISTS = Pattern.compile(
            "(?m)^apiserver_request_total\\{[^}]*resource=\"(secrets|serviceaccounts)\"[^}]*verb=\"LIST\"[^}]*} (\\d+)");

    /** A cap smaller than the 60 creates, so that a race that counts too early shows every time. */
    public static class SmallKeyCap implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // 60 concurrent creates of one user must all race for the cap: none may stop at the caller's share
            // of Kubernetes work (8 by default, 429 beyond; FairSharesTest covers it).
            return Map.of("maas.api-keys.max-per-user", String.valueOf(KEY_CAP),
                    "maas.kubernetes.max-concurrent-requests-per-caller", "64");
        }
    }

    @TestHTTPResource("/v1/api-keys")
    URI apiKeys;

    // --- finding 1: flags are exact --------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"dryRun", "dryRun=", "dryRun=True", "dryRun=1", "dryRun=yes", "dryrun=true",
            "DRYRUN=false", "dryRun=false&dryRun=true", "dryRun=true&dryRun=true", "dryRun=true&dryrun=false"})
    void aDryRunFlagThatIsNotExactlyTrueOrFalseOnceIs400AndRevokesNothing(String query) {
        ControlPlane.User admin = admin();
        ControlPlane.User target = PLANE.user(Pool.FREE);
        mint(target);
        String account = accountName(target);

        given().auth().oauth2(admin.token()).delete("/v1/admin/users/" + target.name() + "/tokens?" + query)
                .then().statusCode(400).contentType(ContentType.JSON).body("error", equalTo("bad_request"));

        assertNotNull(PLANE.admin().serviceAccounts().inNamespace("hostile-gw-tier-free").withName(account).get(),
                "?" + query + " revoked for real");
    }

    @Test
    void anExactDryRunChangesNothingAndSaysSo() {
        ControlPlane.User admin = admin();
        ControlPlane.User target = PLANE.user(Pool.FREE);
        mint(target);
        given().auth().oauth2(admin.token()).delete("/v1/admin/users/" + target.name() + "/tokens?dryRun=true")
                .then().statusCode(200).body("dryRun", equalTo(true)).body("accounts.size()", equalTo(1));
        assertNotNull(PLANE.admin().serviceAccounts().inNamespace("hostile-gw-tier-free")
                .withName(accountName(target)).get());
    }

    // --- finding 3: authorize first --------------------------------------------------------------------------

    @Test
    void aNonAdminIsRefusedBeforeAnythingIsListedAndTheRefusalIsTheSameWhateverExists() {
        ControlPlane.User nobody = PLANE.user(Pool.FREE);
        ControlPlane.User target = PLANE.user(Pool.PREMIUM);
        createKey(target, "a");
        createKey(target, "b");

        long listsBefore = apiServerLists();
        Response withKeys = given().auth().oauth2(nobody.token()).get("/v1/admin/api-keys?user=" + target.name());
        Response unknown = given().auth().oauth2(nobody.token()).get("/v1/admin/api-keys?user=nobody-at-all");
        Response all = given().auth().oauth2(nobody.token()).get("/v1/admin/api-keys");
        Response revokeHeld = given().auth().oauth2(nobody.token()).delete("/v1/admin/users/" + target.name() + "/tokens");
        Response revokeUnknown = given().auth().oauth2(nobody.token()).delete("/v1/admin/users/nobody-at-all/tokens");
        long lists = apiServerLists() - listsBefore;

        for (Response refused : List.of(withKeys, unknown, all, revokeHeld, revokeUnknown)) {
            assertEquals(403, refused.statusCode(), refused.asString());
        }
        assertEquals(unknown.asString(), withKeys.asString(), "the refusal tells whether the user has keys");
        assertEquals(revokeUnknown.asString(), revokeHeld.asString(), "the refusal tells whether the user has accounts");
        assertFalse(withKeys.asString().contains(target.name()));
        assertEquals(0, lists, "LISTs of secrets or serviceaccounts the API server served for refused admin calls");
    }

    // --- finding 4: the key cap under concurrency ------------------------------------------------------------

    @Test
    void sixtyConcurrentCreatesLeaveExactlyTheCapOfLiveKeys() throws Exception {
        ControlPlane.User user = PLANE.user(Pool.ENTERPRISE);
        createKey(user, "first"); // the account exists: the race is about the count, not the account
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> creates = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            creates.add(http.sendAsync(HttpRequest.newBuilder(apiKeys).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + user.token()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"k" + i + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> create : creates) {
            statuses.add(create.get().statusCode());
        }

        List<String> live = given().auth().oauth2(user.token()).get("/v1/api-keys").then().statusCode(200)
                .extract().path("status");
        assertEquals(KEY_CAP, live.size(), "live keys after 60 concurrent creates; answers " + statuses);
        assertEquals(KEY_CAP - 1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertTrue(statuses.stream().allMatch(s -> s == 201 || s == 409), statuses.toString());
        long secrets = PLANE.admin().secrets().inNamespace("hostile-gw-tier-enterprise").list().getItems().stream()
                .filter(s -> accountName(user).equals(s.getMetadata().getLabels().get("maas.opendatahub.io/owner")))
                .count();
        assertEquals(KEY_CAP, secrets, "key Secrets in the tier namespace");
    }

    // --- finding 6: names a person can read ------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"nul\\u0000x|U+0000|4", "c1\\u0085|U+0085|3", "rtl\\u202Eexe.txt|U+202E|4",
            "\\u200B|U+200B|1", "\\u2066x|U+2066|1", "ok\\ufeff|U+FEFF|3", "a\\ud800|U+D800|2",
            "\\u00a0\\u00a0|only spaces|-", "\\u3000|only spaces|-", "   |only spaces|-"})
    void hiddenCharactersInAKeyNameAre400NamingTheCharacterAndItsPosition(String testCase) {
        String[] parts = testCase.split("\\|");
        ControlPlane.User user = PLANE.user(Pool.FREE);
        var refused = given().auth().oauth2(user.token()).contentType(ContentType.JSON)
                .body("{\"name\":\"" + parts[0] + "\"}").post("/v1/api-keys").then().statusCode(400)
                .body("error", equalTo("bad_request"));
        if (parts[2].equals("-")) {
            refused.body("message", containsString("(not only spaces)"));
        } else {
            refused.body("message", containsString(parts[1])).body("message", containsString("position " + parts[2]));
        }
    }

    @Test
    void namesAreComparedAfterNormalization() {
        ControlPlane.User user = PLANE.user(Pool.FREE);
        given().auth().oauth2(user.token()).contentType(ContentType.JSON).body("{\"name\":\"caf\\u00e9\"}")
                .post("/v1/api-keys").then().statusCode(201).body("name", equalTo("caf\u00e9"));
        given().auth().oauth2(user.token()).contentType(ContentType.JSON).body("{\"name\":\"cafe\\u0301\"}")
                .post("/v1/api-keys").then().statusCode(409);
        given().auth().oauth2(user.token()).contentType(ContentType.JSON).body("{\"name\":\"dup\"}")
                .post("/v1/api-keys").then().statusCode(201);
        given().auth().oauth2(user.token()).contentType(ContentType.JSON).body("{\"name\":\" dup\\u00a0\"}")
                .post("/v1/api-keys").then().statusCode(409);
    }

    @Test
    void theAuditLineEscapesEveryCharacterThatDoesNotShow() {
        ControlPlane.User user = PLANE.user(Pool.FREE);
        try (LogCapture log = LogCapture.start()) {
            given().auth().oauth2(user.token()).contentType(ContentType.JSON)
                    .body("{\"name\":\"a\\u202Eb\\u2066c\\u200Bd\"}").post("/v1/api-keys");
            String line = log.lines().stream().filter(l -> l.startsWith("maas.audit event=api_key_create")
                    && l.contains(user.name())).findFirst().orElseThrow();
            assertTrue(line.contains("name=\"a\\u202eb\\u2066c\\u200bd\""), line);
            assertTrue(line.codePoints().noneMatch(c -> c == 0x202E || c == 0x2066 || c == 0x200B), line);
        }
    }

    // --- finding 12: admin typos ----------------------------------------------------------------------------

    @Test
    void anAdminTypoIs404NotAnEmptySuccess() {
        ControlPlane.User admin = admin();
        ControlPlane.User target = PLANE.user(Pool.FREE);
        createKey(target, "k");
        String shouted = target.name().toUpperCase();
        given().auth().oauth2(admin.token()).delete("/v1/admin/users/" + shouted + "/tokens").then().statusCode(404)
                .contentType(ContentType.JSON).body("error", equalTo("not_found"));
        given().auth().oauth2(admin.token()).delete("/v1/admin/users/" + target.name() + "%20/tokens?dryRun=true")
                .then().statusCode(404);
        given().auth().oauth2(admin.token()).get("/v1/admin/api-keys?user=" + shouted).then().statusCode(404);
        given().auth().oauth2(admin.token()).get("/v1/admin/api-keys?tier=bogus").then().statusCode(404)
                .body("message", containsString("bogus"));
        given().auth().oauth2(admin.token()).get("/v1/admin/api-keys?user=" + target.name()).then().statusCode(200)
                .body("size()", equalTo(1));
        given().auth().oauth2(admin.token()).get("/v1/admin/api-keys?tier=free&user=" + target.name()).then()
                .statusCode(200).body("size()", equalTo(1));
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private static ControlPlane.User admin;

    /** An admin as docs/tokens.md asks for: delete serviceaccounts, here cluster-wide, bound to one user. */
    private static synchronized ControlPlane.User admin() {
        if (admin != null) {
            return admin;
        }
        admin = PLANE.user(Pool.ADMIN);
        String role = "hostile-admin-" + admin.name();
        PLANE.admin().resource(new ClusterRoleBuilder().withNewMetadata().withName(role).endMetadata()
                .withRules(new PolicyRuleBuilder().withApiGroups("").withResources("serviceaccounts")
                        .withVerbs("delete").build()).build()).serverSideApply();
        PLANE.admin().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(role).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", role)
                .addNewSubject().withKind("User").withApiGroup("rbac.authorization.k8s.io").withName(admin.name())
                .endSubject().build()).serverSideApply();
        Awaitility.await("the admin's binding is in force").atMost(Duration.ofSeconds(30)).until(() -> given()
                .auth().oauth2(admin.token()).get("/v1/admin/api-keys?tier=free").statusCode() == 200);
        return admin;
    }

    private static void mint(ControlPlane.User user) {
        given().auth().oauth2(user.token()).contentType(ContentType.JSON).body("{}").post("/v1/tokens").then()
                .statusCode(201);
    }

    private static void createKey(ControlPlane.User user, String name) {
        given().auth().oauth2(user.token()).contentType(ContentType.JSON).body("{\"name\":\"" + name + "\"}")
                .post("/v1/api-keys").then().statusCode(201);
    }

    /** The user's ServiceAccount name, as the API server shows it in the tier namespace. */
    private static String accountName(ControlPlane.User user) {
        return PLANE.admin().serviceAccounts().inAnyNamespace().list().getItems().stream()
                .filter(sa -> sa.getMetadata().getNamespace().startsWith("hostile-gw-tier-"))
                .filter(sa -> sa.getMetadata().getAnnotations() != null
                        && user.name().equals(sa.getMetadata().getAnnotations().get("maas.opendatahub.io/username")))
                .map(sa -> sa.getMetadata().getName()).findFirst().orElseThrow();
    }

    /** LIST requests of secrets and serviceaccounts the API server has served, by its own counter. */
    private static long apiServerLists() {
        String metrics = PLANE.admin().raw("/metrics");
        long total = 0;
        Matcher matcher = LISTS.matcher(metrics);
        while (matcher.find()) {
            total += Long.parseLong(matcher.group(2));
        }
        return total;
    }
}
