package org.maas.api.error;

import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;

/** A client that went away mid-request (closed the connection, or reset its HTTP/2 stream): routine, not a server error. */
public final class Disconnects {

    private Disconnects() {
    }

    public static boolean isDisconnect(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpClosedException || t instanceof StreamResetException || t instanceof ClosedChannelException) {
                return true;
            }
            String message = String.valueOf(t.getMessage());
            if ((t instanceof VertxException || t instanceof IOException)
                    && (message.contains("Connection was closed") || message.contains("Connection reset")
                    || message.contains("Stream was closed") || message.contains("Broken pipe"))) {
                return true;
            }
        }
        return false;
    }
}
