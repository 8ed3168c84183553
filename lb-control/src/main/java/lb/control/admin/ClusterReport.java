package lb.control.admin;

import java.util.List;

/**
 * The answer to a cluster query: every member of the config as the answering host sees it.
 *
 * @param hostId    the host that answered.
 * @param viewEpoch the epoch of the view it holds.
 * @param leaderId  the host it follows (its own id when it leads), 0 for none.
 * @param converged whether it serves and every member of its view holds the same view.
 * @param hosts     every member of the config, by host id.
 * @param refusals  the hosts it will not converge with, and why.
 */
public record ClusterReport(int hostId, long viewEpoch, int leaderId, boolean converged, long configVersion,
    List<HostReport> hosts, List<RefusalReport> refusals) {
    public ClusterReport {
        hosts = List.copyOf(hosts);
        refusals = List.copyOf(refusals);
    }

    /**
     * One member.
     *
     * @param hostId       its id.
     * @param hostPriority its priority in the config.
     * @param incarnation  the run heard (0 when not heard).
     * @param state        started, stopped, suspended, draining, or unknown (not heard within the detection time).
     * @param mode         serving, withdrawn, draining, stopped, or unknown.
     * @param listening    whether it listens before owning anything.
     * @param inView       whether it is a member of the answering host's view.
     * @param inStep       whether it holds the answering host's view.
     * @param viewEpoch    the epoch of the view it holds.
     * @param rules        buckets it owns in the answering host's view, per rule.
     * @param unhealthyRules rules whose local service fails its health check there: it takes none of their buckets.
     * @param runningConfig fingerprint (hex) of the config it runs; empty when not heard.
     * @param latestConfig  fingerprint (hex) of the latest config it holds durably (it runs it once the cluster
     *                      switched); empty when not heard.
     */
    public record HostReport(int hostId, int hostPriority, long incarnation, String state, String mode,
        boolean listening, boolean inView, boolean inStep, long viewEpoch, List<RuleBuckets> rules,
        List<UnhealthyRule> unhealthyRules, String runningConfig, String latestConfig) {
        public HostReport {
            rules = List.copyOf(rules);
            unhealthyRules = List.copyOf(unhealthyRules);
            java.util.Objects.requireNonNull(runningConfig, "runningConfig");
            java.util.Objects.requireNonNull(latestConfig, "latestConfig");
        }
    }

    /**
     * @param rule   the rule key.
     * @param reason why its check fails (known for the answering host only; empty for the others).
     */
    public record UnhealthyRule(String rule, String reason) {
    }

    /**
     * @param rule         the rule key as the config writes it, or {@code default}.
     * @param ownedBuckets buckets of the rule the host owns.
     */
    public record RuleBuckets(String rule, int ownedBuckets) {
    }

    /**
     * @param hostId      the refused host.
     * @param incarnation its run.
     * @param reason      why.
     */
    public record RefusalReport(int hostId, long incarnation, String reason) {
    }
}
