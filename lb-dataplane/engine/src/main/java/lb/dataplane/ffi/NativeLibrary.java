package lb.dataplane.ffi;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the lb shim shared library is: the one fact the generated bindings cannot know.
 */
public final class NativeLibrary {
    /** System property naming the shim library file. */
    public static final String PATH_PROPERTY = "lb.native.lib";
    /** Environment variable naming it when the property is unset. */
    public static final String PATH_ENV = "LB_NATIVE_LIB";

    private NativeLibrary() {
    }

    /**
     * The shim's path: the {@value #PATH_PROPERTY} property, else the {@value #PATH_ENV}
     * environment variable. The file must exist.
     *
     * @return absolute path of liblbshim.so.
     * @throws IllegalStateException naming both settings when neither gives an existing file.
     */
    public static Path path() {
        String value = System.getProperty(PATH_PROPERTY);
        String source = "-D" + PATH_PROPERTY;
        if (value == null || value.isBlank()) {
            value = System.getenv(PATH_ENV);
            source = PATH_ENV;
        }
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("the lb shim library is not configured: set -D" + PATH_PROPERTY +
                "=<path to liblbshim.so> or " + PATH_ENV + " (built by `make -C native`; the ./lb launcher sets it)");
        }
        Path path = Path.of(value).toAbsolutePath();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(source + "=" + value + " is not a file: build the shim with " +
                "`make -C native` (or ./lb build)");
        }
        return path;
    }
}
