package org.maas.api.audit;

import java.util.function.Function;
import org.maas.api.error.ApiException;

/**
 * An operation of tokens, keys or admins reported once, with its audit line and metrics, whether it succeeds or
 * ends in an {@link ApiException}: the try/catch every such operation needs, written here once.
 *
 * <pre>{@code
 * return Operation.run(scope -> {
 *     scope.tier = ...;          // what it finds out, for the report also when a later step fails
 *     return result;
 * }, (outcome, scope, result) -> { Audit....; metrics....; });
 * }</pre>
 */
public final class Operation {

    /** What the operation found out before it ended (null when it did not get that far). */
    public static final class Scope {
        public String tier;
        public String namespace;
        /** The name of what it acts on (a key's name), as far as it got. */
        public String name;
    }

    /** Writes the audit line and counts: {@code result} is null unless the outcome is success. */
    @FunctionalInterface
    public interface Report<T> {
        void done(String outcome, Scope scope, T result);
    }

    private Operation() {
    }

    public static <T> T run(Function<Scope, T> work, Report<T> report) {
        Scope scope = new Scope();
        T result;
        try {
            result = work.apply(scope);
        } catch (ApiException e) {
            report.done(outcome(e), scope, null);
            throw e;
        }
        report.done("success", scope, result);
        return result;
    }

    /** The outcome tag of metrics and audit lines: the error code for what a client can cause, else "error". */
    public static String outcome(ApiException e) {
        return switch (e.status()) {
            case 400, 403, 404, 409, 503 -> e.code();
            default -> "error";
        };
    }
}
