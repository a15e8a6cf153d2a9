package org.maas.api.doctor;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.maas.api.model.ModelFixtures;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.ControlPlane.Pool;
import org.maas.api.testing.ControlPlaneResource;
import org.maas.api.usage.LimitadorFake;

/**
 * GET /v1/admin/doctor on the real control plane, maas-api as its own ServiceAccount with the shipped RBAC only.
 * Each test starts from the gateway side as the setup guide leaves it (every check passes) and breaks one thing
 * the way it breaks in the field, the status conditions written as the controllers write them.
 */
@QuarkusTest
@TestProfile(DoctorTest.Deadline.class)
@WithTestResource(value = ControlPlaneResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = DoctorTest.NAMESPACE),
        @ResourceArg(name = "gateway", value = DoctorTest.GATEWAY),
        @ResourceArg(name = "gateway-namespace", value = DoctorTest.GATEWAY_NAMESPACE),
        @ResourceArg(name = "overlays", value = "group-revocation")})
@WithTestResource(LimitadorFake.class)
class DoctorTest {

    /** Limitador's own timeout past the doctor's deadline, so that a silent Limitador meets the deadline. */
    public static class Deadline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("maas.doctor.check-deadline", "3s", "maas.usage.limitador-timeout", "20s");
        }
    }

    static final String NAMESPACE = "maas-api-doctor";
    static final String GATEWAY = "doctor-gw";
    static final String GATEWAY_NAMESPACE = "doctor-gw-ns";
    private static final String ADMIN_ROLE = "maas-doctor-test-admin";
    private static final List<String> TIER_NAMESPACES = List.of(GATEWAY + "-tier-free", GATEWAY + "-tier-premium",
            GATEWAY + "-tier-enterprise");
    private static final ControlPlane PLANE = ControlPlane.shared();

    private final GatewayFixtures gateway = new GatewayFixtures(PLANE.admin(), GATEWAY, GATEWAY_NAMESPACE, NAMESPACE);
    private static final String MODELS = "doctor-models";
    private static final String KSERVE = "v1alpha2";
    private static final ResourceDefinitionContext SERVICES = new ResourceDefinitionContext.Builder()
            .withGroup("serving.kserve.io").withVersion(KSERVE).withKind("LLMInferenceService")
            .withPlural("llminferenceservices").withNamespaced(true).build();
    private static final ResourceDefinitionContext ROUTES = new ResourceDefinitionContext.Builder()
            .withGroup("gateway.networking.k8s.io").withVersion("v1").withKind("HTTPRoute").withPlural("httproutes")
            .withNamespaced(true).build();
    /** The default tier config's limits, as docs/tiers.md names them (<tier>-<kind>-<window>). */
    private static final List<String> TIER_LIMITS = List.of("free-requests-2m", "free-tokens-1m",
            "premium-requests-2m", "premium-tokens-1m", "enterprise-requests-2m", "enterprise-tokens-1m");
    private final ModelFixtures models = new ModelFixtures(PLANE.admin(), KSERVE, GATEWAY);

    @Inject
    MeterRegistry registry;
    /** maas-api's own client: its ServiceAccount with the shipped RBAC. */
    @Inject
    io.fabric8.kubernetes.client.KubernetesClient client;
    @Inject
    org.maas.api.tier.TierCatalog catalog;
    private static final String PREMIUM_GROUP = "doctor-premium-users";

    /** docs/deployment.md's admin: delete serviceaccounts in every tier namespace, for the group maas-admins. */
    @BeforeEach
    void healthyGatewayAndAnAdmin() {
        PLANE.admin().resource(new ClusterRoleBuilder().withNewMetadata().withName(ADMIN_ROLE).endMetadata()
                .addNewRule().withApiGroups("").withResources("serviceaccounts").withVerbs("delete").endRule().build())
                .serverSideApply();
        for (String namespace : TIER_NAMESPACES) {
            PLANE.admin().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                    .serverSideApply();
            PLANE.admin().resource(new RoleBindingBuilder().withNewMetadata().withName(ADMIN_ROLE)
                    .withNamespace(namespace).endMetadata()
                    .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", ADMIN_ROLE)
                    .addNewSubject().withKind("Group").withApiGroup("rbac.authorization.k8s.io").withName("maas-admins")
                    .endSubject().build()).serverSideApply();
        }
        gateway.healthy();
        premiumIsAGroupOfItsOwn();
        if (PLANE.admin().genericKubernetesResources(SERVICES).inNamespace(MODELS).withName("good").get() == null) {
            model("good", true, null);
            models.grant(MODELS, "good", "system:serviceaccounts:" + GATEWAY + "-tier-free");
        }
        limitador(MODELS + "/good-kserve-route", TIER_LIMITS);
    }

    /**
     * The shipped tiers with premium's group renamed to a Group object of this class's own: Group objects are
     * cluster-wide, and premium-users is GroupRevocationTest's. Only groups change: limits and policies stay.
     */
    private void premiumIsAGroupOfItsOwn() {
        String tiers;
        try {
            tiers = java.nio.file.Files.readString(java.nio.file.Path.of("src/main/resources/default-tiers.yaml"))
                    .replace("- premium-users", "- " + PREMIUM_GROUP);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        PLANE.admin().configMaps().inNamespace(NAMESPACE).withName("tier-to-group-mapping")
                .edit(c -> {
                    c.setData(Map.of("tiers", tiers));
                    return c;
                });
        await("the tier config names " + PREMIUM_GROUP).atMost(Duration.ofSeconds(30)).until(() -> catalog.current()
                .tier("premium").map(t -> t.groups().contains(PREMIUM_GROUP)).orElse(false));
    }

    /** A model on the test's gateway with the route KServe would create for it (spec.router.route: {}). */
    private void model(String name, boolean ready, String tierAnnotation) {
        GenericKubernetesResource created = models.withRouter(MODELS, name, """
                gateway:
                  refs:
                    - name: %s
                      namespace: %s
                route: {}
                """.formatted(GATEWAY, GATEWAY_NAMESPACE), ready);
        if (tierAnnotation != null) {
            PLANE.admin().genericKubernetesResources(SERVICES).inNamespace(MODELS).withName(name)
                    .edit(m -> {
                        m.getMetadata().setAnnotations(Map.of("alpha.maas.opendatahub.io/tiers", tierAnnotation));
                        return m;
                    });
        }
        try {
            models.route(MODELS, name + "-kserve-route", GATEWAY, GATEWAY_NAMESPACE);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
        assertTrue(created != null);
    }

    private static void deleteModel(String name) {
        PLANE.admin().genericKubernetesResources(SERVICES).inNamespace(MODELS).withName(name).delete();
    }

    /** What Limitador holds for a route once the Kuadrant operator wrote the policies' limits. */
    private static void limitador(String route, List<String> limits) {
        LimitadorFake.counters(route, limits.stream().map(limit -> new LimitadorFake.Counter(limit, 5, 120,
                "someone", "4", 60)).toArray(LimitadorFake.Counter[]::new));
    }

    private static String adminToken;

    /** One admin of the pool for the class: the pool has a few, and every test asks the doctor several times. */
    private static synchronized String admin() {
        if (adminToken == null) {
            adminToken = PLANE.user(Pool.ADMIN).token();
        }
        return adminToken;
    }

    private static JsonPath doctor() {
        return given().auth().oauth2(admin()).get("/v1/admin/doctor").then().statusCode(200)
                .contentType("application/json").extract().jsonPath();
    }

    private static Map<String, Object> check(JsonPath report, String name) {
        List<Map<String, Object>> checks = report.getList("checks");
        return checks.stream().filter(c -> name.equals(c.get("check"))).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + checks));
    }

    private static void assertCheck(JsonPath report, String name, String status, String seen) {
        Map<String, Object> check = check(report, name);
        assertEquals(status, check.get("status"), name + ": " + check);
        assertTrue(String.valueOf(check.get("seen")).contains(seen), name + " should have seen \"" + seen + "\": " + check);
        if (status.equals("pass")) {
            assertEquals(null, check.get("fix"), name + ": a passing check has nothing to fix");
        } else {
            assertTrue(check.get("fix") instanceof String fix && !fix.isBlank(), name + " names a fix: " + check);
        }
    }

    @Test
    void theGatewayAsTheGuideLeavesItPassesTheGatewayAndPolicyChecks() {
        JsonPath report = doctor();
        assertCheck(report, "gateway.programmed", "pass", "Programmed=True (Programmed)");
        assertCheck(report, "gateway.listener", "pass", "routes from All");
        for (String policy : List.of("gateway-auth-policy", "gateway-rate-limits", "gateway-token-rate-limits",
                "maas-api-auth-policy", "maas-api-rate-limits", "maas-api-token-rate-limits")) {
            assertCheck(report, "policy." + policy, "pass", "Accepted=True (Accepted)");
            assertCheck(report, "policy." + policy, "pass", "Enforced=True (Enforced)");
        }
        assertCheck(report, "policy.gateway-rate-limits.rendered", "pass", "equals the policy rendered");
        assertCheck(report, "policy.gateway-token-rate-limits.rendered", "pass", "equals the policy rendered");
    }

    @Test
    void theRestPassesToo() {
        await("the model cache holds the model").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertCheck(doctor(), "models.ready", "pass", "all 1 models on the gateway Ready"));
        JsonPath report = doctor();
        assertCheck(report, "auth.tier-lookup", "pass", "POSTs JSON to http://maas-api." + NAMESPACE
                + ".svc.cluster.local:80/v1/tiers/lookup");
        assertCheck(report, "auth.audiences", "pass", "accept maas.tokens.audience " + GATEWAY + "-sa");
        assertCheck(report, "limitador.limits", "pass", "holds the 6 tier limits for each of 1 model routes");
        assertCheck(report, "models.routed", "pass", "served by an HTTPRoute on the gateway");
        assertCheck(report, "models.callable", "pass", "callable by at least one tier");
        assertCheck(report, "models.tier-annotation", "pass", "or none");
        assertCheck(report, "models.annotation-unmanaged", "pass", "no model carries");
        for (String feature : List.of("tiers", "tokens", "models", "doctor")) {
            assertCheck(report, "permissions." + feature, "pass", "maas-api holds all");
        }
        assertCheck(report, "permissions.policy-reconcile", "pass", "maas.policies.reconcile is off");
        assertCheck(report, "permissions.model-access", "pass", "maas.models.manage-access is off");
        assertCheck(report, "permissions.group-revocation", "pass", "is off");
        assertCheck(report, "tier-namespaces.stale-accounts", "pass", "no ServiceAccount in a tier namespace");
        assertEquals("pass", report.getString("status"), report.prettify());
    }

    @Test
    void aTierLookupCalloutToAnotherServiceFails() {
        GatewayFixtures.Named policy = gateway.gatewayPolicy("gateway-auth-policy");
        GenericKubernetesResource live = gateway.get(policy);
        String json = io.fabric8.kubernetes.client.utils.Serialization.asJson(live)
                .replace("maas-api." + NAMESPACE + ".svc.cluster.local:80", "maas-api.maas-api.svc.cluster.local:8080")
                .replace("\"contentType\":\"application/json\",", "");
        gateway.apply(policy, io.fabric8.kubernetes.client.utils.Serialization.unmarshal(json,
                GenericKubernetesResource.class));
        gateway.accepted(policy);
        Map<String, Object> check = check(doctor(), "auth.tier-lookup");
        assertEquals("fail", check.get("status"), check.toString());
        String seen = (String) check.get("seen");
        assertTrue(seen.contains("host maas-api.maas-api.svc.cluster.local is not this maas-api's Service (maas-api."
                + NAMESPACE + ")"), seen);
        assertTrue(seen.contains("port 8080 is not the Service's http port 80"), seen);
        assertTrue(seen.contains("contentType application/x-www-form-urlencoded"), seen);
    }

    @Test
    void anAuthPolicyThatRefusesMaasTokensAudienceFails() {
        GatewayFixtures.Named policy = gateway.gatewayPolicy("gateway-auth-policy");
        GenericKubernetesResource live = gateway.get(policy);
        String json = io.fabric8.kubernetes.client.utils.Serialization.asJson(live)
                .replace("\"" + GATEWAY + "-sa\"", "\"maas-default-gateway-sa\"");
        gateway.apply(policy, io.fabric8.kubernetes.client.utils.Serialization.unmarshal(json,
                GenericKubernetesResource.class));
        gateway.accepted(policy);
        assertCheck(doctor(), "auth.audiences", "fail", "gateway-auth-policy accepts audiences [maas-default-gateway-sa],"
                + " not maas.tokens.audience " + GATEWAY + "-sa");
    }

    @Test
    void aRouteWithoutTheTierLimitsInLimitadorFails() {
        limitador(MODELS + "/good-kserve-route", List.of("free-requests-2m", "free-tokens-1m"));
        await("the model cache holds the model").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertCheck(doctor(), "limitador.limits", "fail", MODELS + "/good-kserve-route lacks"
                        + " enterprise-requests-2m, enterprise-tokens-1m, premium-requests-2m, premium-tokens-1m"));
    }

    @Test
    void aLimitadorThatDoesNotAnswerWithinTheDeadlineIsUnknownWithTheReason() {
        LimitadorFake.slow(MODELS + "/good-kserve-route", 15_000);
        try {
            await("the model cache holds the model").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonPath report = doctor();
                assertCheck(report, "limitador.limits", "unknown", "Limitador at http://127.0.0.1:");
                assertCheck(report, "limitador.limits", "unknown", "no answer within 3000 ms (maas.doctor.check-deadline)");
                assertCheck(report, "gateway.programmed", "pass", "Programmed=True"); // the other groups answered
            });
        } finally {
            limitador(MODELS + "/good-kserve-route", TIER_LIMITS);
        }
    }

    @Test
    void aModelThatIsNotReadyHasNoRouteAndNoCallerFails() {
        model("broken", false, null);
        PLANE.admin().genericKubernetesResources(ROUTES).inNamespace(MODELS)
                .withName("broken-kserve-route").delete();
        limitador(MODELS + "/broken-kserve-route", TIER_LIMITS);
        try {
            await("the model cache sees it").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonPath report = doctor();
                assertCheck(report, "models.ready", "fail", "1 of 2 models not Ready: " + MODELS + "/broken");
                assertCheck(report, "models.routed", "fail", MODELS + "/broken (route " + MODELS
                        + "/broken-kserve-route)");
                assertCheck(report, "models.callable", "fail", "no one can call this model: " + MODELS + "/broken");
            });
        } finally {
            deleteModel("broken");
        }
    }

    @Test
    void aTierAnnotationNamingAnUnknownTierWhileAccessManagementIsOffIsNamed() {
        model("annotated", true, "[\"gold\"]");
        models.grant(MODELS, "annotated", "system:serviceaccounts:" + GATEWAY + "-tier-premium");
        limitador(MODELS + "/annotated-kserve-route", TIER_LIMITS);
        try {
            await("the model cache sees it").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonPath report = doctor();
                assertCheck(report, "models.tier-annotation", "fail", MODELS + "/annotated: "
                        + "alpha.maas.opendatahub.io/tiers names tier \"gold\", which the tier config does not have");
                assertCheck(report, "models.annotation-unmanaged", "warn", "1 of 2 models annotated with");
                assertCheck(report, "models.callable", "pass", "callable by at least one tier");
            });
        } finally {
            deleteModel("annotated");
            PLANE.admin().rbac().roleBindings().inNamespace(MODELS).withName("annotated-post").delete();
            PLANE.admin().rbac().roles().inNamespace(MODELS).withName("annotated-post").delete();
        }
    }

    @Test
    void anAccountOfAUserWhoLeftTheTiersGroupIsNamedEvenWithRevocationOff() {
        String account = org.maas.api.testing.Identities.forGateway(GATEWAY).serviceAccountName("doctor-leaver");
        String premium = GATEWAY + "-tier-premium";
        GenericKubernetesResource members = io.fabric8.kubernetes.client.utils.Serialization.unmarshal("""
                apiVersion: user.openshift.io/v1
                kind: Group
                metadata:
                  name: %s
                users: [someone-else]
                """.formatted(PREMIUM_GROUP), GenericKubernetesResource.class);
        PLANE.admin().resource(members).forceConflicts().serverSideApply();
        // what maas-api's mint leaves in the tier namespace (ManagedObjects' labels and owner annotation)
        PLANE.admin().serviceAccounts().inNamespace(premium).resource(new io.fabric8.kubernetes.api.model
                .ServiceAccountBuilder().withNewMetadata().withName(account).withNamespace(premium)
                .addToLabels("app.kubernetes.io/managed-by", "maas-api").addToLabels("maas.opendatahub.io/tier", "premium")
                .addToAnnotations("maas.opendatahub.io/username", "doctor-leaver").endMetadata().build())
                .serverSideApply();
        try {
            assertCheck(doctor(), "tier-namespaces.stale-accounts", "warn", premium + "/" + account
                    + " of doctor-leaver (tier premium, now free)");
            members.setAdditionalProperty("users", List.of("someone-else", "doctor-leaver"));
            PLANE.admin().resource(members).forceConflicts().serverSideApply();
            assertCheck(doctor(), "tier-namespaces.stale-accounts", "pass", "no ServiceAccount in a tier namespace");
        } finally {
            PLANE.admin().serviceAccounts().inNamespace(premium).withName(account).delete();
            PLANE.admin().resource(members).delete();
        }
    }

    @Test
    void aGatewayNoControllerProgrammedFails() {
        // Gateway API's CRD defaults a new Gateway's conditions to Unknown/Pending until a controller writes them
        gateway.conditions(gateway.gatewayObject(), GatewayFixtures.condition("Accepted", "False", "Invalid",
                "Unsupported address type"), GatewayFixtures.condition("Programmed", "False", "Invalid",
                "Unsupported address type"));
        assertCheck(doctor(), "gateway.programmed", "fail", "Programmed=False (Invalid): Unsupported address type");
    }

    @Test
    void aListenerThatTakesRoutesOnlyFromItsOwnNamespaceFails() {
        GenericKubernetesResource gw = gateway.get(gateway.gatewayObject());
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) gw.getAdditionalProperties().get("spec");
        @SuppressWarnings("unchecked")
        Map<String, Object> listener = ((List<Map<String, Object>>) spec.get("listeners")).get(0);
        listener.put("allowedRoutes", Map.of("namespaces", Map.of("from", "Same")));
        gateway.apply(gateway.gatewayObject(), gw);
        assertCheck(doctor(), "gateway.listener", "fail", "routes from Same");
    }

    @Test
    void aMissingGatewayFailsBothGatewayChecks() {
        gateway.delete(gateway.gatewayObject());
        JsonPath report = doctor();
        assertCheck(report, "gateway.programmed", "fail", "not found");
        assertCheck(report, "gateway.listener", "fail", "not found");
    }

    @Test
    void anOverriddenTokenRateLimitPolicyFailsNamingWhatOverridesIt() {
        gateway.overridden(gateway.gatewayPolicy("gateway-token-rate-limits"), GATEWAY_NAMESPACE + "/other-trlp");
        JsonPath report = doctor();
        assertCheck(report, "policy.gateway-token-rate-limits", "fail",
                "Enforced=False (Overridden): TokenRateLimitPolicy is overridden by [" + GATEWAY_NAMESPACE + "/other-trlp]");
        assertCheck(report, "policy.gateway-rate-limits", "pass", "Enforced=True");
    }

    @Test
    void aPolicyWhoseTargetIsMissingFails() {
        gateway.targetNotFound(gateway.ownPolicy("maas-api-rate-limits"), "maas-api-route");
        assertCheck(doctor(), "policy.maas-api-rate-limits", "fail", "Accepted=False (TargetNotFound)");
    }

    @Test
    void aPolicyTheOperatorNeverReconciledFails() {
        gateway.conditions(gateway.gatewayPolicy("gateway-auth-policy"));
        assertCheck(doctor(), "policy.gateway-auth-policy", "fail", "has no status");
    }

    @Test
    void aMissingPolicyFailsAndHoldsNoLimit() {
        gateway.delete(gateway.gatewayPolicy("gateway-rate-limits"));
        JsonPath report = doctor();
        assertCheck(report, "policy.gateway-rate-limits", "fail", "not found");
        assertCheck(report, "policy.gateway-rate-limits.rendered", "fail", "not found");
    }

    @Test
    void aLimitEditedByHandIsNamedAsDrift() {
        GatewayFixtures.Named policy = gateway.gatewayPolicy("gateway-rate-limits");
        GenericKubernetesResource live = gateway.get(policy);
        @SuppressWarnings("unchecked")
        Map<String, Object> limits = (Map<String, Object>) ((Map<String, Object>) live.getAdditionalProperties()
                .get("spec")).get("limits");
        @SuppressWarnings("unchecked")
        Map<String, Object> free = (Map<String, Object>) limits.get("free-requests-2m");
        free.put("rates", List.of(Map.of("limit", 500, "window", "2m")));
        limits.remove("premium-requests-2m");
        gateway.apply(policy, live);
        gateway.accepted(policy);
        JsonPath report = doctor();
        assertCheck(report, "policy.gateway-rate-limits.rendered", "fail",
                "limit free-requests-2m differs (500/2m live, 5/2m rendered)");
        assertCheck(report, "policy.gateway-rate-limits.rendered", "fail", "limit premium-requests-2m missing");
        assertCheck(report, "policy.gateway-rate-limits", "pass", "Enforced=True");
    }

    /** The six shipped policies: kind as the check names it, and whether it lives on the gateway or maas-api's route. */
    private GatewayFixtures.Named policy(String name) {
        return name.startsWith("gateway-") ? gateway.gatewayPolicy(name) : gateway.ownPolicy(name);
    }

    @ParameterizedTest
    @CsvSource({"gateway-auth-policy, AuthPolicy", "gateway-rate-limits, RateLimitPolicy",
            "gateway-token-rate-limits, TokenRateLimitPolicy", "maas-api-auth-policy, AuthPolicy",
            "maas-api-rate-limits, RateLimitPolicy", "maas-api-token-rate-limits, TokenRateLimitPolicy"})
    void eachShippedPolicyOverriddenFails(String name, String kind) {
        gateway.overridden(policy(name), "elsewhere/other");
        assertCheck(doctor(), "policy." + name, "fail", "Accepted=True (Accepted): " + kind + " has been accepted; "
                + "Enforced=False (Overridden): " + kind + " is overridden by [elsewhere/other]");
    }

    @ParameterizedTest
    @CsvSource({"gateway-auth-policy, AuthPolicy", "gateway-rate-limits, RateLimitPolicy",
            "gateway-token-rate-limits, TokenRateLimitPolicy", "maas-api-auth-policy, AuthPolicy",
            "maas-api-rate-limits, RateLimitPolicy", "maas-api-token-rate-limits, TokenRateLimitPolicy"})
    void eachShippedPolicyWhoseTargetIsMissingFails(String name, String kind) {
        gateway.targetNotFound(policy(name), "gone");
        assertCheck(doctor(), "policy." + name, "fail",
                "Accepted=False (TargetNotFound): " + kind + " target gone was not found");
    }

    @ParameterizedTest
    @CsvSource({"gateway-auth-policy, AuthPolicy " + GATEWAY_NAMESPACE, "gateway-rate-limits, RateLimitPolicy "
            + GATEWAY_NAMESPACE, "gateway-token-rate-limits, TokenRateLimitPolicy " + GATEWAY_NAMESPACE,
            "maas-api-auth-policy, AuthPolicy " + NAMESPACE, "maas-api-rate-limits, RateLimitPolicy " + NAMESPACE,
            "maas-api-token-rate-limits, TokenRateLimitPolicy " + NAMESPACE})
    void eachShippedPolicyMissingOrNeverReconciledFails(String name, String described) {
        gateway.conditions(policy(name));
        assertCheck(doctor(), "policy." + name, "fail", described + "/" + name
                + " has no status: the Kuadrant operator has not reconciled it");
        gateway.delete(policy(name));
        assertCheck(doctor(), "policy." + name, "fail", described + "/" + name + " not found");
    }

    @Test
    void aTokenLimitEditedByHandIsNamedAsDrift() {
        GatewayFixtures.Named policy = gateway.gatewayPolicy("gateway-token-rate-limits");
        GenericKubernetesResource live = gateway.get(policy);
        @SuppressWarnings("unchecked")
        Map<String, Object> limits = (Map<String, Object>) ((Map<String, Object>) live.getAdditionalProperties()
                .get("spec")).get("limits");
        @SuppressWarnings("unchecked")
        Map<String, Object> premium = (Map<String, Object>) limits.get("premium-tokens-1m");
        premium.put("rates", List.of(Map.of("limit", 7, "window", "1m")));
        limits.remove("enterprise-tokens-1m");
        limits.put("gold-tokens-1m", premium);
        gateway.apply(policy, live);
        gateway.accepted(policy);
        JsonPath report = doctor();
        // docs/tiers.md: premium's token limit is 50000 per 1m
        assertCheck(report, "policy.gateway-token-rate-limits.rendered", "fail",
                "limit premium-tokens-1m differs (7/1m live, 50000/1m rendered)");
        assertCheck(report, "policy.gateway-token-rate-limits.rendered", "fail", "limit enterprise-tokens-1m missing");
        assertCheck(report, "policy.gateway-token-rate-limits.rendered", "fail",
                "limit gold-tokens-1m not in the tier config");
        assertCheck(report, "policy.gateway-rate-limits.rendered", "pass", "equals the policy rendered");
    }

    /** A spec change the operator has not reconciled yet: generation moves on, the status stays. */
    private long editSpec(GatewayFixtures.Named policy) {
        GenericKubernetesResource edited = PLANE.admin().genericKubernetesResources(policy.kind())
                .inNamespace(policy.namespace()).withName(policy.name()).edit(p -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> limits = (Map<String, Object>) ((Map<String, Object>) p.getAdditionalProperties()
                            .get("spec")).get("limits");
                    limits.put("per-user-extra", Map.of("rates", List.of(Map.of("limit", 1, "window", "1m"))));
                    return p;
                });
        return edited.getMetadata().getGeneration();
    }

    @Test
    void anEnforcedStatusAboutAnOlderSpecWarnsUntilTheOperatorCatchesUp() {
        GatewayFixtures.Named policy = gateway.ownPolicy("maas-api-rate-limits");
        long before = gateway.get(policy).getMetadata().getGeneration();
        long after = editSpec(policy);
        assertEquals(before + 1, after, "a spec change is a new generation");
        assertCheck(doctor(), "policy.maas-api-rate-limits", "warn", "Enforced=True (Enforced): RateLimitPolicy has been"
                + " successfully enforced, but about an older spec: metadata.generation is " + after
                + ", status.observedGeneration " + before);
        gateway.accepted(policy); // the operator reconciles: status.observedGeneration = generation
        assertCheck(doctor(), "policy.maas-api-rate-limits", "pass", "Enforced=True (Enforced)");
    }

    @Test
    void aConditionAboutAnOlderGenerationWarns() {
        GatewayFixtures.Named policy = gateway.gatewayPolicy("gateway-auth-policy");
        long generation = gateway.get(policy).getMetadata().getGeneration();
        Map<String, Object> accepted = GatewayFixtures.condition("Accepted", "True", "Accepted",
                "AuthPolicy has been accepted");
        accepted.put("observedGeneration", generation);
        Map<String, Object> enforced = GatewayFixtures.condition("Enforced", "True", "Enforced",
                "AuthPolicy has been successfully enforced");
        enforced.put("observedGeneration", generation - 1);
        gateway.conditions(policy, accepted, enforced); // status.observedGeneration is current
        assertCheck(doctor(), "policy.gateway-auth-policy", "warn", "but about an older spec: metadata.generation is "
                + generation + ", Enforced observedGeneration " + (generation - 1));
        enforced.put("observedGeneration", generation);
        gateway.conditions(policy, accepted, enforced);
        assertCheck(doctor(), "policy.gateway-auth-policy", "pass", "Enforced=True (Enforced)");
    }

    @Test
    void tierNamespacesAndAudienceFromAnotherGatewayWarn() {
        // auth.audiences' warn depends on maas.gateway.tier-namespace-prefix and maas.tokens.audience, fixed for
        // this boot: the same check, built with another identity, reads the same live AuthPolicies
        AuthChecks checks = new AuthChecks(PLANE.admin(), GATEWAY_NAMESPACE, GATEWAY, NAMESPACE,
                new org.maas.api.identity.MaasIdentity("other-tier-", GATEWAY + "-sa"));
        Check audiences = checks.run().stream().filter(c -> c.check().equals("auth.audiences")).findFirst()
                .orElseThrow();
        assertEquals(Check.Status.warn, audiences.status(), audiences.toString());
        assertEquals("the AuthPolicies accept " + GATEWAY + "-sa, but the tier namespaces (other-tier-<tier>) and the"
                + " audience do not both derive from gateway " + GATEWAY + " as upstream's components expect ("
                + GATEWAY + "-tier-<tier>, " + GATEWAY + "-sa)", audiences.seen());
        assertTrue(audiences.fix() != null && audiences.fix().contains("maas.gateway.tier-namespace-prefix"),
                audiences.toString());
    }

    @Test
    void aGatewayWithoutModelsWarnsThatNoOneHasModelsOrLimits() {
        deleteModel("good");
        try {
            await("the model cache sees no model").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonPath report = doctor();
                assertCheck(report, "models.ready", "warn", "no LLMInferenceService is attached to gateway " + GATEWAY
                        + ": GET /v1/models is empty for everyone");
                assertCheck(report, "limitador.limits", "warn",
                        "no model route on the gateway, so no Limitador namespace to look up");
            });
        } finally {
            model("good", true, null); // its grant (good-post) stays
            await("the model cache holds the model again").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertCheck(doctor(), "models.ready", "pass", "all 1 models on the gateway Ready"));
        }
    }

    /** The shipped RBAC again, and the authorizer seeing it, so that no later test meets the gap. */
    private void restoreShippedRbac(String check) {
        PLANE.maasApi(NAMESPACE, GATEWAY_NAMESPACE, new String[] {"group-revocation"});
        await("RBAC applies the restored bindings").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertCheck(doctor(), check, "pass", "maas-api holds all"));
    }

    @Test
    void withoutTheTierConfigRoleBindingPermissionsTiersFails() {
        PLANE.admin().rbac().roleBindings().inNamespace(NAMESPACE).withName("maas-api-tier-config").delete();
        try {
            await("RBAC applies the removed binding").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertCheck(doctor(), "permissions.tiers", "fail", "maas-api may not get configmaps"
                            + " tier-to-group-mapping in " + NAMESPACE + ", watch configmaps tier-to-group-mapping in "
                            + NAMESPACE + " (maas.tiers.source=configmap)"));
            assertCheck(doctor(), "permissions.models", "pass", "maas-api holds all");
        } finally {
            restoreShippedRbac("permissions.tiers");
        }
    }

    @Test
    void withoutTheModelsBindingPermissionsModelsFails() {
        PLANE.admin().rbac().clusterRoleBindings().withName("maas-api-models-" + NAMESPACE).delete();
        try {
            await("RBAC applies the removed binding").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertCheck(doctor(), "permissions.models", "fail", "maas-api may not list"
                            + " llminferenceservices.serving.kserve.io, watch llminferenceservices.serving.kserve.io,"
                            + " list httproutes.gateway.networking.k8s.io, watch httproutes.gateway.networking.k8s.io"));
            assertCheck(doctor(), "permissions.tiers", "pass", "maas-api holds all");
        } finally {
            restoreShippedRbac("permissions.models");
        }
    }

    /**
     * Without the tokens binding maas-api could not review the admin's token or authorize the doctor call itself,
     * so the test grants back only those two (a narrower ClusterRole of its own): the rest is the gap.
     */
    @Test
    void withoutTheTokensBindingPermissionsTokensFailsNamingWhatIsMissing() {
        String reviews = "maas-doctor-test-reviews-only";
        PLANE.admin().resource(new ClusterRoleBuilder().withNewMetadata().withName(reviews).endMetadata()
                .addNewRule().withApiGroups("authentication.k8s.io").withResources("tokenreviews").withVerbs("create")
                .endRule().addNewRule().withApiGroups("authorization.k8s.io").withResources("subjectaccessreviews")
                .withVerbs("create").endRule().build()).serverSideApply();
        PLANE.admin().resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder().withNewMetadata()
                .withName(reviews).endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", reviews)
                .addNewSubject().withKind("ServiceAccount").withName("maas-api").withNamespace(NAMESPACE).endSubject()
                .build()).serverSideApply();
        PLANE.admin().rbac().clusterRoleBindings().withName("maas-api-tokens-" + NAMESPACE).delete();
        try {
            await("RBAC applies the removed binding").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertCheck(doctor(), "permissions.tokens", "fail", "maas-api may not create namespaces, create"
                            + " serviceaccounts, list serviceaccounts, delete serviceaccounts, create serviceaccounts/token,"
                            + " create secrets, list secrets"));
        } finally {
            try {
                restoreShippedRbac("permissions.tokens");
            } finally {
                PLANE.admin().rbac().clusterRoleBindings().withName(reviews).delete();
                PLANE.admin().rbac().clusterRoles().withName(reviews).delete();
            }
        }
    }

    /**
     * The opt-in features are off in this boot (their settings are fixed at start): the same checks, built as
     * DoctorSetup builds them with the features on, ask the real authorizer as maas-api's own ServiceAccount.
     * policy-reconcile and model-access are not bound here, group-revocation is until its binding goes.
     */
    @Test
    void anEnabledFeatureWhoseOverlayIsNotBoundFails() {
        PermissionChecks checks = new PermissionChecks(client, PermissionChecks.of(NAMESPACE, GATEWAY_NAMESPACE,
                new String[] {NAMESPACE, "tier-to-group-mapping"}, true, true, true));
        Map<String, Check> byName = new java.util.HashMap<>();
        checks.run().forEach(c -> byName.put(c.check(), c));
        assertEquals(Check.Status.fail, byName.get("permissions.policy-reconcile").status(), byName.toString());
        assertTrue(byName.get("permissions.policy-reconcile").seen().contains("patch ratelimitpolicies.kuadrant.io"
                + " gateway-rate-limits in " + GATEWAY_NAMESPACE), byName.toString());
        assertTrue(byName.get("permissions.policy-reconcile").fix().contains("overlays/policy-reconcile"),
                byName.toString());
        assertEquals(Check.Status.fail, byName.get("permissions.model-access").status(), byName.toString());
        assertTrue(byName.get("permissions.model-access").seen().contains("may not post"
                + " llminferenceservices.serving.kserve.io"), byName.toString());
        assertEquals(Check.Status.pass, byName.get("permissions.group-revocation").status(), byName.toString());
        assertEquals(Check.Status.pass, byName.get("permissions.tokens").status(), byName.toString());

        PLANE.admin().rbac().clusterRoleBindings().withName("maas-api-group-revocation-" + NAMESPACE).delete();
        try {
            await("RBAC applies the removed binding").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Check revocation = checks.run().stream().filter(c -> c.check().equals("permissions.group-revocation"))
                        .findFirst().orElseThrow();
                assertEquals(Check.Status.fail, revocation.status(), revocation.toString());
                assertTrue(revocation.seen().startsWith("maas-api may not list groups.user.openshift.io, watch"
                        + " groups.user.openshift.io"), revocation.toString());
            });
        } finally {
            PLANE.maasApi(NAMESPACE, GATEWAY_NAMESPACE, new String[] {"group-revocation"});
            await("RBAC applies the restored binding").atMost(Duration.ofSeconds(30)).until(() -> checks.run().stream()
                    .filter(c -> c.check().equals("permissions.group-revocation")).findFirst().orElseThrow()
                    .status() == Check.Status.pass);
        }
    }

    @Test
    void withoutItsReadPermissionTheGatewayChecksAreUnknownWithTheReason() {
        PLANE.admin().rbac().roleBindings().inNamespace(GATEWAY_NAMESPACE).withName("maas-api-doctor-gateway").delete();
        PLANE.admin().rbac().roleBindings().inNamespace(NAMESPACE).withName("maas-api-doctor").delete();
        PLANE.admin().rbac().clusterRoleBindings().withName("maas-api-group-revocation-" + NAMESPACE).delete();
        try {
            await("RBAC applies the removed binding").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertCheck(doctor(), "gateway.programmed", "unknown", "maas-api may not read it (403)"));
            JsonPath report = doctor();
            assertCheck(report, "gateway.listener", "unknown", "403");
            assertCheck(report, "policy.gateway-auth-policy", "unknown", "403");
            assertCheck(report, "policy.maas-api-auth-policy", "unknown", "403");
            assertCheck(report, "permissions.doctor", "fail", "maas-api may not get gateways.gateway.networking.k8s.io"
                    + " in " + GATEWAY_NAMESPACE);
            assertCheck(report, "permissions.models", "pass", "maas-api holds all");
            assertCheck(report, "tier-namespaces.stale-accounts", "unknown", "maas-api may not list Groups");
        } finally {
            restoreShippedRbac("permissions.doctor"); // and waits for it: the next test may read a policy
        }
    }

    /**
     * The doctor's RBAC is a Role in each namespace it reads, not a ClusterRole: maas-api's ServiceAccount reads the
     * gateway's policies and its own, and a copy of them in any other namespace is refused by the real API server.
     */
    @Test
    void maasApiCannotReadAPolicyInAnotherNamespace() {
        String elsewhere = "doctor-elsewhere";
        PLANE.admin().resource(new NamespaceBuilder().withNewMetadata().withName(elsewhere).endMetadata().build())
                .serverSideApply();
        try {
            readsOnlyTheOriginals(elsewhere);
        } finally {
            PLANE.admin().namespaces().withName(elsewhere).delete(); // the copies go with it
        }
    }

    private void readsOnlyTheOriginals(String elsewhere) {
        for (GatewayFixtures.Named policy : List.of(gateway.gatewayPolicy("gateway-auth-policy"),
                gateway.gatewayPolicy("gateway-rate-limits"), gateway.ownPolicy("maas-api-token-rate-limits"))) {
            GatewayFixtures.Named copy = new GatewayFixtures.Named(policy.kind(), elsewhere, policy.name());
            GenericKubernetesResource original = gateway.get(policy);
            original.getMetadata().setUid(null); // a new object in the other namespace
            gateway.apply(copy, original);
            assertNotNull(gateway.get(copy), "the copy exists: " + copy);
            assertNotNull(client.genericKubernetesResources(policy.kind()).inNamespace(policy.namespace())
                    .withName(policy.name()).get(), "maas-api reads " + policy);
            KubernetesClientException refused = assertThrows(KubernetesClientException.class,
                    () -> client.genericKubernetesResources(copy.kind()).inNamespace(elsewhere).withName(copy.name())
                            .get(), "maas-api reads " + copy);
            assertEquals(403, refused.getCode(), refused.getMessage());
        }
    }

    @Test
    void theMetricHoldsEachChecksLatestStatus() {
        gateway.overridden(gateway.gatewayPolicy("gateway-token-rate-limits"), GATEWAY_NAMESPACE + "/other-trlp");
        doctor();
        assertEquals(1.0, gauge("policy.gateway-token-rate-limits", "fail"));
        assertEquals(0.0, gauge("policy.gateway-token-rate-limits", "pass"));
        gateway.accepted(gateway.gatewayPolicy("gateway-token-rate-limits"));
        doctor();
        assertEquals(0.0, gauge("policy.gateway-token-rate-limits", "fail"));
        assertEquals(1.0, gauge("policy.gateway-token-rate-limits", "pass"));
    }

    private double gauge(String check, String status) {
        return registry.get("maas_doctor_check").tag("check", check).tag("status", status).gauge().value();
    }

    @Test
    void textPlainIsATableWithAlignedColumns() {
        gateway.overridden(gateway.gatewayPolicy("gateway-token-rate-limits"), GATEWAY_NAMESPACE + "/other-trlp");
        String table = given().auth().oauth2(admin()).accept("text/plain").get("/v1/admin/doctor").then()
                .statusCode(200).contentType(containsString("text/plain")).extract().asString();
        List<String> lines = table.lines().toList();
        assertTrue(lines.get(0).startsWith("doctor: fail"), table);
        String header = lines.get(1);
        int status = header.indexOf("STATUS");
        int seen = header.indexOf("SEEN");
        assertTrue(header.startsWith("CHECK ") && status > 0 && seen > status, header);
        int row = lines.indexOf(lines.stream().filter(l -> l.startsWith("policy.gateway-token-rate-limits "))
                .findFirst().orElseThrow());
        String overridden = lines.get(row);
        assertEquals("fail", overridden.substring(status, status + 4));
        assertEquals("TokenRateLimitPolicy", overridden.substring(seen, seen + "TokenRateLimitPolicy".length()));
        // a long finding wraps within its column: the next line is blank up to SEEN and goes on there
        String wrapped = lines.get(row + 1);
        assertEquals(" ".repeat(seen), wrapped.substring(0, seen), table);
        assertTrue(wrapped.charAt(seen) != ' ', table);
        StringBuilder seenColumn = new StringBuilder(); // the row's SEEN cells, up to the next check's row
        for (int i = row; i < lines.size() && (i == row || lines.get(i).startsWith(" ")); i++) {
            String line = lines.get(i);
            seenColumn.append(' ').append(line.substring(Math.min(seen, line.length()),
                    Math.min(seen + DoctorTable.SEEN_WIDTH, line.length())).trim());
        }
        assertTrue(seenColumn.toString().contains("TokenRateLimitPolicy is overridden by [" + GATEWAY_NAMESPACE
                + "/other-trlp]"), table);
        String programmed = lines.stream().filter(l -> l.startsWith("gateway.programmed ")).findFirst().orElseThrow();
        assertEquals("pass", programmed.substring(status, status + 4));
    }

    @Test
    void withoutATokenItIs401() {
        given().get("/v1/admin/doctor").then().statusCode(401).body("error", equalTo("unauthorized"));
    }

    @Test
    void aPassingCheckSaysFixNullInTheJson() {
        String body = given().auth().oauth2(admin()).get("/v1/admin/doctor").then().statusCode(200).extract().asString();
        assertTrue(body.contains("\"check\":\"gateway.listener\",\"status\":\"pass\""), body);
        assertTrue(body.matches("(?s).*\"check\":\"gateway.listener\",\"status\":\"pass\",\"seen\":\"[^\"]*\",\"fix\":null.*"),
                body);
    }

    @Test
    void aUserWhoMayNotDeleteServiceAccountsInTheTierNamespacesGets403() {
        given().auth().oauth2(PLANE.user(Pool.FREE).token()).get("/v1/admin/doctor").then().statusCode(403)
                .body("error", equalTo("forbidden"))
                .body("message", containsString("you may not delete serviceaccounts in namespace " + GATEWAY + "-tier-"));
    }
}
