package org.maas.api.kubernetes;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** With the file tier source (the test default) no informer starts: lookups and readiness need no cluster. */
@QuarkusTest
class FileSourceNeedsNoClusterTest {

    @Test
    void lookupsAndReadinessWorkWithoutAnyInformer() {
        given().contentType(ContentType.JSON).body("{\"groups\": [\"premium-users\"]}").post("/v1/tiers/lookup")
                .then().statusCode(200).body("tier", equalTo("premium"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'kubernetes-informers' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'kubernetes-informers' }.data.'tier-config-map.synced'", nullValue());
    }
}
