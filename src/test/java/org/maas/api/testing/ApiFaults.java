package org.maas.api.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback TCP proxy in front of an API server (the {@link KubernetesApiStub}) that can fail the way a
 * real one does, as the client sees it: port closed, a peer that accepts and never answers, a body that
 * trickles, 5xx and 429 answers. Every change of fault drops the open connections, as a restarted server
 * would, so the client's pooled connections see the new behaviour at once. Plain HTTP/1.1, like the stub.
 */
public final class ApiFaults implements AutoCloseable {

    /** What the API server does, seen from the client. */
    public enum Fault {
        /** Forwards to the stub. */
        NONE,
        /** The port is closed: connection refused. */
        REFUSED,
        /** Accepts connections, reads what comes, never answers. */
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
    private final int port;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "api-faults");
        t.setDaemon(true);
        return t;
    });
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicLong failed = new java.util.concurrent.atomic.AtomicLong();
    private volatile Fault fault = Fault.NONE;
    private ServerSocket listener;

    /** Listens on a free loopback port, forwarding to the server on upstreamPort. */
    public ApiFaults(int upstreamPort) throws IOException {
        this(upstreamPort, 0);
    }

    public ApiFaults(int upstreamPort, int port) throws IOException {
        this.upstreamPort = upstreamPort;
        this.port = listen(port);
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/";
    }

    public Fault fault() {
        return fault;
    }

    /** Requests answered with an error status so far (the client's attempts, retries included). */
    public long failedRequests() {
        return failed.get();
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

    private void serve(Socket client) {
        Fault now = fault;
        try (client) {
            switch (now) {
                case NONE -> forward(client);
                case SILENT -> client.getInputStream().transferTo(OutputStream.nullOutputStream());
                case SLOW_BODY -> trickle(client);
                case ERROR_500 -> answer(client, 500, "InternalError", null);
                case UNAVAILABLE_503 -> answer(client, 503, "ServiceUnavailable", null);
                case TOO_MANY_429 -> answer(client, 429, "TooManyRequests", "1");
                case REFUSED -> { } // accepted just before the port closed: drop it
            }
        } catch (IOException | InterruptedException e) {
            // the connection was dropped, by either side
        } finally {
            open.remove(client);
        }
    }

    private void forward(Socket client) throws IOException, InterruptedException {
        try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            open.add(upstream);
            try {
                var back = threads.submit(() -> pump(upstream.getInputStream(), client.getOutputStream()));
                pump(client.getInputStream(), upstream.getOutputStream());
                upstream.shutdownOutput();
                back.get();
            } catch (java.util.concurrent.ExecutionException e) {
                // the upstream side ended
            } finally {
                open.remove(upstream);
            }
        }
    }

    private static Void pump(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (SocketException e) {
            // dropped
        }
        return null;
    }

    /** Reads one request (head and Content-Length body), answers with a Kubernetes Status and closes. */
    private void answer(Socket client, int code, String reason, String retryAfter) throws IOException {
        readRequest(client.getInputStream());
        failed.incrementAndGet();
        String body = "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"metadata\":{},\"status\":\"Failure\",\"message\":\""
                + reason + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + code + " " + reason + "\r\nContent-Type: application/json\r\nContent-Length: "
                + bytes.length + "\r\n" + (retryAfter == null ? "" : "Retry-After: " + retryAfter + "\r\n")
                + "Connection: close\r\n\r\n";
        OutputStream out = client.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        client.shutdownOutput();
        client.getInputStream().transferTo(OutputStream.nullOutputStream());
    }

    private static void trickle(Socket client) throws IOException, InterruptedException {
        readRequest(client.getInputStream());
        OutputStream out = client.getOutputStream();
        out.write(("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        while (true) {
            Thread.sleep(1000);
            out.write(' ');
            out.flush();
        }
    }

    private static void readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the request ended");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        long length = 0;
        for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring("content-length:".length()).trim());
            }
        }
        in.skipNBytes(length);
    }

    private synchronized void closeListener() throws IOException {
        if (listener != null) {
            listener.close();
            listener = null;
        }
    }

    private void dropConnections() {
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException e) {
                // closed already
            }
        }
        open.clear();
    }

    @Override
    public void close() throws IOException {
        closeListener();
        dropConnections();
        threads.shutdownNow();
    }
}
