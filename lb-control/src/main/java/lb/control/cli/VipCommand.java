package lb.control.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import lb.control.admin.AdminClient;
import lb.control.config.ConfigOp;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.file.ClusterFileParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lbctl vip}: the cluster's virtual IPs. A VIP removed falls silent on every host at the view that drops it
 * (no host answers ARP or ND for it again); one added is announced by the hosts that own its traffic.
 */
@Command(name = "vip", mixinStandardHelpOptions = true,
    description = "List, add and remove the cluster's virtual IPs (replicated to every host, durable).",
    subcommands = {VipCommand.ListVips.class, VipCommand.Add.class, VipCommand.Remove.class})
public final class VipCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "a vip command is required: list, add or remove");
    }

    static IpAddress vip(final String text) throws LbdOptions.Problem {
        try {
            return IpAddress.parse(text);
        } catch (final IllegalArgumentException ex) {
            throw new LbdOptions.Problem(ExitCodes.USAGE, "VIP " + text + ": " + ex.getMessage() +
                " (an IPv4 or IPv6 address)");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
        description = "The VIPs of the config this host holds durably.")
    static final class ListVips implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LbdOptions lbd;

        @Option(names = {"-j", "--json"}, description = "JSON: {\"fingerprint\", \"version\", \"vips\": [\"...\"]}.")
        boolean json;

        @Override
        public Integer call() {
            final PrintWriter out = spec.commandLine().getOut();
            return lbd.run(spec.commandLine().getErr(), client -> {
                final var document = client.configGet();
                final ClusterConfig config = ClusterFileParser.parse(document.text(), "lbd's config");
                final List<String> vips = config.vips().stream().map(IpAddress::toString).toList();
                if (json) {
                    final Map<String, Object> all = new LinkedHashMap<>();
                    all.put("fingerprint", document.fingerprint());
                    all.put("version", document.version());
                    all.put("vips", vips);
                    out.println(Json.COMPACT.writeValueAsString(all));
                } else {
                    vips.forEach(out::println);
                }
                out.flush();
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a VIP to the cluster.")
    static final class Add extends Changes {
        @Parameters(paramLabel = "VIP", description = "An IPv4 or IPv6 address.")
        String vip;

        @Override
        ConfigOp change(final AdminClient client) throws LbdOptions.Problem {
            return new ConfigOp.AddVip(vip(vip));
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
        description = "Remove a VIP from the cluster: every host stops answering ARP/ND for it. Rules that name it " +
            "must be removed first.")
    static final class Remove extends Changes {
        @Parameters(paramLabel = "VIP", description = "An IPv4 or IPv6 address.")
        String vip;

        @Override
        ConfigOp change(final AdminClient client) throws LbdOptions.Problem {
            return new ConfigOp.RemoveVip(vip(vip));
        }
    }
}
