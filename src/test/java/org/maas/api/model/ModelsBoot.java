package org.maas.api.model;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import org.maas.api.testing.ShortLease;

/**
 * The one application the model and usage classes share (ModelResourceTest, ModelAccessChainTest,
 * UsageResourceTest): on the real control plane behind {@link org.maas.api.testing.ApiFaults}, maas-api as its
 * own ServiceAccount with the shipped RBAC plus overlays/model-access, a Limitador fake, model access managed
 * (a fast Lease) and a short access-decision cache, so that a changed grant shows within a second. Each class
 * repeats the same annotations (Quarkus boots once for identical ones):
 * <pre>
 * &#64;QuarkusTest
 * &#64;TestProfile(ModelsBoot.Profile.class)
 * &#64;WithTestResource(value = ApiFaultsResource.class, initArgs = {
 *         &#64;ResourceArg(name = "namespace", value = ModelsBoot.NAMESPACE),
 *         &#64;ResourceArg(name = "gateway", value = ModelsBoot.GATEWAY),
 *         &#64;ResourceArg(name = "overlays", value = "model-access")})
 * &#64;WithTestResource(LimitadorFake.class)
 * </pre>
 */
public final class ModelsBoot {

    public static final String NAMESPACE = "maas-api-models";
    public static final String GATEWAY = "models-gw";

    private ModelsBoot() {
    }

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return ShortLease.with(Map.of("maas.models.manage-access", "true",
                    // a revoked grant shows in /v1/models after this; the default (30s) is only slower
                    "maas.models.access-cache-ttl", "1s"));
        }
    }
}
