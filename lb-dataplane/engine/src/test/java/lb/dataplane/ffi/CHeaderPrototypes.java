package lb.dataplane.ffi;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads C function prototypes out of a header well enough to compare them with FFM descriptors:
 * names, arity and the FFM carrier each parameter and the return type map to (what jextract would
 * generate). Not a C parser: enough for DPDK's and the shim's declaration style.
 */
final class CHeaderPrototypes {
    private static final Pattern BLOCK_COMMENT = Pattern.compile("/\\*.*?\\*/", Pattern.DOTALL);
    private static final Pattern LINE_COMMENT = Pattern.compile("//[^\n]*");
    private static final Pattern PROTOTYPE = Pattern.compile(
        "([A-Za-z_][A-Za-z0-9_\\s\\*]*?)\\b([A-Za-z_][A-Za-z0-9_]*)\\s*\\(([^()]*)\\)\\s*(?:__rte_\\w+\\s*)*$");
    private static final Set<String> QUALIFIERS = Set.of("const", "volatile", "extern", "__rte_experimental",
        "__rte_internal", "__rte_warn_unused_result", "__rte_deprecated", "__rte_always_inline", "static", "inline");
    private static final Set<String> TYPE_WORDS = Set.of("struct", "union", "enum", "unsigned", "signed", "long",
        "short", "int", "char");

    /** One prototype: its name and the FFM layouts of its result (null for void) and parameters. */
    record Prototype(String name, String resultType, List<String> parameterTypes, String text) {
        /** @throws IllegalArgumentException for a C type with no FFM mapping here. */
        FunctionDescriptor descriptor() {
            final MemoryLayout[] params = parameterTypes.stream().map(CHeaderPrototypes::layoutOf)
                .toArray(MemoryLayout[]::new);
            return resultType.equals("void") ? FunctionDescriptor.ofVoid(params) :
                FunctionDescriptor.of(layoutOf(resultType), params);
        }
    }

    private CHeaderPrototypes() {
    }

    /**
     * @param header a C header.
     * @return its top-level, non-inline function prototypes by name.
     * @throws IOException when the file cannot be read.
     */
    static Map<String, Prototype> read(final Path header) throws IOException {
        String text = Files.readString(header);
        text = BLOCK_COMMENT.matcher(text).replaceAll(" ");
        text = LINE_COMMENT.matcher(text).replaceAll(" ");
        final StringBuilder code = new StringBuilder();
        for (final String line : text.split("\n")) {
            // Preprocessor lines, including continued macro bodies, are not declarations.
            if (!line.stripLeading().startsWith("#") && !(code.length() > 0 && code.charAt(code.length() - 1) == '\\')) {
                code.append(line).append('\n');
            }
        }
        final Map<String, Prototype> prototypes = new LinkedHashMap<>();
        int depth = 0;
        final StringBuilder statement = new StringBuilder();
        for (int i = 0; i < code.length(); i++) {
            final char c = code.charAt(i);
            if (c == '{') {
                // extern "C" { and struct bodies are skipped; a function body ends its statement unparsed.
                depth++;
                statement.setLength(0);
            } else if (c == '}') {
                depth = Math.max(0, depth - 1);
                statement.setLength(0);
            } else if (c == ';') {
                if (depth <= 1) {
                    parse(statement.toString().replaceAll("\\s+", " ").strip()).ifPresent(p -> prototypes.put(p.name(), p));
                }
                statement.setLength(0);
            } else {
                statement.append(c);
            }
        }
        return prototypes;
    }

    private static java.util.Optional<Prototype> parse(final String statement) {
        if (statement.startsWith("typedef") || statement.contains("static ") || statement.contains("=")) {
            return java.util.Optional.empty();
        }
        final Matcher m = PROTOTYPE.matcher(statement);
        if (!m.matches()) {
            return java.util.Optional.empty();
        }
        final String returnType = m.group(1).strip();
        if (returnType.isEmpty()) {
            return java.util.Optional.empty();
        }
        final List<String> params = new ArrayList<>();
        final String paramText = m.group(3).strip();
        if (!paramText.isEmpty() && !paramText.equals("void")) {
            for (final String param : paramText.split(",")) {
                params.add(withoutName(param.strip()));
            }
        }
        return java.util.Optional.of(new Prototype(m.group(2), withoutName(returnType + " x"), params, statement));
    }

    /** Drops the parameter name, if there is one, and qualifiers; keeps the type and its stars. */
    private static String withoutName(final String declaration) {
        final List<String> tokens = new ArrayList<>();
        for (final String token : declaration.replace("*", " * ").trim().split("\\s+")) {
            if (!QUALIFIERS.contains(token)) {
                tokens.add(token);
            }
        }
        if (tokens.size() >= 2) {
            final String last = tokens.get(tokens.size() - 1);
            final String previous = tokens.get(tokens.size() - 2);
            final boolean taggedType = previous.equals("struct") || previous.equals("union") || previous.equals("enum");
            if (!last.equals("*") && !TYPE_WORDS.contains(last) && !taggedType) {
                tokens.remove(tokens.size() - 1);
            }
        }
        return String.join(" ", tokens);
    }

    /** The FFM carrier jextract uses for a C type on x86-64 Linux (LP64). */
    static MemoryLayout layoutOf(final String type) {
        if (type.contains("*")) {
            return ValueLayout.ADDRESS;
        }
        return switch (type) {
            case "uint64_t", "int64_t", "long", "unsigned long", "long long", "unsigned long long", "size_t",
                 "rte_iova_t" -> ValueLayout.JAVA_LONG;
            case "int", "unsigned", "unsigned int", "uint32_t", "int32_t" -> ValueLayout.JAVA_INT;
            case "uint16_t", "int16_t", "short", "unsigned short" -> ValueLayout.JAVA_SHORT;
            case "uint8_t", "int8_t", "char", "unsigned char" -> ValueLayout.JAVA_BYTE;
            case "void" -> throw new IllegalArgumentException("void is not a value type");
            default -> throw new IllegalArgumentException("no FFM mapping for C type '" + type + "'");
        };
    }
}
