package org.maas.api.tools;

import java.util.Map;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.model.ModelFixtures;
import org.maas.api.testing.Identities;
import org.maas.api.testing.KubernetesApiStub;
import org.maas.api.usage.LimitadorFake;

/**
 * The facts of docs/tokens.md's GET /v1/usage example, served on loopback for a run of the jar:
 * <pre>
 * java -cp target/test-classes:TEST_CLASSPATH org.maas.api.tools.UsageDemoServer STUB_PORT
 * </pre>
 * a Kubernetes API stub (user {@code pat} in premium, two models granted to premium, one not) and a
 * Limitador fake with pat's and another user's counters. Prints {@code token}, {@code limitador} (the URL
 * for maas.usage.limitador-url) and {@code ready}, then serves until killed.
 */
public final class UsageDemoServer {

    private UsageDemoServer() {
    }

    public static void main(String[] args) throws Exception {
        KubernetesApiStub api = new KubernetesApiStub();
        api.start(Integer.parseInt(args[0]));
        api.serveApiGroup("serving.kserve.io", "v1alpha2", "v1alpha1");
        MaasIdentity identity = Identities.forGateway(ModelFixtures.GATEWAY);
        ModelFixtures fixtures = new ModelFixtures(api.client(), "v1alpha2");
        String ns = "llm";
        fixtures.onGateway(ns, "llama", "meta-llama/Llama-3.1-8B-Instruct");
        fixtures.onGateway(ns, "granite", "ibm/granite");
        fixtures.onGateway(ns, "ungranted", "x/ungranted");
        fixtures.grant(ns, "llama", identity.tierGroup("premium"));
        fixtures.grant(ns, "granite", identity.tierGroup("premium"));
        String token = api.addUser("pat", "system:authenticated", "premium-users");
        String pat = identity.serviceAccountName("pat");
        String bob = identity.serviceAccountName("bob");
        LimitadorFake.counters(ns + "/llama-kserve-route",
                new LimitadorFake.Counter("premium-requests-2m", 20, 120, pat, "17", 71),
                new LimitadorFake.Counter("premium-tokens-1m", 50000, 60, pat, "18446744073709551366", 12),
                new LimitadorFake.Counter("premium-requests-2m", 20, 120, bob, "1", 30));
        LimitadorFake.counters(ns + "/granite-kserve-route",
                new LimitadorFake.Counter("premium-tokens-1m", 50000, 60, bob, "0", 5));
        Map<String, String> limitador = new LimitadorFake().start();
        System.out.println("token\t" + token);
        System.out.println("limitador\t" + limitador.get("maas.usage.limitador-url"));
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
