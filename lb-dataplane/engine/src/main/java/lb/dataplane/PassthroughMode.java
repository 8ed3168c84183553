package lb.dataplane;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import lb.dataplane.aeron.AeronHost;
import lb.dataplane.aeron.CounterAllocator;
import lb.dataplane.conductor.ConductorDuty;
import lb.dataplane.dpdk.EthPort;
import lb.dataplane.dpdk.FrameSender;
import lb.dataplane.pcap.Pcap;
import lb.dataplane.port.PortIo;
import lb.dataplane.worker.BurstLatency;
import lb.dataplane.worker.BurstLatencyCounters;
import lb.dataplane.worker.ForwardingAgent;
import lb.dataplane.worker.LcoreAgent;
import lb.dataplane.worker.WorkerCounters;

/**
 * Forwarding without looking at frames: one port reflected into itself, or two ports forwarded both
 * ways (a bump in the wire). The bring-up path, and the benchmark's reference for per-packet cost.
 */
final class PassthroughMode implements Mode {
    private final DataplaneOptions options;
    private EthPort rxPort;
    private EthPort txPort;

    PassthroughMode(final DataplaneOptions options) {
        this.options = options;
    }

    @Override
    public List<EthPort> openPorts() {
        rxPort = EthPort.open(options.nic);
        txPort = options.txPort == null || options.txPort.equals(options.nic) ? rxPort : EthPort.open(options.txPort);
        return txPort == rxPort ? List.of(rxPort) : List.of(rxPort, txPort);
    }

    @Override
    public String role(final EthPort port) {
        return txPort == rxPort ? "the reflected port" : "one side of the wire";
    }

    @Override
    public Workers start(final AeronHost aeron, final PortIo io, final List<AutoCloseable> resources)
        throws IOException {
        final WorkerCounters[] counters = new WorkerCounters[options.workers];
        final ForwardingAgent[] agents = new ForwardingAgent[options.workers];
        final int[] rx = txPort == rxPort ? new int[] {rxPort.id()} : new int[] {rxPort.id(), txPort.id()};
        final int[] tx = txPort == rxPort ? new int[] {rxPort.id()} : new int[] {txPort.id(), rxPort.id()};
        for (int w = 0; w < options.workers; w++) {
            counters[w] = WorkerCounters.allocate(aeron, w);
            resources.add(counters[w]);
            agents[w] = new ForwardingAgent(w, rx, tx, w, options.burst, options.workerCpu(w), counters[w],
                burstLatency(aeron, w, resources), io);
        }
        if (options.inject != null) {
            final int sent = FrameSender.send(io, txPort, Pcap.read(options.inject));
            Dataplane.say("injected " + sent + " frames from " + options.inject + " on " + txPort.name());
        }
        final String describe = "forwarding " + rxPort.name() + (txPort == rxPort ? " -> " : " <-> ") +
            txPort.name();
        return new Workers() {
            private long lastRx;

            @Override
            public LcoreAgent agent(final int worker) {
                return agents[worker];
            }

            @Override
            public String describe(final int worker) {
                return describe;
            }

            @Override
            public List<ConductorDuty> conductorDuties() {
                return List.of();
            }

            @Override
            public String statsLine(final double seconds) {
                long rx = 0;
                long tx = 0;
                long dropped = 0;
                for (final WorkerCounters c : counters) {
                    rx += c.rxPackets();
                    tx += c.txPackets();
                    dropped += c.txDropped();
                }
                final String line = String.format("rx %d tx %d dropped %d (%.0f pps)", rx, tx, dropped,
                    (rx - lastRx) / seconds);
                lastRx = rx;
                return line;
            }

            @Override
            public List<String> summary() {
                final List<String> lines = new ArrayList<>();
                for (int w = 0; w < counters.length; w++) {
                    lines.add("stopped: worker " + w + " rx " + counters[w].rxPackets() + ", tx " +
                        counters[w].txPackets() + ", tx dropped " + counters[w].txDropped());
                }
                return lines;
            }
        };
    }

    /** What worker {@code w} times its bursts into, as the options ask, or null for no timing. */
    private BurstLatency burstLatency(final CounterAllocator aeron, final int w, final List<AutoCloseable> resources) {
        final BurstLatencyCounters counters = options.burstLatencyCounters ? BurstLatencyCounters.allocate(aeron, w) :
            null;
        if (counters != null) {
            resources.add(counters);
        }
        return BurstLatency.of((long)(options.burstLatencyWarmup * 1e9), options.burstLatency != null, counters);
    }
}
