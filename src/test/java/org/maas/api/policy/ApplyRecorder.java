package org.maas.api.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.time.Duration;

/**
 * The mock server does not implement server-side apply, so the two apply PATCHes are answered by
 * expectations that record what they receive and echo the object back, as the API server does.
 */
final class ApplyRecorder {

    static final String RLP_PATH = "/apis/kuadrant.io/v1/namespaces/openshift-ingress/ratelimitpolicies/gateway-rate-limits";
    static final String TRLP_PATH =
            "/apis/kuadrant.io/v1alpha1/namespaces/openshift-ingress/tokenratelimitpolicies/gateway-token-rate-limits";
    static final String QUERY = "?fieldManager=maas-api&force=true";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One received apply. */
    record Apply(String path, String requestPath, String contentType, String userAgent, JsonNode body) {

        JsonNode spec() {
            return body.get("spec");
        }
    }

    /** How long to wait (Awaitility) for what the reconciler does on its own threads; generous: CI machines are shared. */
    static final Duration WITHIN = Duration.ofSeconds(60);

    final List<Apply> applies = new CopyOnWriteArrayList<>();

    void register(KubernetesMockServer server) {
        for (String path : List.of(RLP_PATH, TRLP_PATH)) {
            server.expect().patch().withPath(path + QUERY).andReply(200, request -> record(path, request)).always();
        }
    }

    private String record(String path, RecordedRequest request) {
        try {
            JsonNode body = JSON.readTree(request.getUtf8Body());
            applies.add(new Apply(path, request.getPath(), request.getHeader("Content-Type"), request.getHeader("User-Agent"), body));
            return body.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    List<Apply> to(String path) {
        return applies.stream().filter(a -> a.path().equals(path)).toList();
    }
}
