package lb.control.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import lb.control.admin.AdminClient;
import lb.control.config.ConfigOp;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ConfigError;
import lb.dataplane.config.ConfigException;
import lb.dataplane.config.file.ClusterFileLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lbctl config}: the whole cluster config. {@code check} validates a file here without lbd; {@code save}
 * prints or writes the canonical text of the config lbd holds durably; {@code restore} makes a file the config of
 * the whole cluster (one replicated change). {@code save} after {@code restore} of a saved file gives the same bytes.
 */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = "Check a cluster file, save the running cluster's config, restore one to the whole cluster.",
    subcommands = {ConfigCommand.Check.class, ConfigCommand.Save.class, ConfigCommand.Restore.class})
public final class ConfigCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "a config command is required: check, save or restore");
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate a cluster file without applying it: every error at once, each naming the field and " +
            "what is valid. Needs no lbd.")
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The cluster file.")
        Path file;

        @Option(names = {"-j", "--json"}, description = "JSON: {\"file\", \"valid\", \"fingerprint\", \"errors\": " +
            "[{\"where\", \"field\", \"value\", \"problem\", \"valid\"}]}.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            final Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("file", file.toString());
            try {
                final ClusterConfig config = ClusterFileLoader.load(file);
                answer.put("valid", true);
                answer.put("fingerprint", config.fingerprint().sha256Hex());
                answer.put("errors", List.of());
                if (json) {
                    out.println(Json.COMPACT.writeValueAsString(answer));
                } else {
                    out.println(file + ": valid; cluster " + config.parameters().name() + ", " +
                        config.members().size() + " hosts, " + config.vips().size() + " VIPs, " +
                        config.portRules().size() + " port rules; fingerprint " + config.fingerprint().sha256Hex());
                }
                out.flush();
                return ExitCodes.OK;
            } catch (final ConfigException invalid) {
                answer.put("valid", false);
                final List<Map<String, Object>> errors = new ArrayList<>();
                for (final ConfigError error : invalid.errors()) {
                    final Map<String, Object> e = new LinkedHashMap<>();
                    e.put("where", error.where());
                    e.put("field", error.field());
                    e.put("value", error.value());
                    e.put("problem", error.problem());
                    e.put("valid", error.valid());
                    errors.add(e);
                    if (!json) {
                        err.println(file + ": " + error.message());
                    }
                }
                answer.put("errors", errors);
                if (json) {
                    out.println(Json.COMPACT.writeValueAsString(answer));
                } else {
                    err.println(file + ": " + errors.size() + (errors.size() == 1 ? " error" : " errors"));
                }
                out.flush();
                err.flush();
                return ExitCodes.REFUSED;
            } catch (final UncheckedIOException unreadable) {
                err.println("lbctl: " + unreadable.getMessage());
                err.flush();
                return ExitCodes.USAGE;
            }
        }
    }

    @Command(name = "save", mixinStandardHelpOptions = true,
        description = "The config this host holds durably, as canonical cluster-file text: to FILE (written " +
            "atomically) or to standard output.")
    static final class Save implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LbdOptions lbd;

        @Parameters(arity = "0..1", paramLabel = "FILE", description = "Where to write it. Default: standard output.")
        Path file;

        @Override
        public Integer call() {
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            return lbd.run(err, client -> {
                final var document = client.configGet();
                if (file == null) {
                    out.print(document.text());
                    out.flush();
                    return ExitCodes.OK;
                }
                try {
                    final Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
                    Files.writeString(temporary, document.text(), StandardCharsets.UTF_8);
                    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (final IOException ex) {
                    err.println("lbctl: cannot write " + file + ": " + ex);
                    err.flush();
                    return ExitCodes.FAILURE;
                }
                out.println("config " + Changes.shortly(document.fingerprint()) + " (version " + document.version() +
                    ", host " + document.hostId() + ") saved to " + file);
                out.flush();
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Make a cluster file the config of the whole cluster: validated here, then one replicated " +
            "change (same cluster name, secret and bucket count; this host must stay a member).")
    static final class Restore extends Changes {
        @Parameters(paramLabel = "FILE", description = "The cluster file.")
        Path file;

        @Override
        ConfigOp change(final AdminClient client) throws LbdOptions.Problem {
            try {
                return new ConfigOp.Replace(ClusterFileLoader.load(file));
            } catch (final ConfigException invalid) {
                final StringBuilder errors = new StringBuilder();
                invalid.errors().forEach(e -> errors.append(System.lineSeparator()).append("  ").append(e.message()));
                throw new LbdOptions.Problem(ExitCodes.REFUSED, file + " is not a valid cluster file (" +
                    invalid.errors().size() + " errors; lbctl config check " + file + "):" + errors);
            } catch (final UncheckedIOException unreadable) {
                throw new LbdOptions.Problem(ExitCodes.USAGE, unreadable.getMessage());
            }
        }
    }
}
