package lb.dataplane.packet;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Every instance field of a {@link ParsedPacket} as text, to compare two parses field by field.
 */
final class Snapshot {
    private static final Field[] FIELDS = instanceFields();

    private Snapshot() {
    }

    static String of(final ParsedPacket packet) {
        final StringBuilder text = new StringBuilder();
        try {
            for (final Field field : FIELDS) {
                text.append(field.getName()).append('=').append(field.get(packet)).append(' ');
            }
        } catch (final IllegalAccessException ex) {
            throw new AssertionError(ex);
        }
        return text.toString();
    }

    private static Field[] instanceFields() {
        final List<Field> fields = new ArrayList<>();
        for (final Field field : ParsedPacket.class.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                field.setAccessible(true);
                fields.add(field);
            }
        }
        return fields.toArray(Field[]::new);
    }
}
