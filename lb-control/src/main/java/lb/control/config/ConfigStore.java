package lb.control.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.file.ClusterFileWriter;

/**
 * The one I/O class of the replicated config: a host's op log on disk ({@value #LOG_FILE}, {@link ConfigLogCodec}),
 * and the folded config next to it as canonical cluster-file text for people ({@value #CONFIG_FILE}).
 *
 * <p>Every file is replaced atomically: written to a temporary file in the same directory, forced to the device
 * ({@link FileChannel#force}), renamed over the old one (atomic on POSIX file systems), and the directory forced so
 * that the rename itself is durable. A write that fails at any step leaves the previous file as it was and throws a
 * {@link StoreException} saying which file and why; only then may lbd answer {@link ConfigReplica#persistFailed}.
 * Not thread-safe: one writer per directory (lbd's duty cycle or a writer thread of its own).
 */
public final class ConfigStore {
    /** The op log. */
    public static final String LOG_FILE = "config-log.bin";
    /** The folded config, for people; the log is what lbd reads back. */
    public static final String CONFIG_FILE = "config.yaml";
    private static final String TEMP_SUFFIX = ".tmp";

    /** A store operation that failed, with a message for the operator. */
    public static final class StoreException extends Exception {
        private static final long serialVersionUID = 1L;

        StoreException(final String message, final Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A write of the log that succeeded.
     *
     * @param bytes          the log's size.
     * @param humanCopyError why {@value #CONFIG_FILE} could not be written, if it could not: the log is durable
     *                       regardless (the ops are persisted), so this is a warning for the operator.
     */
    public record Written(long bytes, Optional<String> humanCopyError) {
    }

    private final Path directory;

    /** A store in this directory (created on the first write if missing). */
    public ConfigStore(final Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** The directory. */
    public Path directory() {
        return directory;
    }

    /**
     * The log as last written, or empty when there is none yet (a host's first start: lbd starts from the cluster
     * file, and writes the store at once).
     *
     * @throws StoreException when the log exists but cannot be read or decoded (never silently ignored: starting
     *                        from the file instead would lose acknowledged changes).
     */
    public Optional<ConfigLogCodec.Log> read() throws StoreException {
        final Path file = directory.resolve(LOG_FILE);
        final byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (final NoSuchFileException e) {
            return Optional.empty();
        } catch (final IOException e) {
            throw new StoreException("cannot read the config log " + file + ": " + reason(e), e);
        }
        try {
            return Optional.of(ConfigLogCodec.decodeLog(bytes));
        } catch (final IllegalArgumentException e) {
            throw new StoreException("the config log " + file + " is damaged: " + e.getMessage(), e);
        }
    }

    /** Writes what a {@link ConfigOutput.Persist} asks for. */
    public Written write(final ConfigOutput.Persist persist) throws StoreException {
        return write(persist.genesis(), persist.ops(), persist.folded());
    }

    /**
     * Replaces the log durably, then the human copy.
     *
     * @throws StoreException when the log could not be replaced; the previous log is intact.
     */
    public Written write(final ClusterConfig genesis, final List<LoggedOp> ops, final ClusterConfig folded)
        throws StoreException {
        final byte[] log = ConfigLogCodec.encodeLog(genesis, ops);
        replace(LOG_FILE, log);
        Optional<String> humanCopyError = Optional.empty();
        try {
            replace(CONFIG_FILE, ClusterFileWriter.write(folded).getBytes(StandardCharsets.UTF_8));
        } catch (final StoreException e) {
            humanCopyError = Optional.of(e.getMessage());
        }
        return new Written(log.length, humanCopyError);
    }

    private void replace(final String name, final byte[] bytes) throws StoreException {
        final Path file = directory.resolve(name);
        final Path temp = directory.resolve(name + TEMP_SUFFIX);
        try {
            Files.createDirectories(directory);
        } catch (final IOException e) {
            throw new StoreException("cannot write " + file + ": cannot create the directory " + directory + ": " +
                reason(e) + " (nothing was changed)", e);
        }
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
                final ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (final IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (final IOException ignored) {
                // The temporary file is never read; the next write truncates it.
            }
            throw new StoreException("cannot write " + file + ": " + reason(e) + " (the previous file is unchanged)",
                e);
        }
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (final IOException e) {
            // The new file is in place but its rename may not survive a power cut: not durable, so a failure.
            throw new StoreException("wrote " + file + " but cannot sync its directory " + directory + ": " +
                reason(e) + " (after a power cut the previous file may be back)", e);
        }
    }

    private static String reason(final IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
