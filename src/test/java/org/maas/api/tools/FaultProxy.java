package org.maas.api.tools;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.maas.api.testing.ApiFaults;
import org.maas.api.testing.ControlPlane;

/**
 * {@link ApiFaults} in front of a running control plane's kube-apiserver, as a process of its own, for
 * {@code bench/faults.sh}:
 * <pre>
 * java -cp target/test-classes:TEST_CLASSPATH org.maas.api.tools.FaultProxy PLANE_DIR CONTROL_PORT
 * </pre>
 * PLANE_DIR is a directory tools/control-plane/control-plane.sh started. Prints {@code url<TAB>https://127.0.0.1:PORT/}
 * (the proxy: TLS with the control plane's serving certificate, so a kubeconfig trusting its pki/ca.crt works
 * unchanged), then {@code ready}. {@code POST /fault/NAME} on loopback CONTROL_PORT switches the fault
 * ({@link ApiFaults.Fault}: NONE, REFUSED, SILENT, SLOW_BODY, ERROR_500, UNAVAILABLE_503, TOO_MANY_429).
 */
public final class FaultProxy {

    private FaultProxy() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: FaultProxy PLANE_DIR CONTROL_PORT");
            System.exit(2);
        }
        ApiFaults faults = ApiFaults.inFrontOf(ControlPlane.at(Path.of(args[0])));
        HttpServer control = HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[1])), 16);
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
        System.out.println("url\t" + faults.url());
        System.out.println("ready");
        System.out.flush();
        new CountDownLatch(1).await(); // until the script stops the process
    }
}
