package org.maas.api.error;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A 403 names RBAC only when the authorizer refused; the messages are the real kube-apiserver's wording. */
class KubernetesFailuresTest {

    private final Logger logger = Logger.getLogger(KubernetesFailures.class.getName());
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(String.format(record.getMessage(), record.getParameters() == null ? new Object[0] : record.getParameters()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void capture() {
        logger.addHandler(handler);
    }

    @AfterEach
    void release() {
        logger.removeHandler(handler);
    }

    @Test
    void theAuthorizersRefusalIsNamedAsMissingRbac() {
        KubernetesFailures.translate(forbidden("serviceaccounts \"x\" is forbidden: User \"system:serviceaccount:maas-api:maas-api\""
                + " cannot create resource \"serviceaccounts\" in API group \"\" in the namespace \"tier-free\""),
                "create serviceaccounts in namespace tier-free");
        assertEquals(1, lines.size(), lines.toString());
        assertEquals(true, lines.get(0).startsWith("RBAC: maas-api's ServiceAccount is not allowed to create serviceaccounts"),
                lines.get(0));
    }

    @Test
    void anAdmissionRefusalIsNotCalledRbac() {
        KubernetesFailures.translate(forbidden("serviceaccounts \"x\" is forbidden: unable to create new content in namespace"
                + " tier-free because it is being terminated"), "create serviceaccounts in namespace tier-free");
        assertEquals(1, lines.size(), lines.toString());
        assertEquals(true, lines.get(0).startsWith("the Kubernetes API refused to create serviceaccounts in namespace"
                + " tier-free (HTTP 403: serviceaccounts \"x\" is forbidden: unable to create new content"), lines.get(0));
    }

    private static KubernetesClientException forbidden(String message) {
        return new KubernetesClientException(new StatusBuilder().withCode(403).withReason("Forbidden")
                .withMessage(message).build());
    }
}
