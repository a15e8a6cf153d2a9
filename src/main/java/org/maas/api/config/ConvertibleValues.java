package org.maas.api.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Converters;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A {@code maas.*} value that cannot be converted to its key's type ({@code 1y} for a duration, {@code bogus}
 * for an enum) would stop SmallRye Config before Bean Validation runs: one line of Java internals
 * ({@code SRCFG00039 ... MaasConfig$SourceKind}) and every other problem hidden. This interceptor (registered
 * in META-INF/services, so Quarkus applies it to its configuration) reads such a value as the key's default
 * instead and notes what was wrong; {@link Convertible}, on every group of {@link MaasConfig}, reports the
 * note with the other problems, one line each, naming the format the key takes.
 *
 * <p>The note is kept per thread: SmallRye builds a mapping and validates it in one call on one thread, and
 * every build reads every key again, so the notes are those of the build being validated.
 */
public class ConvertibleValues implements ConfigSourceInterceptor {

    private static final Map<String, Key> KEYS = keys("maas", MaasConfig.class, new TreeMap<>());
    /** The groups of {@link MaasConfig} and their key prefixes, e.g. Tokens and "maas.tokens". */
    static final Map<Class<?>, String> GROUPS = groups();
    private static final ThreadLocal<Map<String, String>> NOTES = ThreadLocal.withInitial(HashMap::new);

    /** One leaf of {@link MaasConfig}: its type and its default ({@code null}: none, an Optional). */
    private record Key(Class<?> type, String defaultValue) {
    }

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        Key key = KEYS.get(name);
        if (key == null || value == null || value.getValue() == null || value.getValue().isEmpty()) {
            return value;
        }
        Optional<String> expected = expected(key.type(), value.getValue());
        if (expected.isEmpty()) {
            NOTES.get().remove(name);
            return value;
        }
        NOTES.get().put(name, "must be " + expected.get() + ", not '" + abbreviate(value.getValue()) + "'");
        return key.defaultValue() == null ? null : value.withValue(key.defaultValue());
    }

    /** The problems noted for the keys directly under this prefix ("maas.tokens"), each with the key's last part. */
    static List<String> problems(String prefix) {
        return NOTES.get().entrySet().stream()
                .filter(note -> note.getKey().startsWith(prefix + ".")
                        && note.getKey().indexOf('.', prefix.length() + 1) < 0)
                .map(note -> note.getKey().substring(prefix.length() + 1) + " " + note.getValue())
                .sorted().toList();
    }

    /** What this value should have been, or empty when it converts as SmallRye and Quarkus convert it. */
    private static Optional<String> expected(Class<?> type, String value) {
        try {
            if (type == Duration.class) {
                new DurationConverter().convert(value);
                return Optional.empty();
            }
            if (type == MemorySize.class) {
                new MemorySizeConverter().convert(value);
                return Optional.empty();
            }
            if (type == Integer.class) {
                Integer.valueOf(value);
                return Optional.empty();
            }
            if (type == Boolean.class) {
                // SmallRye reads anything but these true-words as false, "maybe" too; only they are meant.
                return Set.of("true", "false", "yes", "no", "y", "n", "on", "off", "1", "0")
                        .contains(value.toLowerCase(Locale.ROOT)) ? Optional.empty() : Optional.of("true or false");
            }
            if (type.isEnum()) {
                Converters.getImplicitConverter(type).convert(value);
                return Optional.empty();
            }
            return Optional.empty(); // strings: their rules are annotations, checked by Bean Validation
        } catch (IllegalArgumentException e) {
            return Optional.of(format(type));
        }
    }

    private static String format(Class<?> type) {
        if (type == Duration.class) {
            return "a duration (like 500ms, 30s, 5m, 4h)";
        }
        if (type == MemorySize.class) {
            return "a size (like 64K, 1M)";
        }
        if (type == Integer.class) {
            return "a whole number";
        }
        return "one of " + Arrays.stream(type.getEnumConstants())
                .map(constant -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", "));
    }

    private static String abbreviate(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "..." : value;
    }

    /** Every leaf key under this prefix, read from the mapping interface as SmallRye names them (kebab case). */
    private static Map<String, Key> keys(String prefix, Class<?> mapping, Map<String, Key> keys) {
        for (Method method : mapping.getDeclaredMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.isDefault() || method.getParameterCount() > 0) {
                continue;
            }
            String name = prefix + "." + name(method);
            Class<?> type = method.getReturnType();
            if (type == Optional.class) {
                var argument = ((ParameterizedType) method.getGenericReturnType()).getActualTypeArguments()[0];
                type = argument instanceof Class<?> plain ? plain : List.class;
            }
            if (isGroup(type)) {
                keys(name, type, keys);
            } else {
                WithDefault defaultValue = method.getAnnotation(WithDefault.class);
                keys.put(name, new Key(type == int.class ? Integer.class : type == boolean.class ? Boolean.class : type,
                        defaultValue == null ? null : defaultValue.value()));
            }
        }
        return keys;
    }

    private static Map<Class<?>, String> groups() {
        Map<Class<?>, String> groups = new HashMap<>();
        for (Method method : MaasConfig.class.getDeclaredMethods()) {
            if (isGroup(method.getReturnType())) {
                groups.put(method.getReturnType(), "maas." + name(method));
            }
        }
        return Map.copyOf(groups);
    }

    private static boolean isGroup(Class<?> type) {
        return type.isInterface() && type.getEnclosingClass() == MaasConfig.class;
    }

    private static String name(Method method) {
        WithName name = method.getAnnotation(WithName.class);
        return name != null ? name.value() : method.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
