package lb.dataplane.config.file;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import lb.dataplane.config.ConfigError;
import lb.dataplane.config.Durations;

/**
 * One mapping of the cluster file, read strictly: unknown fields, missing required fields and values of the wrong
 * form are all recorded as {@link ConfigError}s naming the path, and reading goes on with a fallback so that one pass
 * finds every such error.
 */
final class YamlSection {
    private final ObjectNode node;
    private final String path;
    private final List<ConfigError> errors;

    private YamlSection(final ObjectNode node, final String path, final List<ConfigError> errors) {
        this.node = node;
        this.path = path;
        this.errors = errors;
    }

    /**
     * Reads a node that should be a mapping with only the allowed fields; records an error and returns empty if it is
     * not a mapping.
     */
    static Optional<YamlSection> of(
        final JsonNode node, final String path, final String field, final List<ConfigError> errors,
        final List<String> allowed) {
        if (!(node instanceof ObjectNode object)) {
            errors.add(new ConfigError(where(path), field, shown(node), "not a mapping", "a mapping of " + list(allowed)));
            return Optional.empty();
        }
        final YamlSection section = new YamlSection(object, path, errors);
        for (final Map.Entry<String, JsonNode> entry : object.properties()) {
            if (!allowed.contains(entry.getKey())) {
                errors.add(new ConfigError(where(path), entry.getKey(), shown(entry.getValue()), "unknown field",
                    "fields here are " + list(allowed)));
            }
        }
        return Optional.of(section);
    }

    /** The path of this mapping, empty at the top of the file. */
    String path() {
        return path;
    }

    /** How errors name this mapping. */
    String where() {
        return where(path);
    }

    private static String where(final String path) {
        return path.isEmpty() ? "(top level)" : path;
    }

    List<ConfigError> errors() {
        return errors;
    }

    /** The child path {@code path.field}, or {@code field} at the top. */
    String child(final String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    boolean has(final String field) {
        return node.has(field) && !node.get(field).isNull();
    }

    /** The raw node of a field that {@link #has} says is present. */
    JsonNode node(final String field) {
        return node.get(field);
    }

    /** A number or a string, as text; lists, mappings and booleans are refused. */
    String scalar(final String field, final String valid) {
        if (!has(field)) {
            return null;
        }
        final JsonNode value = node.get(field);
        if (!value.isNumber() && !value.isTextual()) {
            errors.add(new ConfigError(where(), field, shown(value), "not a number or a string", valid));
            return null;
        }
        return value.asText();
    }

    /** Records that a required field is missing when it is. */
    boolean require(final String field, final String valid) {
        if (has(field)) {
            return true;
        }
        errors.add(new ConfigError(where(), field, "(missing)", "required", valid));
        return false;
    }

    /** A nested mapping, if present and a mapping. */
    Optional<YamlSection> section(final String field, final List<String> allowed) {
        return has(field) ? of(node.get(field), child(field), field, errors, allowed) : Optional.empty();
    }

    /** The fields of a nested mapping with free-form keys (such as rule keys), if present and a mapping. */
    List<Map.Entry<String, JsonNode>> entries(final String field) {
        if (!has(field)) {
            return List.of();
        }
        if (!(node.get(field) instanceof ObjectNode object)) {
            errors.add(new ConfigError(where(), field, shown(node.get(field)), "not a mapping", "a mapping"));
            return List.of();
        }
        return List.copyOf(object.properties());
    }

    /** The elements of a list, if present and a list. */
    List<JsonNode> list(final String field, final String valid) {
        if (!has(field)) {
            return List.of();
        }
        final JsonNode value = node.get(field);
        if (!value.isArray()) {
            errors.add(new ConfigError(where(), field, shown(value), "not a list", valid));
            return List.of();
        }
        final List<JsonNode> elements = new ArrayList<>();
        value.elements().forEachRemaining(elements::add);
        return elements;
    }

    /** A string; numbers and booleans are refused so that YAML never silently reinterprets a value. */
    String text(final String field, final String fallback, final String valid) {
        if (!has(field)) {
            return fallback;
        }
        final JsonNode value = node.get(field);
        if (!value.isTextual()) {
            errors.add(new ConfigError(where(), field, shown(value), "not a string (quote it)", valid));
            return fallback;
        }
        return value.textValue();
    }

    /** A whole number within {@code min..max} (range errors are the validator's, but ints must fit). */
    int integer(final String field, final int fallback, final String valid) {
        if (!has(field)) {
            return fallback;
        }
        return integer(path, field, node.get(field), fallback, valid, errors);
    }

    /** A duration: seconds as a number, or a string with a unit. */
    Duration duration(final String field, final Duration fallback, final String valid) {
        if (!has(field)) {
            return fallback;
        }
        final JsonNode value = node.get(field);
        if (!value.isNumber() && !value.isTextual()) {
            errors.add(new ConfigError(where(), field, shown(value), "not a duration", Durations.FORMS + "; " + valid));
            return fallback;
        }
        return parsed(field, value.asText(), Durations::parse, fallback, valid);
    }

    /** An enum constant written in lower case with '-' for '_'. */
    <E extends Enum<E>> E choice(final String field, final Class<E> type, final E fallback) {
        final String valid = choices(type);
        final String text = text(field, null, valid);
        if (text == null) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (final IllegalArgumentException e) {
            errors.add(new ConfigError(where(), field, text, "not one of the choices", valid));
            return fallback;
        }
    }

    /** A value of any scalar form turned into a T by a parser whose exception message says what is wrong. */
    <T> T parsed(
        final String field, final String text, final Function<String, T> parser, final T fallback, final String valid) {
        try {
            return parser.apply(text);
        } catch (final IllegalArgumentException e) {
            errors.add(new ConfigError(where(), field, text, e.getMessage(), valid));
            return fallback;
        }
    }

    static int integer(
        final String where, final String field, final JsonNode value, final int fallback, final String valid,
        final List<ConfigError> errors) {
        if (!value.isIntegralNumber()) {
            errors.add(new ConfigError(where, field, shown(value), "not a whole number", valid));
            return fallback;
        }
        if (!value.canConvertToInt()) {
            errors.add(new ConfigError(where, field, shown(value), "out of range", valid));
            return fallback;
        }
        return value.intValue();
    }

    static <E extends Enum<E>> String choices(final Class<E> type) {
        final List<String> names = new ArrayList<>();
        for (final E constant : type.getEnumConstants()) {
            names.add(YamlNames.of(constant));
        }
        return String.join(", ", names);
    }

    static String shown(final JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "(missing)";
        }
        if (value.isContainerNode()) {
            return value.isArray() ? "(a list)" : "(a mapping)";
        }
        return value.isTextual() ? "'" + value.textValue() + "'" : value.asText();
    }

    private static String list(final List<String> allowed) {
        return String.join(", ", allowed);
    }
}
