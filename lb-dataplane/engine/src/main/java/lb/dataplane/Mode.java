package lb.dataplane;

import java.io.IOException;
import java.util.List;

import lb.dataplane.aeron.AeronHost;
import lb.dataplane.conductor.ConductorDuty;
import lb.dataplane.dpdk.EthPort;
import lb.dataplane.port.PortIo;
import lb.dataplane.worker.LcoreAgent;

/**
 * What the dataplane does with its ports: which it opens, the worker agents it runs on them and the
 * conductor's duties. {@link Dataplane} owns the lifecycle around it.
 */
interface Mode {
    /**
     * Opens the mode's ports (by the names in the options); the caller configures and starts them.
     *
     * @return the ports, in the order they are configured.
     */
    List<EthPort> openPorts();

    /**
     * @param port one of {@link #openPorts()}.
     * @return what it is for, for the operator.
     */
    String role(EthPort port);

    /**
     * Builds the workers (and anything they share) once the ports are started.
     *
     * @param aeron     where counters go.
     * @param io        the ports' bursts and the packet pool.
     * @param resources closed at exit, after the ports.
     * @return the workers.
     * @throws IOException when a file the mode reads cannot be read.
     */
    Workers start(AeronHost aeron, PortIo io, List<AutoCloseable> resources) throws IOException;

    /** The started workers. */
    interface Workers {
        LcoreAgent agent(int worker);

        String describe(int worker);

        List<ConductorDuty> conductorDuties();

        String statsLine(double seconds);

        List<String> summary();
    }
}
