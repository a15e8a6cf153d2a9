package org.maas.api.testing;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link ApiStubServer} behind {@link ApiFaults}, as a standalone process on 127.0.0.1, for {@code bench/faults.sh}:
 * <pre>
 * java -cp target/test-classes:TEST_CLASSPATH org.maas.api.testing.ApiFaultServer STUB_PORT API_PORT CONTROL_PORT USER=GROUP,GROUP ...
 * </pre>
 * The API server for maas-api is {@code http://127.0.0.1:API_PORT}; {@code POST /fault/NAME} on CONTROL_PORT
 * switches the fault ({@link ApiFaults.Fault}: NONE, REFUSED, SILENT, SLOW_BODY, ERROR_500, UNAVAILABLE_503,
 * TOO_MANY_429). Prints {@code user<TAB>name<TAB>bearer token} per user, then {@code ready}.
 */
public final class ApiFaultServer {

    private static final List<Logger> QUIET = new ArrayList<>(); // JUL keeps loggers weakly

    private ApiFaultServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: ApiFaultServer STUB_PORT API_PORT CONTROL_PORT [USERNAME=GROUP,GROUP ...]");
            System.exit(2);
        }
        for (String name : List.of("", "io.fabric8", "io.vertx", "io.netty")) {
            Logger logger = Logger.getLogger(name);
            logger.setLevel(Level.WARNING);
            QUIET.add(logger);
        }
        ApiStubServer stub = new ApiStubServer();
        int stubPort = Integer.parseInt(args[0]);
        stub.start(stubPort);
        ApiFaults faults = new ApiFaults(stubPort, Integer.parseInt(args[1]));
        HttpServer control = HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[2])), 16);
        control.createContext("/fault/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring("/fault/".length());
            int code = 200;
            String answer;
            try {
                faults.set(ApiFaults.Fault.valueOf(name));
                answer = "fault " + name + "\n";
            } catch (IllegalArgumentException e) {
                code = 404;
                answer = "unknown fault " + name + "; one of " + Arrays.toString(ApiFaults.Fault.values()) + "\n";
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        control.start();
        for (String user : Arrays.asList(args).subList(3, args.length)) {
            int eq = user.indexOf('=');
            String name = eq < 0 ? user : user.substring(0, eq);
            String[] groups = eq < 0 ? new String[0] : user.substring(eq + 1).split(",");
            System.out.println("user\t" + name + "\t" + stub.addUser(name, groups));
        }
        System.out.println("ready");
        System.out.flush();
        while (true) {
            Thread.sleep(1000);
            stub.forgetServerRequests();
        }
    }
}
