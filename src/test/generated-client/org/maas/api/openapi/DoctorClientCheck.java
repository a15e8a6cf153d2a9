package org.maas.api.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.maas.client.ApiException;
import org.maas.client.api.AdminApi;
import org.maas.client.model.DoctorCheck;
import org.maas.client.model.DoctorReport;

/**
 * GET /v1/admin/doctor (operationId adminDoctor) through the generated client, for GeneratedClientTest to call
 * from a test of its own (kept apart while that class is rewritten): the report parses into the documented
 * schema with every check of the fixed set, and 401 and 403 come as the documented error.
 *
 * <pre>
 * &#64;Test
 * void adminDoctor() throws Exception {
 *     DoctorClientCheck.check(admin(), bearer(adminUser("admin-doc")),
 *             bearer(api.addUser("doc-user", "system:authenticated")), bearer(maasToken("admin-doc2")));
 * }
 * </pre>
 */
final class DoctorClientCheck {

    /** The doctor's checks, in report order (org.maas.api.doctor: one group after another). */
    static final List<String> CHECKS = List.of("gateway.programmed", "gateway.listener",
            "policy.gateway-auth-policy", "policy.gateway-rate-limits", "policy.gateway-token-rate-limits",
            "policy.maas-api-auth-policy", "policy.maas-api-rate-limits", "policy.maas-api-token-rate-limits",
            "policy.gateway-rate-limits.rendered", "policy.gateway-token-rate-limits.rendered",
            "auth.tier-lookup", "auth.audiences", "limitador.limits",
            "models.ready", "models.routed", "models.callable", "models.tier-annotation", "models.annotation-unmanaged",
            "permissions.tiers", "permissions.tokens", "permissions.models", "permissions.doctor",
            "permissions.policy-reconcile", "permissions.model-access", "permissions.group-revocation",
            "tier-namespaces.stale-accounts");

    private DoctorClientCheck() {
    }

    static void check(AdminApi admin, Map<String, String> anAdmin, Map<String, String> notAnAdmin,
                      Map<String, String> aMaasToken) throws ApiException {
        DoctorReport report = admin.adminDoctor(anAdmin);
        assertEquals(CHECKS, report.getChecks().stream().map(DoctorCheck::getCheck).toList());
        for (DoctorCheck check : report.getChecks()) {
            assertTrue(Set.of("pass", "warn", "fail", "unknown").contains(check.getStatus().getValue()), check.toString());
            assertTrue(check.getSeen() != null && !check.getSeen().isBlank(), check.toString());
            assertEquals(check.getStatus().getValue().equals("pass"), check.getFix() == null, check.toString());
        }
        assertEquals(401, assertThrows(ApiException.class, admin::adminDoctor).getCode());
        assertEquals(403, assertThrows(ApiException.class, () -> admin.adminDoctor(notAnAdmin)).getCode());
        assertEquals(403, assertThrows(ApiException.class, () -> admin.adminDoctor(aMaasToken)).getCode());
    }
}
