package lb.dataplane.config.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import lb.dataplane.config.ClusterConfig;

/**
 * Reads a cluster file from disk; the only class here that does I/O, so everything it calls can be tested on text.
 */
public final class ClusterFileLoader {
    private ClusterFileLoader() {
    }

    /**
     * Loads and validates a cluster file.
     *
     * @throws lb.dataplane.config.ConfigException with every error, naming the file.
     * @throws UncheckedIOException when the file cannot be read.
     */
    public static ClusterConfig load(final Path file) {
        final String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (final NoSuchFileException e) {
            throw new UncheckedIOException("cannot read cluster file " + file + ": no such file", e);
        } catch (final AccessDeniedException e) {
            throw new UncheckedIOException("cannot read cluster file " + file + ": permission denied", e);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read cluster file " + file + ": " + e, e);
        }
        return ClusterFileParser.parse(text, file.toString());
    }

    /**
     * Loads and validates the cluster file of a command's {@code --cluster} option for the host of its
     * {@code --host-id}: what every lb command that runs a host (the dataplane, lbd) starts with.
     *
     * @throws lb.dataplane.config.ConfigException with every error in the file.
     * @throws IllegalArgumentException naming the option: the file cannot be read, or the host is not a member.
     */
    public static ClusterConfig loadForHost(final Path file, final int hostId) {
        final ClusterConfig config;
        try {
            config = load(file);
        } catch (final UncheckedIOException ex) {
            throw new IllegalArgumentException("--cluster: " + ex.getMessage(), ex);
        }
        if (config.member(hostId).isEmpty()) {
            throw new IllegalArgumentException("--host-id " + hostId + " is not a host of " + file + " (hosts: " +
                config.members().stream().map(m -> Integer.toString(m.hostId())).toList() + ")");
        }
        return config;
    }
}
