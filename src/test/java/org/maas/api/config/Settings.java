package org.maas.api.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * {@link MaasConfig} built from given {@code maas.*} values the way Quarkus builds it: SmallRye Config with
 * Quarkus' duration and size converters and maas-api's {@link ConvertibleValues}, validated by SmallRye's Bean
 * Validation config validator (the one Quarkus' validator extends, so the problem lines read the same).
 */
final class Settings {

    private static final Validator VALIDATOR = Validation.byProvider(HibernateValidator.class).configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    private Settings() {
    }

    static MaasConfig of(Map<String, String> values) {
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors() // ${maas.gateway.name} in defaults, as Quarkus expands it
                .withMapping(MaasConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .withInterceptors(new ConvertibleValues()) // as META-INF/services registers it with Quarkus
                .withValidator((BeanValidationConfigValidator) () -> VALIDATOR)
                .build()
                .getConfigMapping(MaasConfig.class);
    }

    /** The problem lines for these values; empty when they are valid. */
    static List<String> problems(Map<String, String> values) {
        try {
            of(values);
            return List.of();
        } catch (ConfigValidationException e) {
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < e.getProblemCount(); i++) {
                problems.add(e.getProblem(i).getMessage());
            }
            return problems;
        }
    }
}
