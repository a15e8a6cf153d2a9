package org.maas.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.maas.api.openapi.OpenApiDocument.Operation;

/**
 * Every answer the generated client got in one test, checked against the document: the status, its media type
 * and its headers must be declared, and every status the test claims to show ({@code @Answers}) must have been
 * seen in it. GeneratedClientCoverageTest checks that the claims of all tests cover every declared status.
 */
final class ObservedResponses {

    private final OpenApiDocument document;
    private final Map<String, Set<String>> seen = new ConcurrentHashMap<>();
    private final Set<HttpClient.Version> versions = ConcurrentHashMap.newKeySet();
    private final List<String> problems = new ArrayList<>();

    ObservedResponses(OpenApiDocument document) {
        this.document = document;
    }

    /** The generated ApiClient's response interceptor. */
    void record(HttpResponse<?> response) {
        String method = response.request().method();
        String path = response.uri().getPath();
        versions.add(response.version());
        Operation op = document.operation(method, path);
        if (op == null) {
            problem(method + " " + path + ": no such operation in the document");
            return;
        }
        String status = String.valueOf(response.statusCode());
        seen.computeIfAbsent(op.id(), id -> new TreeSet<>()).add(status);
        JsonNode declared = op.response(status);
        if (declared.isMissingNode()) {
            problem(op + " answered " + status + ", which it does not declare");
            return;
        }
        String type = response.headers().firstValue("Content-Type").map(t -> t.split(";")[0].trim()).orElse(null);
        if (declared.has("content") ? type == null || !declared.path("content").has(type) : type != null) {
            problem(op + " " + status + " answered Content-Type " + type + ", declared " + declared.path("content"));
        }
        declared.path("headers").fieldNames().forEachRemaining(header -> {
            if (response.headers().firstValue(header).isEmpty()) {
                problem(op + " " + status + " without its declared header " + header);
            }
        });
    }

    private synchronized void problem(String problem) {
        problems.add(problem);
    }

    /** What went against the document, and which of the {@code claimed} statuses (by operationId) no call got. */
    synchronized List<String> problems(Map<String, Set<String>> claimed) {
        List<String> all = new ArrayList<>(problems);
        Map<String, Set<String>> unseen = new TreeMap<>();
        claimed.forEach((operation, statuses) -> {
            Set<String> missing = new TreeSet<>(statuses);
            missing.removeAll(seen.getOrDefault(operation, Set.of()));
            if (!missing.isEmpty()) {
                unseen.put(operation, missing);
            }
        });
        if (!unseen.isEmpty()) {
            all.add("claimed but never answered to the generated client in this test: " + unseen);
        }
        return all;
    }

    Set<HttpClient.Version> versions() {
        return Set.copyOf(versions);
    }
}
