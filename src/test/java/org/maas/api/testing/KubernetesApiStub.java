package org.maas.api.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * <p><b>Why it is still here</b> (issue 20 moved the suite to the real control plane, testing/ControlPlane):
 * three users remain, each saying why at its top: GeneratedClientTest (its 500s need one call refused by path),
 * bench/faults.sh through ApiFaultServer, and tools/UsageDemoServer (docs/tokens.md's usage example). New
 * tests use the real control plane.
 *
 * <p>A Kubernetes API server for tests: the fabric8 CRUD mock for objects, with TokenReview and
 * TokenRequest answered the way a real API server answers them. What it implements, each as the real
 * server does it:
 * <ul>
 * <li>TokenRequest ({@code POST .../serviceaccounts/<name>/token}): 404 {@code NotFound} when the
 * ServiceAccount does not exist; 422 {@code Invalid} for {@code expirationSeconds} under 600; otherwise
 * 201 with a signed JWT carrying iss, sub ({@code system:serviceaccount:<ns>:<name>}), aud (the
 * requested audiences, else the API server's own), exp, iat, nbf, jti and the {@code kubernetes.io}
 * claims (namespace, ServiceAccount name and uid), and {@code status.expirationTimestamp}; the granted
 * expiry may be capped below the one asked for ({@link #capTokenExpiration}).</li>
 * <li>Bound tokens: a TokenRequest with {@code spec.boundObjectRef} of kind {@code Secret} gets 404
 * {@code NotFound} when that Secret does not exist and 409 {@code Conflict} when its uid differs; the JWT
 * then carries {@code kubernetes.io.secret {name, uid}}, and a TokenReview authenticates it only while
 * that Secret exists with that uid (deleted, or recreated under the same name: refused), besides the
 * ServiceAccount's own check; the granted expiry is capped as for other tokens.</li>
 * <li>SubjectAccessReview ({@code POST /apis/authorization.k8s.io/v1/subjectaccessreviews}): 201 with
 * {@code status.allowed} true only for what a test granted with {@link #allow} (user, verb, resource,
 * namespace), false otherwise, like RBAC without a binding.</li>
 * <li>TokenReview: always HTTP 201, never an HTTP error; unknown tokens come back
 * {@code authenticated: false}; a token authenticates only when the review's audiences (empty: the API
 * server's own) intersect its own, and {@code status.audiences} names them; a person's token (from
 * {@link #addUser}) only for the API server's audience; a ServiceAccount token only while unexpired and
 * while its ServiceAccount lives (a recreated account has another uid), reviewed as the account's user
 * with groups {@code system:serviceaccounts}, {@code system:serviceaccounts:<ns>},
 * {@code system:authenticated} and the {@code authentication.kubernetes.io/credential-id} extra
 * {@code JTI=<jti>}.</li>
 * <li>Server-side apply of Roles and RoleBindings ({@code PATCH} with {@code application/apply-patch+yaml}):
 * stored as create-or-replace, with the field manager in {@code managedFields}, so what maas-api applies is
 * there to read (and to authorize with); every apply is recorded ({@link #applied()}). A real server
 * merges the fields of other managers; here the apply replaces the object.</li>
 * <li>SubjectAccessReview: answered by {@link RbacAuthorizer} from the Roles, ClusterRoles, RoleBindings
 * and ClusterRoleBindings stored here (201 with {@code status.allowed}; 422 for a review without user and
 * groups or without attributes); {@link #subjectAccessReviews()} counts them.</li>
 * <li>API discovery of a group of custom resources ({@code GET /apis/<group>}, an {@code APIGroup}) for the
 * groups and versions a test declares served ({@link #serveApiGroup}), as the API server answers once their
 * CRD is installed; the objects themselves are the CRUD mock's.</li>
 * <li>Failures: every request a status of choice ({@link #failEverything}), or 403 {@code Forbidden}
 * for one method and path prefix, as RBAC answers ({@link #forbid}); both as a {@code Status} object.</li>
 * <li>Everything else: expectations registered on the mock server first, then the CRUD mock.</li>
 * </ul>
 * The CRUD mock's dispatcher cannot be wrapped inside {@code @WithKubernetesTestServer}, so this class
 * builds the same {@link KubernetesMockServer} with itself in front of a {@link KubernetesCrudDispatcher}.
 */
public class KubernetesApiStub extends Dispatcher {

    /** What a token without an explicit audience is for, like a real cluster's issuer. */
    public static final String API_AUDIENCE = "https://kubernetes.default.svc.cluster.local";
    private static final String REVIEW_PATH = "/apis/authentication.k8s.io/v1/tokenreviews";
    static final Pattern TOKEN_PATH =
            Pattern.compile("/api/v1/namespaces/([^/]+)/serviceaccounts/([^/?]+)/token");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_USER_AGENT = "kubernetes-api-stub-admin";

    static final Pattern RBAC_APPLY_PATH =
            Pattern.compile("(/apis/rbac\\.authorization\\.k8s\\.io/v1/namespaces/[^/]+/(?:roles|rolebindings))/([^/?]+)\\?(.*)");

    /** One server-side apply received: path without query, the query, and what was sent. */
    public record Applied(String path, String query, String contentType, String userAgent, JsonNode body) {
    }

    /** A person with a cluster token, e.g. from an OIDC login. */
    public record User(String username, List<String> groups) {
    }

    private final Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    private final MockDispatcher expected = new MockDispatcher(expectations);
    private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
    /** A new one per {@link #start(int)}: a mock web server cannot start twice. The objects stay in {@code crud}. */
    private KubernetesMockServer server;
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Applied> applied = new CopyOnWriteArrayList<>();
    private final Map<String, List<String>> requestsByAgent = new ConcurrentHashMap<>();
    private final byte[] signingKey = new byte[32];
    private final Map<String, List<String>> servedGroups = new ConcurrentHashMap<>();
    private final RbacAuthorizer rbac = new RbacAuthorizer(this::stored);
    private final java.util.concurrent.atomic.AtomicLong accessReviews = new java.util.concurrent.atomic.AtomicLong();
    private NamespacedKubernetesClient client;
    private volatile Duration maxTokenExpiration;
    private volatile int failAllWith;
    private volatile int failOthersWith;
    private volatile String forbidden;
    private static final String TEST_GRANT = "maas-api-test/grant";

    public KubernetesApiStub() {
        new SecureRandom().nextBytes(signingKey);
    }

    public void start() {
        start(0);
    }

    /**
     * Starts on this port of the loopback address (0: any free port). After {@link #stop()}, starting
     * again on the same port is an API server restart: the stored objects and resourceVersions survive,
     * open watches and connections do not.
     */
    public void start(int port) {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations, this, false);
        server.init(InetAddress.getLoopbackAddress(), port);
        NamespacedKubernetesClient plain = server.createClient();
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(plain.getConfiguration())
                .withUserAgent(ADMIN_USER_AGENT).build()).build().adapt(NamespacedKubernetesClient.class);
        plain.close();
    }

    /** The port it listens on, to start it again there after {@link #stop()}. */
    public int port() {
        return server.getPort();
    }

    /** The mock web server keeps every request it received: forgets them, for long-running servers. */
    public void forgetServerRequests() throws InterruptedException {
        while (server.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
            // drained
        }
    }

    public void stop() {
        if (client != null) {
            client.close();
        }
        server.destroy();
    }

    /** A client of this server, for arranging and checking objects. */
    public NamespacedKubernetesClient client() {
        return client;
    }

    /** Registers a person and returns their (opaque, non-JWT) cluster token. */
    public String addUser(String username, String... groups) {
        String token = "sha256~" + UUID.randomUUID();
        users.put(token, new User(username, List.of(groups)));
        return token;
    }

    /** Every request so far, as "METHOD path?query", watches included. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** The requests of the clients with this User-Agent, as "METHOD path?query": what their RBAC must allow. */
    public List<String> requestsFrom(String userAgent) {
        return List.copyOf(requestsByAgent.getOrDefault(userAgent, List.of()));
    }

    /** Every server-side apply of a Role or RoleBinding so far, in order. */
    public List<Applied> applied() {
        return List.copyOf(applied);
    }

    /** Like installing a CRD: API discovery lists the group with these versions, the first preferred. */
    public void serveApiGroup(String group, String... versions) {
        servedGroups.put(group, List.of(versions));
    }

    /** The RBAC authorizer that answers SubjectAccessReviews, to ask it directly in a test. */
    public RbacAuthorizer rbac() {
        return rbac;
    }

    /** How many SubjectAccessReviews were answered (or refused) so far. */
    public long subjectAccessReviews() {
        return accessReviews.get();
    }

    /** Like {@code --service-account-max-token-expiration}: longer requests are granted this much. */
    public void capTokenExpiration(Duration max) {
        maxTokenExpiration = max;
    }

    /**
     * RBAC for SubjectAccessReviews: stores a Role and a RoleBinding that let the user (a ServiceAccount's
     * username becomes a ServiceAccount subject) do the verb on the core-group resource in the namespace,
     * so {@link RbacAuthorizer} answers from them as from any other RBAC. Stays until {@link #forgetGrants()}.
     */
    public void allow(String user, String verb, String resource, String namespace) {
        String name = "test-grant-" + Integer.toHexString(Objects.hash(user, verb, resource, namespace));
        Map<String, String> labels = Map.of(TEST_GRANT, "true");
        client().rbac().roles().inNamespace(namespace).resource(new RoleBuilder().withNewMetadata().withName(name)
                .withLabels(labels).endMetadata().addNewRule().withApiGroups("").withResources(resource)
                .withVerbs(verb).endRule().build()).createOr(NonDeletingOperation::update);
        String[] serviceAccount = user.startsWith("system:serviceaccount:") ? user.split(":") : null;
        client().rbac().roleBindings().inNamespace(namespace).resource(new RoleBindingBuilder().withNewMetadata()
                .withName(name).withLabels(labels).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", name)
                .addToSubjects(serviceAccount != null
                        ? new SubjectBuilder().withKind("ServiceAccount").withNamespace(serviceAccount[2])
                                .withName(serviceAccount[3]).build()
                        : new SubjectBuilder().withKind("User").withApiGroup("rbac.authorization.k8s.io")
                                .withName(user).build())
                .build()).createOr(NonDeletingOperation::update);
    }

    /** Removes every grant {@link #allow} stored. */
    public void forgetGrants() {
        client().rbac().roleBindings().inAnyNamespace().withLabel(TEST_GRANT).delete();
        client().rbac().roles().inAnyNamespace().withLabel(TEST_GRANT).delete();
    }

    /** Every request gets this status (e.g. 503), until {@link #recover()}. */
    public void failEverything(int status) {
        failAllWith = status;
    }

    /** RBAC: requests with this method whose path starts with the prefix get 403. */
    public void forbid(String method, String pathPrefix) {
        forbidden = method + " " + pathPrefix;
    }

    /**
     * Like a network partition between maas-api and the API server: every request gets this status except
     * those of {@link #client()} (the admin's kubectl, still reaching the server), until {@link #recover()}.
     */
    public void partition(int status) {
        failOthersWith = status;
    }

    public void recover() {
        failAllWith = 0;
        failOthersWith = 0;
        forbidden = null;
    }

    /** Whether the API server accepts the token for the audience, asked as a TokenReview would. */
    public boolean authenticates(String token, String audience) {
        return review(token, List.of(audience)) != null;
    }

    /**
     * The claims of a token this server issued (its signature checked), else null: what the API server
     * put in it, read without maas-api's code.
     */
    public JsonNode issuedClaims(String token) {
        return verify(token);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String method = request.getMethod();
        String path = request.getPath();
        record(method, path);
        String agent = request.getHeader("User-Agent");
        if (agent != null) {
            requestsByAgent.computeIfAbsent(agent, a -> new CopyOnWriteArrayList<>()).add(method + " " + path);
        }
        int failure = failAllWith != 0 ? failAllWith
                : ADMIN_USER_AGENT.equals(request.getHeader("User-Agent")) ? 0 : failOthersWith;
        if (failure != 0) {
            return status(failure, "InternalError", "the server is currently unable to handle the request");
        }
        String denied = forbidden;
        if (denied != null && (method + " " + path).startsWith(denied)) {
            return status(403, "Forbidden", "forbidden: User \"system:serviceaccount:maas:maas-api\" cannot " + method);
        }
        try {
            if ("POST".equals(method) && REVIEW_PATH.equals(path)) {
                return tokenReview(JSON.readTree(request.getUtf8Body()));
            }
            Matcher apply = RBAC_APPLY_PATH.matcher(path);
            String contentType = request.getHeader("Content-Type");
            if ("PATCH".equals(method) && apply.matches() && contentType != null
                    && contentType.startsWith("application/apply-patch")) {
                return applyRbac(request, apply.group(1), apply.group(2), apply.group(3));
            }
            if ("GET".equals(method) && path.startsWith("/apis/") && servedGroups.containsKey(path.substring(6))) {
                return apiGroup(path.substring(6));
            }
            if ("POST".equals(method) && RbacAuthorizer.PATH.equals(path)) {
                accessReviews.incrementAndGet();
                try {
                    return json(201, rbac.review(JSON.readTree(request.getUtf8Body())));
                } catch (RbacAuthorizer.InvalidReview e) {
                    return status(422, "Invalid", "SubjectAccessReview.authorization.k8s.io \"\" is invalid: " + e.getMessage());
                }
            }
            Matcher token = TOKEN_PATH.matcher(path);
            if ("POST".equals(method) && token.matches()) {
                return tokenRequest(token.group(1), token.group(2), JSON.readTree(request.getUtf8Body()));
            }
        } catch (java.io.IOException e) {
            return status(400, "BadRequest", "unreadable body");
        }
        Queue<ServerResponse> queue = expectations.get(new SimpleRequest(HttpMethod.valueOf(method), path));
        if (queue != null && !queue.isEmpty()) {
            return expected.dispatch(request);
        }
        return crud.dispatch(request);
    }

    private MockResponse apiGroup(String group) {
        ObjectNode answer = JSON.createObjectNode().put("kind", "APIGroup").put("apiVersion", "v1").put("name", group);
        ArrayNode versions = answer.putArray("versions");
        List<String> served = servedGroups.get(group);
        for (String version : served) {
            versions.addObject().put("groupVersion", group + "/" + version).put("version", version);
        }
        answer.putObject("preferredVersion").put("groupVersion", group + "/" + served.get(0)).put("version", served.get(0));
        return json(200, answer);
    }

    /** Remembers a request for {@link #requests()}; a long-running server may count instead. */
    protected void record(String method, String path) {
        requests.add(method + " " + path);
    }

    /** Create-or-replace, as the real server's apply ends up for an object only one manager writes. */
    private MockResponse applyRbac(RecordedRequest request, String collection, String name, String query)
            throws java.io.IOException {
        ObjectNode body = (ObjectNode) JSON.readTree(request.getUtf8Body());
        applied.add(new Applied(collection + "/" + name, query, request.getHeader("Content-Type"),
                request.getHeader("User-Agent"), body.deepCopy()));
        String manager = query.replaceAll(".*(?:^|&)fieldManager=([^&]*).*", "$1");
        if (!query.contains("fieldManager=")) {
            return status(422, "Invalid", "fieldManager is required for apply requests");
        }
        ObjectNode metadata = (ObjectNode) body.path("metadata");
        metadata.putArray("managedFields").addObject().put("manager", manager).put("operation", "Apply")
                .put("apiVersion", body.path("apiVersion").asText());
        MockResponse existing = crud.handleGet(collection + "/" + name);
        io.fabric8.mockwebserver.http.Headers headers = io.fabric8.mockwebserver.http.Headers.builder()
                .add("Content-Type", "application/json").build();
        if (existing.code() == 200) {
            JsonNode live = JSON.readTree(existing.getBody().readUtf8());
            metadata.set("uid", live.path("metadata").path("uid"));
            metadata.set("resourceVersion", live.path("metadata").path("resourceVersion"));
            return crud.handleUpdate(new RecordedRequest("HTTP/1.1", HttpMethod.PUT, collection + "/" + name, headers,
                    new io.fabric8.mockwebserver.http.Buffer(body.toString().getBytes(StandardCharsets.UTF_8))));
        }
        return crud.handleCreate(new RecordedRequest("HTTP/1.1", HttpMethod.POST, collection, headers,
                new io.fabric8.mockwebserver.http.Buffer(body.toString().getBytes(StandardCharsets.UTF_8))));
    }

    private MockResponse tokenRequest(String namespace, String name, JsonNode body) {
        JsonNode account = serviceAccount(namespace, name);
        if (account == null) {
            return status(404, "NotFound", "serviceaccounts \"" + name + "\" not found");
        }
        JsonNode spec = body.path("spec");
        long asked = spec.path("expirationSeconds").asLong(3600);
        if (asked < 600) {
            return status(422, "Invalid", "TokenRequest.authentication.k8s.io \"" + name
                    + "\" is invalid: spec.expirationSeconds: Invalid value: may not specify a duration less than 10 minutes");
        }
        JsonNode boundRef = spec.path("boundObjectRef");
        JsonNode boundSecret = null;
        if (!boundRef.isMissingNode() && !boundRef.isNull()) {
            if (!"Secret".equals(boundRef.path("kind").asText())) {
                return status(400, "BadRequest", "the stub binds tokens to Secrets only");
            }
            boundSecret = stored("/api/v1/namespaces/" + namespace + "/secrets/" + boundRef.path("name").asText());
            if (boundSecret == null) {
                return status(404, "NotFound", "secrets \"" + boundRef.path("name").asText() + "\" not found");
            }
            String uid = boundSecret.path("metadata").path("uid").asText();
            if (boundRef.hasNonNull("uid") && !boundRef.path("uid").asText().equals(uid)) {
                return status(409, "Conflict", "the UID in the bound object reference (" + boundRef.path("uid").asText()
                        + ") does not match the UID in record. The object might have been deleted and then recreated");
            }
        }
        Duration cap = maxTokenExpiration;
        long granted = cap == null ? asked : Math.min(asked, cap.getSeconds());
        List<String> audiences = new ArrayList<>();
        spec.path("audiences").forEach(a -> audiences.add(a.asText()));
        if (audiences.isEmpty()) {
            audiences.add(API_AUDIENCE);
        }
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = JSON.createObjectNode()
                .put("iss", API_AUDIENCE)
                .put("sub", "system:serviceaccount:" + namespace + ":" + name)
                .put("exp", now + granted).put("iat", now).put("nbf", now)
                .put("jti", UUID.randomUUID().toString());
        ArrayNode aud = claims.putArray("aud");
        audiences.forEach(aud::add);
        ObjectNode k8s = claims.putObject("kubernetes.io");
        k8s.put("namespace", namespace);
        k8s.putObject("serviceaccount").put("name", name).put("uid", account.path("metadata").path("uid").asText());
        if (boundSecret != null) {
            k8s.putObject("secret").put("name", boundSecret.path("metadata").path("name").asText())
                    .put("uid", boundSecret.path("metadata").path("uid").asText());
        }

        ObjectNode answer = JSON.createObjectNode().put("apiVersion", "authentication.k8s.io/v1").put("kind", "TokenRequest");
        answer.putObject("metadata").put("name", name).put("namespace", namespace);
        answer.set("spec", spec);
        answer.putObject("status").put("token", sign(claims))
                .put("expirationTimestamp", Instant.ofEpochSecond(now + granted).toString());
        return json(201, answer);
    }

    private MockResponse tokenReview(JsonNode body) {
        JsonNode spec = body.path("spec");
        List<String> audiences = new ArrayList<>();
        spec.path("audiences").forEach(a -> audiences.add(a.asText()));
        ObjectNode answer = JSON.createObjectNode().put("apiVersion", "authentication.k8s.io/v1").put("kind", "TokenReview");
        answer.putObject("metadata");
        answer.set("spec", spec);
        ObjectNode status = answer.putObject("status");
        ObjectNode user = review(spec.path("token").asText(), audiences);
        if (user == null) {
            status.put("authenticated", false).put("error", "[invalid bearer token, token lookup failed]");
        } else {
            status.put("authenticated", true).set("user", user);
            ArrayNode granted = status.putArray("audiences");
            (audiences.isEmpty() ? List.of(API_AUDIENCE) : audiences).forEach(granted::add);
        }
        return json(201, answer); // a review that fails is still a created review, never an HTTP error
    }

    /** The reviewed user, or null when the token does not authenticate for these audiences. */
    private ObjectNode review(String token, List<String> audiences) {
        Set<String> wanted = new HashSet<>(audiences.isEmpty() ? List.of(API_AUDIENCE) : audiences);
        User person = users.get(token);
        if (person != null) {
            if (!wanted.contains(API_AUDIENCE)) {
                return null;
            }
            ObjectNode user = JSON.createObjectNode().put("username", person.username()).put("uid", "u-" + person.username());
            ArrayNode groups = user.putArray("groups");
            person.groups().forEach(groups::add);
            return user;
        }
        JsonNode claims = verify(token);
        if (claims == null) {
            return null;
        }
        long now = Instant.now().getEpochSecond();
        boolean audienceMatches = false;
        for (JsonNode aud : claims.path("aud")) {
            audienceMatches |= wanted.contains(aud.asText());
        }
        JsonNode bound = claims.path("kubernetes.io");
        String namespace = bound.path("namespace").asText();
        String name = bound.path("serviceaccount").path("name").asText();
        JsonNode account = serviceAccount(namespace, name);
        boolean accountAlive = account != null
                && account.path("metadata").path("uid").asText().equals(bound.path("serviceaccount").path("uid").asText());
        JsonNode secretRef = bound.path("secret");
        if (!secretRef.isMissingNode()) {
            JsonNode secret = stored("/api/v1/namespaces/" + namespace + "/secrets/" + secretRef.path("name").asText());
            accountAlive &= secret != null && secret.path("metadata").path("uid").asText().equals(secretRef.path("uid").asText())
                    && !secret.path("metadata").hasNonNull("deletionTimestamp");
        }
        if (!audienceMatches || !accountAlive || claims.path("exp").asLong() <= now || claims.path("nbf").asLong() > now) {
            return null;
        }
        ObjectNode user = JSON.createObjectNode().put("username", claims.path("sub").asText())
                .put("uid", bound.path("serviceaccount").path("uid").asText());
        user.putArray("groups").add("system:serviceaccounts").add("system:serviceaccounts:" + namespace)
                .add("system:authenticated");
        user.putObject("extra").putArray("authentication.kubernetes.io/credential-id")
                .add("JTI=" + claims.path("jti").asText());
        return user;
    }

    /** A stored object or list, as the CRUD mock serves it, else null. */
    private JsonNode stored(String path) {
        MockResponse found = crud.handleGet(path);
        if (found.code() != 200) {
            return null;
        }
        try {
            return JSON.readTree(found.getBody().readUtf8());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode serviceAccount(String namespace, String name) {
        return stored("/api/v1/namespaces/" + namespace + "/serviceaccounts/" + name);
    }

    private String sign(ObjectNode claims) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String unsigned = base64.encodeToString("{\"alg\":\"HS256\",\"kid\":\"stub\"}".getBytes(StandardCharsets.UTF_8))
                + "." + base64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        return unsigned + "." + base64.encodeToString(mac(unsigned));
    }

    /** The claims of a token this server signed, else null. */
    private JsonNode verify(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
            if (!MessageDigest.isEqual(signature, mac(parts[0] + "." + parts[1]))) {
                return null;
            }
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IllegalArgumentException | java.io.IOException e) {
            return null;
        }
    }

    private byte[] mac(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MockResponse status(int code, String reason, String message) {
        ObjectNode status = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Status")
                .put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
        status.putObject("metadata");
        return json(code, status);
    }

    static MockResponse json(int code, JsonNode body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                .setBody(body.toString());
    }
}
