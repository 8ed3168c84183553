package lb.control.lbd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aeron.Aeron;
import lb.control.admin.AdminServer;
import lb.control.admin.ClusterReport;
import lb.control.admin.ConfigDocument;
import lb.control.admin.ConfigResult;
import lb.control.admin.sbe.AnswerStatus;
import lb.control.admin.sbe.HostCommandCode;
import lb.control.affinity.StickyClient;
import lb.control.config.ConfigOp;
import lb.control.convergence.ClusterView;
import lb.control.membership.HostState;
import lb.control.convergence.LocalView;
import lb.control.convergence.RuleView;
import lb.control.host.HostMachine;
import lb.control.host.HostStatus;
import lb.control.host.Output;
import lb.control.membership.MemberId;
import lb.control.membership.Refusal;
import lb.control.protocol.ClaimsRefusedMessage;
import lb.control.protocol.HeartbeatMessage;
import lb.control.protocol.MembershipCodec;
import lb.control.protocol.StickyClientsMessage;
import lb.dataplane.api.BucketBitmaps;
import lb.dataplane.api.ClientEntries;
import lb.dataplane.api.sbe.IpVersion;
import lb.dataplane.buckets.BucketAssignment;
import lb.dataplane.buckets.BucketBitmap;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterMember;
import lb.dataplane.config.DefaultRule;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.RuleKey;
import lb.dataplane.config.file.ClusterFileWriter;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One host of the cluster as lbd runs it: its {@link HostMachine} (the pure membership and convergence) wired to the
 * other hosts through {@link MembershipTransport} and to its dataplane through {@link DataplaneLink}. Every duty cycle
 * reads what arrived, advances the machine to now and carries out what it decided, in its order. What the host is and
 * sees goes to {@code status.json} in the run directory (replaced atomically), for people and tests to read.
 * One thread.
 */
final class ClusterNode implements DataplaneLink.Events, MembershipCodec.Listener, AdminServer.Handler, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClusterConfig config;
    private final int hostId;
    private ConfigService configs;
    private final Map<RuleKey, String> healthReasons = new java.util.TreeMap<>();
    private final HostMachine machine;
    private final MembershipTransport transport;
    private final DataplaneLink link;
    private final Path statusFile;
    private final Consumer<String> log;
    private final int bucketCount;
    private final LbdMetrics metrics;
    private final OperatorDesk desk;
    private long nowMs;
    private HostStatus status;
    private LocalView lastView;
    private long viewSentMs;
    private long viewAckedEpoch;
    private long viewAckedMs;
    private boolean statusDirty;
    private long drainSinceMs = Long.MIN_VALUE;
    /** A drainstop ends on a status that counts no tracked connection, once the count covers the drain (it lags). */
    private static final long DRAIN_COUNT_LAG_MS = 2_500;

    private record ExportFor(RuleKey rule, int toHostId) {
    }

    /**
     * @param config      the cluster config.
     * @param hostId      this host.
     * @param incarnation this run of lbd.
     * @param aeron       lbd's client of its own media driver (the management network).
     * @param dataplaneDir the dataplane's Aeron directory.
     * @param statusFile  where the status goes.
     * @param log         lbd's log.
     */
    ClusterNode(final ClusterConfig config, final int hostId, final long incarnation, final Aeron aeron,
        final String dataplaneDir, final Path statusFile, final Consumer<String> log) {
        this.config = config;
        this.hostId = hostId;
        this.machine = new HostMachine(config, hostId, incarnation);
        this.transport = new MembershipTransport(aeron, config, hostId, log);
        this.link = new DataplaneLink(dataplaneDir, incarnation, config, log, this);
        this.statusFile = statusFile;
        this.log = log;
        this.bucketCount = config.parameters().bucketCount();
        this.metrics = new LbdMetrics(config, machine.self(), machine.detectionMs());
        this.desk = new OperatorDesk(config, hostId, link, () -> lastView, () -> status == null ? "unknown" :
            status.mode().name().toLowerCase(), statusFile.toAbsolutePath().getParent());
    }

    /** The host's replicated config, which takes the operators' config changes. */
    void configs(final ConfigService service) {
        this.configs = service;
    }

    /**
     * A config this host made durable (an operator's change here or another host's, replicated): the machine
     * switches to it once the cluster is ready (docs/membership.md, "Config changes"); heartbeats computed for it are
     * read from now on.
     */
    void configStored(final long now, final ClusterConfig stored) {
        nowMs = now;
        try {
            machine.configStored(now, stored);
            transport.knows(stored);
        } catch (final IllegalArgumentException ex) {
            log.accept("config " + stored.fingerprint().sha256Hex().substring(0, 16) + " cannot run here: " +
                ex.getMessage() + "; this host keeps running " + config.fingerprint().sha256Hex().substring(0, 16));
        }
        statusDirty = true;
        execute();
    }

    /** A rule's local service became healthy or unhealthy (its health check's rise or fall). */
    void ruleHealth(final long now, final RuleKey rule, final boolean healthy, final String reason) {
        nowMs = now;
        log.accept("rule " + rule + " is " + (healthy ? "healthy" : "unhealthy") + " here: " + reason +
            (healthy ? "; it takes new connections again" : "; it takes no new connections of it, the others do"));
        if (healthy) {
            healthReasons.remove(rule);
        } else {
            healthReasons.put(rule, reason);
        }
        machine.ruleHealth(now, rule, healthy);
        statusDirty = true;
        execute();
    }

    /** The config this host runs. */
    ClusterConfig config() {
        return config;
    }

    @Override
    public void configChange(final long now, final ConfigOp change, final Consumer<ConfigResult> onResult) {
        if (configs == null) {
            onResult.accept(new ConfigResult(AnswerStatus.REFUSED, hostId, 0, "", "this lbd keeps no config store",
                ""));
            return;
        }
        configs.propose(now, change, answer -> onResult.accept(new ConfigResult(answer.done() ? AnswerStatus.OK :
            answer.invalid() ? AnswerStatus.INVALID : AnswerStatus.REFUSED, hostId, configs.version(),
            configs.config().fingerprint().sha256Hex(), answer.detail(), answer.superseded().orElse(""))));
    }

    @Override
    public ConfigDocument configGet(final long now) {
        final ClusterConfig durable = configs == null ? config : configs.config();
        return new ConfigDocument(hostId, configs == null ? 0 : configs.version(), durable.fingerprint().sha256Hex(),
            config.fingerprint().sha256Hex(), ClusterFileWriter.write(durable));
    }

    /** The link to the dataplane, for the supervisor's calls. */
    DataplaneLink link() {
        return link;
    }

    /** lbd's own metrics, for {@code /metrics} (read on the HTTP server's thread). */
    LbdMetrics metrics() {
        return metrics;
    }

    /** Host command start, the host's state when lbd starts. */
    void start(final long now) {
        nowMs = now;
        machine.start(now);
        execute();
    }

    /**
     * Host command stop: the host's departure goes out at once, and its dataplane is told to own nothing and answer
     * no VIP.
     */
    void stop(final long now) {
        nowMs = now;
        machine.stop(now);
        execute();
        link.doWork(now);
    }

    @Override
    public AdminServer.Answer hostCommand(final long now, final HostCommandCode command, final long timeoutMs) {
        nowMs = now;
        final HostState before = machine.status() == null ? HostState.STOPPED : machine.status().state();
        final boolean taken = switch (command) {
            case START -> machine.start(now);
            case STOP -> machine.stop(now);
            case DRAINSTOP -> machine.drainstop(now, timeoutMs <= 0 ? Long.MAX_VALUE / 4 : timeoutMs);
            case SUSPEND -> machine.suspend(now);
            case RESUME -> machine.resume(now);
            default -> false;
        };
        execute();
        final HostState after = machine.status().state();
        if (!taken) {
            return new AdminServer.Answer(AnswerStatus.REFUSED, "host " + hostId + " is suspended: it takes only " +
                "resume (and query); resume it, then start it");
        }
        if (command == HostCommandCode.DRAINSTOP) {
            if (after != HostState.DRAINING) {
                return new AdminServer.Answer(AnswerStatus.REFUSED, "host " + hostId + " is " +
                    before.name().toLowerCase() + ": drainstop drains a started host");
            }
            drainSinceMs = now;
            return new AdminServer.Answer(AnswerStatus.OK, "draining: no new connections; it stops when its " +
                "tracked connections end" + (timeoutMs > 0 ? " or in " + timeoutMs + " ms" : ""));
        }
        if (command == HostCommandCode.RESUME && before != HostState.SUSPENDED) {
            return new AdminServer.Answer(AnswerStatus.OK, "host " + hostId + " was not suspended; it is " +
                after.name().toLowerCase());
        }
        return new AdminServer.Answer(AnswerStatus.OK, before == after ? "already " + after.name().toLowerCase() :
            before.name().toLowerCase() + " -> " + after.name().toLowerCase());
    }

    @Override
    public ClusterReport query(final long now) {
        final HostStatus self = machine.status();
        final ClusterView view = machine.view();
        final List<HeartbeatMessage> heard = machine.heard();
        final List<ClusterReport.HostReport> hosts = new ArrayList<>();
        for (final ClusterMember member : config.members()) {
            final int id = member.hostId();
            final MemberId inView = view.members().stream().filter(m -> m.hostId() == id).findFirst().orElse(null);
            final List<ClusterReport.RuleBuckets> rules = ownedBuckets(view, inView == null ? -1 : id);
            if (id == hostId) {
                hosts.add(new ClusterReport.HostReport(id, member.hostPriority(), self.self().incarnation(),
                    name(self.state()), name(self.mode()), self.listening(), inView != null, true,
                    self.viewEpoch(), rules, healthReasons.entrySet().stream().map(e ->
                        new ClusterReport.UnhealthyRule(e.getKey().toString(), e.getValue())).toList(),
                    machine.config().fingerprint().sha256Hex(),
                    machine.latestConfig().fingerprint().sha256Hex()));
                continue;
            }
            HeartbeatMessage latest = null;
            for (final HeartbeatMessage heartbeat : heard) {
                if (heartbeat.sender().hostId() == id) {
                    latest = heartbeat;
                }
            }
            if (latest == null) {
                hosts.add(new ClusterReport.HostReport(id, member.hostPriority(), 0, "unknown", "unknown", false,
                    inView != null, false, 0, rules, List.of(), "", ""));
            } else {
                final boolean inStep = view.sameAs(latest.viewEpoch(), latest.viewDigest());
                final String mode = !latest.participating() ? "stopped" : latest.listening() ? "withdrawn" :
                    inStep && inView != null ? "serving" : "withdrawn";
                hosts.add(new ClusterReport.HostReport(id, member.hostPriority(), latest.sender().incarnation(),
                    name(latest.state()), latest.state() == HostState.DRAINING ? "draining" : mode,
                    latest.listening(), inView != null, inStep, latest.viewEpoch(), rules,
                    latest.unhealthy().stream().map(k -> new ClusterReport.UnhealthyRule(k.toString(), "")).toList(),
                    latest.fingerprint().sha256Hex(), latest.latest().sha256Hex()));
            }
        }
        final List<ClusterReport.RefusalReport> refusals = self.refusals().stream()
            .map(r -> new ClusterReport.RefusalReport(r.member().hostId(), r.member().incarnation(), r.reason()))
            .toList();
        return new ClusterReport(hostId, self.viewEpoch(), self.leaderId(), self.converged(),
            configs == null ? 0 : configs.version(), hosts, refusals);
    }

    /** Buckets the host owns in the view, per rule in config order and the default rule last (none when -1). */
    private List<ClusterReport.RuleBuckets> ownedBuckets(final ClusterView view, final int owner) {
        final List<ClusterReport.RuleBuckets> rules = new ArrayList<>();
        for (final var rule : config.portRules()) {
            final BucketAssignment assignment = view.assignment().byRule().get(rule.key());
            rules.add(new ClusterReport.RuleBuckets(rule.key().toString(), count(assignment, owner)));
        }
        rules.add(new ClusterReport.RuleBuckets("default", count(view.assignment().unmatched(), owner)));
        return rules;
    }

    private static int count(final BucketAssignment assignment, final int owner) {
        if (assignment == null || owner < 0) {
            return 0;
        }
        int owned = 0;
        for (final int id : assignment.owners()) {
            owned += id == owner ? 1 : 0;
        }
        return owned;
    }

    private static String name(final Enum<?> value) {
        return value.name().toLowerCase();
    }

    /**
     * One duty cycle.
     *
     * @return work done.
     */
    int doWork(final long now) {
        nowMs = now;
        int work = link.doWork(now);
        work += transport.poll(this, 64);
        if (drainSinceMs != Long.MIN_VALUE) {
            endDrainWhenIdle(now);
        }
        machine.tick(now);
        metrics.tick(now);
        work += execute();
        work += link.doWork(now);
        work += desk.doWork(now);
        if (statusDirty) {
            writeStatus();
        }
        return work;
    }

    /** A draining host stops once its dataplane counts no tracked connection in a status that covers the drain. */
    private void endDrainWhenIdle(final long now) {
        if (machine.status() == null || machine.status().state() != HostState.DRAINING) {
            drainSinceMs = Long.MIN_VALUE;
            return;
        }
        if (link.isReady() && link.lastStatusMs() - drainSinceMs > DRAIN_COUNT_LAG_MS &&
            link.status().trackedConnections() == 0) {
            log.accept("drainstop: the dataplane tracks no connection any more; the host stops");
            drainSinceMs = Long.MIN_VALUE;
            machine.connectionsDrained(now);
        }
    }

    @Override
    public void onHeartbeat(final HeartbeatMessage heartbeat) {
        metrics.heartbeatReceived(nowMs, heartbeat);
        machine.onHeartbeat(nowMs, heartbeat);
    }

    @Override
    public void onStickyClients(final StickyClientsMessage message) {
        machine.onStickyClients(nowMs, message);
    }

    @Override
    public void onClaimsRefused(final ClaimsRefusedMessage message) {
        machine.onClaimsRefused(nowMs, message);
    }

    @Override
    public void onDataplaneReady(final long now, final long appliedViewEpoch, final boolean forwarding) {
        log.accept("dataplane ready, view epoch " + appliedViewEpoch +
            (forwarding ? ", forwarding by an earlier lbd's view: kept while this host listens" : ""));
        machine.dataplaneUp(now, appliedViewEpoch, forwarding);
        metrics.dataplaneReady(true);
        statusDirty = true;
    }

    @Override
    public void onDataplaneLost(final long now) {
        log.accept("dataplane lost: this host claims nothing until it is back");
        machine.dataplaneDown(now);
        metrics.dataplaneReady(false);
        statusDirty = true;
    }

    @Override
    public void onExported(final long now, final DataplaneLink.Export export,
        final List<DataplaneLink.ExportedClient> clients) {
        final ExportFor what = (ExportFor)export.tag();
        final List<StickyClient> sticky = new ArrayList<>(clients.size());
        for (final DataplaneLink.ExportedClient client : clients) {
            sticky.add(new StickyClient(client.client(), client.expiresInMs()));
        }
        machine.onStickyClientsExported(now, what.rule(), what.toHostId(), sticky);
    }

    @Override
    public void close() {
        CloseHelper.closeAll(transport, link);
    }

    private int execute() {
        return machine.drainOutputs(this::carryOut);
    }

    private void carryOut(final Output output) {
        switch (output) {
            case Output.SendHeartbeat send -> metrics.heartbeatsSent(transport.broadcast(send.heartbeat()));
            case Output.SendStickyClients send -> transport.send(send.toHostId(), send.message());
            case Output.SendClaimsRefused send -> transport.send(send.toHostId(), send.message());
            case Output.ApplyConfig apply -> applyConfig(apply.config());
            case Output.ApplyView apply -> applyView(apply.view());
            case Output.WithdrawVip withdraw -> {
                final IpAddress vip = withdraw.vip();
                link.submit("WithdrawVip " + vip, (proxy, id) -> proxy.withdrawVip(id, version(vip), vip.hi(),
                    vip.lo()));
            }
            case Output.AnnounceVip announce -> {
                final IpAddress vip = announce.vip();
                final var arp = config.parameters().gratuitousArp();
                link.submit("AnnounceVip " + vip, (proxy, id) -> proxy.announceVip(id, version(vip), vip.hi(),
                    vip.lo(), arp.count(), arp.spacing().toMillis()));
            }
            case Output.ExportStickyClients export -> link.export(new DataplaneLink.Export(
                ruleIndex(export.rule()), bitmap(export.buckets()), new ExportFor(export.rule(),
                export.toHostId())));
            case Output.InstallForeign install -> installForeign(install);
            case Output.DropClaims drop -> {
                final int index = ruleIndex(drop.rule());
                final UnsafeBuffer buckets = new UnsafeBuffer(bitmap(drop.buckets()));
                link.submit("DropClaims of rule " + index, (proxy, id) -> proxy.dropClaims(id, index, buckets, 0,
                    buckets.capacity()));
            }
            case Output.DropClients drop -> dropClients(drop);
            case Output.ReleaseForeign release -> link.submit("ReleaseForeign of host " + release.ownerHostId(),
                (proxy, id) -> proxy.releaseForeign(id, release.ownerHostId()));
            case Output.StatusChanged changed -> statusChanged(changed.status());
        }
    }

    private void applyConfig(final ClusterConfig next) {
        if (next.fingerprint().equals(config.fingerprint())) {
            return;
        }
        log.accept("the cluster switches to config " + next.fingerprint().sha256Hex().substring(0, 16) + " (from " +
            config.fingerprint().sha256Hex().substring(0, 16) + "): this host runs it from this view on");
        config = next;
        transport.runs(next);
        link.reconfigure(next);
        metrics.configChanged(next);
        statusDirty = true;
    }

    private void applyView(final LocalView view) {
        if (!view.config().equals(config.fingerprint())) {
            log.accept("a view of config " + view.config() + " came while this host runs " + config.fingerprint() +
                ": not applied");
            return;
        }
        final byte[] fingerprint = HexFormat.of().parseHex(config.fingerprint().sha256Hex());
        final LocalViewSource source = new LocalViewSource(config, view);
        final long sentMs = nowMs;
        link.submit("ApplyView epoch " + view.dataplaneEpoch(), (proxy, id) -> proxy.applyView(id,
            view.dataplaneEpoch(), fingerprint, hostId, bucketCount, source), ackedMs -> {
                metrics.viewAcked(view.clusterEpoch(), ackedMs);
                if (view == lastView) {
                    viewAckedMs = ackedMs;
                    viewAckedEpoch = view.dataplaneEpoch();
                    statusDirty = true;
                }
                log.accept("dataplane applied view " + view.dataplaneEpoch() + " (cluster epoch " +
                    view.clusterEpoch() + ", " + view.mode().name().toLowerCase() + "): takes new connections in " +
                    view.ownedCount(hostId) + " buckets, answers " + view.vips().size() + " VIPs");
            });
        lastView = view;
        viewSentMs = sentMs;
        statusDirty = true;
    }

    private void installForeign(final Output.InstallForeign install) {
        final int index = ruleIndex(install.rule());
        final List<StickyClient> clients = install.clients();
        final int chunk = Math.max(1, Math.min(1024, clients.size()));
        for (int from = 0; from < clients.size(); from += chunk) {
            final ClientEntries entries = new ClientEntries(chunk);
            for (int i = from; i < Math.min(clients.size(), from + chunk); i++) {
                final StickyClient client = clients.get(i);
                entries.add(version(client.client()), client.client().hi(), client.client().lo(),
                    install.ownerHostId(), Math.min(ClientEntries.MAX_EXPIRES_IN_MS, client.expiresInMs()));
            }
            link.submit("InstallForeignEntries of rule " + index + " for host " + install.ownerHostId(),
                (proxy, id) -> proxy.installForeignEntries(id, index, entries, 0,
                    Math.min(entries.size(), proxy.maxEntriesPerMessage())));
        }
    }

    private void dropClients(final Output.DropClients drop) {
        final int index = ruleIndex(drop.rule());
        final List<IpAddress> clients = drop.clients();
        final int chunk = 1024;
        for (int from = 0; from < clients.size(); from += chunk) {
            final List<IpAddress> part = clients.subList(from, Math.min(clients.size(), from + chunk));
            link.submit("DropClients of rule " + index, (proxy, id) -> proxy.dropClients(id, index, part, 0,
                Math.min(part.size(), proxy.maxClientsPerMessage())));
        }
    }

    private void statusChanged(final HostStatus next) {
        final HostStatus before = status;
        status = next;
        metrics.status(nowMs, next);
        statusDirty = true;
        if (before == null || before.state() != next.state() || before.mode() != next.mode() ||
            before.converged() != next.converged() || !before.members().equals(next.members()) ||
            before.leaderId() != next.leaderId() || before.fenced() != next.fenced()) {
            log.accept("host " + next.state().name().toLowerCase() + ", dataplane " + next.mode().name().toLowerCase() +
                (next.listening() ? " (listening)" : "") + (next.fenced() ? " (fenced)" : "") + ", view epoch " +
                next.viewEpoch() + " led by host " + next.leaderId() + ", members " + next.members() +
                (next.converged() ? ", converged" : ""));
        }
        if (before == null || !before.refusals().equals(next.refusals())) {
            for (final Refusal refusal : next.refusals()) {
                log.accept("refused " + refusal.member() + ": " + refusal.reason());
            }
        }
    }

    /** What the host is and sees, as JSON; replaced with a rename so a reader never sees half of it. */
    private void writeStatus() {
        statusDirty = false;
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("hostId", hostId);
        json.put("cluster", config.parameters().name());
        json.put("configFingerprint", config.fingerprint().sha256Hex());
        json.put("latestConfigFingerprint", machine.latestConfig().fingerprint().sha256Hex());
        json.put("configVersion", configs == null ? 0 : configs.version());
        json.put("unhealthyRules", healthReasons.entrySet().stream().map(e -> {
            final Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("rule", e.getKey().toString());
            rule.put("reason", e.getValue());
            return rule;
        }).toList());
        json.put("writtenAtMs", nowMs);
        if (status != null) {
            json.put("incarnation", status.self().incarnation());
            json.put("state", status.state().name().toLowerCase());
            json.put("mode", status.mode().name().toLowerCase());
            json.put("listening", status.listening());
            json.put("fenced", status.fenced());
            json.put("converged", status.converged());
            json.put("leaderId", status.leaderId());
            json.put("viewEpoch", status.viewEpoch());
            json.put("members", status.members().stream().map(ClusterNode::member).toList());
            json.put("refusals", status.refusals().stream().map(r -> {
                final Map<String, Object> refusal = member(r.member());
                refusal.put("reason", r.reason());
                return refusal;
            }).toList());
        }
        final Map<String, Object> dataplane = new LinkedHashMap<>();
        dataplane.put("ready", link.isReady());
        dataplane.put("pid", link.dataplanePid());
        dataplane.put("appliedViewEpoch", link.status().appliedViewEpoch());
        dataplane.put("requestsRefused", link.requestsRefused());
        json.put("dataplane", dataplane);
        if (lastView != null) {
            final Map<String, Object> view = new LinkedHashMap<>();
            view.put("dataplaneEpoch", lastView.dataplaneEpoch());
            view.put("clusterEpoch", lastView.clusterEpoch());
            view.put("mode", lastView.mode().name().toLowerCase());
            view.put("sentAtMs", viewSentMs);
            view.put("acked", viewAckedEpoch == lastView.dataplaneEpoch());
            view.put("ackedAtMs", viewAckedEpoch == lastView.dataplaneEpoch() ? viewAckedMs : 0);
            view.put("vips", lastView.vips().stream().map(IpAddress::toString).toList());
            final List<Map<String, Object>> rules = new ArrayList<>();
            for (final RuleView rule : lastView.rules()) {
                final Map<String, Object> r = new LinkedHashMap<>();
                r.put("rule", DefaultRule.isDefault(rule.rule()) ? "default" : rule.rule().key().toString());
                r.put("state", rule.state().name().toLowerCase());
                int owned = 0;
                for (final int owner : rule.owners()) {
                    owned += owner == hostId ? 1 : 0;
                }
                r.put("ownedBuckets", lastView.mode() == lb.control.convergence.ServingMode.SERVING ? owned : 0);
                r.put("owners", rule.owners());
                rules.add(r);
            }
            view.put("rules", rules);
            json.put("appliedView", view);
        }
        try {
            final Path temporary = statusFile.resolveSibling(statusFile.getFileName() + ".tmp");
            Files.writeString(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json), StandardCharsets.UTF_8);
            Files.move(temporary, statusFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (final IOException ex) {
            log.accept("cannot write " + statusFile + ": " + ex.getMessage());
        }
    }

    private static Map<String, Object> member(final MemberId member) {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("hostId", member.hostId());
        json.put("incarnation", member.incarnation());
        return json;
    }

    private int ruleIndex(final RuleKey key) {
        return key.equals(DefaultRule.RULE.key()) ? config.portRules().size() : config.ruleIndex(key);
    }

    private byte[] bitmap(final BucketBitmap buckets) {
        final byte[] bytes = new byte[BucketBitmaps.byteLength(bucketCount)];
        final UnsafeBuffer view = new UnsafeBuffer(bytes);
        buckets.stream().forEach(bucket -> BucketBitmaps.set(view, 0, bucket));
        return bytes;
    }

    private static IpVersion version(final IpAddress address) {
        return address.isIpv4() ? IpVersion.V4 : IpVersion.V6;
    }

    // lbctl's reads and flushes (affinity, explain, capture, errors).

    @Override
    public void operatorRequest(final long now, final int templateId, final org.agrona.DirectBuffer buffer,
        final int offset, final int length, final AdminServer.Reply reply) {
        nowMs = now;
        desk.onRequest(now, templateId, buffer, offset, reply);
    }

    /** Where lbd's own errors and warnings are noted, for lbctl errors. */
    void errors(final ErrorBook book) {
        desk.lbdErrors(book);
    }
}
