package org.maas.api.doctor;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
@WithTestResource(value = ControlPlaneResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = DoctorTest.NAMESPACE),
        @ResourceArg(name = "gateway", value = DoctorTest.GATEWAY),
        @ResourceArg(name = "gateway-namespace", value = DoctorTest.GATEWAY_NAMESPACE)})
@WithTestResource(LimitadorFake.class)
class DoctorTest {

    static final String NAMESPACE = "maas-api-doctor";
    static final String GATEWAY = "doctor-gw";
    static final String GATEWAY_NAMESPACE = "doctor-gw-ns";
    private static final String ADMIN_ROLE = "maas-doctor-test-admin";
    private static final List<String> TIER_NAMESPACES = List.of(GATEWAY + "-tier-free", GATEWAY + "-tier-premium",
            GATEWAY + "-tier-enterprise");
    private static final ControlPlane PLANE = ControlPlane.shared();

    private final GatewayFixtures gateway = new GatewayFixtures(PLANE.admin(), GATEWAY, GATEWAY_NAMESPACE, NAMESPACE);

    @Inject
    MeterRegistry registry;

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
    }

    private static String admin() {
        return PLANE.user(Pool.ADMIN).token();
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

    @Test
    void withoutItsReadPermissionTheGatewayChecksAreUnknownWithTheReason() {
        PLANE.admin().rbac().clusterRoleBindings().withName("maas-api-doctor-" + NAMESPACE).delete();
        try {
            await("RBAC applies the removed binding").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertCheck(doctor(), "gateway.programmed", "unknown", "maas-api may not read it (403)"));
            JsonPath report = doctor();
            assertCheck(report, "gateway.listener", "unknown", "403");
            assertCheck(report, "policy.gateway-auth-policy", "unknown", "403");
        } finally {
            PLANE.maasApi(NAMESPACE, GATEWAY_NAMESPACE, new String[0]); // the shipped RBAC again
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
        String overridden = lines.stream().filter(l -> l.startsWith("policy.gateway-token-rate-limits "))
                .findFirst().orElseThrow();
        assertEquals("fail", overridden.substring(status, status + 4));
        assertEquals("TokenRateLimitPolicy", overridden.substring(seen, seen + "TokenRateLimitPolicy".length()));
        String programmed = lines.stream().filter(l -> l.startsWith("gateway.programmed ")).findFirst().orElseThrow();
        assertEquals("pass", programmed.substring(status, status + 4));
    }

    @Test
    void aUserWhoMayNotDeleteServiceAccountsInTheTierNamespacesGets403() {
        given().auth().oauth2(PLANE.user(Pool.FREE).token()).get("/v1/admin/doctor").then().statusCode(403)
                .body("error", equalTo("forbidden"))
                .body("message", containsString("you may not delete serviceaccounts in namespace " + GATEWAY + "-tier-"));
    }
}
