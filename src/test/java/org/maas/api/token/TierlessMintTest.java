package org.maas.api.token;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.ControlPlane.Pool;
import org.maas.api.testing.ControlPlaneResource;
import org.maas.api.testing.LeaderWork;

/**
 * A caller whose groups match no tier. The API server gives every user system:authenticated, which the shipped
 * tiers map to free, so this needs a tier config without such a tier: the LeaderWork boot (GroupRevocationTest's),
 * whose tier ConfigMap the tests write.
 */
@QuarkusTest
@TestProfile(LeaderWork.class)
@WithTestResource(value = ControlPlaneResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = LeaderWork.NAMESPACE),
        @ResourceArg(name = "gateway", value = LeaderWork.GATEWAY),
        @ResourceArg(name = "overlays", value = LeaderWork.OVERLAYS)})
class TierlessMintTest {

    @Test
    void aUserWithoutATierIsForbiddenAndToldTheGroups() {
        ControlPlane.User user = ControlPlane.shared().user(Pool.FREE); // system:authenticated only
        LeaderWork.tiers(LeaderWork.TIERS.replace("groups: [system:authenticated]",
                "groups: [everyone-else]"));
        try {
            given().auth().oauth2(user.token()).post("/v1/tokens").then().statusCode(403)
                    .body("error", equalTo("forbidden"))
                    .body("message", org.hamcrest.Matchers.containsString("[system:authenticated]"));
            assertTrue(ControlPlane.shared().admin().serviceAccounts().inAnyNamespace()
                    .withField("metadata.name", LeaderWork.IDENTITY.serviceAccountName(user.name())).list()
                    .getItems().isEmpty(), "nothing created");
        } finally {
            LeaderWork.tiers(LeaderWork.TIERS);
        }
    }
}
