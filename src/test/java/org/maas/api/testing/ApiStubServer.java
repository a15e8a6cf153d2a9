package org.maas.api.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link KubernetesApiStub} as a standalone process on 127.0.0.1, behind {@link ApiFaultServer} for
 * {@code bench/faults.sh} (the last benchmark not yet on the real control plane; bench/mint.sh and
 * bench/models.sh are):
 * <pre>
 * java -cp target/test-classes:TEST_CLASSPATH org.maas.api.testing.ApiStubServer PORT USER=GROUP,GROUP ...
 * </pre>
 * Prints {@code user<TAB>name<TAB>bearer token} per user, then {@code ready<TAB>port}, and serves until
 * killed. Instead of remembering every request it counts them, and answers two paths of its own
 * (not counted): {@code GET /_stub/counts} (API requests so far, by kind, watches apart) and
 * {@code GET /_stub/token-requests} (the TokenRequest paths seen and the last body and content type,
 * so that a benchmark can send the API server exactly what maas-api sends).
 */
public final class ApiStubServer extends KubernetesApiStub {

    private static final String OWN = "/_stub/";
    private static final ObjectMapper JSON = new ObjectMapper();
    // JUL keeps loggers weakly: hold the ones made quiet
    private static final List<Logger> QUIET = new ArrayList<>();

    private final LongAdder tokenRequests = new LongAdder();
    private final LongAdder tokenReviews = new LongAdder();
    private final LongAdder accessReviews = new LongAdder();
    private final LongAdder other = new LongAdder();
    private final LongAdder watches = new LongAdder();
    private final Set<String> otherSeen = ConcurrentHashMap.newKeySet();
    private final Set<String> tokenPaths = ConcurrentHashMap.newKeySet();
    private volatile String tokenBody;
    private volatile String tokenContentType;

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: ApiStubServer PORT [USERNAME=GROUP,GROUP ...]");
            System.exit(2);
        }
        for (String name : List.of("", "io.fabric8", "io.vertx", "io.netty")) {
            Logger logger = Logger.getLogger(name); // the mock web server logs every request at INFO
            logger.setLevel(Level.WARNING);
            QUIET.add(logger);
        }
        ApiStubServer stub = new ApiStubServer();
        stub.start(Integer.parseInt(args[0]));
        List<String> users = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        for (String user : users) {
            int eq = user.indexOf('=');
            String name = eq < 0 ? user : user.substring(0, eq);
            String[] groups = eq < 0 ? new String[0] : user.substring(eq + 1).split(",");
            System.out.println("user\t" + name + "\t" + stub.addUser(name, groups));
        }
        System.out.println("ready\t" + args[0]);
        System.out.flush();
        while (true) {
            Thread.sleep(1000);
            stub.forgetServerRequests();
        }
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath();
        if (path.startsWith(OWN)) {
            return own(path.substring(OWN.length()));
        }
        if ("POST".equals(request.getMethod()) && TOKEN_PATH.matcher(path).matches()) {
            if (tokenPaths.size() < 1000) {
                tokenPaths.add(path);
            }
            tokenBody = new String(request.getBody().getBytes(), StandardCharsets.UTF_8); // getUtf8Body() consumes
            tokenContentType = request.getHeader("Content-Type");
        }
        return super.dispatch(request);
    }

    @Override
    protected void record(String method, String path) {
        if (path.contains("watch=true")) {
            watches.increment();
        } else if ("POST".equals(method) && TOKEN_PATH.matcher(path).matches()) {
            tokenRequests.increment();
        } else if ("POST".equals(method) && path.startsWith("/apis/authentication.k8s.io/v1/tokenreviews")) {
            tokenReviews.increment();
        } else if ("POST".equals(method) && path.startsWith(RbacAuthorizer.PATH)) {
            accessReviews.increment();
        } else {
            other.increment();
            if (otherSeen.size() < 100) {
                otherSeen.add(method + " " + path);
            }
        }
    }

    private MockResponse own(String what) {
        ObjectNode answer = JSON.createObjectNode();
        switch (what) {
            case "counts" -> {
                long requests = tokenRequests.sum();
                long reviews = tokenReviews.sum();
                long others = other.sum();
                long access = accessReviews.sum();
                answer.put("api_requests", requests + reviews + access + others).put("token_requests", requests)
                        .put("token_reviews", reviews).put("subject_access_reviews", access).put("other", others)
                        .put("watches", watches.sum());
                otherSeen.forEach(answer.putArray("other_seen")::add);
            }
            case "token-requests" -> {
                tokenPaths.forEach(answer.putArray("paths")::add);
                answer.put("body", tokenBody).put("content_type", tokenContentType);
            }
            default -> {
                return json(404, answer.put("error", "unknown: " + what));
            }
        }
        return json(200, answer);
    }
}
