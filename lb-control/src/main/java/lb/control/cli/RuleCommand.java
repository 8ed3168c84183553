package lb.control.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import lb.control.admin.AdminClient;
import lb.control.config.ConfigOp;
import lb.dataplane.config.Affinity;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterMember;
import lb.dataplane.config.Durations;
import lb.dataplane.config.FilteringMode;
import lb.dataplane.config.LoadWeight;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.RuleKey;
import lb.dataplane.config.RuleState;
import lb.dataplane.config.file.ClusterFileParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lbctl rule}: NLB's port rules, listed and changed on the live cluster (a change is replicated to every host
 * and durable before it is answered: docs/admin-api.md). A rule is named by its key, {@code VIP:PORTS/PROTOCOL} as
 * the cluster file writes it ({@code all:80/tcp}, {@code 10.0.0.100:8000-8099/both}, {@code [2001:db8::100]:53/udp}).
 */
@Command(name = "rule", mixinStandardHelpOptions = true,
    description = "List and change the port rules of the running cluster (replicated to every host, durable).",
    subcommands = {RuleCommand.ListRules.class, RuleCommand.Add.class, RuleCommand.Set.class,
        RuleCommand.Remove.class, RuleCommand.Enable.class, RuleCommand.Disable.class, RuleCommand.Drain.class})
public final class RuleCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "a rule command is required: list, add, set, remove, enable, disable or drain");
    }

    static RuleKey key(final String text) throws LbdOptions.Problem {
        try {
            return RuleKey.parse(text);
        } catch (final IllegalArgumentException ex) {
            throw new LbdOptions.Problem(ExitCodes.USAGE, "RULE " + text + ": " + ex.getMessage() + " (a rule is " +
                "VIP:PORTS/PROTOCOL, e.g. all:80/tcp, 10.0.0.100:8000-8099/both, [2001:db8::100]:53/udp)");
        }
    }

    static FilteringMode filtering(final String text) throws LbdOptions.Problem {
        for (final FilteringMode mode : FilteringMode.values()) {
            if (mode.label().equals(text) || mode.name().equalsIgnoreCase(text)) {
                return mode;
            }
        }
        throw new LbdOptions.Problem(ExitCodes.USAGE, "--filtering " + text + ": valid: multiple, single, disabled");
    }

    static Affinity affinity(final String text) throws LbdOptions.Problem {
        for (final Affinity affinity : Affinity.values()) {
            if (affinity.name().equalsIgnoreCase(text)) {
                return affinity;
            }
        }
        throw new LbdOptions.Problem(ExitCodes.USAGE, "--affinity " + text + ": valid: none, single, network");
    }

    static RuleState state(final String text) throws LbdOptions.Problem {
        for (final RuleState state : RuleState.values()) {
            if (state.name().equalsIgnoreCase(text)) {
                return state;
            }
        }
        throw new LbdOptions.Problem(ExitCodes.USAGE, "--state " + text + ": valid: enabled, disabled, draining");
    }

    static Duration duration(final String option, final String text) throws LbdOptions.Problem {
        try {
            return Durations.parse(text);
        } catch (final IllegalArgumentException ex) {
            throw new LbdOptions.Problem(ExitCodes.USAGE, option + " " + text + ": " + ex.getMessage());
        }
    }

    static LoadWeight weight(final String text) throws LbdOptions.Problem {
        if (text.equals("equal")) {
            return LoadWeight.EQUAL;
        }
        try {
            final int percent = Integer.parseInt(text);
            if (percent >= 0 && percent <= LoadWeight.MAX) {
                return LoadWeight.of(percent);
            }
        } catch (final NumberFormatException ignored) {
            // Named below.
        }
        throw new LbdOptions.Problem(ExitCodes.USAGE, "--weight " + text + ": valid: equal or 0..100");
    }

    /** {@code HOST=VALUE}, as --weight and --handling-priority of rule add take them. */
    static Map.Entry<Integer, String> perHost(final String option, final String text) throws LbdOptions.Problem {
        final int equals = text.indexOf('=');
        if (equals > 0) {
            try {
                return Map.entry(Integer.parseInt(text.substring(0, equals)), text.substring(equals + 1));
            } catch (final NumberFormatException ignored) {
                // Named below.
            }
        }
        throw new LbdOptions.Problem(ExitCodes.USAGE, option + " " + text + ": valid: HOST=VALUE, e.g. 2=80");
    }

    /** A rule as {@code rule list} prints it and its JSON. */
    static Map<String, Object> describe(final ClusterConfig config, final PortRule rule) {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("rule", rule.key().toString());
        json.put("vip", rule.key().vip().map(Object::toString).orElse(RuleKey.ALL_VIPS));
        json.put("ports", rule.key().ports().toString());
        json.put("protocol", rule.key().protocol().name().toLowerCase(Locale.ROOT));
        json.put("filtering", rule.filtering().name().toLowerCase(Locale.ROOT));
        json.put("affinity", rule.affinity().name().toLowerCase(Locale.ROOT));
        json.put("state", rule.state().name().toLowerCase(Locale.ROOT));
        json.put("extendedAffinity", Durations.format(rule.extendedAffinity()));
        json.put("extendedAffinitySeconds", rule.extendedAffinity().toSeconds());
        final List<Map<String, Object>> hosts = new ArrayList<>();
        for (final ClusterMember member : config.members()) {
            final Map<String, Object> host = new LinkedHashMap<>();
            host.put("hostId", member.hostId());
            if (rule.filtering() == FilteringMode.MULTIPLE) {
                host.put("weight", member.loadWeights().getOrDefault(rule.key(), LoadWeight.EQUAL).toString());
            } else if (rule.filtering() == FilteringMode.SINGLE) {
                host.put("handlingPriority", member.handlingPriorities().getOrDefault(rule.key(),
                    member.hostPriority()));
            }
            hosts.add(host);
        }
        json.put("hosts", hosts);
        return json;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
        description = "The port rules of the config this host holds durably, with every host's weight or handling " +
            "priority.")
    static final class ListRules implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LbdOptions lbd;

        @Option(names = {"-j", "--json"}, description = "JSON: {\"fingerprint\", \"version\", \"rules\": [{\"rule\", " +
            "\"vip\", \"ports\", \"protocol\", \"filtering\", \"affinity\", \"state\", \"extendedAffinity\", " +
            "\"extendedAffinitySeconds\", \"hosts\": [{\"hostId\", \"weight\" | \"handlingPriority\"}]}]}.")
        boolean json;

        @Override
        public Integer call() {
            final PrintWriter out = spec.commandLine().getOut();
            return lbd.run(spec.commandLine().getErr(), client -> {
                final var document = client.configGet();
                final ClusterConfig config = ClusterFileParser.parse(document.text(), "lbd's config");
                final List<Map<String, Object>> rules = new ArrayList<>();
                for (final PortRule rule : config.portRules()) {
                    rules.add(describe(config, rule));
                }
                if (json) {
                    final Map<String, Object> all = new LinkedHashMap<>();
                    all.put("fingerprint", document.fingerprint());
                    all.put("version", document.version());
                    all.put("rules", rules);
                    out.println(Json.COMPACT.writeValueAsString(all));
                } else {
                    out.printf("%-32s %-9s %-8s %-9s %-10s %s%n", "RULE", "FILTERING", "AFFINITY", "STATE",
                        "EXTENDED", "HOSTS");
                    for (final Map<String, Object> rule : rules) {
                        final StringBuilder hosts = new StringBuilder();
                        for (final Object o : (List<?>)rule.get("hosts")) {
                            final Map<?, ?> host = (Map<?, ?>)o;
                            if (host.containsKey("weight")) {
                                hosts.append(host.get("hostId")).append('=').append(host.get("weight")).append(' ');
                            } else if (host.containsKey("handlingPriority")) {
                                hosts.append(host.get("hostId")).append(":prio=").append(host.get("handlingPriority"))
                                    .append(' ');
                            }
                        }
                        out.printf("%-32s %-9s %-8s %-9s %-10s %s%n", rule.get("rule"), rule.get("filtering"),
                            rule.get("affinity"), rule.get("state"), rule.get("extendedAffinity"),
                            hosts.toString().trim());
                    }
                    out.println("(config " + Changes.shortly(document.fingerprint()) + ", version " +
                        document.version() + "; VIP traffic no rule covers goes to the default host)");
                }
                out.flush();
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
        description = "Add a port rule (NLB's defaults for what is left out: multiple-host filtering, single " +
            "affinity, enabled, no extended affinity, equal weights).")
    static final class Add extends Changes {
        @Parameters(paramLabel = "RULE", description = "VIP:PORTS/PROTOCOL, e.g. all:80/tcp, 10.0.0.100:8000-8099/both")
        String rule;

        @Option(names = "--filtering", paramLabel = "MODE", description = "multiple, single or disabled.")
        String filtering;

        @Option(names = "--affinity", paramLabel = "AFFINITY", description = "none, single or network.")
        String affinity;

        @Option(names = "--state", paramLabel = "STATE", description = "enabled, disabled or draining.")
        String state;

        @Option(names = "--extended-affinity", paramLabel = "DURATION",
            description = "Keep a client on its host this long after its last packet, across convergence (15m); " +
                "0s: off.")
        String extendedAffinity;

        @Option(names = "--weight", paramLabel = "HOST=WEIGHT",
            description = "A host's load weight on this multiple-host rule: equal or 0..100 (repeatable).")
        List<String> weights = new ArrayList<>();

        @Option(names = "--handling-priority", paramLabel = "HOST=PRIORITY",
            description = "A host's handling priority on this single-host rule (repeatable; lowest live takes it).")
        List<String> priorities = new ArrayList<>();

        @Override
        ConfigOp change(final AdminClient client) throws LbdOptions.Problem {
            PortRule portRule = PortRule.of(key(rule));
            if (filtering != null) {
                portRule = portRule.withFiltering(filtering(filtering));
            }
            if (affinity != null) {
                portRule = portRule.withAffinity(affinity(affinity));
            }
            if (state != null) {
                portRule = portRule.withState(state(state));
            }
            if (extendedAffinity != null) {
                portRule = portRule.withExtendedAffinity(duration("--extended-affinity", extendedAffinity));
            }
            final TreeMap<Integer, LoadWeight> byHost = new TreeMap<>();
            for (final String weight : weights) {
                final Map.Entry<Integer, String> entry = perHost("--weight", weight);
                byHost.put(entry.getKey(), weight(entry.getValue()));
            }
            final TreeMap<Integer, Integer> handling = new TreeMap<>();
            for (final String priority : priorities) {
                final Map.Entry<Integer, String> entry = perHost("--handling-priority", priority);
                try {
                    handling.put(entry.getKey(), Integer.parseInt(entry.getValue()));
                } catch (final NumberFormatException ex) {
                    throw new LbdOptions.Problem(ExitCodes.USAGE, "--handling-priority " + priority +
                        ": the priority is a number");
                }
            }
            return new ConfigOp.AddRule(portRule, byHost, handling);
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
        description = "Change a port rule's filtering, affinity or extended affinity; or, with --host, one host's " +
            "load weight or handling priority on it.")
    static final class Set extends Changes {
        @Parameters(paramLabel = "RULE", description = "The rule's key, VIP:PORTS/PROTOCOL.")
        String rule;

        @Option(names = "--filtering", paramLabel = "MODE", description = "multiple, single or disabled.")
        String filtering;

        @Option(names = "--affinity", paramLabel = "AFFINITY", description = "none, single or network.")
        String affinity;

        @Option(names = "--extended-affinity", paramLabel = "DURATION", description = "e.g. 15m; 0s: off.")
        String extendedAffinity;

        @Option(names = "--host", paramLabel = "HOST", description = "The host --weight or --handling-priority is for.")
        Integer host;

        @Option(names = "--weight", paramLabel = "WEIGHT", description = "With --host: equal or 0..100.")
        String weight;

        @Option(names = "--handling-priority", paramLabel = "PRIORITY", description = "With --host.")
        Integer handlingPriority;

        @Override
        ConfigOp change(final AdminClient client) throws LbdOptions.Problem {
            final RuleKey key = key(rule);
            final boolean ruleFields = filtering != null || affinity != null || extendedAffinity != null;
            final boolean hostFields = weight != null || handlingPriority != null;
            if (host != null || hostFields) {
                if (host == null || !hostFields || ruleFields || (weight != null && handlingPriority != null)) {
                    throw new LbdOptions.Problem(ExitCodes.USAGE, "a host's setting is --host N with one of " +
                        "--weight or --handling-priority, and nothing else");
                }
                return weight != null ? new ConfigOp.SetHostWeight(host, key, weight(weight)) :
                    new ConfigOp.SetHandlingPriority(host, key, handlingPriority);
            }
            if (!ruleFields) {
                throw new LbdOptions.Problem(ExitCodes.USAGE, "nothing to set: give --filtering, --affinity, " +
                    "--extended-affinity, or --host N with --weight or --handling-priority");
            }
            return new ConfigOp.SetRule(key, filtering == null ? Optional.empty() : Optional.of(filtering(filtering)),
                affinity == null ? Optional.empty() : Optional.of(affinity(affinity)),
                extendedAffinity == null ? Optional.empty() :
                    Optional.of(duration("--extended-affinity", extendedAffinity)));
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
        description = "Remove a port rule and every host's settings for it; its traffic goes to the default host " +
            "(or another rule that covers it).")
    static final class Remove extends Changes {
        @Parameters(paramLabel = "RULE", description = "The rule's key, VIP:PORTS/PROTOCOL.")
        String rule;

        @Override
        ConfigOp change(final AdminClient client) throws LbdOptions.Problem {
            return new ConfigOp.RemoveRule(key(rule));
        }
    }

    /** enable, disable, drain: a rule's state. */
    abstract static class StateChange extends Changes {
        @Parameters(paramLabel = "RULE", description = "The rule's key, VIP:PORTS/PROTOCOL.")
        String rule;

        abstract RuleState target();

        @Override
        ConfigOp change(final AdminClient client) throws LbdOptions.Problem {
            return new ConfigOp.SetRuleState(key(rule), target());
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a port rule on every host.")
    static final class Enable extends StateChange {
        @Override
        RuleState target() {
            return RuleState.ENABLED;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
        description = "Disable a port rule on every host: its traffic is dropped, connections included.")
    static final class Disable extends StateChange {
        @Override
        RuleState target() {
            return RuleState.DISABLED;
        }
    }

    @Command(name = "drain", mixinStandardHelpOptions = true,
        description = "Drain a port rule on every host: no new connections; existing ones carry on.")
    static final class Drain extends StateChange {
        @Override
        RuleState target() {
            return RuleState.DRAINING;
        }
    }
}
