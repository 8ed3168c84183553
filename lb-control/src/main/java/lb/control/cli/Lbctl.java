package lb.control.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * lbctl, the operator's tool: noun-verb commands in NLB's words, {@code -h} everywhere, {@code -j} on read commands,
 * exit codes in {@link ExitCodes}.
 */
@Command(name = "lbctl", mixinStandardHelpOptions = true, version = "lbctl 0.1.0",
    description = "Operate an lb cluster host.",
    subcommands = {ClusterCommand.class, HostCommand.class, RuleCommand.class, VipCommand.class, ConfigCommand.class,
        StatCommand.class,
        // The operator's reads and flushes: affinity, explain, capture, errors.
        AffinityCommand.class, ExplainCommand.class, CaptureCommand.class, ErrorsCommand.class,
        CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "1:failed (stderr says what)", "2:usage error", "3:lbd or the dataplane not reachable",
        "4:change refused (the reason on stderr)", "5:timeout"})
public final class Lbctl implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: cluster, host, rule, " +
            "vip, config, stat, affinity, explain, capture, errors or completion");
    }

    /**
     * Runs one command line and exits with its status.
     */
    public static void main(final String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * @return lbctl's command line, with usage errors mapped to {@link ExitCodes#USAGE}.
     */
    public static CommandLine commandLine() {
        final CommandLine line = new CommandLine(new Lbctl())
            .setExitCodeExceptionMapper(ex -> ex instanceof CommandLine.ParameterException ? ExitCodes.USAGE :
                ExitCodes.FAILURE);
        // picocli's generator: `source <(lbctl completion)` in bash or zsh completes commands, options and enums.
        line.addSubcommand("completion", new picocli.AutoComplete.GenerateCompletion());
        final CommandLine.Model.UsageMessageSpec usage = line.getSubcommands().get("completion").getCommandSpec()
            .usageMessage();
        usage.hidden(false).description("Print the bash/zsh completion script: source <(lbctl completion)");
        return line;
    }
}
