package org.maas.api.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A loopback TCP proxy in front of an API server that can fail the way a real one does, as the client sees
 * it: port closed, a peer that accepts and never answers, a body that trickles, 5xx and 429 answers. Every
 * change of fault drops the open connections, as a restarted server would, so the client's pooled
 * connections see the new behaviour at once. It counts the requests that reach it, by method and path, so a
 * test can assert the API calls the application made.
 *
 * <p>{@link #inFrontOf(ControlPlane)}: in front of the real kube-apiserver. The proxy speaks TLS with the
 * control plane's own serving certificate (pki/server.crt, whose SAN covers 127.0.0.1), so a client that
 * trusts pki/ca.crt trusts it unchanged; it forwards over TLS, trusting pki/ca.crt. Fault answers go out
 * over TLS too. The client's token passes through (a client certificate could not). bench/faults.sh runs one
 * as a process of its own (tools/FaultProxy).
 */
public final class ApiFaults implements AutoCloseable {

    /** What the API server does, seen from the client. */
    public enum Fault {
        /** Forwards to the API server. */
        NONE,
        /** The port is closed: connection refused. */
        REFUSED,
        /** Accepts connections (and the TLS handshake), reads what comes, never answers. */
        SILENT,
        /** Answers 201 with a large Content-Length, then one byte a second. */
        SLOW_BODY,
        /** Answers 500 to everything. */
        ERROR_500,
        /** Answers 503 to everything. */
        UNAVAILABLE_503,
        /** Answers 429 with {@code Retry-After: 1} to everything. */
        TOO_MANY_429
    }

    private final int upstreamPort;
    private final SSLContext serving;
    private final SSLContext upstreamTls;
    private final int port;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "api-faults");
        t.setDaemon(true);
        return t;
    });
    /** The TCP sockets of both sides of every open connection (closing one aborts its TLS layer too). */
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    private final AtomicLong failed = new AtomicLong();
    /** Paths answered like {@link Fault#SLOW_BODY} while everything else is forwarded ({@link #slowBody}). */
    private final Set<String> slowPaths = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> trickling = new ConcurrentHashMap<>();
    private volatile Fault fault = Fault.NONE;
    private ServerSocket listener;

    private ApiFaults(int upstreamPort, int port, SSLContext serving, SSLContext upstreamTls) throws IOException {
        this.upstreamPort = upstreamPort;
        this.serving = serving;
        this.upstreamTls = upstreamTls;
        this.port = listen(port);
    }

    /** A TLS proxy on a free loopback port in front of the control plane's kube-apiserver. */
    public static ApiFaults inFrontOf(ControlPlane plane) {
        Path pki = plane.caCertificate().getParent();
        try {
            Certificate ca = certificate(pki.resolve("ca.crt"));
            KeyStore identity = KeyStore.getInstance("PKCS12");
            identity.load(null, null);
            identity.setKeyEntry("server", privateKey(pki.resolve("server.key")), new char[0],
                    new Certificate[] {certificate(pki.resolve("server.crt"))});
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(identity, new char[0]);
            SSLContext serving = SSLContext.getInstance("TLS");
            serving.init(keys.getKeyManagers(), null, null);

            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("ca", ca);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext upstream = SSLContext.getInstance("TLS");
            upstream.init(null, trust.getTrustManagers(), null);
            return new ApiFaults(URI.create(plane.apiUrl()).getPort(), 0, serving, upstream);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the control plane's certificates in " + pki, e);
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "https://127.0.0.1:" + port + "/";
    }

    public Fault fault() {
        return fault;
    }

    /** Requests answered with an error status so far (the client's attempts, retries included). */
    public long failedRequests() {
        return failed.get();
    }

    /**
     * Requests that reached the proxy so far with this method and path (without the query string), whatever
     * the fault: each attempt of the client counts, retries included.
     */
    public long requests(String method, String path) {
        AtomicLong count = requests.get(method + " " + path);
        return count == null ? 0 : count.get();
    }

    /** From now on the API server behaves like this; open connections are dropped. */
    public synchronized void set(Fault next) throws IOException {
        fault = next;
        if (next == Fault.REFUSED) {
            closeListener();
        } else if (listener == null) {
            listen(port);
        }
        dropConnections();
    }

    public void recover() throws IOException {
        set(Fault.NONE);
    }

    private synchronized int listen(int wanted) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted), 512);
        listener = socket;
        threads.execute(() -> accept(socket));
        return socket.getLocalPort();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                open.add(client);
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket raw) {
        Fault now = fault;
        Socket upstream = null;
        try (raw) {
            if (now == Fault.REFUSED) {
                return; // accepted just before the port closed: drop it
            }
            if (now == Fault.NONE) {
                try {
                    upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                } catch (IOException down) { // as a TCP load balancer whose backend is down: reset at once
                    raw.setSoLinger(true, 0);
                    return;
                }
                open.add(upstream);
            }
            Socket client = serverSide(raw);
            InputStream in = new BufferedInputStream(client.getInputStream());
            switch (now) {
                case NONE -> forward(client, in, upstream);
                case SILENT -> {
                    readRequest(in);
                    in.transferTo(OutputStream.nullOutputStream());
                }
                case SLOW_BODY -> trickle(client, in);
                case ERROR_500 -> answer(client, in, 500, "InternalError", "Internal error occurred: a fault", null);
                case UNAVAILABLE_503 -> answer(client, in, 503, "ServiceUnavailable",
                        "the server is currently unable to handle the request", null);
                case TOO_MANY_429 -> answer(client, in, 429, "TooManyRequests",
                        "Too many requests, please try again later.", "1");
                default -> throw new IllegalStateException(now.name());
            }
        } catch (IOException | InterruptedException e) {
            // the connection was dropped, by either side
        } finally {
            open.remove(raw);
            if (upstream != null) {
                closeQuietly(upstream);
                open.remove(upstream);
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closed already
        }
    }

    private Socket serverSide(Socket raw) throws IOException {
        SSLSocket tls = (SSLSocket) serving.getSocketFactory().createSocket(raw, null, true);
        tls.setUseClientMode(false);
        tls.startHandshake();
        return tls;
    }

    private Socket upstream(Socket raw) throws IOException {
        SSLSocket tls = (SSLSocket) upstreamTls.getSocketFactory().createSocket(raw, "127.0.0.1", upstreamPort, true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the serving certificate's SAN names 127.0.0.1
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        return tls;
    }

    /** Relays request by request (counting each) to the API server, and its answers back, until either side ends. */
    private void forward(Socket client, InputStream in, Socket raw) throws IOException {
        try (raw) {
            Socket upstream = upstream(raw);
            threads.execute(() -> {
                try (raw; client) { // an answer stream that ends ends the connection
                    pump(upstream.getInputStream(), client.getOutputStream());
                } catch (IOException e) {
                    // dropped
                }
            });
            OutputStream out = upstream.getOutputStream();
            for (Head head; (head = Head.read(in)) != null; ) {
                count(head);
                if (slowPaths.contains(head.path())) {
                    copyBody(head, in, OutputStream.nullOutputStream());
                    trickleUntilReleased(client, head.path());
                    return;
                }
                out.write(head.bytes());
                copyBody(head, in, out);
                out.flush();
                if (head.upgrade()) { // a WebSocket: raw bytes from here on
                    pump(in, out);
                    return;
                }
            }
        }
    }

    private void count(Head head) {
        requests.computeIfAbsent(head.method() + " " + head.path(), key -> new AtomicLong()).incrementAndGet();
    }

    private static void pump(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
            out.flush();
        }
    }

    /** Reads one request (head and body), answers with a Kubernetes Status as kube-apiserver words it, and closes. */
    private void answer(Socket client, InputStream in, int code, String reason, String message, String retryAfter)
            throws IOException {
        readRequest(in);
        failed.incrementAndGet();
        String body = "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"metadata\":{},\"status\":\"Failure\",\"message\":\""
                + message + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + code + " " + reason + "\r\nContent-Type: application/json\r\nContent-Length: "
                + bytes.length + "\r\n" + (retryAfter == null ? "" : "Retry-After: " + retryAfter + "\r\n")
                + "Connection: close\r\n\r\n";
        OutputStream out = client.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        // Until the client closes (it was told to): closing first, with its data unread, could reset the answer away.
        client.setSoTimeout(2000);
        in.transferTo(OutputStream.nullOutputStream());
    }

    private void trickle(Socket client, InputStream in) throws IOException, InterruptedException {
        readRequest(in);
        OutputStream out = client.getOutputStream();
        out.write(("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        while (true) {
            Thread.sleep(1000); // the fault itself (a byte a second), on the proxy's thread: no test waits on it
            out.write(' ');
            out.flush();
        }
    }

    private void readRequest(InputStream in) throws IOException {
        Head head = Head.read(in);
        if (head == null) {
            throw new IOException("closed before a request");
        }
        count(head);
        copyBody(head, in, OutputStream.nullOutputStream());
    }

    /** One request's head: its bytes as sent, and what its framing needs. */
    private record Head(byte[] bytes, String method, String path, long length, boolean chunked, boolean upgrade) {

        /** Null when the stream ends before a request starts. */
        static Head read(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            while (matched < end.length) {
                int b = in.read();
                if (b < 0) {
                    if (head.size() == 0) {
                        return null;
                    }
                    throw new IOException("closed in a request head");
                }
                head.write(b);
                matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
            String[] requestLine = lines[0].split(" ");
            String target = requestLine.length > 1 ? requestLine[1] : "";
            int query = target.indexOf('?');
            long length = 0;
            boolean chunked = false;
            boolean upgrade = false;
            for (String line : lines) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(line.substring("content-length:".length()).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("upgrade:")) {
                    upgrade = true;
                }
            }
            return new Head(head.toByteArray(), requestLine[0], query < 0 ? target : target.substring(0, query),
                    length, chunked, upgrade);
        }
    }

    private static void copyBody(Head head, InputStream in, OutputStream out) throws IOException {
        if (!head.chunked()) {
            copy(in, out, head.length());
            return;
        }
        while (true) { // chunk-size[;ext] CRLF data CRLF ... 0 CRLF trailers CRLF
            String sizeLine = copyLine(in, out);
            int semicolon = sizeLine.indexOf(';');
            long size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                while (!copyLine(in, out).isEmpty()) {
                    // a trailer
                }
                return;
            }
            copy(in, out, size);
            copyLine(in, out);
        }
    }

    /** Copies one CRLF-terminated line and returns it without the CRLF. */
    private static String copyLine(InputStream in, OutputStream out) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed in a chunked body");
            }
            out.write(b);
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.US_ASCII);
            }
            line.write(b);
            previous = b;
        }
    }

    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[8192];
        for (long left = length; left > 0; ) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("closed in a body");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private static Certificate certificate(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** An unencrypted PKCS#8 PEM key ("BEGIN PRIVATE KEY"), as openssl writes it. */
    private static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
        String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private synchronized void closeListener() throws IOException {
        if (listener != null) {
            listener.close();
            listener = null;
        }
    }

    /**
     * Closes what is open now. Each socket leaves the set as it is closed: a clear() afterwards would also forget a
     * connection accepted meanwhile (a client reconnects within milliseconds), which then outlived every later fault.
     */
    private void dropConnections() {
        for (Socket socket : open) {
            open.remove(socket);
            try {
                socket.close();
            } catch (IOException e) {
                // closed already
            }
        }
    }

    /**
     * From now on, requests to this path (without the query string) are answered like {@link Fault#SLOW_BODY}
     * (201, then one byte a second, so no client idle timeout ends them) while other paths are forwarded, until
     * {@link #release}: a deterministic way to keep chosen API calls in flight.
     */
    public void slowBody(String path) {
        slowPaths.add(path);
    }

    /** Requests to this path answered slowly now. */
    public long trickling(String path) {
        AtomicLong count = trickling.get(path);
        return count == null ? 0 : count.get();
    }

    /** Requests to this path are forwarded again; those trickling now end (their connection is closed). */
    public void release(String path) {
        slowPaths.remove(path);
    }

    private void trickleUntilReleased(Socket client, String path) throws IOException {
        AtomicLong now = trickling.computeIfAbsent(path, key -> new AtomicLong());
        now.incrementAndGet();
        try {
            OutputStream out = client.getOutputStream();
            out.write(("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            while (slowPaths.contains(path)) {
                Thread.sleep(200);
                out.write(' ');
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            now.decrementAndGet();
        }
    }

    @Override
    public void close() throws IOException {
        closeListener();
        dropConnections();
        threads.shutdownNow();
    }
}
